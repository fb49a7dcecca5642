# expect: ok
# Weakened on purpose (tests/31-attest-weakened.sh): the host's network
# namespace is shared.  Attest must FAIL PR-NET-1 (and PR-NS-1) and not
# attest.
[network]
mode=host
