# A statically linked job (Go, Rust with musl, C with -static): one file,
# no loader, no shared libraries, so it does not even need the host's /usr
# (system= is emptied here).  With sbx's exec gate (exec-lock=on: the lock
# is installed by sbx's own static helper before the job's first
# instruction) it runs locked like any other job.  Under exec-lock=preload
# (the LD_PRELOAD lock of older sbx) a static job is refused, exit 126: the
# loader that would install the lock never runs.
[sandbox]
name=static-job

[filesystem]
system=

[limits]
cpu-seconds=10
wall-seconds=30
