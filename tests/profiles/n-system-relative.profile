# expect: invalid-path 3 [filesystem] system
[filesystem]
system=/usr;etc
