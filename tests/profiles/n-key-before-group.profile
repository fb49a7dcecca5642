# expect: parse 2
name=job
[sandbox]
