#!/bin/sh
# 50-cli-bounded.sh — reading a profile is bounded (issue 13 item 3):
#   - a profile over 1 MiB is refused from its size, naming the limit; one of
#     exactly 1 MiB is read; a pipe (`-p <(…)`) is read up to the same limit;
#   - a device, a socket or a folder is refused before it is read
#     (`sbx check /dev/zero` returns at once);
#   - a FIFO is read once a writer comes, and one nobody writes to is given up
#     after 10 s with a message, not waited for forever;
#   - an error message quotes at most ~80 characters of the bad input, for
#     every kind of value the parser quotes.
# Exit status 2 (sbx check) or 125 (sbx run) with "sbx: …" for each refusal.
. "$top_srcdir/tests/libtest.sh"

SBX_BIN=$SBX
cd "$TEST_TMP" || exit 1

# expect_rc NAME RC PATTERN CMD…: CMD exits RC and its output matches.
expect_rc () {
  local name=$1 want=$2 pattern=$3 out rc
  shift 3
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" != "$want" ]; then
    not_ok "$name" "$* exited $rc, expected $want; output:
$(printf '%s' "$out" | head -c 2000)"
  elif ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
    not_ok "$name" "output does not match /$pattern/:
$(printf '%s' "$out" | head -c 2000)"
  else
    ok "$name"
  fi
}

# The FIFO nobody writes to takes 10 s: start it first, collect it last.
mkfifo "$TEST_TMP/idle.fifo" || exit 1
( start=$(date +%s)
  timeout 60 "$SBX_BIN" check "$TEST_TMP/idle.fifo" > "$TEST_TMP/idle.out" 2>&1
  echo "$? $(( $(date +%s) - start ))" > "$TEST_TMP/idle.rc" ) &
IDLE_PID=$!

# --- devices, sockets, folders: refused before reading -----------------------
expect_rc "check /dev/zero: 2 at once, names the kind" 2 \
  '^sbx: profile “/dev/zero” is a character device; expected a regular file or a pipe$' \
  timeout 10 "$SBX_BIN" check /dev/zero
expect_rc "run -p /dev/urandom: 125" 125 \
  '^sbx: profile “/dev/urandom” is a character device; expected a regular file or a pipe$' \
  timeout 10 "$SBX_BIN" run -p /dev/urandom -- /bin/true
expect_rc "check a folder: 2" 2 '^sbx: profile “\.” is a directory; expected a regular file or a pipe$' \
  "$SBX_BIN" check .
if python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$TEST_TMP/sock" 2>/dev/null; then
  expect_rc "check a socket: 2" 2 '^sbx: profile “[^”]*/sock” is a socket; expected a regular file or a pipe$' \
    "$SBX_BIN" check "$TEST_TMP/sock"
else
  not_ok "check a socket: 2" "cannot make a Unix socket file with python3"
fi

# --- size limit -----------------------------------------------------------------
# A valid profile of exactly 1 MiB (comments), then one byte more.
python3 - "$TEST_TMP" <<'EOF' || exit 1
import sys
d = sys.argv[1]
head = "[limits]\ncpu-seconds=5\n"
body = head + "#" * (1048576 - len(head) - 1) + "\n"
assert len(body) == 1048576
open(d + "/exact.profile", "w").write(body)
open(d + "/over.profile", "w").write(body + "\n")
open(d + "/huge.profile", "w").write("#" * (3 * 1048576))
EOF
expect_rc "a profile of exactly 1 MiB is read" 0 '^exact\.profile: ok$' "$SBX_BIN" check exact.profile
expect_rc "1 MiB + 1 byte: 2, names the limit" 2 \
  '^sbx: profile “over\.profile” is larger than 1M \(1048577 bytes\), the limit for a profile$' \
  "$SBX_BIN" check over.profile
expect_rc "run -p of 3 MiB: 125, names the limit" 125 \
  '^sbx: profile “huge\.profile” is larger than 1M \(3145728 bytes\), the limit for a profile$' \
  "$SBX_BIN" run -p huge.profile -- /bin/true

# --- pipes ---------------------------------------------------------------------
expect_rc "check <(printf …): a pipe is read" 0 '^/dev/fd/[0-9]+: ok$' \
  bash -c '"$0" check <(printf "[limits]\ncpu-seconds=5\n")' "$SBX_BIN"
