# A shell pipeline (sort | uniq -c | sort -rn): the shell execs sort and
# uniq, so the exec lock must be off.
#
# NOT ATTESTABLE: with exec-lock=off the job may start any program it can
# see (the launch filter, the read-only system and the noexec /tmp still
# hold), so `sbx attest` reports PR-EXEC-1 and PR-SECCOMP-1 as FAIL and
# `sbx check` warns about it.  Prefer one program that does the whole job.
[sandbox]
name=shell-pipeline

[seccomp]
exec-lock=off

[limits]
processes=32
wall-seconds=60
