# expect: invalid-value 4 [filesystem] tmp-size
[filesystem]
# 1024-based suffixes are K, M, G only
tmp-size=64MB
