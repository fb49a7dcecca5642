# expect: ok
# Every default spelled out differently; canonical text must equal the
# built-in default's.
[attest]
required=PR-URING-1;PR-NET-1;PR-NET-2;PR-SOCK-1;PR-SOCK-DOCKER;PR-ENV-1;PR-FS-RO-IN;PR-FS-ESC-1;PR-FS-ESC-2;PR-FS-OUT-OK;PR-EXEC-1;PR-MOUNT-1;PR-PTRACE-1;PR-CAP-1;PR-NNP-1;PR-SECCOMP-1;PR-NS-1;PR-RLIMIT-1;PR-NET-1

[limits]
wall-seconds = 0
core-size=0k
file-size=1048576K
processes=64
open-files=256
address-space=2048m
cpu-seconds=60

[seccomp]
exec-lock=preload
deny=
errno=EPERM
mode=allow-list

[environment]
set=PATH=/usr/bin:/bin;HOME=/tmp
keep=TZ; LANG ;LANG

[network]
socket-families=
mode=none

[filesystem]
workdir=/tmp/
tmp-size=65536k
system=/usr/;/etc/alternatives;/etc//ld.so.cache;/usr
input-mode=ro
input=
output=

[sandbox]
name=offline-job
