# expect: invalid-value 3 [filesystem] input-mode
[filesystem]
input-mode=read-write
