# expect: invalid-value 3 [limits] file-size
[limits]
file-size=1.5G
