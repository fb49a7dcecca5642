#!/bin/sh
# 65-live-concurrent-root.sh — sandboxes root runs at the same time do not
# share a process budget.  RLIMIT_NPROC (processes=) is counted per real
# uid; run by root, each sandbox's job gets a host uid of its own
# (2000000000 + (sbx's pid << 5 | slot)), so a job that forks up to its
# limit cannot make another root sandbox fail to start (bwrap: "Creating new
# namespace failed: Resource temporarily unavailable").  Run by anyone else
# the job is the caller's uid, shared on purpose: root only.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || live_bail "$PY is needed inside the sandbox"

if [ "$(id -u)" != 0 ]; then
  skip "a root sandbox at its process limit leaves another root sandbox room" \
    "only root's sandboxes run as uids of their own; anyone else's share the caller's uid"
  skip "two root sandboxes alive at once have distinct host uids" "not root"
  finish
fi

FULL=$(live_profile full '[limits]
processes=8')
SMALL=$(live_profile small '[limits]
processes=3')

live_setup self
OUT_B="$LIVE_DIR/out-b"
mkdir -p "$OUT_B" && chmod 755 "$OUT_B" || live_bail "cannot make $OUT_B"

# host_uid PID: the real uid the kernel sees for PID.
host_uid () { awk '/^Uid:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# wait_pid PATTERN: the pid of the process whose argv matches PATTERN.
wait_pid () {
  local i=0 p=
  while [ -z "$p" ] && [ $i -lt 200 ]; do
    p=$(pgrep -f -- "$1" | head -n 1)
    [ -n "$p" ] || { sleep 0.05; i=$((i + 1)); }
  done
  echo "$p"
}

# Sandbox A: forks until fork fails, children sleeping, then says so in
# /out/full and waits; SIGTERM ends it and its children.
tag="sbx-concurrent-a-$$"
rm -f "$OUT/full"
sbx_as self run --profile "$FULL" --in "$IN" --out "$OUT" -- "$PY" -c '
import errno, os, signal, sys, time
kids, err = [], None
def end(*_):
    for k in kids:
        os.kill(k, signal.SIGKILL)
    os._exit(0)
signal.signal(signal.SIGTERM, end)
while True:
    try:
        pid = os.fork()
    except OSError as e:
        err = errno.errorcode[e.errno]; break
    if pid == 0:
        time.sleep(120); os._exit(0)
    kids.append(pid)
with open("/out/full", "w") as f: f.write("%d %s\n" % (len(kids), err))
time.sleep(120)' "$tag" >"$LIVE_DIR/a.log" 2>&1 &
runner=$!
apid=$(wait_pid "^$PY -c .* $tag\$")
i=0
while [ ! -s "$OUT/full" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
full=$(cat "$OUT/full" 2>/dev/null)
if [ -z "$apid" ] || ! printf '%s\n' "$full" | grep -Eq '^[0-9]+ EAGAIN$'; then
  not_ok "sandbox A forks up to its limit (processes=8)" \
    "job pid ${apid:-none}, /out/full: ${full:-none}; $(cat "$LIVE_DIR/a.log")"
else
  ok "sandbox A forks up to its limit (processes=8): $full"
  auid=$(host_uid "$apid")

  # Sandbox B, processes=3, while A holds its whole budget: starts and ends 0.
  out=$(sbx_as self run --profile "$SMALL" --in "$IN" --out "$OUT_B" -- /bin/true 2>&1)
  rc=$?
  if [ $rc = 0 ]; then
    ok "sandbox B (processes=3, /bin/true) runs while A is at its limit"
  else
    not_ok "sandbox B (processes=3, /bin/true) runs while A is at its limit" "exit $rc: $out"
  fi

  # B's host uid, read while it sleeps: not A's, not 0, in root's range.
  btag="sbx-concurrent-b-$$"
  sbx_as self run --profile "$SMALL" --in "$IN" --out "$OUT_B" -- /in/live-job sleep 3 "$btag" >"$LIVE_DIR/b.log" 2>&1 &
  brunner=$!
  bpid=$(wait_pid "^/in/live-job sleep 3 $btag")
  buid=
  [ -n "$bpid" ] && buid=$(host_uid "$bpid")
  wait "$brunner"
  brc=$?
  if [ -n "$auid" ] && [ -n "$buid" ] && [ "$auid" != "$buid" ] \
     && [ "$auid" -ge 2000000000 ] && [ "$auid" -lt 2134217728 ] \
     && [ "$buid" -ge 2000000000 ] && [ "$buid" -lt 2134217728 ] && [ "$brc" = 0 ]; then
    ok "sandboxes A and B alive at once run as distinct host uids ($auid, $buid)"
  else
    not_ok "sandboxes A and B alive at once run as distinct host uids" \
      "A ${auid:-none}, B ${buid:-none}, B exit $brc: $(cat "$LIVE_DIR/b.log")"
  fi
fi
[ -n "$apid" ] && kill "$apid" 2>/dev/null
wait "$runner" 2>/dev/null
finish
