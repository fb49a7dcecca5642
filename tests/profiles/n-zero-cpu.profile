# expect: invalid-value 3 [limits] cpu-seconds
[limits]
cpu-seconds=0
