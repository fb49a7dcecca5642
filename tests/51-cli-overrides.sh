#!/bin/sh
# 51-cli-overrides.sh — issue 11 items 4, 5 and 7, as the current user and
# (as root) as nobody, against the real bwrap:
#   - --timeout, --cpu-seconds, --memory, --tmp-size, --env, --ro: a bad value
#     gives exit 125 (sbx's own failure) and the profile key's own message led by the option; a
#     good one reaches the job (limits, environment, a read-only folder
#     opened by fd, the size of /tmp, the deadline);
#   - --in/--out as typed: relative, ./, ~ (also --in=~/…), a symlinked --in
#     resolved once with a note saying to what; a missing --out gets a
#     mkdir -p hint; the host paths are checked once, after --in/--out (a
#     profile's missing input that --in replaces is not used, so no error);
#   - sbx attest takes the same overrides and records them; -p works on
#     attest and verify; verify -p names the keys that differ; an
#     unwritable evidence path is refused before any probe; --json writes
#     no file.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

for f in sbx-attest sbx-probe; do
  cp "$top_builddir/$f" "$LIVE_BIN/$f" && chmod 755 "$LIVE_BIN/$f" || live_bail "cannot stage $f"
done

# run_in ARGS…: sbx as $LIVE_WHO in $LIVE_DIR with HOME=$LIVE_DIR; sets
# LIVE_OUT and LIVE_RC.
run_in () {
  LIVE_OUT=$(cd "$LIVE_DIR" && LIVE_ENV="HOME=$LIVE_DIR" sbx_as "$LIVE_WHO" "$@" 2>&1)
  LIVE_RC=$?
}

# want NAME RC PATTERN: checks the last run_in.
want () {
  local name="[$LIVE_WHO] $1"
  if [ "$LIVE_RC" != "$2" ]; then
    not_ok "$name" "exit $LIVE_RC, expected $2:
$LIVE_OUT"
  elif ! printf '%s\n' "$LIVE_OUT" | grep -Eq -- "$3"; then
    not_ok "$name" "output does not match /$3/:
$LIVE_OUT"
  else
    ok "$name"
  fi
}
# want_not NAME PATTERN: the last output does not match.
want_not () {
  if printf '%s\n' "$LIVE_OUT" | grep -Eq -- "$2"; then
    not_ok "[$LIVE_WHO] $1" "output matches /$2/:
$LIVE_OUT"
  else
    ok "[$LIVE_WHO] $1"
  fi
}

