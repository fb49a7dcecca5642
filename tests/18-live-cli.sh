#!/bin/sh
# 18-live-cli.sh — the rest of the sbx command line: --help of every
# command is there and names its options, --version names the four
# versions, check / show-default / compile work and fail as documented,
# attest/verify hand over to sbx-attest (125 when it is missing), and sbx
# does not load json-glib (the run path stays lean).
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

GOOD=$(live_profile good '[filesystem]
tmp-size=16M
[limits]
wall-seconds=5')
BAD=$(live_profile bad '[limits]
cpu-seconds=lots')

for who in $LIVE_USERS; do
  LIVE_WHO=$who
  cd "$TEST_TMP" || live_bail "cd $TEST_TMP"
  expect_cmd "sbx --help lists the commands" 0 'run .*compile|run' sbx_as "$who" --help
  out=$(sbx_as "$who" --help)
  for c in run compile check show-default attest verify; do
    printf '%s\n' "$out" | grep -q "^  $c " || not_ok "[$who] sbx --help lists $c" "$out"
  done
  expect_cmd "sbx without a command: 2" 2 '^Usage' sbx_as "$who"
  expect_cmd "unknown command: 2" 2 '^sbx: unknown command' sbx_as "$who" frobnicate
  expect_cmd "run --help names its options" 0 '--dry-run' sbx_as "$who" run --help
  for opt in --profile --in --out --dry-run --bwrap; do
    sbx_as "$who" run --help | grep -q -- "$opt" || not_ok "[$who] run --help names $opt"
  done
  expect_cmd "compile --help names its options" 0 '--launch-bpf' sbx_as "$who" compile --help
  for opt in --profile --launch-bpf --lock-bpf --argv --pfc; do
    sbx_as "$who" compile --help | grep -q -- "$opt" || not_ok "[$who] compile --help names $opt"
  done
  expect_cmd "check --help" 0 'PROFILE' sbx_as "$who" check --help
  expect_cmd "show-default --help" 0 'default profile' sbx_as "$who" show-default --help
  expect_cmd "--version names sbx, the library, libseccomp and bwrap" 0 \
    '^libseccomp [0-9]+\.[0-9]+\.[0-9]+$' sbx_as "$who" --version
  out=$(sbx_as "$who" --version)
  if printf '%s\n' "$out" | grep -q '^sbx [0-9]' && printf '%s\n' "$out" | grep -q '^libsbxprofile [0-9]' \
     && printf '%s\n' "$out" | grep -q '^bwrap: bubblewrap [0-9]'; then
    ok "[$who] --version: sbx, libsbxprofile and bwrap lines"
  else
    not_ok "[$who] --version: sbx, libsbxprofile and bwrap lines" "$out"
  fi

  sbx_as "$who" show-default > "$TEST_TMP/default-$who.profile" 2>&1
  expect_cmd "show-default prints a profile check accepts" 0 ': ok$' sbx_as "$who" check "$TEST_TMP/default-$who.profile"
  expect_cmd "check accepts a good profile" 0 ': ok$' sbx_as "$who" check "$GOOD"
  expect_cmd "check rejects a bad one with FILE:LINE: [group] key: 2" 2 "^sbx: $BAD:2: \\[limits\\] cpu-seconds" \
    sbx_as "$who" check "$BAD"
  expect_cmd "check reports each bad profile of several: 2" 2 "$BAD" sbx_as "$who" check "$GOOD" "$BAD" "$BAD"
  n=$(sbx_as "$who" check "$GOOD" "$BAD" "$BAD" 2>&1 >/dev/null | grep -c '^sbx: ')
  [ "$n" = 2 ] && ok "[$who] one line per problem" || not_ok "[$who] one line per problem" "$n lines"
  expect_cmd "check without a profile: 2" 2 '^sbx: check: no profile' sbx_as "$who" check

  dir="$TEST_TMP/compile-$who"
  mkdir -p "$dir" && chmod 777 "$dir"
  expect_cmd "compile prints both programs' sizes" 0 '^lock: [0-9]+ instructions, sha256 [0-9a-f]{64}$' \
    sbx_as "$who" compile --profile "$GOOD" --launch-bpf "$dir/launch.bpf" --lock-bpf "$dir/lock.bpf"
  for f in launch lock; do
    size=$(stat -c %s "$dir/$f.bpf" 2>/dev/null || echo 0)
    if [ "$size" -gt 0 ] && [ $((size % 8)) = 0 ]; then
      ok "[$who] compile --$f-bpf writes whole instructions ($size bytes)"
    else
      not_ok "[$who] compile --$f-bpf writes whole instructions" "size $size"
    fi
  done
  expect_cmd "compile --pfc prints the listings" 0 'lock program' sbx_as "$who" compile --pfc
  expect_cmd "compile --argv prints the argv, bwrap first" 0 '^--unshare-all$' sbx_as "$who" compile --argv -- /usr/bin/true
  first=$(sbx_as "$who" compile --argv | head -n 1)
  case "$first" in */bwrap) ok "[$who] compile --argv starts with bwrap's path" ;;
    *) not_ok "[$who] compile --argv starts with bwrap's path" "$first" ;; esac
  expect_cmd "compile with a bad profile: 2" 2 '^sbx: ' sbx_as "$who" compile --profile "$BAD"

  LIVE_ENV="SBX_HELPER_DIR=$TEST_TMP/nowhere"
  expect_cmd "attest without sbx-attest: 125" 125 '^sbx: attest: cannot run .*sbx-attest' sbx_as "$who" attest
  expect_cmd "verify without sbx-attest: 125" 125 '^sbx: verify: cannot run' sbx_as "$who" verify x.json
  LIVE_ENV=
  # sbx runs the sbx-attest beside itself (never one $SBX_HELPER_DIR names:
  # the attestation must use the tools sbx was built with)
  fake="$TEST_TMP/fake-helper"
  mkdir -p "$fake" && printf '#!/bin/sh\necho "argv0=$0 args=$*"\nexit 3\n' > "$fake/sbx-attest" \
    && cp "$LIVE_BIN/sbx" "$fake/sbx" && chmod 755 "$fake" "$fake/sbx-attest" "$fake/sbx" \
    || live_bail "cannot make $fake"
  sbx_fake () { local who=$1; shift; as_user "$who" env -u SBX_HELPER_DIR "$fake/sbx" "$@"; }
  expect_cmd "attest execs the sbx-attest beside sbx: attest ARGS… and returns its status" 3 \
    '^argv0=.*sbx-attest args=attest --profile P --json$' sbx_fake "$who" attest --profile P --json
  expect_cmd "verify execs the sbx-attest beside sbx: verify ARGS…" 3 'args=verify bundle.json$' sbx_fake "$who" verify bundle.json
  LIVE_ENV="SBX_HELPER_DIR=$fake"
  expect_cmd "attest ignores an sbx-attest in \$SBX_HELPER_DIR" 125 '^sbx: attest: cannot run' sbx_as "$who" attest
  LIVE_ENV=
