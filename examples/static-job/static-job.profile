# A statically linked job (Go, Rust with musl, C with -static): one file,
# no loader, no shared libraries.  sbx's exec lock is installed before the
# job's first instruction by sbx's own static helper, so a static job runs
# locked like any other and is attestable; it does not even need the
# host's /usr, which is why system= is emptied here.  (With the old
# exec-lock=preload a static job was refused: exit 126.)
[sandbox]
name=static-job

[filesystem]
system=

[limits]
cpu-seconds=10
wall-seconds=30
