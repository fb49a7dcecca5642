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

# The helpers sbx binds into every sandbox (lib/sbx-private.h's sbx_helpers
# table): sbx finds them beside itself, so every staged sbx needs them.
SBX_SANDBOX_HELPERS="sbx-init sbx-exec"

# stage_helpers [--from SRC] DIR [PROGRAM...]: copy the sandbox helpers and
# each PROGRAM (files of SRC, default $top_builddir) into DIR, all 0755.
# Non-zero when anything failed: callers bail out, they never skip.
stage_helpers () {
  _stage_from=$top_builddir
  if [ "$1" = --from ]; then _stage_from=$2; shift 2; fi
  _stage_dir=$1
  shift
  mkdir -p "$_stage_dir" && chmod 755 "$_stage_dir" || return 1
  for _stage_f in $SBX_SANDBOX_HELPERS "$@"; do
    cp "$_stage_from/$_stage_f" "$_stage_dir/${_stage_f##*/}" \
      && chmod 755 "$_stage_dir/${_stage_f##*/}" || return 1
  done
}

# as_user USER CMD...: run CMD as USER (root only, via setpriv); as-is otherwise
as_user () {
  local user=$1; shift
  if [ "$user" = self ]; then "$@"; return; fi
  "${SETPRIV:-setpriv}" --reuid="$user" --regid="$(id -gn "$user" 2>/dev/null || echo nogroup)" \
    --clear-groups --reset-env -- env PATH=/usr/bin:/bin "$@"
}
