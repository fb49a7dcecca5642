# expect: ok
# Not a weakening the probes can see (the deny groups apply in both modes):
# a deny-list profile must still be attested.  tests/31-attest-weakened.sh
# keeps it as the pair's other side: only real weakenings lose a PASS.
[seccomp]
mode=deny-list
