# expect: invalid-value 3 [filesystem] workdir
[filesystem]
workdir=/out/../etc
