# expect: overlap 4 [filesystem] output
[filesystem]
input=@TMP@/out/nested
output=@TMP@/out
