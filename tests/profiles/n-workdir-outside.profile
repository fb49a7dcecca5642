# expect: invalid-value 3 [filesystem] workdir
[filesystem]
workdir=/etc
