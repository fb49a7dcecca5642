#!/bin/sh
# 28-live-pid1.sh — nothing of sbx's and no other process within the job's
# reach (issue 8 item 2):
#   - bwrap and every process of the sandbox get only the job's environment:
#     a canary in sbx's own environment is in no /proc/*/environ inside, nor
#     in the environment bwrap was started with;
#   - pid 1 is not the job and is out of its reach: /proc/1/mem cannot be
#     opened read-write and /proc/1/environ cannot be read, nor those of
#     any other process that is not the job's own;
#   - the job still dies of the signals it raises or is sent (a pid-1 job
#     would ignore them).
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || live_bail "$PY is needed inside the sandbox"
CANARY="sbx-canary-env-$$"

# Prints one line per process of the sandbox that is not the job or a
# child of it: "PID mem:RESULT environ:RESULT", then "self PID".
SCAN='
import os, sys
me = os.getpid()
kid = os.fork()
if kid == 0:
    import time; time.sleep(5); os._exit(0)
print("self", me)
for p in sorted(int(d) for d in os.listdir("/proc") if d.isdigit()):
    if p in (me, kid):
        continue
    res = []
    for name, flags in (("mem", os.O_RDWR), ("environ", os.O_RDONLY)):
        try:
            fd = os.open("/proc/%d/%s" % (p, name), flags)
            data = os.read(fd, 4096) if name == "environ" else b""
            os.close(fd)
            res.append("%s:OPENED%s" % (name, "(%d bytes)" % len(data) if data else ""))
        except OSError as e:
            res.append("%s:%s" % (name, e.strerror.replace(" ", "_")))
    print(p, " ".join(res))
os.kill(kid, 9); os.waitpid(kid, 0)
'

for who in $LIVE_USERS; do
  live_setup "$who"
  LIVE_ENV="SBX_PID1_CANARY=$CANARY"
  sbx_run "$PY" -c '
import os, sys
found = []
for d in os.listdir("/proc"):
    if not d.isdigit(): continue
    try:
        data = open("/proc/%s/environ" % d, "rb").read()
    except OSError as e:
        print("unreadable", d, e.strerror); continue
    if b"'"$CANARY"'" in data: found.append(d)
print("pids with the canary:", found or "none")
sys.exit(1 if found else 0)'
  LIVE_ENV=
  if [ "$LIVE_RC" = 0 ] && printf '%s\n' "$LIVE_OUT" | grep -q 'with the canary: none'; then
    ok "[$who] a canary in sbx's environment is in no /proc/*/environ inside"
  else
    not_ok "[$who] a canary in sbx's environment is in no /proc/*/environ inside" "rc $LIVE_RC: $LIVE_OUT"
  fi

  # bwrap itself: a wrapper records the environment it was started with.
  env_rec="$LIVE_DIR/bwrap-env"
  wrapper="$LIVE_BIN/bwrap-env-$who"
  REAL_BWRAP=$(command -v "${BWRAP:-bwrap}") || live_bail "bwrap not found"
  mkdir -p "$LIVE_DIR" && : > "$env_rec" && chmod 666 "$env_rec" || live_bail "cannot make $env_rec"
  printf '#!/bin/sh
case "$1" in --help|--version) ;; *) env > "%s" ;; esac
exec "%s" "$@"
' \
    "$env_rec" "$REAL_BWRAP" > "$wrapper" && chmod 755 "$wrapper" || live_bail "cannot write $wrapper"
  LIVE_ENV="SBX_PID1_CANARY=$CANARY"
  sbx_run --bwrap "$wrapper" /in/live-job exit 0
  LIVE_ENV=
  if [ "$LIVE_RC" != 0 ] || ! grep -q '^PATH=' "$env_rec"; then
    not_ok "[$who] bwrap gets only the job's environment" "rc $LIVE_RC, recorded: $(cat "$env_rec")"
  elif grep -q "$CANARY\|SBX_HELPER_DIR\|^USER=\|^SETPRIV" "$env_rec"; then
    not_ok "[$who] bwrap gets only the job's environment" "$(cat "$env_rec")"
  else
    ok "[$who] bwrap gets only the job's environment ($(sed -n 's/=.*//p' "$env_rec" | sort | tr '\n' ' '))"
  fi

  sbx_run "$PY" -c "$SCAN"
  others=$(printf '%s\n' "$LIVE_OUT" | grep -E '^[0-9]+ ')
  opened=$(printf '%s\n' "$others" | grep OPENED)
  if [ "$LIVE_RC" != 0 ]; then
    not_ok "[$who] no other process's /proc/PID/mem or environ is reachable" "rc $LIVE_RC: $LIVE_OUT"
  elif [ -n "$opened" ]; then
    not_ok "[$who] no other process's /proc/PID/mem or environ is reachable" "$LIVE_OUT"
  else
    ok "[$who] no other process's /proc/PID/mem or environ is reachable ($(printf '%s' "$others" | tr '\n' ';'))"
  fi
  if printf '%s\n' "$LIVE_OUT" | grep -q '^self 1$'; then
    not_ok "[$who] pid 1 is not the job" "$LIVE_OUT"
  elif printf '%s\n' "$others" | grep -q '^1 mem:Permission_denied environ:Permission_denied$'; then
    ok "[$who] pid 1 exists, is not the job, and its mem and environ are refused"
  else
    not_ok "[$who] pid 1 exists, is not the job, and its mem and environ are refused" "$LIVE_OUT"
  fi

  # The job is not pid 1: signals without a handler still end it.
  expect "a job that raises SIGTERM ends with 143" 143 -- "$PY" -c \
    'import os, signal; os.kill(os.getpid(), signal.SIGTERM); import time; time.sleep(5)'
  expect "a job that raises SIGKILL ends with 137" 137 -- /in/live-job raise 9
done
finish
