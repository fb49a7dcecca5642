# attest-lib.sh — shared by tests/3N-attest-*.sh, sourced after libtest.sh.
#
# The build tree may sit where `nobody` cannot enter (CI clones below
# /root): sbx, sbx-attest, sbx-probe, sbx-exec and sbx-init are copied into a
# world-readable folder of $TEST_TMP, and the staged sbx finds the others
# beside itself (no SBX_HELPER_DIR: an override keeps a bundle from being
# attested, issue 9).  When that staging fails the test FAILS (it does not
# skip).

STAGE=$TEST_TMP/bin
CHECK="${PYTHON3:-python3} $top_srcdir/tests/attest-check.py"

# The start of every attest test: stage the tools, or end the test (a
# failure when staging fails, a SKIP named WHAT, default "sbx attest", when
# bwrap cannot run here).
attest_setup_or_finish () {
  if ! stage_attest_tools; then
    not_ok "stage sbx and its helpers into $STAGE" "cannot copy from $top_builddir or nobody cannot run them"
    finish
  fi
  if ! "$BWRAP" --version >/dev/null 2>&1; then
    skip "${1:-sbx attest}" "bwrap ($BWRAP) cannot run here"
    finish
  fi
}

stage_attest_tools () {
  stage_helpers "$STAGE" sbx sbx-attest sbx-probe || return 1
  # every user must be able to run them from there
  if [ "$(id -u)" = 0 ]; then
    as_user nobody test -x "$STAGE/sbx-probe" || return 1
  fi
}

# Users to attest as: the current one and, when root, nobody too.
attest_users () {
  if [ "$(id -u)" = 0 ]; then echo "self nobody"; else echo "self"; fi
}

# work_dir USER: a fresh folder USER owns, with a private TMPDIR inside.
work_dir () {
  local u=$1 d=$TEST_TMP/work-$1
  mkdir -p "$d/tmp" || return 1
  if [ "$u" != self ]; then chown -R "$u" "$d" || return 1; fi
  echo "$d"
}

# run_as USER DIR CMD...: CMD as USER in DIR, with TMPDIR=DIR/tmp (so the
# scratch area of each run can be watched) and no SBX_HELPER_DIR.
run_as () {
  local u=$1 d=$2; shift 2
  if [ "$u" = self ]; then
    env -C "$d" -u SBX_HELPER_DIR TMPDIR="$d/tmp" "$@"
  else
    as_user "$u" env -C "$d" -u SBX_HELPER_DIR TMPDIR="$d/tmp" "$@"
  fi
}

# The folder DIR/tmp holds nothing: every scratch area was removed.
scratch_gone () {
  [ -z "$(ls -A "$1/tmp" 2>/dev/null)" ]
}

# make_sign_keys: an ed25519 key pair, $SIGN_KEY and $SIGN_PUB, readable by
# every test user (a test key); SBX_TEST_SIGN_KEY for attest-check.py.
KEYS=$TEST_TMP/keys
SIGN_KEY=$KEYS/sign.pem
SIGN_PUB=$KEYS/sign.pub.pem
make_sign_keys () {
  mkdir -p "$KEYS" && openssl genpkey -algorithm ed25519 -out "$SIGN_KEY" 2>/dev/null &&
    openssl pkey -in "$SIGN_KEY" -pubout -out "$SIGN_PUB" && chmod 755 "$KEYS" && chmod 644 "$KEYS"/* &&
    export SBX_TEST_SIGN_KEY="$SIGN_KEY"
}
