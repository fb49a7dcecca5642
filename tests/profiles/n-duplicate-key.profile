# expect: parse 5 [network] mode
[network]
mode=none
socket-families=
mode=host
