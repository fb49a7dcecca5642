# expect: invalid-value 3 [limits] cpu-seconds
[limits]
cpu-seconds=99999999999999999999999
