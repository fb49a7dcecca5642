# expect: overlap 3 [filesystem] output
[filesystem]
output=@TMP@/in/sub
input=@TMP@/in
