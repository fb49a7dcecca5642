# expect: overlap 4 [filesystem] output
[filesystem]
input=@TMP@/in
output=@TMP@/in/
