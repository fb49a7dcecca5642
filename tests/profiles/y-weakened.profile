# expect: ok
# The weakenings are legal (attestation has to notice them).
[filesystem]
input=@TMP@/in
input-mode=rw

[network]
mode=host
socket-families=unix;inet;inet6

[seccomp]
mode=deny-list
errno=ENOSYS
exec-lock=off

[attest]
required=PR-TTY-1
