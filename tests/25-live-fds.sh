#!/bin/sh
# 25-live-fds.sh — the job sees only fds 0-2, whatever sbx inherited
# (issue 13 item 5): a listening socket, a read-write file and a folder
# opened without close-on-exec at fds 7, 9 and 10 stay behind.  The control
# shows the same job outside does see them, so the check can fail.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

command -v python3 >/dev/null 2>&1 || { skip "inherited fds" "python3 is missing"; finish; }
LEAK="$TEST_TMP/leak-fds.py"
cat > "$LEAK" <<'EOF2' || live_bail "cannot write $LEAK"
# leak-fds.py FILE CMD…: runs CMD with a listening socket at fd 7, FILE
# open read-write at fd 9 and / at fd 10, all inheritable.
import os, socket, subprocess, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0sbx-fds-test-%d" % os.getpid()); s.listen(1)
os.dup2(s.fileno(), 7)
os.dup2(os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600), 9)
os.dup2(os.open("/", os.O_RDONLY | os.O_DIRECTORY), 10)
sys.exit(subprocess.run(sys.argv[2:], pass_fds=(7, 9, 10), stdin=subprocess.DEVNULL).returncode)
EOF2
chmod 644 "$LEAK"

for who in $LIVE_USERS; do
  live_setup "$who"
  LIVE_WHO=$who
  expect_cmd "control: outside, the job sees fds 7, 9 and 10" 0 '^fd 10: /$' \
    as_user "$who" python3 "$LEAK" "$OUT/rw-file" "$LIVE_BIN/live-job" fds
  expect_cmd "inside, the job sees only 0-2" 0 '^none$' \
    as_user "$who" python3 "$LEAK" "$OUT/rw-file" "$LIVE_BIN/sbx" run --in "$IN" --out "$OUT" -- /in/live-job fds
  WALL=$(live_profile wall '[limits]
wall-seconds=30')
  expect_cmd "inside, under the wall-seconds supervisor too" 0 '^none$' \
    as_user "$who" python3 "$LEAK" "$OUT/rw-file" "$LIVE_BIN/sbx" run --profile "$WALL" --in "$IN" --out "$OUT" \
    -- /in/live-job fds
done
finish
