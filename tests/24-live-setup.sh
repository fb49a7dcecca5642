#!/bin/sh
# 24-live-setup.sh — a sandbox that cannot be set up gives 125 and a
# message naming the cause and the profile key (issue 13 item 2), never a
# status that looks like the job's (1 from bwrap, 127 from the loader, 139
# from a job killed at start).  The job (which would leave /out/started)
# never runs.  Controls: the same limits at their floors run the job.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

p_workdir=$(live_profile workdir '[filesystem]
workdir=/out/missing')
p_nproc=$(live_profile nproc '[limits]
processes=1')
p_nofile=$(live_profile nofile '[limits]
open-files=3')
p_as=$(live_profile as '[limits]
address-space=1M')
p_vital=$(live_profile vital '[seccomp]
deny=read;write;mmap;exit_group')
p_floors=$(live_profile floors '[limits]
processes=3
open-files=19
address-space=16M')
# with --in and --out, sbx hands bwrap fds up to 14 (the exec gate's helper
# bind and socket among them): 19 is this sandbox's floor
p_nofile18=$(live_profile nofile18 '[limits]
open-files=18')

# setup_fails NAME PATTERN ARGS…: 125, the message, no job
setup_fails () {
  local name=$1 pattern=$2
  shift 2
  rm -f "$OUT/started"
  expect "$name: 125" 125 "^sbx: .*$pattern" -- "$@" /in/live-job write /out/started
  if [ -e "$OUT/started" ]; then not_ok "[$LIVE_WHO] $name: the job did not run" "/out/started exists"
  else ok "[$LIVE_WHO] $name: the job did not run"; fi
}

for who in $LIVE_USERS; do
  live_setup "$who"
  setup_fails "workdir=/out/missing" '\[filesystem\] workdir=/out/missing: .*does not exist' --profile "$p_workdir"
  setup_fails "processes=1" '\[limits\] processes: .*at least 3' --profile "$p_nproc"
  setup_fails "open-files=3" '\[limits\] open-files: .*at least 16' --profile "$p_nofile"
  setup_fails "open-files=18 (above the static floor, below this sandbox's)" \
    '\[limits\] open-files=18 is too small for this sandbox: .*set at least 19' --profile "$p_nofile18"
  setup_fails "address-space=1M" '\[limits\] address-space: .*at least 16M' --profile "$p_as"
  setup_fails "deny=read;write;mmap;exit_group" '\[seccomp\] deny: exit_group, mmap, read, write: no job can run without them' \
    --profile "$p_vital"
  # sbx itself out of fds: a set-up failure too, not a usage error
  rm -f "$OUT/started"
  LIVE_OUT=$(as_user "$who" sh -c 'ulimit -n 5 && exec "$@"' sh "$LIVE_BIN/sbx" run --in "$IN" --out "$OUT" \
    -- /in/live-job write /out/started 2>&1)
  LIVE_RC=$?
  if [ "$LIVE_RC" = 125 ] && printf '%s\n' "$LIVE_OUT" | grep -q '^sbx: .*Too many open files'; then
    ok "[$who] ulimit -n 5: 125, too many open files"
  else not_ok "[$who] ulimit -n 5: 125, too many open files" "exit $LIVE_RC: $LIVE_OUT"; fi
  [ -e "$OUT/started" ] && not_ok "[$who] ulimit -n 5: the job did not run" || ok "[$who] ulimit -n 5: the job did not run"
  # control: at the floors the job runs (so each floor is not too high)
  expect "at the floors (processes=3, open-files=19, address-space=16M) the job runs" 0 '^allowed$' -- \
    --profile "$p_floors" /in/live-job write /out/started
done
finish
