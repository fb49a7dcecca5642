# expect: parse 2
[sandbox
name=job
