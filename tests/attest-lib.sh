# attest-lib.sh — shared by tests/3N-attest-*.sh, sourced after libtest.sh.
#
# The build tree may sit where `nobody` cannot enter (CI clones below
# /root): sbx, sbx-attest, sbx-probe and sbx-exec are copied into a
# world-readable folder of $TEST_TMP and SBX_HELPER_DIR points there.  When
# that staging fails the test FAILS (it does not skip).

STAGE=$TEST_TMP/bin
CHECK="${PYTHON3:-python3} $top_srcdir/tests/attest-check.py"

stage_helpers () {
  mkdir -p "$STAGE" || return 1
  for f in sbx sbx-attest sbx-probe sbx-exec; do
    cp "$top_builddir/$f" "$STAGE/$f" || return 1
  done
  chmod 755 "$STAGE" "$STAGE"/* || return 1
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

# run_as USER DIR CMD...: CMD as USER in DIR, with the staged helpers and
# TMPDIR=DIR/tmp (so the scratch area of each run can be watched).
run_as () {
  local u=$1 d=$2; shift 2
  if [ "$u" = self ]; then
    env -C "$d" SBX_HELPER_DIR="$STAGE" TMPDIR="$d/tmp" "$@"
  else
    as_user "$u" env -C "$d" SBX_HELPER_DIR="$STAGE" TMPDIR="$d/tmp" "$@"
  fi
}

# The folder DIR/tmp holds nothing: every scratch area was removed.
scratch_gone () {
  [ -z "$(ls -A "$1/tmp" 2>/dev/null)" ]
}
