# expect: invalid-value 3 [network] socket-families
[network]
socket-families=unix;carrier-pigeon
