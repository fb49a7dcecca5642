# expect: invalid-path 3 [filesystem] input
[filesystem]
input=@TMP@/out/../in
