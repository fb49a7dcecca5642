#!/bin/sh
# 61-live-explain-end.sh — sbx tells the user what happened, as the current
# user and, when root, as nobody:
#   - `sbx run --explain` names every refused call with its decoded
#     arguments and the profile rule, once per distinct call, while the job
#     still gets the profile's errno (and ENOSYS fallbacks stay ENOSYS);
#   - one line names the limit that ended a job: wall-seconds (124),
#     cpu-seconds, file-size (a C job: python3 ignores SIGXFSZ); --quiet
#     turns them off.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

PY=/usr/bin/python3
if [ ! -x "$PY" ]; then
  skip "explain and end-of-job lines" "$PY is not installed (the jobs are python3 one-liners)"
  finish
fi

WALL=$(live_profile wall "[limits]
wall-seconds=1")
CPU=$(live_profile cpu "[limits]
cpu-seconds=1")
FSIZE=$(live_profile fsize "[limits]
file-size=1M")
EXECOFF=$(live_profile execoff "[seccomp]
exec-lock=off")
UNIX=$(live_profile unix "[network]
socket-families=unix")

SOCKETS='
import errno, socket, threading
for i in range(3):
    try: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    except OSError as e: print("socket:", errno.errorcode[e.errno])
t = threading.Thread(target=lambda: None); t.start(); t.join()
print("thread ran")
'
UNSHARE='
import ctypes, errno
libc = ctypes.CDLL(None, use_errno=True)
rc = libc.unshare(0x40000000)
print("unshare:", rc, errno.errorcode.get(ctypes.get_errno()))
'

for who in $LIVE_USERS; do
  live_setup "$who"

  expect "--explain names socket() with decoded arguments and [network] socket-families" 0 \
    '^sbx: refused socket\(AF_INET6, SOCK_DGRAM\|SOCK_CLOEXEC, 0\): \[network\] socket-families$' -- \
    --explain "$PY" -c "$SOCKETS"
  n=$(printf '%s\n' "$LIVE_OUT" | grep -c '^sbx: refused socket(')
  if [ "$n" = 1 ]; then ok "[$who] --explain: three identical refusals, one line"
  else not_ok "[$who] --explain: three identical refusals, one line" "$n lines: $LIVE_OUT"; fi
  n=$(printf '%s\n' "$LIVE_OUT" | grep -c '^socket: EPERM$')
  if [ "$n" = 3 ]; then ok "[$who] --explain: the job still gets EPERM each time"
  else not_ok "[$who] --explain: the job still gets EPERM each time" "$LIVE_OUT"; fi
  if printf '%s\n' "$LIVE_OUT" | grep -q '^thread ran$' && ! printf '%s\n' "$LIVE_OUT" | grep -q 'clone3'; then
    ok "[$who] --explain: clone3's ENOSYS fallback is not a refusal (threads run)"
  else
    not_ok "[$who] --explain: clone3's ENOSYS fallback is not a refusal (threads run)" "$LIVE_OUT"
  fi
  expect "without --explain the same job prints no refusal" 0 '' -- "$PY" -c "$SOCKETS"
  if printf '%s\n' "$LIVE_OUT" | grep -q '^sbx: refused'; then
    not_ok "[$who] without --explain: no socket line" "$LIVE_OUT"
  else
    ok "[$who] without --explain: no socket line"
  fi
  expect "--explain names a deny group for unshare(CLONE_NEWNET)" 0 \
    '^sbx: refused unshare\(0x40000000\): \[seccomp\] built-in deny group .namespaces.' -- \
    --explain "$PY" -c "$UNSHARE"
  expect "--explain: unshare still answers EPERM" 0 '^unshare: -1 EPERM$' -- --explain "$PY" -c "$UNSHARE"
  expect "--explain with socket-families=unix: AF_UNIX passes, AF_INET is named" 0 \
    '^sbx: refused socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC, 0\): \[network\] socket-families$' -- \
    --explain --profile "$UNIX" "$PY" -c '
import socket
socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()
try: socket.socket(socket.AF_INET, socket.SOCK_STREAM)
except OSError: pass'
  if printf '%s\n' "$LIVE_OUT" | grep -q 'AF_UNIX'; then
    not_ok "[$who] --explain: an allowed call is not reported" "$LIVE_OUT"
  else
    ok "[$who] --explain: an allowed call is not reported"
  fi
  expect "--explain under exec-lock=off: refusals named, execs pass" 0 \
    '^sbx: refused socket\(AF_INET6, SOCK_DGRAM\|SOCK_CLOEXEC, 0\)' -- \
    --explain --profile "$EXECOFF" "$PY" -c "import subprocess; subprocess.run(['/usr/bin/true'], check=True)
$SOCKETS"
  expect "--explain also names refused execs" 1 \
    '^sbx: refused execve\("/usr/bin/sort"\): exec lock' -- --explain "$PY" -c 'import subprocess; subprocess.run(["/usr/bin/sort"])'

  expect "wall-seconds: 124 and one line naming the limit" 124 \
    '^sbx: the job ran out of time: wall-seconds=1 \(\[limits\] wall-seconds\); the sandbox was killed$' -- \
    --profile "$WALL" "$PY" -c 'import time; time.sleep(30)'
  expect "cpu-seconds: 137 and one line naming the limit" 137 \
    '^sbx: the kernel killed the job at its CPU limit: cpu-seconds=1 \(\[limits\] cpu-seconds' -- \
    --profile "$CPU" "$PY" -c 'while True: pass'
  expect "file-size: 153 and one line naming the limit" 153 \
    '^sbx: the kernel killed the job for writing past its file-size limit: file-size=1M \(\[limits\] file-size\)$' -- \
    --profile "$FSIZE" /in/live-job fill /out/big 2
  expect "a job that exits 137 by itself is not blamed on the CPU limit" 137 '' -- \
    --profile "$CPU" "$PY" -c 'import os; os._exit(137)'
  if printf '%s\n' "$LIVE_OUT" | grep -q '^sbx:'; then
    not_ok "[$who] exit 137 by itself: no sbx line" "$LIVE_OUT"
  else
    ok "[$who] exit 137 by itself: no sbx line"
  fi
  for q in wall cpu fsize exec; do
    case $q in
      wall) set -- --profile "$WALL" "$PY" -c 'import time; time.sleep(30)'; want=124 ;;
      cpu) set -- --profile "$CPU" "$PY" -c 'while True: pass'; want=137 ;;
      fsize) set -- --profile "$FSIZE" /in/live-job fill /out/big 2; want=153 ;;
      exec) set -- "$PY" -c 'import subprocess; subprocess.run(["/usr/bin/sort"])'; want=1 ;;
    esac
    expect "--quiet ($q): same status" "$want" '' -- --quiet "$@"
    if printf '%s\n' "$LIVE_OUT" | grep -q '^sbx:'; then
      not_ok "[$who] --quiet ($q): no sbx line" "$LIVE_OUT"
    else
      ok "[$who] --quiet ($q): no sbx line"
    fi
  done
done
finish
