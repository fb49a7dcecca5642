# libtest.sh — TAP helpers for the live tests (sourced).
# Each test: `ok "name"`, `not_ok "name" "why"`, `skip "name" "reason"`;
# `finish` prints the plan.  A temp dir is made and removed on exit.
set -u
: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
TAP_N=0
TAP_FAILED=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sbx-test.XXXXXX")
chmod 755 "$TEST_TMP"
cleanup_test_tmp () { rm -rf "$TEST_TMP"; }
trap cleanup_test_tmp EXIT

ok () { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
not_ok () {
  TAP_N=$((TAP_N + 1)); TAP_FAILED=1
  echo "not ok $TAP_N - $1"
  [ $# -ge 2 ] && printf '%s\n' "$2" | sed 's/^/# /'
  return 0
}
skip () { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }
check () { # check NAME CMD...: ok when CMD succeeds
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "$out"; fi
}
finish () { echo "1..$TAP_N"; exit 0; }

# as_user USER CMD...: run CMD as USER (root only, via setpriv); as-is otherwise
as_user () {
  local user=$1; shift
  if [ "$user" = self ]; then "$@"; return; fi
  "${SETPRIV:-setpriv}" --reuid="$user" --regid="$(id -gn "$user" 2>/dev/null || echo nogroup)" \
    --clear-groups --reset-env -- env PATH=/usr/bin:/bin "$@"
}
