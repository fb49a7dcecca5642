#!/bin/sh
# 23-live-stdio.sh — a job's fds 0-2 may be only a pipe, a regular file,
# /dev/null, a terminal or a connected stream socket (issue 8 item 7):
# anything else is refused before start with 125 and a message naming the
# fd and what it is, and the job never runs (it would leave /out/started).
# A directory on stdin would let the job openat(0, "../..") anywhere; the
# control shows that happens outside the sandbox.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

command -v python3 >/dev/null 2>&1 || { skip "stdio tests" "python3 is missing"; finish; }

# stdio-case.py KIND FD CMD…: runs CMD with fd FD made KIND; prints CMD's
# stderr (or, when FD is 2, what arrived at the other end) and exits
# with CMD's status.
CASE="$TEST_TMP/stdio-case.py"
cat > "$CASE" <<'EOF2' || live_bail "cannot write $CASE"
import os, socket, subprocess, sys
kind, fd, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
peer = None
keep = []
if kind == "dir":
    obj = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
elif kind == "opath":
    obj = os.open("/usr/bin/true", os.O_PATH)
elif kind == "listen":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind("\0sbx-stdio-test-%d" % os.getpid()); s.listen(1); keep.append(s); obj = s.fileno()
elif kind == "unconnected":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); keep.append(s); obj = s.fileno()
elif kind in ("dgram", "stream"):
    a, peer = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM if kind == "dgram" else socket.SOCK_STREAM)
    keep.append(a); obj = a.fileno()
elif kind == "zero":
    obj = os.open("/dev/zero", os.O_RDONLY)
elif kind == "devnull":
    obj = os.open("/dev/null", os.O_RDWR)
elif kind == "pty":
    master, obj = os.openpty(); keep.append(master)
elif kind == "pipe":
    r, w = os.pipe(); os.write(w, b"hello\n"); os.close(w); obj = r
elif kind.startswith("file:"):
    obj = os.open(kind[5:], os.O_RDONLY if fd == 0 else os.O_WRONLY | os.O_APPEND)
elif kind == "inherit":
    obj = fd
else:
    sys.exit("unknown kind " + kind)
std = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
std[("stdin", "stdout", "stderr")[fd]] = obj
p = subprocess.Popen(cmd, **std)
if peer is not None:
    peer.settimeout(0.5)
out, err = p.communicate()
if peer is not None:
    try:
        err = (err or b"") + peer.recv(65536)
    except OSError:
        pass
sys.stderr.write((err or b"").decode(errors="replace"))
sys.exit(p.returncode)
EOF2
chmod 644 "$CASE"

BLOCKDEV=$(find /dev -maxdepth 1 -type b 2>/dev/null | head -n 1)

# refused WHO KIND FD PATTERN: 125, the message, and the job did not start
refused () {
  local kind=$2 fd=$3 pattern=$4
  rm -f "$OUT/started"
  expect_cmd "$kind on fd $fd is refused: 125" 125 "^sbx: $pattern" as_user "$1" python3 "$CASE" "$kind" "$fd" \
    "$LIVE_BIN/sbx" run --in "$IN" --out "$OUT" -- /in/live-job write /out/started
  if [ -e "$OUT/started" ]; then not_ok "[$LIVE_WHO] $kind on fd $fd: the job did not start" "/out/started exists"
  else ok "[$LIVE_WHO] $kind on fd $fd: the job did not start"; fi
}
# allowed WHO KIND FD: the job runs and writes /out/started
allowed () {
  rm -f "$OUT/started"
  expect_cmd "$2 on fd $3 is accepted" 0 '' as_user "$1" python3 "$CASE" "$2" "$3" \
    "$LIVE_BIN/sbx" run --in "$IN" --out "$OUT" -- /in/live-job write /out/started
}

