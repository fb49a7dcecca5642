#!/bin/sh
# 14-live-status.sh — the job's exit status and signals come out of sbx
# (128+N for signal N); wall-seconds kills a sleeping job, returns 124 and
# leaves no process behind; sbx forwards SIGTERM under the supervisor.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

WALL=$(live_profile wall '[limits]
wall-seconds=2')
WALL_LONG=$(live_profile wall-long '[limits]
wall-seconds=60')

# no_process TAG: ok when no process has TAG in its command line.
no_process () {
  local left
  left=$(pgrep -af -- "$2" | grep -v pgrep)
  if [ -z "$left" ]; then ok "$1"; else not_ok "$1" "still running: $left"; pkill -KILL -f -- "$2"; fi
}

for who in $LIVE_USERS; do
  live_setup "$who"
  for n in 0 1 3 77 255; do
    expect "exit status $n propagates" "$n" -- /in/live-job exit "$n"
  done
  expect "SIGTERM gives 143" 143 -- /in/live-job raise 15
  expect "SIGKILL gives 137" 137 -- /in/live-job raise 9
  expect "SIGSEGV gives 139" 139 -- /in/live-job raise 11
  expect "supervised (wall-seconds): exit status 3 propagates" 3 -- --profile "$WALL" /in/live-job exit 3
  expect "supervised: SIGTERM gives 143" 143 -- --profile "$WALL" /in/live-job raise 15

  tag="sbx-live-sleeper-$who-$$"
  start=$(date +%s)
  expect "wall-seconds=2 kills a sleeping job with 124" 124 -- --profile "$WALL" /in/live-job sleep 60 "$tag"
  took=$(( $(date +%s) - start ))
  if [ "$took" -le 10 ]; then ok "[$who] the deadline came on time (${took}s)"; else not_ok "[$who] the deadline came on time" "${took}s"; fi
  no_process "[$who] nothing is left after the deadline" "$tag"

  tag="sbx-live-term-$who-$$"
  # Not through a shell function: $! must be sbx itself.
  if [ "$who" = self ]; then
    env -u SBX_HELPER_DIR "$LIVE_BIN/sbx" run --profile "$WALL_LONG" --in "$IN" --out "$OUT" \
      /in/live-job sleep 60 "$tag" &
  else
    "${SETPRIV:-setpriv}" --reuid="$who" --regid="$(id -gn "$who")" --clear-groups --reset-env -- \
      "$LIVE_BIN/sbx" run --profile "$WALL_LONG" --in "$IN" --out "$OUT" /in/live-job sleep 60 "$tag" &
  fi
  pid=$!
  i=0
  while ! pgrep -f -- "^/in/live-job sleep 60 $tag" >/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
  kill -TERM "$pid"
  wait "$pid"
  rc=$?
  if [ "$rc" = 143 ]; then ok "[$who] SIGTERM to sbx reaches the job (143)"; else not_ok "[$who] SIGTERM to sbx reaches the job" "exit $rc"; fi
  no_process "[$who] nothing is left after SIGTERM" "$tag"
done
finish
