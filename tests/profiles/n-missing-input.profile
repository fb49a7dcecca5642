# expect-host: invalid-path 3 [filesystem] input
[filesystem]
input=@TMP@/does-not-exist