for who in $LIVE_USERS; do
  live_setup "$who"
  LIVE_WHO=$who
  # Control: outside, a directory on stdin reaches the whole tree.
  expect_cmd "control: a directory on stdin is a way into the tree outside" 0 '^root:' \
    as_user "$who" "$LIVE_BIN/live-job" cat-at0 etc/passwd < /
  refused "$who" dir 0 'stdin \(fd 0\) is a directory \(/\)'
  refused "$who" opath 0 'stdin \(fd 0\) is an O_PATH fd'
  refused "$who" listen 1 'stdout \(fd 1\) is a listening socket'
  refused "$who" unconnected 1 'stdout \(fd 1\) is an unconnected socket'
  refused "$who" dgram 2 'stderr \(fd 2\) is a datagram socket'
  refused "$who" zero 0 'stdin \(fd 0\) is a character device \(1:5\)'
  if [ -n "$BLOCKDEV" ] && [ "$(id -u)" = 0 ]; then
    # opened by root here, inherited by the user through setpriv
    rm -f "$OUT/started"
    expect_cmd "a block device on stdin is refused: 125" 125 '^sbx: stdin \(fd 0\) is a block device' \
      as_user "$who" "$LIVE_BIN/sbx" run --in "$IN" --out "$OUT" -- /in/live-job write /out/started < "$BLOCKDEV"
    if [ -e "$OUT/started" ]; then not_ok "[$who] block device: the job did not start"; else ok "[$who] block device: the job did not start"; fi
  else
    skip "[$who] a block device on stdin is refused" "no block device under /dev, or not root"
  fi
  # A file the job's uid owns (or may write) could be reopened writable
  # through /proc/self/fd/0: refused, with the pipe as the way out.
  OWNED="$LIVE_DIR/owned.txt"
  echo data > "$OWNED" && chmod 444 "$OWNED" || live_bail "cannot write $OWNED"
  [ "$who" = self ] || chown "$who" "$OWNED" || live_bail "chown $OWNED"
  # root's job runs as a uid of its sandbox's own, chosen when sbx starts
  # (never host uid 0): a file that uid may write is one writable by all
  if [ "$who" = self ] && [ "$(id -u)" = 0 ]; then chmod 666 "$OWNED" || live_bail "chmod $OWNED"; fi
  refused "$who" "file:$OWNED" 0 'stdin \(fd 0\) is a regular file the job could write.*cat FILE \| sbx run'
  WORLD="$LIVE_DIR/world.txt"
  echo data > "$WORLD" && chmod 646 "$WORLD" && chown 1:1 "$WORLD" 2>/dev/null || true
  if [ "$(stat -c %u "$WORLD")" = 1 ]; then
    refused "$who" "file:$WORLD" 0 'stdin \(fd 0\) is a regular file the job could write'
  else
    skip "[$who] a world-writable file on stdin is refused" "cannot give a file to uid 1"
  fi
  # What stdio is for still works.
  OTHERS="$LIVE_DIR/others.txt"
  echo data > "$OTHERS" && chmod 644 "$OTHERS" && chown 1:1 "$OTHERS" 2>/dev/null || true
  if [ "$(stat -c %u "$OTHERS")" = 1 ]; then
    allowed "$who" "file:$OTHERS" 0
  else
    skip "[$who] a file of another user, read-only for the job, on stdin" "cannot give a file to uid 1"
  fi
  allowed "$who" pipe 0
  allowed "$who" devnull 0
  allowed "$who" pty 0
  allowed "$who" stream 1
  OUTFILE="$LIVE_DIR/stdout.txt"
  : > "$OUTFILE" && chmod 666 "$OUTFILE" || live_bail "cannot write $OUTFILE"
  allowed "$who" "file:$OUTFILE" 1
  # A closed stdin becomes /dev/null (never a file sbx opened).
  rm -f "$OUT/started"
  expect_cmd "a closed stdin runs the job with /dev/null" 0 '' \
    as_user "$who" sh -c 'exec "$@" <&-' sh "$LIVE_BIN/sbx" run --in "$IN" --out "$OUT" -- /in/live-job write /out/started
done
finish
