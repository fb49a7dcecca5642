# expect: ok
# Weakened on purpose (tests/31-attest-weakened.sh): no exec lock, so the
# job may exec other programs.  Attest must FAIL PR-EXEC-1 (and
# PR-SECCOMP-1: only bwrap's launch filter is loaded) and not attest.
[seccomp]
exec-lock=off
