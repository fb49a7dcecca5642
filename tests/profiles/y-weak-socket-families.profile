# expect: ok
# Weakened on purpose (tests/31-attest-weakened.sh): socket() allowed for
# the families PR-SOCK-1 tries.  Attest must FAIL PR-SOCK-1 and not attest.
[network]
socket-families=inet;inet6;netlink;packet;vsock
