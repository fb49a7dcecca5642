# expect: unknown-key 3 [filesystem] inptu
[filesystem]
inptu=/usr
