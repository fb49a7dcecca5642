#!/bin/sh
# 63-live-hostile-paths.sh — ways around the exec gate and the set-id rules
# that do not name a file on disk or do not make a syscall at all, as the
# current user and, when root, as nobody, with the real bwrap and kernel:
#
#   - a copy of a real binary (/usr/bin/echo) in a memfd, run with
#     execveat(fd, "", argv, envp, AT_EMPTY_PATH) and with glibc's fexecve:
#     the job's own exec went through, so the gate refuses these (EPERM) and
#     sbx names them; the controls run the same script outside, where both
#     execs do run;
#   - io_uring: one IORING_OP_OPENAT with O_CREAT and mode 04755 creates a
#     set-uid file outside (control: the kernel runs it without any open
#     call seccomp could see); inside, io_uring_setup is refused, in
#     allow-list and deny-list mode alike, and nothing set-id reaches /out.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

PY=/usr/bin/python3
DENY_LIST_PROFILE=$(live_profile denylist '[seccomp]
mode=deny-list
errno=EACCES')

# The memfd job: copies /usr/bin/echo into a memfd and execs it by fd.
MEMFD_PY='import ctypes, os, platform, sys
libc = ctypes.CDLL(None, use_errno=True)
how = sys.argv[1]
nr = {"x86_64": 322, "aarch64": 281}.get(platform.machine())
if nr is None:
    print("unknown architecture " + platform.machine()); sys.exit(3)
fd = os.memfd_create("copy", 0)
data = open("/usr/bin/echo", "rb").read()
while data:
    data = data[os.write(fd, data):]
argv = (ctypes.c_char_p * 3)(b"echo", b"ESCAPED-" + how.encode(), None)
envp = (ctypes.c_char_p * 1)(None)
sys.stdout.flush()
if how == "execveat":
    libc.syscall(nr, fd, b"", argv, envp, 0x1000)   # AT_EMPTY_PATH
elif how == "fexecve":
    libc.fexecve(fd, argv, envp)
print("%s: refused errno=%d" % (how, ctypes.get_errno()))'

setid_files () { find "$1" -perm /6000 2>/dev/null; }

for who in $LIVE_USERS; do
  live_setup "$who"
  if [ -x "$PY" ]; then
    printf '%s\n' "$MEMFD_PY" > "$IN/memfd-exec.py" && chmod 644 "$IN/memfd-exec.py" \
      || live_bail "cannot write $IN/memfd-exec.py"
    for how in execveat fexecve; do
      LIVE_WHO="$who" expect_cmd "control: $how of a memfd copy of echo runs outside" 0 \
        "^ESCAPED-$how\$" as_user "$who" "$PY" "$IN/memfd-exec.py" "$how"
      expect "$how of a memfd copy of echo is refused (EPERM)" 0 "^$how: refused errno=1\$" -- \
        "$PY" /in/memfd-exec.py "$how"
      if printf '%s\n' "$LIVE_OUT" | grep -q ESCAPED; then
        not_ok "[$who] $how of a memfd: the exec did not happen" "$LIVE_OUT"
      else
        ok "[$who] $how of a memfd: the exec did not happen"
      fi
      if printf '%s\n' "$LIVE_OUT" \
         | grep -Eq '^sbx: refused execveat\([0-9]+, ""\): exec lock \(\[seccomp\] exec-lock, see sbx\(1\)\)$'; then
        ok "[$who] $how of a memfd: sbx names the refused execveat"
      else
        not_ok "[$who] $how of a memfd: sbx names the refused execveat" "$LIVE_OUT"
      fi
    done
  else
    skip "[$who] memfd execveat/fexecve" "$PY is not installed"
  fi

  CTL="$TEST_TMP/$who/control"
  mkdir -p "$CTL" && chmod 777 "$CTL" || live_bail "cannot make $CTL"
  LIVE_WHO="$who" expect_cmd "control: io_uring OPENAT O_CREAT 04755 works outside" 0 '^allowed$' \
    as_user "$who" "$LIVE_BIN/live-job" uring-creat "$CTL/uring"
  if [ -n "$(setid_files "$CTL")" ]; then
    ok "[$who] control: io_uring made a set-uid file outside"
  else
    not_ok "[$who] control: io_uring made a set-uid file outside" "$(ls -l "$CTL" 2>&1)"
  fi
  expect "io_uring_setup is refused (EPERM)" 1 '^denied EPERM$' -- /in/live-job uring-creat /out/uring
  expect "io_uring_setup is refused in deny-list mode (EACCES)" 1 '^denied EACCES$' -- \
    --profile "$DENY_LIST_PROFILE" /in/live-job uring-creat /out/uring-denylist
  found=$(ls -A "$OUT")
  if [ -z "$found" ]; then ok "[$who] io_uring: nothing was created in /out"
  else not_ok "[$who] io_uring: nothing was created in /out" "$found"; fi
done
finish
