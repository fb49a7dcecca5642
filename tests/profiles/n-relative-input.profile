# expect: invalid-path 3 [filesystem] input
[filesystem]
input=relative/dir
