# expect: unknown-key 4 [sandbox] name[de]
[sandbox]
name=job
name[de]=Auftrag
