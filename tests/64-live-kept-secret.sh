#!/bin/sh
# 64-live-kept-secret.sh — a kept variable's value ([environment] keep, or
# `sbx run --env NAME`) reaches the job and nothing else: sbx hands bwrap
# its options through a sealed memfd (--args FD), so while the job sleeps
# the value is in no process's /proc/PID/cmdline below the run (sbx, both
# bwrap processes, sbx-init, the job), yet it is in the job's environment;
# `sbx run --dry-run` and `sbx compile --argv` show the name, not the value.
# As the current user and, when root, as nobody.  TAP.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

command -v "${BWRAP:-bwrap}" >/dev/null 2>&1 || live_bail "bwrap not found"

# descendants PID: every process below PID (from ps's pid/ppid table)
descendants () {
  ps -e -o pid= -o ppid= | awk -v root="$1" '{ parent[$1] = $2 }
    END { seen[root] = 1; more = 1
          while (more) { more = 0; for (p in parent) if (!(p in seen) && (parent[p] in seen)) { seen[p] = 1; more = 1 } }
          for (p in seen) print p }'
}

# cmdline PID: /proc/PID/cmdline with its NULs as blanks
cmdline () { tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null; }

# check_run WHO LABEL SBX-RUN-ARGS…: starts `sbx run ARGS -- live-job sleep`
# with MY_TOKEN set, and looks at every process of the run while the job
# sleeps.
check_run () {
  local who=$1 label=$2 pid p job= bwraps=0 sbx_seen=0 leaked= tries=0
  shift 2
  LIVE_ENV="MY_TOKEN=$TOKEN" sbx_as "$who" run --in "$IN" --out "$OUT" "$@" -- /in/live-job sleep 20 \
    > "$LIVE_DIR/run.out" 2>&1 &
  pid=$!
  # the job is the process whose environment carries the token
  while [ -z "$job" ] && [ $tries -lt 100 ]; do
    for p in $(descendants "$pid"); do
      case "$(readlink "/proc/$p/exe" 2>/dev/null)" in
        */live-job) tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qxF "MY_TOKEN=$TOKEN" && job=$p ;;
      esac
    done
    [ -n "$job" ] || { sleep 0.1; tries=$((tries + 1)); }
  done
  for p in $(descendants "$pid"); do
    line=$(cmdline "$p")
    case "$(readlink "/proc/$p/exe" 2>/dev/null)" in
      */bwrap) bwraps=$((bwraps + 1))
               case "$line" in *" --args "*) ;; *) leaked="$leaked [bwrap $p without --args: $line]" ;; esac ;;
      */sbx) sbx_seen=$p ;;
    esac
    case "$line" in *"$TOKEN"*) leaked="$leaked [$p: $line]" ;; esac
  done
  # end the run: sbx (started here, its pid just seen) ends the sandbox
  [ "$sbx_seen" != 0 ] && kill "$sbx_seen" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -n "$job" ]; then
    ok "[$who] $label: the job's environment has MY_TOKEN's value"
  else
    not_ok "[$who] $label: the job's environment has MY_TOKEN's value" "no job with it below $pid: $(cat "$LIVE_DIR/run.out")"
  fi
  if [ -n "$job" ] && [ "$bwraps" -ge 1 ] && [ "$sbx_seen" != 0 ] && [ -z "$leaked" ]; then
    ok "[$who] $label: the value is in no cmdline of the run's processes (sbx, $bwraps bwrap, pid 1, the job)"
  else
    not_ok "[$who] $label: the value is in no cmdline of the run" "job ${job:-none}, bwrap $bwraps, sbx $sbx_seen:$leaked"
  fi
}

TOKEN="sbx-kept-token-$$-q7Zx"
for who in $LIVE_USERS; do
  live_setup "$who"
  prof=$(live_profile "kept-$who" '[environment]
keep=LANG;MY_TOKEN')
  check_run "$who" "keep=MY_TOKEN" --profile "$prof"
  check_run "$who" "--env MY_TOKEN" --env MY_TOKEN

  dry=$(LIVE_ENV="MY_TOKEN=$TOKEN" sbx_as "$who" run --in "$IN" --out "$OUT" --env MY_TOKEN --dry-run \
        -- /in/live-job exit 0 2>&1)
  if printf '%s\n' "$dry" | head -n 1 | grep -qF -- "--setenv MY_TOKEN '<kept>'" \
     && ! printf '%s\n' "$dry" | grep -qF "$TOKEN" \
     && printf '%s\n' "$dry" | grep -q "^# fd [0-9]*: bwrap's options, NUL-separated"; then
    ok "[$who] --dry-run shows the kept variable's name, not its value, and the --args fd"
  else
    not_ok "[$who] --dry-run shows the kept variable's name, not its value, and the --args fd" "$dry"
  fi
  argv=$(LIVE_ENV="MY_TOKEN=$TOKEN" sbx_as "$who" compile --profile "$prof" --argv 2>&1)
  if printf '%s\n' "$argv" | grep -qx 'MY_TOKEN' && ! printf '%s\n' "$argv" | grep -qF "$TOKEN"; then
    ok "[$who] compile --argv shows the kept variable's name, not its value"
  else
    not_ok "[$who] compile --argv shows the kept variable's name, not its value" "$argv"
  fi
done
finish
