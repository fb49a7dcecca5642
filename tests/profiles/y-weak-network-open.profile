# expect: ok
# Weakened on purpose (tests/31-attest-weakened.sh): the host's network
# namespace and the unix and inet socket families.  Attest must FAIL
# PR-NET-1, PR-NS-1 and PR-SOCK-1 and not attest.  PR-NET-2 and
# PR-SOCK-DOCKER must still PASS: connect() stays denied by the filter in
# every mode, and sbx-attest's own count of what reached its loopback and
# Unix decoys must stay 0 — the host-side half of those probes.
[network]
mode=host
socket-families=unix;inet
