# expect-host: invalid-path 3 [filesystem] output
[filesystem]
output=@TMP@/link-out/nested
