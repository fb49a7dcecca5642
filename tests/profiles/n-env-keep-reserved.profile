# expect: invalid-value 3 [environment] keep
[environment]
keep=SBX_LOCK_FD
