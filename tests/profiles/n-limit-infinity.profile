# expect: invalid-value 4 [limits] file-size
[limits]
# RLIM_INFINITY itself is spelled "unlimited", not as a number
file-size=18446744073709551615