for who in $LIVE_USERS; do
  live_setup "$who"
  mkdir -p "$LIVE_DIR/data/sub" "$LIVE_DIR/real" && echo secret-free > "$LIVE_DIR/data/file" \
    && ln -s "$IN" "$LIVE_DIR/in-link" && ln -s "$LIVE_DIR/data" "$LIVE_DIR/data-link" \
    && chmod -R a+rX "$LIVE_DIR/data" || live_bail "cannot stage the override fixtures"
  if [ "$who" != self ]; then chown "$who" "$LIVE_DIR" || live_bail "chown $LIVE_DIR"; fi

  # --- bad values: exit 2, the key's message led by the option ----------------
  run_in run --in in --out out --timeout abc -- /in/live-job exit 0
  want "--timeout abc: 125, wall-seconds' message" 125 \
    '^sbx: --timeout: \[limits\] wall-seconds: “abc” is not a number; expected a whole number of seconds, 0 = none$'
  run_in run --in in --out out --cpu-seconds 0 -- /in/live-job exit 0
  want "--cpu-seconds 0: 125" 125 \
    '^sbx: --cpu-seconds: \[limits\] cpu-seconds: “0” is out of range; expected a whole number of seconds \(at least 1\) or unlimited$'
  run_in run --in in --out out --memory 12Q -- /in/live-job exit 0
  want "--memory 12Q: 125" 125 \
    '^sbx: --memory: \[limits\] address-space: bad size suffix “Q” in “12Q”; expected a size'
  run_in run --in in --out out --tmp-size 1 -- /in/live-job exit 0
  want "--tmp-size 1: 125" 125 '^sbx: --tmp-size: \[filesystem\] tmp-size: “1” is out of range; expected .*at least 4K$'
  run_in run --in in --out out --env 1X -- /in/live-job exit 0
  want "--env 1X: 125" 125 '^sbx: --env: \[environment\] keep: “1X” is not an allowed variable name'
  run_in run --in in --out out --env LD_PRELOAD=/x.so -- /in/live-job exit 0
  want "--env LD_PRELOAD=…: 125" 125 '^sbx: --env: \[environment\] set: “LD_PRELOAD=/x\.so” is not NAME=value with an allowed name'
  run_in run --in in --out out --ro "$LIVE_DIR/nothing" -- /in/live-job exit 0
  want "--ro of a missing path: 125" 125 '^sbx: --ro: \[filesystem\] read-only: “[^”]*/nothing” does not exist'
  for dest in /tmp/x /in /out/x /proc /dev/shm /run /run/sbx/y / /etc/passwd; do
    run_in run --in in --out out --ro "data:$dest" -- /in/live-job exit 0
    want "--ro data:$dest: 125, sbx's own place" 125 "^sbx: --ro: \\[filesystem\\] read-only: sandbox path “[^”]*” would cover or sit in|^sbx: --ro: .*the sandbox's root"
  done
  run_in run --in in --out out --ro data:/opt/d --ro real:/opt/d -- /in/live-job exit 0
  want "--ro twice at one place: 125" 125 '^sbx: --ro: \[filesystem\] read-only: sandbox path “/opt/d” is given twice'
  run_in run --in in --out out --ro data:/opt/../etc -- /in/live-job exit 0
  want "--ro to a path with ..: 125" 125 '^sbx: --ro: \[filesystem\] read-only: sandbox path “/opt/\.\./etc” is not absolute or has a \. or \.\. component'

  # --- good values reach the job ----------------------------------------------
  run_in run --in in --out out --cpu-seconds 7 --memory 1G -- /in/live-job limits
  want "--cpu-seconds 7 and --memory 1G are the job's limits" 0 '^Max cpu time +7 +7 +seconds'
  want "--memory 1G: Max address space 1073741824" 0 '^Max address space +1073741824 +1073741824 +bytes'
  run_in run --in in --out out --env SBX_T_SET=hello --env LANG=C.UTF-8 -- /in/live-job env
  want "--env NAME=VALUE is set inside" 0 '^SBX_T_SET=hello$'
  LIVE_OUT=$(cd "$LIVE_DIR" && as_user "$who" env SBX_T_KEEP=from-host "$LIVE_BIN/sbx" run --in in --out out \
    --env SBX_T_KEEP --env SBX_T_NOT -- /in/live-job env 2>&1)
  LIVE_RC=$?
  want "--env NAME passes the host's value" 0 '^SBX_T_KEEP=from-host$'
  want_not "--env NAME of an unset variable sets nothing" '^SBX_T_NOT='
  run_in run --in in --out out --timeout 1 -- /in/live-job sleep 30
  want "--timeout 1 ends a sleeping job: 124" 124 ''
  run_in run --in in --out out --tmp-size 4M -- /in/live-job fill /tmp/big 8
  if [ "$LIVE_RC" != 0 ]; then ok "[$who] --tmp-size 4M: 8 MiB do not fit in /tmp"
  else not_ok "[$who] --tmp-size 4M: 8 MiB do not fit in /tmp" "$LIVE_OUT"; fi
  run_in run --in in --out out --tmp-size 16M -- /in/live-job fill /tmp/big 8
  want "--tmp-size 16M: 8 MiB fit" 0 ''
  run_in run --in in --out out --ro data:/opt/data -- /in/live-job exists /opt/data/file
  want "--ro data:/opt/data is visible" 0 '^present$'
  run_in run --in in --out out --ro data:/opt/data -- /in/live-job write /opt/data/new
  want "--ro data:/opt/data is read-only" 1 'EROFS'
  run_in run --in in --out out --ro data:/opt/data --dry-run -- /in/live-job exit 0
  want "--ro data:/opt/data is bound by fd" 0 \
    "^# fd [0-9]+: $LIVE_DIR/data, read-only at /opt/data \\(read-only path\\)$"
  run_in run --in in --out out --ro /usr/share --dry-run -- /in/live-job exit 0
  want "--ro /usr/share (no SANDBOX) is bound by fd at its own path" 0 \
    "^# fd [0-9]+: /usr/share, read-only at /usr/share \\(read-only path\\)$"
  run_in run --in in --out out --ro data-link:/opt/data -- /in/live-job exists /opt/data/sub
  want "--ro through a symlink: resolved once" 0 '^present$'
  want "--ro through a symlink: the note says to what" 0 \
    "^sbx: --ro: “data-link” is reached through a symbolic link: using “$LIVE_DIR/data”$"

  # --- paths as typed -----------------------------------------------------------
  run_in run --in in --out out -- /in/live-job exists /in/live-job
  want "--in in --out out (relative)" 0 '^present$'
  run_in run --in ./in --out ./out/ -- /in/live-job exists /in/live-job
  want "--in ./in --out ./out/" 0 '^present$'
  run_in run --in=~/in --out=~/out -- /in/live-job exists /in/live-job
  want "--in=~/in --out=~/out (from \$HOME)" 0 '^present$'
  run_in run --in in-link --out out -- /in/live-job exists /in/live-job
  want "a symlinked --in works" 0 '^present$'
  want "a symlinked --in: the note says what it resolved to" 0 \
    "^sbx: --in: “in-link” is reached through a symbolic link: using “$IN”$"
  run_in run --in in-link --out out --dry-run -- /in/live-job exit 0
  want "a symlinked --in is mounted by fd from the resolved path" 0 "^# fd [0-9]+: $IN, read-only at /in \\(input(; idmapped: [^)]*)?\\)$"
  run_in run --in in --out results -- /in/live-job exit 0
  want "a missing --out: 125 with a mkdir -p hint" 125 \
    "^sbx: --out: \\[filesystem\\] output: “$LIVE_DIR/results” does not exist; .* \\(create it first: mkdir -p '$LIVE_DIR/results'\\)$"

  # --- host paths: checked once, by sbx_sandbox_prepare, after --in/--out -------
  PS=$(live_profile "stale-$who" "[filesystem]
input=$LIVE_DIR/gone")
  run_in run -p "$PS" --out out -- /bin/true
  want "a profile's missing input: 125, its file:line message" 125 \
    "^sbx: $PS:2: \\[filesystem\\] input: “$LIVE_DIR/gone” does not exist; expected an absolute path of an existing readable directory"
  run_in run -p "$PS" --in in --out out -- /in/live-job exists /in/live-job
  want "--in replaces a profile's missing input: the job runs" 0 '^present$'

  # --- attest and verify ----------------------------------------------------------
  P=$(live_profile "wall-$who" '[limits]
wall-seconds=0')
  (cd "$LIVE_DIR" && LIVE_ENV="HOME=$LIVE_DIR" sbx_as "$who" attest -p "$P" --timeout 30 --env SBX_T_SET=1 \
    --memory 3G --json > "$TEST_TMP/attest-$who.json" 2> "$TEST_TMP/attest-$who.err")
  LIVE_RC=$?
  LIVE_OUT=$(cat "$TEST_TMP/attest-$who.err")
  cp "$TEST_TMP/attest-$who.json" "$LIVE_DIR/attest.json" 2>/dev/null
  if [ "$LIVE_RC" = 0 ] && python3 - "$LIVE_DIR/attest.json" <<'EOF'
import base64, json, sys
env = json.load(open(sys.argv[1]))
d = json.loads(base64.b64decode(env["payload"]))["predicate"] if "payload" in env else env
p = d["profile"]
assert p["overrides"] == ["--timeout=30", "--memory=3G", "--env=SBX_T_SET=1"], p.get("overrides")
assert "wall-seconds=30" in p["canonical"].splitlines()
assert "address-space=3221225472" in p["canonical"].splitlines()
assert d["final_status"] == "SANDBOX_ATTESTED"
EOF
  then ok "[$who] attest -p P with overrides: attested, overrides recorded in the bundle and its profile text"
  else not_ok "[$who] attest -p P with overrides: attested, overrides recorded" "exit $LIVE_RC: $(printf '%s' "$LIVE_OUT" | tail -5)"; fi
  n=$(ls "$LIVE_DIR" | grep -c '^sbx-evidence-')
  if [ "$n" = 0 ]; then ok "[$who] attest --json writes no evidence file"
  else not_ok "[$who] attest --json writes no evidence file" "$(ls "$LIVE_DIR")"; fi
  run_in attest -p "$P" --timeout 30 --evidence "$LIVE_DIR/ev.json"
  want "attest --evidence with an override: 0" 0 '^SANDBOX_ATTESTED'
  run_in verify -p "$P" "$LIVE_DIR/ev.json"
  want "verify -p P names the key that differs" 1 \
    "^sbx: $LIVE_DIR/ev.json: not verified: (profile: )?the bundle is about another profile: \\[limits\\] wall-seconds: bundle “30”, $P “0” \\("
  P30=$(live_profile "wall30-$who" '[limits]
wall-seconds=30')
  run_in verify -p "$P30" "$LIVE_DIR/ev.json"
  want_not "verify -p of the same profile: no profile difference" 'another profile'
  run_in attest --evidence "$LIVE_DIR/no/such/ev.json"
  want "attest to a missing folder: 125 before any probe" 125 \
    "^sbx: --evidence: cannot write the evidence there: its folder “$LIVE_DIR/no/such” does not exist .*; no probe was run$"
  want_not "attest to a missing folder runs no probe" '^sbx: attest \['
  mkdir -p "$LIVE_DIR/ro-dir" && chmod 555 "$LIVE_DIR/ro-dir"
  if [ "$who" = self ] && [ "$(id -u)" = 0 ]; then
    # Root ignores mode 555: the folder is bound read-only over itself, in
    # a mount namespace of the test's own, so root cannot write it either.
    if command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
      LIVE_OUT=$(cd "$LIVE_DIR" && unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" \
        && exec env -u SBX_HELPER_DIR HOME="$2" "$3" attest --evidence "$1/ev.json"' \
        sh "$LIVE_DIR/ro-dir" "$LIVE_DIR" "$LIVE_BIN/sbx" 2>&1)
      LIVE_RC=$?
      want "attest to a read-only folder, as root: 125 before any probe" 125 \
        "^sbx: --evidence: cannot write the evidence there: its folder “$LIVE_DIR/ro-dir” is not writable: Read-only file system; no probe was run$"
      want_not "attest to a read-only folder, as root, runs no probe" '^sbx: attest \['
    else
      skip "[$who] attest to a read-only folder, as root: 125" "unshare -m is refused here"
    fi
  else
    run_in attest --evidence "$LIVE_DIR/ro-dir/ev.json"
    want "attest to a folder it cannot write: 125 before any probe" 125 \
      "^sbx: --evidence: cannot write the evidence there: its folder “$LIVE_DIR/ro-dir” is not writable: Permission denied; no probe was run$"
    want_not "attest to a folder it cannot write runs no probe" '^sbx: attest \['
  fi
  run_in attest --evidence "$LIVE_DIR"
  want "attest --evidence naming a folder: 125" 125 "^sbx: --evidence: cannot write the evidence there: “$LIVE_DIR” exists and is not a regular file"
  run_in attest --timeout x
  want "attest --timeout x: 125, the same message as run" 125 '^sbx: --timeout: \[limits\] wall-seconds: “x” is not a number'
done
finish
