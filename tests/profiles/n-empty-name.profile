# expect: invalid-value 3 [sandbox] name
[sandbox]
name=
