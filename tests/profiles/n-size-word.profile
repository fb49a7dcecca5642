# expect: invalid-value 3 [limits] address-space
[limits]
address-space=lots