expect_rc "run -p <(…) with a bad value: 125, its message" 125 \
  '^sbx: /dev/fd/[0-9]+:2: \[limits\] cpu-seconds: “x” is not a number' \
  bash -c '"$0" run -p <(printf "[limits]\ncpu-seconds=x\n") -- /bin/true' "$SBX_BIN"
expect_rc "a pipe of 3 MiB is cut at the limit: 2" 2 \
  '^sbx: profile “/dev/fd/[0-9]+” is larger than 1M, the limit for a profile$' \
  bash -c '"$0" check <(head -c 3145728 /dev/zero | tr "\0" "#")' "$SBX_BIN"
mkfifo "$TEST_TMP/late.fifo" || exit 1
( sleep 1; printf '[network]\nmode=none\n' > "$TEST_TMP/late.fifo" ) &
expect_rc "a FIFO whose writer comes a second later is read" 0 '^[^ ]*/late\.fifo: ok$' \
  timeout 30 "$SBX_BIN" check "$TEST_TMP/late.fifo"

# --- ~80 characters of bad input in messages --------------------------------------
# Each line: a label and a profile template with @ where a 500 000-byte bad
# value goes.  The message must keep at most 80 bytes of it (+ "…") and
# the whole message must stay short.
n_quote=0
while IFS='|' read -r label template; do
  [ -n "$label" ] || continue
  python3 -c 'import sys; sys.stdout.write(sys.argv[1].replace("\\n", "\n").replace("@", "x" * 500000) + "\n")' \
    "$template" > "$TEST_TMP/long.profile" || exit 1
  out=$("$SBX_BIN" check "$TEST_TMP/long.profile" 2>&1)
  rc=$?
  len=$(printf '%s' "$out" | wc -c)
  run=$(printf '%s' "$out" | grep -o 'x*' | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
  if [ "$rc" = 2 ] && [ "$len" -lt 600 ] && [ "$run" -le 80 ] && [ "$run" -ge 40 ] \
     && printf '%s' "$out" | grep -q 'x…'; then
    ok "a 500 kB bad value in $label: 2, quoted as ${run} characters and …"
  else
    not_ok "a 500 kB bad value in $label: 2, at most 80 characters quoted" \
      "exit $rc, $len bytes, longest run of the value $run: $(printf '%s' "$out" | head -c 400)"
  fi
  n_quote=$((n_quote + 1))
done <<'EOF'
a number|[limits]\ncpu-seconds=1@
an out-of-range number|[limits]\nopen-files=0@
a size suffix|[filesystem]\ntmp-size=1@
an enum|[network]\nmode=@
a text|[sandbox]\nname=@
a path|[filesystem]\ninput=/@
a system path|[filesystem]\nsystem=/@
a workdir|[filesystem]\nworkdir=/@
a socket family|[network]\nsocket-families=@
a kept variable|[environment]\nkeep=-@
a set variable|[environment]\nset=@
an errno|[seccomp]\nerrno=@
a syscall|[seccomp]\ndeny=@
a probe id|[attest]\nrequired=@
an unknown key|[limits]\n@=1
an unknown group|[@]
a group header|[limits@
a line without =|[limits]\n@
EOF
[ "$n_quote" = 18 ] || not_ok "all 18 quoting cases ran" "only $n_quote"

expect_rc "run --in with a 100 kB path: 125, quoted short" 125 '^sbx: --in: .{0,400}$' \
  "$SBX_BIN" run --in "/$(head -c 100000 /dev/zero | tr '\0' 'y')" -- /bin/true

# --- the idle FIFO ----------------------------------------------------------------
wait "$IDLE_PID"
read -r idle_rc idle_secs < "$TEST_TMP/idle.rc"
if [ "$idle_rc" = 2 ] && [ "$idle_secs" -ge 9 ] && [ "$idle_secs" -le 30 ] \
   && grep -Eq '^sbx: profile “[^”]*/idle\.fifo”: no data within 10 seconds' "$TEST_TMP/idle.out"; then
  ok "a FIFO nobody writes to: 2 after 10 s, says so"
else
  not_ok "a FIFO nobody writes to: 2 after 10 s, says so" \
    "exit $idle_rc after ${idle_secs}s: $(cat "$TEST_TMP/idle.out")"
fi
finish
