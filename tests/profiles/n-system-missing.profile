# expect-host: invalid-path 3 [filesystem] system
[filesystem]
system=/usr;@TMP@/does-not-exist
