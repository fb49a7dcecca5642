#!/bin/sh
# 12-live-syscalls.sh — socket(AF_INET), execve, ptrace, unshare, mount and
# clone with a namespace flag fail inside the default sandbox with the
# profile's errno (EPERM); the same calls succeed on the host (the control
# shows each check can fail).
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

EACCES_PROFILE=$(live_profile eacces '[seccomp]
errno=EACCES')

# Host controls: as root these are all allowed; unprivileged, only the
# ones an ordinary process may do.
LIVE_WHO=host
expect_cmd "control: socket(AF_INET) works outside" 0 '^allowed$' "$LIVE_BIN/live-job" syscall socket-inet
if [ "$(id -u)" = 0 ]; then
  expect_cmd "control: unshare(CLONE_NEWUSER) works outside" 0 '^allowed$' "$LIVE_BIN/live-job" syscall unshare
fi

for who in $LIVE_USERS; do
  live_setup "$who"
  for call in socket-inet socket-unix execve ptrace unshare mount clone-newns; do
    expect "syscall $call is denied" 1 '^denied EPERM$' -- /in/live-job syscall "$call"
  done
  # EPERM is also what the kernel itself tells a process without
  # capabilities (mount, clone with CLONE_NEWNS, ptrace): only another errno
  # shows that the filter answered.  So every call again under errno=EACCES.
  for call in socket-inet socket-unix execve ptrace unshare mount clone-newns; do
    expect "syscall $call is denied by the filter (errno=EACCES)" 1 '^denied EACCES$' -- \
      --profile "$EACCES_PROFILE" /in/live-job syscall "$call"
  done
  expect "an allowed call still works (control: write in /out)" 0 '^allowed$' -- /in/live-job write /out/ok
  expect "seccomp is on with two filters (launch + lock)" 0 'Seccomp:[[:space:]]+2' -- \
    /usr/bin/python3 -c 'import sys; t=open("/proc/self/status").read(); print(t); sys.exit(0 if "Seccomp_filters:\t2" in t else 1)'
done
finish
