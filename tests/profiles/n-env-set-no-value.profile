# expect: invalid-value 3 [environment] set
[environment]
set=PATH
