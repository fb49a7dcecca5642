#!/bin/sh
# 54-examples.sh — every job of examples/ runs with its run.sh, as the
# current user and (as root) as nobody, against the real bwrap, and does
# what its README says: the venv job runs from the read-only venv, the
# pipeline counts words (and `sbx check` says it is not attestable), the
# static program runs, the data job converts under its limits.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

EX=$TEST_TMP/examples
cp -R "$top_srcdir/examples" "$EX" && cp "$top_builddir/examples/static-job/static-job" "$TEST_TMP/static-job" \
  && chmod -R a+rX "$EX" "$TEST_TMP/static-job" || live_bail "cannot stage examples/ and the static job"

# example WHO NAME ARGS…: runs examples/NAME/run.sh as WHO in a fresh
# work folder; sets EX_OUT, EX_RC and EX_WORK.
example () {
  local who=$1 name=$2
  shift 2
  EX_WORK=$TEST_TMP/work-$who-$name
  rm -rf "$EX_WORK" && mkdir -p "$EX_WORK" || live_bail "cannot make $EX_WORK"
  if [ "$who" != self ]; then chown "$who" "$EX_WORK" || live_bail "chown $EX_WORK"; fi
  EX_OUT=$(as_user "$who" env -u SBX_HELPER_DIR SBX="$LIVE_BIN/sbx" "$EX/$name/run.sh" "$EX_WORK" "$@" 2>&1)
  EX_RC=$?
}

for who in $LIVE_USERS; do
  example "$who" python-venv
  if [ "$EX_RC" = 0 ] && python3 - "$EX_WORK/out/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["prefix"] == "/opt/venv", r
assert r["in_venv"] and r["venv_env"] == "/opt/venv", r
assert not r["venv_writable"], r
assert r["words"] == 9, r
PY
  then ok "[$who] python-venv: runs from the read-only venv at /opt/venv"
  else not_ok "[$who] python-venv: runs from the read-only venv at /opt/venv" "exit $EX_RC: $EX_OUT"; fi

  example "$who" shell-pipeline
  want=$(printf '      3 b\n      2 a\n      1 c')
  if [ "$EX_RC" = 0 ] && [ "$(cat "$EX_WORK/out/counts.txt" 2>/dev/null)" = "$want" ]; then
    ok "[$who] shell-pipeline: sort | uniq -c | sort -rn counted the words"
  else not_ok "[$who] shell-pipeline: counted the words" "exit $EX_RC: $EX_OUT"; fi

  example "$who" static-job "$TEST_TMP/static-job"
  # Under the exec gate (the default exec-lock=on) sbx's own static helper
  # installs the lock before the job's first instruction: a static program
  # runs, locked like any other job (the old preload lock refused it, 126).
  if ! sbx_as "$who" show-default | grep -q '^exec-lock=on$'; then
    not_ok "[$who] static-job: the default profile says exec-lock=on" "$(sbx_as "$who" show-default 2>&1 | grep '^exec-lock')"
  elif [ "$EX_RC" = 0 ] && [ "$(cat "$EX_WORK/out/hello.txt" 2>/dev/null)" = "hello, world" ]; then
    ok "[$who] static-job: the static program ran locked (exec-lock=on) and wrote /out/hello.txt"
  else not_ok "[$who] static-job: the static program ran" "exit $EX_RC: $EX_OUT"; fi

  example "$who" data-limits
  if [ "$EX_RC" = 0 ] && [ "$(cat "$EX_WORK/out/totals.json" 2>/dev/null)" = '{"ana": 8, "bob": 4}' ]; then
    ok "[$who] data-limits: CSV converted to JSON under the profile's limits"
  else not_ok "[$who] data-limits: CSV converted" "exit $EX_RC: $EX_OUT"; fi
done

# The pipeline profile says it is not attestable; sbx check agrees.
out=$("$LIVE_BIN/sbx" check "$EX/shell-pipeline/shell-pipeline.profile" 2>&1)
if printf '%s\n' "$out" | grep -q 'exec-lock: warning: “off” will fail attestation: PR-EXEC-1, PR-SECCOMP-1' \
   && grep -q 'NOT ATTESTABLE' "$EX/shell-pipeline/shell-pipeline.profile"; then
  ok "shell-pipeline: marked not attestable, and sbx check warns why"
else not_ok "shell-pipeline: marked not attestable, and sbx check warns why" "$out"; fi
for p in python-venv/python-venv data-limits/data-limits static-job/static-job; do
  out=$("$LIVE_BIN/sbx" check "$EX/$p.profile" 2>&1)
  if [ "$out" = "$EX/$p.profile: ok" ]; then ok "$p.profile: valid, no warning (attestable)"
  else not_ok "$p.profile: valid, no warning" "$out"; fi
done
finish
