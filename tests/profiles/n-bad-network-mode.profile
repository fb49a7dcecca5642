# expect: invalid-value 3 [network] mode
[network]
mode=bridge
