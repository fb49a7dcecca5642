# expect: invalid-value 3 [environment] keep
[environment]
keep=LANG;1BAD