done

LIVE_WHO=host
# sbx does not load json-glib: not as a shared library it needs (readelf),
# not linked in (its symbols), not mapped while it runs (/proc/PID/maps of
# sbx supervising a job).  Each check is run on sbx-attest too, which does
# use json-glib: there it must find it, or the check proves nothing.
json_glib_in () { # json_glib_in BINARY: prints how BINARY carries json-glib
  readelf -d "$1" 2>/dev/null | grep -E 'NEEDED.*json-glib'
  if strings -a "$1" 2>/dev/null | grep -q -E '^json_(parser|node|reader)_[a-z_]+$'; then
    echo "json-glib symbols linked into $1"
  fi
}
if command -v readelf >/dev/null 2>&1 && command -v strings >/dev/null 2>&1; then
  found=$(json_glib_in "$SBX")
  control=$(json_glib_in "$top_builddir/sbx-attest")
  if [ -z "$control" ]; then
    not_ok "control: the json-glib check finds it in sbx-attest" "readelf/strings found nothing in sbx-attest"
  else
    ok "control: the json-glib check finds it in sbx-attest"
  fi
  if [ -n "$found" ]; then not_ok "sbx does not link json-glib" "$found"; else ok "sbx does not link json-glib"; fi
else
  skip "sbx does not link json-glib" "readelf or strings is missing"
fi
live_setup self
WALL=$(live_profile wall5 '[limits]
wall-seconds=20')
"$LIVE_BIN/sbx" run --profile "$WALL" --in "$IN" --out "$OUT" -- /in/live-job sleep 3 >/dev/null 2>&1 &
sbx_pid=$!
maps=
for _ in $(seq 100); do
  maps=$(cat "/proc/$sbx_pid/maps" 2>/dev/null)
  # supervising: the job's sandbox is running below it
  [ -n "$(ps -o pid= --ppid "$sbx_pid" 2>/dev/null)" ] && break
  sleep 0.02
done
maps=$(cat "/proc/$sbx_pid/maps" 2>/dev/null)
if [ -z "$maps" ]; then
  not_ok "a running sbx maps no json-glib" "could not read /proc/$sbx_pid/maps"
elif printf '%s\n' "$maps" | grep -q 'json-glib'; then
  not_ok "a running sbx maps no json-glib" "$(printf '%s\n' "$maps" | grep json-glib)"
elif ! printf '%s\n' "$maps" | grep -q 'sbx$'; then
  not_ok "a running sbx maps no json-glib" "/proc/$sbx_pid/maps is not sbx's: $(printf '%s\n' "$maps" | head -3)"
else
  ok "a running sbx maps no json-glib"
fi
kill "$sbx_pid" 2>/dev/null
wait "$sbx_pid" 2>/dev/null
finish
