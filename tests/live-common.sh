# live-common.sh — shared by the sbx live tests (tests/1N-live-*.sh),
# sourced after libtest.sh.
#
# Everything a test user executes or reads is staged into the world-readable
# $TEST_TMP (CI's clone may sit below /root, where nobody cannot enter):
#   $LIVE_BIN/sbx, $LIVE_BIN/sbx-exec         sbx finds its helpers next to
#   $LIVE_BIN/sbx-init                        itself (SBX_HELPER_DIR unset)
#   $TEST_TMP/<user>/in/live-job              the test job (tests/live-job.c)
#   $TEST_TMP/<user>/out                      owned by the user
# Staging failures are test failures ("Bail out!"), never skips.

: "${SBX:?run through make check}"
LIVE_BIN="$TEST_TMP/bin"
LIVE_PROFILES="$TEST_TMP/profiles"

live_bail () {
  echo "Bail out! $*"
  exit 1
}

mkdir -p "$LIVE_PROFILES" && chmod 755 "$LIVE_PROFILES" \
  && stage_helpers "$LIVE_BIN" tests/live-job \
  && cp "$SBX" "$LIVE_BIN/sbx" && chmod 755 "$LIVE_BIN/sbx" \
  || live_bail "cannot stage sbx, $SBX_SANDBOX_HELPERS and live-job into $LIVE_BIN"

# The users each test runs as: the current one and, when root, nobody.
LIVE_USERS=self
if [ "$(id -u)" = 0 ]; then
  if command -v "${SETPRIV:-setpriv}" >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    LIVE_USERS="self nobody"
  else
    skip "runs as nobody" "setpriv or the user nobody is missing"
  fi
fi

# live_setup WHO: fresh IN and OUT folders for WHO, live-job in IN.
live_setup () {
  LIVE_WHO=$1
  LIVE_DIR="$TEST_TMP/$1"
  IN="$LIVE_DIR/in"
  OUT="$LIVE_DIR/out"
  rm -rf "$LIVE_DIR"
  mkdir -p "$IN" "$OUT" \
    && cp "$LIVE_BIN/live-job" "$IN/live-job" \
    && chmod 755 "$LIVE_DIR" "$IN" "$OUT" "$IN/live-job" \
    || live_bail "cannot stage the folders of $1 in $LIVE_DIR"
  if [ "$1" != self ]; then
    chown "$1" "$OUT" || live_bail "cannot give $OUT to $1"
  fi
}

# live_profile NAME TEXT: a profile file, world-readable; prints its path.
live_profile () {
  printf '%s\n' "$2" > "$LIVE_PROFILES/$1.profile" \
    && chmod 644 "$LIVE_PROFILES/$1.profile" \
    || live_bail "cannot write the profile $1"
  echo "$LIVE_PROFILES/$1.profile"
}

# sbx_as WHO ARGS…: the staged sbx as WHO, which finds its helper next to
# itself.  Extra variables for sbx go in LIVE_ENV ("NAME=value …").
sbx_as () {
  local who=$1
  shift
  # shellcheck disable=SC2086
  as_user "$who" env -u SBX_HELPER_DIR ${LIVE_ENV:-} "$LIVE_BIN/sbx" "$@"
}

# sbx_run ARGS…: sbx run as $LIVE_WHO with the user's IN and OUT; sets
# LIVE_OUT (stdout and stderr) and LIVE_RC.
sbx_run () {
  LIVE_OUT=$(sbx_as "$LIVE_WHO" run --in "$IN" --out "$OUT" "$@" 2>&1)
  LIVE_RC=$?
}

# expect NAME RC [PATTERN] -- sbx run ARGS…: ok when sbx exits RC and its
# output matches the grep -E PATTERN.
expect () {
  local name="[$LIVE_WHO] $1" want=$2 pattern=
  shift 2
  if [ "$1" != -- ]; then
    pattern=$1
    shift
  fi
  shift
  sbx_run "$@"
  if [ "$LIVE_RC" != "$want" ]; then
    not_ok "$name" "sbx run $* exited $LIVE_RC, expected $want; output:
$LIVE_OUT"
  elif [ -n "$pattern" ] && ! printf '%s\n' "$LIVE_OUT" | grep -Eq -- "$pattern"; then
    not_ok "$name" "output of sbx run $* does not match /$pattern/:
$LIVE_OUT"
  else
    ok "$name"
  fi
}

# expect_cmd NAME RC PATTERN CMD…: the same for any command.
expect_cmd () {
  local name="[$LIVE_WHO] $1" want=$2 pattern=$3 out rc
  shift 3
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" != "$want" ]; then
    not_ok "$name" "$* exited $rc, expected $want; output:
$out"
  elif [ -n "$pattern" ] && ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
    not_ok "$name" "output of $* does not match /$pattern/:
$out"
  else
    ok "$name"
  fi
}
