#!/bin/sh
# 29-live-proc-dev.sh — /proc, /dev and the private tmpfs (issue 8 items 1,
# 4, 5 and 8):
#   - Docker's masks: /proc/sys (and sysrq-trigger, irq, bus where they
#     exist) read-only; /proc/keys, /proc/timer_list, /proc/kcore,
#     /proc/sched_debug covered by /dev/null where they exist;
#   - /dev is read-only: no file can be created in it;
#   - /dev/shm is a noexec,nosuid,nodev tmpfs sharing /tmp's bound:
#     256 MiB do not fit, neither does /tmp's share twice over; a file
#     written there can be neither exec'd (EACCES) nor mapped PROT_EXEC
#     (EPERM) with the exec lock off, while the same file in /in can;
#   - the tmpfs has an inode bound: 20000 files do not fit in /tmp;
#   - --in/--out at or under /, /proc, /sys, /dev or /run are refused.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || live_bail "$PY is needed inside the sandbox"
LOCKOFF=$(live_profile lockoff '[seccomp]
exec-lock=off')

for who in $LIVE_USERS; do
  live_setup "$who"

  expect "/proc/sys is read-only (statvfs ST_RDONLY, ro in mountinfo)" 0 '^ro$' -- "$PY" -c '
import os, sys
ro_flag = os.statvfs("/proc/sys").f_flag & os.ST_RDONLY
mount = [l.split() for l in open("/proc/self/mountinfo") if l.split()[4] == "/proc/sys"]
if ro_flag and mount and "ro" in mount[-1][5].split(","): print("ro"); sys.exit(0)
print("flag", ro_flag, "mount", mount); sys.exit(1)'

  for path in /proc/sysrq-trigger /proc/irq /proc/bus; do
    if [ -e "$path" ]; then
      expect "$path is read-only" 0 '^ro$' -- "$PY" -c '
import os, sys
print("ro" if os.statvfs(sys.argv[1]).f_flag & os.ST_RDONLY else "rw")' "$path"
    else
      skip "[$who] $path is read-only" "this kernel has no $path"
    fi
  done
  for path in /proc/keys /proc/timer_list /proc/kcore /proc/sched_debug; do
    if [ -e "$path" ]; then
      # /dev/null bound over it, on a nodev mount: unreadable (EACCES) or empty.
      expect "$path is masked (unreadable or empty)" 0 '^(empty|EACCES)$' -- "$PY" -c '
import sys
try:
    data = open(sys.argv[1], "rb").read(4096)
except PermissionError:
    print("EACCES"); sys.exit(0)
print("empty" if data == b"" else "%d bytes" % len(data)); sys.exit(0 if data == b"" else 1)' "$path"
    else
      skip "[$who] $path is masked" "this kernel has no $path"
    fi
  done

  expect "creating a file in /dev fails (EROFS)" 1 '^denied EROFS$' -- /in/live-job write /dev/sbx-test
  expect "control: /dev/null is still writable" 0 '^ok$' -- "$PY" -c '
open("/dev/null", "w").write("x"); print("ok")'

  expect "/dev/shm is mounted noexec,nosuid,nodev" 0 '^ok$' -- "$PY" -c '
import sys
for line in open("/proc/self/mountinfo"):
    f = line.split()
    if f[4] == "/dev/shm":
        opts = set(f[5].split(","))
        if {"noexec", "nosuid", "nodev"} <= opts: print("ok"); sys.exit(0)
        print("options", f[5]); sys.exit(1)
print("no /dev/shm mount"); sys.exit(1)'
  expect "control: 1 MiB fits in /dev/shm" 0 '^allowed$' -- /in/live-job fill /dev/shm/f 1
  expect "256 MiB do not fit in /dev/shm (tmp-size=64M): ENOSPC" 1 '^denied ENOSPC$' -- \
    /in/live-job fill /dev/shm/f 256
  expect "/tmp and /dev/shm share tmp-size: 40 MiB in each do not fit" 1 'denied ENOSPC$' -- \
    --profile "$LOCKOFF" /bin/sh -c '/in/live-job fill /tmp/a 40 && /in/live-job fill /dev/shm/b 40'

  expect "exec-lock=off: exec of a copy in /in works (control)" 0 '^allowed$' -- \
    --profile "$LOCKOFF" /in/live-job exec /in/live-job write /tmp/x
  expect "exec-lock=off: exec of a copy in /dev/shm fails with EACCES (noexec)" 1 '^denied EACCES$' -- \
    --profile "$LOCKOFF" /bin/sh -c \
    '/in/live-job copy /in/live-job /dev/shm/job >/dev/null && /in/live-job exec /dev/shm/job exit 0'
  expect "mmap PROT_EXEC of a file in /in works (control)" 0 '^allowed$' -- \
    --profile "$LOCKOFF" /in/live-job mmap-exec /in/live-job
  expect "exec-lock=off: mmap PROT_EXEC of a copy in /dev/shm fails with EPERM (noexec)" 1 \
    '^denied EPERM$' -- --profile "$LOCKOFF" /in/live-job copy-mmap-exec /in/live-job /dev/shm/job

  expect "the tmpfs has an inode bound: 20000 files do not fit in /tmp" 0 '^bounded after [0-9]+ ENOSPC$' -- \
    "$PY" -c '
import errno, os, sys
for i in range(20000):
    try:
        os.close(os.open("/tmp/f%d" % i, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as e:
        print("bounded after", i, errno.errorcode[e.errno]); sys.exit(0)
print("all 20000 created"); sys.exit(1)'

  for spec in "--in /" "--in /proc" "--in /proc/sys" "--in /sys" "--in /run" "--in /dev" "--out /dev/shm" \
              "--out /run"; do
    [ -e "${spec#* }" ] || { skip "[$who] sbx run $spec is refused" "no ${spec#* } here"; continue; }
    # shellcheck disable=SC2086
    LIVE_OUT=$(sbx_as "$who" run $spec -- /bin/true 2>&1)
    LIVE_RC=$?
    if { [ "$LIVE_RC" = 2 ] || [ "$LIVE_RC" = 125 ]; } \
       && printf '%s\n' "$LIVE_OUT" | grep -qE "root directory|never an input or output folder"; then
      ok "[$who] sbx run $spec is refused ($LIVE_RC)"
    else
      not_ok "[$who] sbx run $spec is refused" "rc $LIVE_RC: $LIVE_OUT"
    fi
  done
done
finish
