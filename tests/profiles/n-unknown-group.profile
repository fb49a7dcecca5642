# expect: unknown-group 4 [sandbx]
[sandbox]
name=x
[sandbx]
name=y
