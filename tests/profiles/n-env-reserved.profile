# expect: invalid-value 3 [environment] set
[environment]
set=LD_PRELOAD=/tmp/evil.so
