# expect: invalid-value 4 [limits] address-space
[limits]
# 2^34 G = 2^64 bytes: one more than fits
address-space=17179869184G
