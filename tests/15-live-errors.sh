#!/bin/sh
# 15-live-errors.sh — every bad input gives its exit status and an `sbx:`
# message naming what is wrong, and starts nothing:
#   125 every failure of sbx itself, so none looks like a job's own status:
#       missing/unreadable input, output missing/not a folder/not writable,
#       input == output, nested, a symlink in the path, unknown option,
#       profile errors (naming file, line and key); bwrap missing; user
#       namespaces refused (as root: a user namespace of its own with
#       max_user_namespaces=0, sbx in it as nobody)
#   126 a file that is not executable
#   127 command not found
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

cp "$top_builddir/tests/live-static" "$LIVE_BIN/live-static" && chmod 755 "$LIVE_BIN/live-static" \
  && cp "$top_builddir/sbx-attest" "$LIVE_BIN/sbx-attest" && chmod 755 "$LIVE_BIN/sbx-attest" \
  || live_bail "cannot stage live-static and sbx-attest"
BAD_PROFILE=$(live_profile bad '[sandbox]
name=bad

[filesystem]
tmp-size=12Q')
UNKNOWN_KEY=$(live_profile unknown-key '[network]
mode=none
colour=blue')
LOCKOFF=$(live_profile lockoff '[seccomp]
exec-lock=off')

# run_bad NAME RC PATTERN ARGS…: sbx run ARGS… (no --in/--out added)
run_bad () {
  local name=$1 want=$2 pattern=$3
  shift 3
  expect_cmd "$name" "$want" "$pattern" sbx_as "$LIVE_WHO" run "$@"
}

for who in $LIVE_USERS; do
  live_setup "$who"
  cp "$LIVE_BIN/live-static" "$IN/static" && echo 'not a program' > "$IN/text" \
    && chmod 644 "$IN/text" && printf '#!/bin/sh\nexit 0\n' > "$IN/plain.sh" && chmod 644 "$IN/plain.sh" \
    && mkdir -p "$LIVE_DIR/closed" "$LIVE_DIR/ro-out" "$LIVE_DIR/ov/sub" "$IN/nested" && touch "$LIVE_DIR/file" \
    && chmod 000 "$LIVE_DIR/closed" && chmod 555 "$LIVE_DIR/ro-out" && ln -s "$IN" "$LIVE_DIR/link" \
    || live_bail "cannot stage the bad inputs"
  # The overlap cases need folders the user may write (output checks first).
  if [ "$who" != self ]; then chown -R "$who" "$LIVE_DIR/ov" || live_bail "chown $LIVE_DIR/ov"; fi
  OV="$LIVE_DIR/ov"

  run_bad "missing input: 125" 125 '^sbx: --in: .*does not exist' --in "$LIVE_DIR/missing" -- /bin/true
  run_bad "input is a file: 125" 125 '^sbx: --in: .*not a directory' --in "$LIVE_DIR/file" -- /bin/true
  if [ "$who" = self ] && [ "$(id -u)" = 0 ]; then
    skip "[$who] unreadable input: 125" "root reads every folder"
    skip "[$who] output not writable: 125" "root writes every folder"
  else
    run_bad "unreadable input: 125" 125 '^sbx: --in: .*not readable' --in "$LIVE_DIR/closed" -- /bin/true
    run_bad "output not writable: 125" 125 '^sbx: --out: .*not writable' --out "$LIVE_DIR/ro-out" -- /bin/true
  fi
  run_bad "missing output: 125" 125 '^sbx: --out: .*does not exist' --out "$LIVE_DIR/missing" -- /bin/true
  run_bad "output is a file: 125" 125 '^sbx: --out: .*not a directory' --out "$LIVE_DIR/file" -- /bin/true
  run_bad "input == output: 125" 125 '^sbx: --out: .*same folder' --in "$OV" --out "$OV" -- /bin/true
  run_bad "output nested in input: 125" 125 '^sbx: --out: .*inside' --in "$OV" --out "$OV/sub" -- /bin/true
  run_bad "input nested in output: 125" 125 '^sbx: --out: .*inside' --in "$OV/sub" --out "$OV" -- /bin/true
  # A symlinked --in is resolved once (tests/51-cli-overrides.sh); a symlink
  # in a profile's input= is still refused.
  SYMLINK_PROFILE=$(live_profile "symlink-$who" "[filesystem]
input=$LIVE_DIR/link/nested")
  run_bad "a symlink in the profile's input path: 125" 125 \
    "^sbx: $SYMLINK_PROFILE:2: \[filesystem\] input: .*/link” is a symlink" -p "$SYMLINK_PROFILE" -- /bin/true
  run_bad "unknown option: 125" 125 '^sbx: run: .*--frobnicate' --frobnicate -- /bin/true
  run_bad "no command: 125" 125 '^sbx: run: no command' --in "$IN"
  run_bad "profile error names file, line and key: 125" 125 "^sbx: $BAD_PROFILE:5: \\[filesystem\\] tmp-size" \
    --profile "$BAD_PROFILE" -- /bin/true
  run_bad "unknown key names file, line and key: 125" 125 "^sbx: $UNKNOWN_KEY:3: .*colour" \
    --profile "$UNKNOWN_KEY" -- /bin/true
  run_bad "missing profile: 125" 125 '^sbx: .*missing.profile' --profile "$LIVE_DIR/missing.profile" -- /bin/true
  run_bad "bwrap missing: 125, names the package" 125 '^sbx: .*bubblewrap' --bwrap /nonexistent/bwrap -- /bin/true
  run_bad "bwrap not on PATH: 125" 125 '^sbx: .*bubblewrap' --bwrap bwrap-does-not-exist -- /bin/true
  expect "static binary under the exec gate runs" 0 -- /in/static
  expect "static binary under exec-lock=off runs (control)" 0 -- --profile "$LOCKOFF" /in/static
  expect "not executable: 126" 126 '^sbx: .*not executable' -- /in/text
  chmod 755 "$IN/text"
  expect "neither ELF nor #! script: 126" 126 '^sbx: .*neither an ELF' -- /in/text
  chmod 755 "$IN/plain.sh"
  expect "a #! script locks through its interpreter and runs" 0 -- /in/plain.sh
  # A job's own statuses pass through unchanged: 2 is python3's for a
  # script it cannot open, never mistaken for an error of sbx.
  expect "the job's own status 2 passes through" 2 -- /in/live-job exit 2
  expect "python3's own 2 for a missing script passes through" 2 "can't open file" -- \
    /usr/bin/python3 /in/no-such-script.py
  expect_cmd "attest: a profile error is 125 too" 125 "^sbx: $BAD_PROFILE:5: " \
    sbx_as "$LIVE_WHO" attest --profile "$BAD_PROFILE"
  expect_cmd "attest: an unknown option is 125" 125 'frobnicate' sbx_as "$LIVE_WHO" attest --frobnicate
  expect_cmd "check keeps 2 for a profile error" 2 "^sbx: $BAD_PROFILE:5: " sbx_as "$LIVE_WHO" check "$BAD_PROFILE"
  expect "command not found: 127" 127 '^sbx: .*not found' -- /in/does-not-exist
  expect "command not on the sandbox's PATH: 127" 127 "^sbx: .*not found in the sandbox's PATH" -- no-such-command-$$
  expect "a host path outside the sandbox is not found: 127" 127 '^sbx: .*not found' -- "$LIVE_BIN/live-job"
  expect "a directory: 126" 126 '^sbx: .*is a directory' -- /in
  # User namespaces refused: as root, a user namespace of our own (mapping
  # root and nobody) whose max_user_namespaces is 0, and sbx in it as nobody.
  if [ "$who" = nobody ]; then
    cat > "$LIVE_DIR/userns-limit.py" <<'EOF2' || live_bail "cannot write userns-limit.py"
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
a_r, a_w = os.pipe(); b_r, b_w = os.pipe()
pid = os.fork()
if pid == 0:
    if libc.unshare(0x10000000) != 0:  # CLONE_NEWUSER
        os._exit(90)
    os.write(a_w, b"x"); os.read(b_r, 1)
    with open("/proc/sys/user/max_user_namespaces", "w") as f:
        f.write("0\n")
    os.execvp(sys.argv[1], sys.argv[1:])
os.read(a_r, 1)
for name in ("uid_map", "gid_map"):
    with open("/proc/%d/%s" % (pid, name), "w") as f:
        f.write("0 0 1\n65534 65534 1\n")
os.write(b_w, b"x")
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
EOF2
    expect_cmd "user namespaces refused: 125, says what to check" 125 \
      '^sbx: cannot prepare the private noexec /tmp: unshare.*max_user_namespaces \(now 0; must be more than 0\).*apparmor_restrict_unprivileged_userns' \
      env -u SBX_HELPER_DIR "${PYTHON3:-python3}" "$LIVE_DIR/userns-limit.py" "${SETPRIV:-setpriv}" --reuid=65534 --regid=65534 \
      --clear-groups -- "$LIVE_BIN/sbx" run --in "$IN" -- /in/live-job exit 0
  fi
  if [ -z "$(ls -A "$OUT")" ]; then ok "[$who] nothing was started: /out is empty"; else not_ok "[$who] nothing was started" "$(ls -l "$OUT")"; fi
  chmod 755 "$LIVE_DIR/closed"  # so that the clean-up can enter it
done
finish
