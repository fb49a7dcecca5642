# expect: invalid-value 3 [environment] set
[environment]
set=PATH=/usr/bin;HOME=/tmp;PATH=/bin
