# expect: parse 4
[sandbox]
name=job
this line is not a pair
