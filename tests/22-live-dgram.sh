#!/bin/sh
# 22-live-dgram.sh — a datagram socket in the sandbox cannot reach a host
# listener whose path it sees (issue 8 item 6): socketpair(AF_UNIX,
# SOCK_DGRAM) + sendto("/out/host.sock") is refused, and with
# socket-families=unix so is socket(AF_UNIX, SOCK_DGRAM).  Controls: the
# same job outside reaches the listener; stream pairs still work inside.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

command -v python3 >/dev/null 2>&1 || { skip "datagram tests" "python3 is missing"; finish; }
UNIX_PROFILE=$(live_profile unix '[network]
socket-families=unix')
UNIX_EACCES_PROFILE=$(live_profile unix-eacces '[network]
socket-families=unix
[seccomp]
errno=EACCES')

# listen PATH: a host datagram listener at PATH (world-writable), printing
# what it receives to $PATH.got; its pid in LISTENER.
listen () {
  rm -f "$1" "$1.got"
  python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777)
open(sys.argv[1] + ".ready", "w").close()
s.settimeout(30)
try:
    while True:
        data = s.recv(100)
        with open(sys.argv[1] + ".got", "ab") as f: f.write(data + b"\n")
except socket.timeout: pass' "$1" &
  LISTENER=$!
  for _ in $(seq 100); do [ -e "$1.ready" ] && return 0; sleep 0.05; done
  live_bail "the host listener at $1 did not start"
}
got () { cat "$1.got" 2>/dev/null; }

for who in $LIVE_USERS; do
  live_setup "$who"
  SOCK="$OUT/host.sock"
  listen "$SOCK"
  LIVE_WHO="$who" expect_cmd "control: a socketpair datagram end reaches the host listener outside" 0 '^allowed$' \
    as_user "$who" "$LIVE_BIN/live-job" dgram pair "$SOCK"
  LIVE_WHO="$who" expect_cmd "control: a datagram socket reaches the host listener outside" 0 '^allowed$' \
    as_user "$who" "$LIVE_BIN/live-job" dgram socket "$SOCK"
  sleep 0.2
  if [ "$(got "$SOCK" | grep -c hello)" = 2 ]; then ok "[$who] control: the listener got both datagrams"
  else not_ok "[$who] control: the listener got both datagrams" "got: $(got "$SOCK")"; fi
  rm -f "$SOCK.got"

  expect "socketpair(AF_UNIX, SOCK_DGRAM) + sendto is refused" 1 '^denied EPERM$' -- \
    /in/live-job dgram pair /out/host.sock
  expect "socketpair(AF_UNIX, SOCK_DGRAM) is refused with socket-families=unix too" 1 '^denied EPERM$' -- \
    --profile "$UNIX_PROFILE" /in/live-job dgram pair /out/host.sock
  expect "socket(AF_UNIX, SOCK_DGRAM) + sendto is refused with socket-families=unix" 1 '^denied EPERM$' -- \
    --profile "$UNIX_PROFILE" /in/live-job dgram socket /out/host.sock
  expect "socket(AF_UNIX, SOCK_DGRAM) is refused by the filter (errno=EACCES)" 1 '^denied EACCES$' -- \
    --profile "$UNIX_EACCES_PROFILE" /in/live-job dgram socket /out/host.sock
  expect "socket(AF_UNIX, SOCK_STREAM) still works with socket-families=unix" 0 '^allowed$' -- \
    --profile "$UNIX_PROFILE" /in/live-job syscall socket-unix
  expect "python3 socketpair() (stream) still works" 0 '^ok$' -- /usr/bin/python3 -c '
import socket
a, b = socket.socketpair(); a.send(b"x"); assert b.recv(1) == b"x"; print("ok")'
  sleep 0.2
  if [ -z "$(got "$SOCK")" ]; then ok "[$who] nothing from the sandbox reached the host listener"
  else not_ok "[$who] nothing from the sandbox reached the host listener" "got: $(got "$SOCK")"; fi
  kill "$LISTENER" 2>/dev/null
  wait "$LISTENER" 2>/dev/null
done
finish
