# expect: ok
# Weakened on purpose (tests/31-attest-weakened.sh): the host's /var is
# visible.  Attest must FAIL PR-FS-ESC-1 and not attest.
[filesystem]
system=/usr;/etc/ld.so.cache;/etc/alternatives;/var
