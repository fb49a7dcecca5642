# expect: ok
# Every key set to a non-default value.
[sandbox]
name=full job (test)

[filesystem]
input=@TMP@/in
output=@TMP@/out/
input-mode=ro
system=/usr;/etc
tmp-size=1G
workdir=/out/work

[network]
mode=none
socket-families=inet6;unix;inet;unix;netlink

[environment]
keep=LC_ALL;LANG;TERM
set=PATH=/usr/bin;GREETING=hello world;EQ=a=b;SEMI=x\;y

[seccomp]
mode=allow-list
errno=EACCES
deny=uname;chmod;fchmod;chmod
exec-lock=self

[limits]
cpu-seconds=unlimited
address-space=unlimited
open-files=1024
processes=unlimited
file-size=unlimited
core-size=1M
wall-seconds=300

[attest]
required=PR-NET-1;PR-TTY-1;PR-ABI-1
