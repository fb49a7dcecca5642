#!/bin/sh
# 11-live-tmp-noexec.sh — a file written to /tmp can be neither executed nor
# mapped PROT_EXEC, while the same file in /in can (so it is /tmp's noexec
# that refuses, not something else).  With exec-lock=off, so that exec itself
# is allowed, and with the default profile (exec lock on).  Every profile here
# answers EMLINK for a refused call, so the kernel's noexec answers (EACCES
# for exec, EPERM for mmap PROT_EXEC) cannot be the filter's or the lock's.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

LOCKOFF=$(live_profile lockoff '[seccomp]
exec-lock=off
errno=EMLINK')
LOCKON=$(live_profile lockon '[seccomp]
errno=EMLINK')

for who in $LIVE_USERS; do
  live_setup "$who"
  expect "exec-lock=off: a program in /in can be exec'd (control)" 0 '^allowed$' -- \
    --profile "$LOCKOFF" /in/live-job exec /in/live-job write /tmp/x
  expect "exec-lock=off: exec of a copy in /tmp fails with EACCES (noexec)" 1 '^denied EACCES$' -- \
    --profile "$LOCKOFF" /bin/sh -c \
    '/in/live-job copy /in/live-job /tmp/job >/dev/null && /in/live-job exec /tmp/job exit 0'
  expect "mmap PROT_EXEC of a file in /in works (control)" 0 '^allowed$' -- \
    /in/live-job mmap-exec /in/live-job
  expect "exec-lock=off: mmap PROT_EXEC of a copy in /tmp fails" 1 'denied EPERM' -- \
    --profile "$LOCKOFF" /bin/sh -c \
    '/in/live-job copy /in/live-job /tmp/job >/dev/null && /in/live-job mmap-exec /tmp/job'
  expect "exec lock on: mmap PROT_EXEC of a file written to /tmp fails with the kernel's EPERM (noexec)" 1 '^denied EPERM$' -- \
    --profile "$LOCKON" /usr/bin/python3 -c '
import mmap, os, shutil, subprocess, sys
shutil.copy("/in/live-job", "/tmp/job")
os.chmod("/tmp/job", 0o755)
fd = os.open("/tmp/job", os.O_RDONLY)
try:
    mmap.mmap(fd, 4096, mmap.MAP_PRIVATE, mmap.PROT_READ | mmap.PROT_EXEC)
    print("allowed"); sys.exit(0)
except OSError as e:
    import errno; print("denied", errno.errorcode[e.errno]); sys.exit(1)'
  # Under the lock an exec is refused before noexec is asked: EMLINK, the
  # lock's; noexec itself is shown by the exec-lock=off case above.
  expect "exec lock on: exec of a file written to /tmp is refused by the lock (EMLINK)" 1 '^denied EMLINK$' -- \
    --profile "$LOCKON" /usr/bin/python3 -c '
import os, shutil, sys, errno
shutil.copy("/in/live-job", "/tmp/job")
os.chmod("/tmp/job", 0o755)
try:
    os.execv("/tmp/job", ["/tmp/job", "exit", "0"])
except OSError as e:
    print("denied", errno.errorcode[e.errno]); sys.exit(1)'
  expect "/tmp is mounted noexec,nosuid,nodev" 0 '^ok$' -- /usr/bin/python3 -c '
import sys
for line in open("/proc/self/mountinfo"):
    f = line.split()
    if f[4] == "/tmp":
        opts = set(f[5].split(","))
        if {"noexec", "nosuid", "nodev"} <= opts: print("ok"); sys.exit(0)
        print("options", f[5]); sys.exit(1)
print("no /tmp mount"); sys.exit(1)'
done
finish
