# expect: ok
# Weakened on purpose (tests/31-attest-weakened.sh): the input is bound
# read-write.  Attest must FAIL PR-FS-RO-IN and not attest.
[filesystem]
input-mode=rw
