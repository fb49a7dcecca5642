# expect: invalid-value 3 [limits] wall-seconds
[limits]
wall-seconds=4294967296
