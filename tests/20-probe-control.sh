#!/bin/sh
# 20-probe-control.sh — sbx-probe can fail, and can hold.
#
#  1. The dispatcher: --list is the catalogue; usage errors exit 2; a probe
#     that hangs, crashes, ends without a result or leaves a child behind is
#     reported as ERROR (or not waited for) within its budget.
#  2. The negative control: sbx-probe OUTSIDE any sandbox, in a scratch area
#     with the decoys sbx attest would set up (loopback TCP/UDP echo, a Unix
#     and an abstract socket, a canary file and variable, fixtures, a planted
#     symlink, the host's namespace inodes), as the current user and, when
#     root, as nobody.  Every probe must report VIOLATED — proof that it can
#     fail — except where the table in expect_control says otherwise, with
#     its reason.  The run must leave no trace: fixtures unchanged, nothing
#     left in the scratch, no mount left behind.
#  3. Inside a strict bwrap written here by hand, without seccomp: the
#     probes whose property bwrap alone provides must HOLD, the filter
#     probes must be VIOLATED (there is no filter).  With sbx's launch and
#     lock programs (when `sbx compile` is built) every probe must HOLD.
. "$top_srcdir/tests/libtest.sh"

PROBE_BUILT="$top_builddir/sbx-probe"
PY="${PYTHON3:-python3}"
BW="${BWRAP:-bwrap}"
IDS=$(sed -n 's/^ *{ \(\.id = \)\{0,1\}"\(PR-[A-Z0-9-]*\)".*/\2/p' "$top_srcdir/probes/catalogue.c")

if [ ! -x "$PROBE_BUILT" ]; then
  not_ok "sbx-probe is built" "missing $PROBE_BUILT"
  finish
fi

# The host side of the probe exchange, as sbx attest serves it
# (probes/README.md "Host side"), loopback only.
write_decoys () {
  cat > "$1" <<'PYEOF'
#!/usr/bin/env python3
"""probe-decoys.py — the host side of the probe exchange, for the probe tests.

Serves what sbx-attest serves (probes/README.md, "Host side"), loopback only:
  - TCP on 127.0.0.1:<ephemeral>: echoes whatever a client sends;
  - UDP on 127.0.0.1:<ephemeral>: echoes each datagram to its sender;
  - a listening Unix stream socket at PATH (mode 0666) and an abstract one
    named NAME: accept and close.
Writes "tcp_port=N\nudp_port=N\n" to PORTFILE (atomically) once listening,
then serves until killed or for at most --lifetime seconds.

usage: probe-decoys.py PORTFILE UNIX_PATH ABSTRACT_NAME [--lifetime S]
"""
import os
import selectors
import socket
import sys
import time


def main():
    args = sys.argv[1:]
    lifetime = 600.0
    if "--lifetime" in args:
        i = args.index("--lifetime")
        lifetime = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        sys.stderr.write(__doc__)
        return 2
    portfile, unix_path, abstract = args

    sel = selectors.DefaultSelector()
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(16)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    ux = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ux.bind(unix_path)
    os.chmod(unix_path, 0o666)
    ux.listen(16)
    ab = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ab.bind("\0" + abstract)
    ab.listen(16)
    for s in (tcp, udp, ux, ab):
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)

    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("tcp_port=%d\nudp_port=%d\n" % (tcp.getsockname()[1], udp.getsockname()[1]))
    os.rename(tmp, portfile)

    conns = {}
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=1.0):
            s = key.fileobj
            try:
                if s is tcp:
                    c, _ = tcp.accept()
                    c.setblocking(False)
                    sel.register(c, selectors.EVENT_READ)
                    conns[c] = True
                elif s is udp:
                    data, peer = udp.recvfrom(2048)
                    udp.sendto(data, peer)
                elif s is ux or s is ab:
                    c, _ = s.accept()
                    c.close()
                else:
                    data = s.recv(2048)
                    if data:
                        s.send(data)
                    else:
                        sel.unregister(s)
                        conns.pop(s, None)
                        s.close()
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                if s in conns:
                    sel.unregister(s)
                    conns.pop(s, None)
                    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
PYEOF
}

# What nobody executes or reads must not sit below a folder it cannot
# enter (CI clones under /root): stage it in the world-readable TEST_TMP.
STAGE="$TEST_TMP/stage"
PROBE="$STAGE/sbx-probe"
if mkdir -p "$STAGE" && cp "$PROBE_BUILT" "$PROBE" && chmod 755 "$STAGE" "$PROBE" \
   && write_decoys "$STAGE/probe-decoys.py"; then
  ok "stage sbx-probe in $STAGE"
else
  not_ok "stage sbx-probe in $STAGE" "copying into the test folder failed"
  finish
fi

USERS=self
[ "$(id -u)" = 0 ] && USERS="self nobody"

random_hex () { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
status_field () { sed -n "s/^$1:[[:space:]]*//p" /proc/self/status; }
ns_inode () { stat -L -c %i "/proc/$$/ns/$1"; }

# -------------------------------------------------------------- decoys
DECOY_DIR="$TEST_TMP/decoy"
mkdir -p "$DECOY_DIR" && chmod 755 "$DECOY_DIR"
ABSTRACT="sbx-test-decoy-$(random_hex)"
"$PY" "$STAGE/probe-decoys.py" "$DECOY_DIR/ports" "$DECOY_DIR/decoy.sock" "$ABSTRACT" \
  --lifetime 600 2>"$DECOY_DIR/err" &
DECOY_PID=$!
trap 'kill "$DECOY_PID" 2>/dev/null; cleanup_test_tmp' EXIT
i=0
while [ ! -s "$DECOY_DIR/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ -s "$DECOY_DIR/ports" ]; then
  ok "loopback decoys listening"
else
  not_ok "loopback decoys listening" "$(cat "$DECOY_DIR/err")"
  finish
fi
TCP_PORT=$(sed -n 's/^tcp_port=//p' "$DECOY_DIR/ports")
UDP_PORT=$(sed -n 's/^udp_port=//p' "$DECOY_DIR/ports")

# -------------------------------------------------------- 1. dispatcher
LISTED=$("$PROBE" --list | cut -f1)
if [ "$LISTED" = "$IDS" ] && [ "$(echo "$IDS" | wc -l)" -eq 21 ]; then
  ok "--list names the 21 catalogue probes in order"
else
  not_ok "--list names the 21 catalogue probes in order" "listed: $LISTED"
fi
"$PROBE" >/dev/null 2>&1; r1=$?
"$PROBE" --expect /nonexistent/expect >/dev/null 2>&1; r2=$?
printf 'mode=control\n' > "$TEST_TMP/min.expect"
"$PROBE" --expect "$TEST_TMP/min.expect" --only PR-NOPE >/dev/null 2>&1; r3=$?
printf 'no equals sign\n' > "$TEST_TMP/bad.expect"
"$PROBE" --expect "$TEST_TMP/bad.expect" >/dev/null 2>&1; r4=$?
if [ "$r1$r2$r3$r4" = 2222 ]; then
  ok "usage errors exit 2 (no --expect, missing file, unknown id, malformed file)"
else
  not_ok "usage errors exit 2" "got $r1 $r2 $r3 $r4"
fi

t0=$(date +%s)
"$PROBE" --expect "$TEST_TMP/min.expect" --budget 1 \
  --only SELFTEST-HANG,SELFTEST-CRASH,SELFTEST-SILENT,SELFTEST-LINGER > "$TEST_TMP/self.out" 2>&1
rc=$?
t1=$(date +%s)
self_has () { grep -qxF "$(printf 'RESULT\t%s\t%s\t%s' "$1" "$2" "$3")" "$TEST_TMP/self.out"; }
if [ $rc = 0 ] && self_has SELFTEST-HANG ERROR "timed out after 1 s" \
   && self_has SELFTEST-CRASH ERROR "killed by SIGSEGV" \
   && self_has SELFTEST-SILENT ERROR "exited with status 3 without a result" \
   && self_has SELFTEST-LINGER HOLDS "left a child behind" \
   && [ $((t1 - t0)) -le 4 ]; then
  ok "dispatcher: timeout, crash, silent exit reported as ERROR; a lingering child not waited for"
else
  not_ok "dispatcher: timeout, crash, silent exit, lingering child" \
    "rc=$rc, $((t1 - t0)) s: $(cat "$TEST_TMP/self.out")"
fi
left=0
for p in /proc/[0-9]*; do
  case "$(tr "\\0" " " 2>/dev/null < "$p/cmdline")" in
    "$PROBE "*) left=$((left + 1)) ;;
  esac
done
if [ $left = 0 ]; then
  ok "no probe process left behind"
else
  not_ok "no probe process left behind" "$left still running"
fi

# ------------------------------------------------------ scratch areas
# make_scratch NAME USER MODE: a scratch folder $TEST_TMP/NAME owned by USER
# with in/ (fixtures, planted symlink), tmp/, a canary outside it, and the
# expectations file $TEST_TMP/NAME.expect for MODE (control|sandbox).
make_scratch () {
  local name=$1 user=$2 mode=$3 dir="$TEST_TMP/$1" nonce
  nonce=$(random_hex)
  mkdir -p "$dir/in/sub" "$dir/tmp" "$dir/out" "$dir/secret" || return 1
  printf 'fixture one\n' > "$dir/in/a.txt"
  head -c 4096 /dev/urandom > "$dir/in/data.bin"
  printf 'nested\n' > "$dir/in/sub/c.txt"
  CANARY_TEXT="SBX-CANARY-$(random_hex)"
  printf 'secret: %s\n' "$CANARY_TEXT" > "$dir/secret/canary"
  ln -s "$dir/secret/canary" "$dir/in/canary-link"
  chmod 755 "$dir" "$dir/secret" && chmod 644 "$dir/secret/canary"
  if [ "$user" != self ]; then chown -R "$user" "$dir" || return 1; fi
  NONCE=$nonce
  if [ "$mode" = control ]; then
    IN="$dir/in" OUT="$dir/out-control" TMPD="$dir/tmp" ALLOWED="PATH;HOME"
  else
    IN=/in OUT=/out TMPD=/tmp ALLOWED="PATH;HOME;PWD;LD_PRELOAD;SBX_LOCK_FD"
  fi
  # the canary's file handle, as sbx-attest passes it (canary_handle=): the
  # probe's own name_to_handle_at on the host, recorded in its ATTEMPT line
  printf 'mode=control\ncanary_path=%s\ncanary_text=%s\n' "$dir/secret/canary" "$CANARY_TEXT" \
    > "$TEST_TMP/$name.handle-expect"
  HANDLE=$("$PROBE" --expect "$TEST_TMP/$name.handle-expect" --only PR-FS-ESC-2 2>/dev/null \
           | awk -F'\t' '$1 == "ATTEMPT" && $3 == "name_to_handle_at" && $6 == "0" { print $5; exit }')
  # limits as a profile would set them, different from this test's own
  CPU=60
  [ "$(sed -n 's/^Max cpu time  *\([^ ]*\).*/\1/p' /proc/self/limits)" = 60 ] && CPU=61
  cat > "$TEST_TMP/$name.expect" <<EOF
# written by tests/20-probe-control.sh
mode=$mode
nonce=$nonce
in=$IN
out=$OUT
tmp=$TMPD
canary_path=$dir/secret/canary
canary_text=$CANARY_TEXT
${HANDLE:+canary_handle=$HANDLE}
canary_env=SBX_TEST_CANARY
secret_env=AWS_SECRET_ACCESS_KEY;GITHUB_TOKEN
env_allowed=$ALLOWED
planted_symlink=canary-link
fixtures=a.txt;data.bin;sub/c.txt
tcp_port=$TCP_PORT
udp_port=$UDP_PORT
unix_socket=$DECOY_DIR/decoy.sock
abstract_socket=$ABSTRACT
host_ns_net=$(ns_inode net)
host_ns_pid=$(ns_inode pid)
host_ns_ipc=$(ns_inode ipc)
host_ns_uts=$(ns_inode uts)
host_ns_mnt=$(ns_inode mnt)
host_ns_user=$(ns_inode user)
host_ns_cgroup=$(ns_inode cgroup)
host_pid=$$
host_uid=$(if [ "$user" = self ]; then id -u; else id -u "$user"; fi)
host_hostname=$(hostname)
errno=EPERM
limit_cpu=$CPU
limit_as=2G
limit_nofile=256
limit_nproc=64
limit_fsize=1G
limit_core=0
EOF
  chmod 644 "$TEST_TMP/$name.expect"
  (cd "$dir/in" && find . | sort && sha256sum a.txt data.bin sub/c.txt) > "$TEST_TMP/$name.before"
}

# check_records NAME OUTFILE: well-formed records, one RESULT per probe.
check_records () {
  local bad
  bad=$(awk -F'\t' '($1 == "ATTEMPT" && NF == 6) || ($1 == "RESULT" && NF == 4) { next }
                    { print "line " NR ": " $0 }' "$2")
  for id in $IDS; do
    n=$(awk -F'\t' -v id="$id" '$1 == "RESULT" && $2 == id' "$2" | wc -l)
    a=$(awk -F'\t' -v id="$id" '$1 == "ATTEMPT" && $2 == id' "$2" | wc -l)
    [ "$n" = 1 ] || bad="$bad
$id: $n RESULT lines"
    [ "$a" -ge 1 ] || bad="$bad
$id: no ATTEMPT line"
  done
  if [ -z "$bad" ]; then ok "$1: records well-formed, one RESULT and some ATTEMPTs per probe"
  else not_ok "$1: records well-formed" "$bad"; fi
}

verdict_of () { awk -F'\t' -v id="$1" '$1 == "RESULT" && $2 == id { print $3 }' "$2"; }
summary_of () { awk -F'\t' -v id="$1" '$1 == "RESULT" && $2 == id { print $4 }' "$2"; }

# check_verdicts NAME OUTFILE FUNCTION USER: FUNCTION ID USER prints
# "VERDICT reason" (reason may be empty) or "SKIP reason".
check_verdicts () {
  local name=$1 out=$2 fn=$3 user=$4 want reason got
  for id in $IDS; do
    set -- $($fn "$id" "$user")
    want=$1; shift; reason="$*"
    got=$(verdict_of "$id" "$out")
    if [ "$want" = SKIP ]; then
      skip "$name: $id (got $got)" "$reason"
    elif [ "$got" = "$want" ]; then
      ok "$name: $id $got${reason:+ ($reason)}"
    else
      not_ok "$name: $id $want${reason:+ ($reason)}" "got $got: $(summary_of "$id" "$out")"
    fi
  done
}

# -------------------------------------------------- 2. negative control
# Every probe can be violated outside a sandbox, also by an unprivileged
# user; none is untestable here:
#  - PR-TTY-1 needs no terminal: its fd -1 filter legs reach the kernel
#    (EBADF) and it injects into a pty of its own.
#  - PR-ABI-1: the x32 call reaches the kernel (ENOSYS without x32); the
#    i386 leg faults (SIGSEGV) on this kind of host and is only noted.
#  - PR-MOUNT-1 as nobody: unshare(NEWUSER|NEWNS) and the mounts in that
#    namespace work (and / is mounted rw here anyway).
#  - PR-CAP-1 as nobody: setpriv keeps the bounding set.
#  - PR-RLIMIT-1: the host's limits differ from the profile's (as root the
#    processes leg cannot be observed: RLIMIT_NPROC does not bind uid 0).
# The exceptions below follow from how this test itself is run.
SELF_SECCOMP=$(status_field Seccomp)
SELF_FILTERS=$(status_field Seccomp_filters)
SELF_NNP=$(status_field NoNewPrivs)
SELF_CAPS="$(status_field CapEff)$(status_field CapPrm)$(status_field CapBnd)$(status_field CapAmb)"
SELF_BND=$(status_field CapBnd)
expect_control () {
  case "$1" in
    PR-NNP-1)
      [ "$SELF_NNP" = 1 ] && { echo "HOLDS this test already runs with no_new_privs"; return; } ;;
    PR-SECCOMP-1)
      [ "${SELF_FILTERS:-0}" -ge 2 ] && { echo "HOLDS this test already runs under 2+ seccomp filters"; return; } ;;
    PR-CAP-1)
      if [ "$2" = self ] && [ -z "$(echo "$SELF_CAPS" | tr -d 0)" ]; then
        echo "HOLDS this test already runs without capabilities"; return
      fi
      if [ "$2" != self ] && [ -z "$(echo "$SELF_BND" | tr -d 0)" ]; then
        echo "HOLDS this test already runs with an empty bounding set"; return
      fi ;;
    PR-SOCK-1|PR-PTRACE-1|PR-EXEC-1|PR-URING-1|PR-TTY-1|PR-ABI-1)
      [ "$SELF_SECCOMP" = 2 ] && { echo "SKIP this test runs under a seccomp filter of its own"; return; } ;;
  esac
  echo VIOLATED
}

for user in $USERS; do
  name="control-$user"
  if ! make_scratch "$name" "$user" control; then
    not_ok "$name: scratch area" "could not set it up"
    continue
  fi
  as_user "$user" env SBX_TEST_CANARY="canary-$NONCE" AWS_SECRET_ACCESS_KEY="decoy-$NONCE" \
    "$PROBE" --expect "$TEST_TMP/$name.expect" > "$TEST_TMP/$name.out" 2> "$TEST_TMP/$name.err"
  rc=$?
  if [ $rc = 0 ]; then ok "$name: sbx-probe exits 0"
  else not_ok "$name: sbx-probe exits 0" "rc=$rc: $(cat "$TEST_TMP/$name.err")"; fi
  check_records "$name" "$TEST_TMP/$name.out"
  check_verdicts "$name" "$TEST_TMP/$name.out" expect_control "$user"

  dir="$TEST_TMP/$name"
  (cd "$dir/in" && find . | sort && sha256sum a.txt data.bin sub/c.txt) > "$TEST_TMP/$name.after"
  if cmp -s "$TEST_TMP/$name.before" "$TEST_TMP/$name.after"; then
    ok "$name: in/ unchanged (same names, same bytes)"
  else
    not_ok "$name: in/ unchanged" "$(diff "$TEST_TMP/$name.before" "$TEST_TMP/$name.after")"
  fi
  if [ -z "$(ls -A "$dir/tmp")" ] && [ ! -e "$dir/out-control" ] \
     && ! grep -q 'sbx-probe' /proc/self/mountinfo; then
    ok "$name: no trace (tmp/ empty, out-control absent, no mount left)"
  else
    not_ok "$name: no trace" "tmp: $(ls -A "$dir/tmp"); out-control: $(ls -d "$dir/out-control" 2>&1)"
  fi
done
if kill -0 "$DECOY_PID" 2>/dev/null; then ok "decoys still up after the control runs"
else not_ok "decoys still up after the control runs" "$(cat "$DECOY_DIR/err")"; fi

# ------------------------------------------------------ 3. inside bwrap
# A strict bwrap argv close to what sbx builds, without seccomp.
bwrap_argv () { # SCRATCH EXPECT: prints the bwrap options, space-separated
  local dir=$1 expect=$2 a
  a="--unshare-all --unshare-user --disable-userns --assert-userns-disabled --die-with-parent"
  a="$a --new-session --cap-drop ALL --hostname sbx --clearenv"
  a="$a --setenv PATH /usr/bin:/bin --setenv HOME /tmp --ro-bind /usr /usr"
  [ -e /etc/ld.so.cache ] && a="$a --ro-bind /etc/ld.so.cache /etc/ld.so.cache"
  for d in bin sbin lib lib32 lib64 libx32; do
    if [ -L "/$d" ]; then a="$a --symlink $(readlink "/$d") /$d"
    elif [ -d "/$d" ]; then a="$a --ro-bind /$d /$d"; fi
  done
  a="$a --proc /proc --dev /dev --ro-bind $dir/in /in --bind $dir/out /out --tmpfs /tmp"
  a="$a --ro-bind $PROBE /run/sbx/sbx-probe --ro-bind $expect /run/sbx/expect"
  echo "$a"
}

# Run by root, this test's bwrap job is host uid 0 (unlike sbx's): the
# kernel does not apply RLIMIT_NPROC to it, so PR-RLIMIT-1's processes leg
# cannot be observed and the probe must say so (UNTESTABLE, never HOLDS).
rlimit_as () {
  [ "$1" = self ] && [ "$(id -u)" = 0 ] && { echo "UNTESTABLE the job is host uid 0: RLIMIT_NPROC does not bind it"; return; }
  echo HOLDS
}
# Plain bwrap provides these; the filter probes have no filter to find.
expect_bwrap () {
  case "$1" in
    PR-RLIMIT-1) rlimit_as "$2" ;;
    PR-SOCK-1|PR-PTRACE-1|PR-EXEC-1|PR-URING-1|PR-TTY-1|PR-ABI-1|PR-SECCOMP-1)
      echo "VIOLATED no seccomp filter in this run" ;;
    PR-TMP-NOEXEC)
      echo "VIOLATED bwrap's own --tmpfs /tmp is not noexec" ;;
    *) echo HOLDS ;;
  esac
}
# A gate that lets the job's second exec through: only PR-EXEC-1's
# .preinit_array leg tries one (the job's first exec is sbx-probe itself).
expect_lax_gate () {
  case "$1" in
    PR-EXEC-1) echo "VIOLATED the .preinit_array exec ran" ;;
    *) expect_all_hold "$@" ;;
  esac
}
# With the programs loaded everything holds, but /tmp is still bwrap's own
# exec-able --tmpfs (sbx mounts a noexec one; this test does not).
expect_all_hold () {
  case "$1" in
    PR-RLIMIT-1) rlimit_as "$2" ;;
    PR-TMP-NOEXEC) echo "VIOLATED bwrap's own --tmpfs /tmp is not noexec" ;;
    *) echo HOLDS ;;
  esac
}

LIMITS="--cpu=60 --as=2147483648 --nofile=256 --nproc=64 --fsize=1073741824 --core=0"
if ! command -v "$BW" >/dev/null 2>&1 || ! command -v prlimit >/dev/null 2>&1; then
  skip "probes inside bwrap" "bwrap or prlimit not installed"
  finish
fi

# sbx's own programs, when sbx is built: launch for --seccomp, and the exec
# gate's program for sbx-exec, served by tests/gate-supervise.py (a
# supervisor written apart from sbx; x86_64 numbers)
HAVE_FILTERS=no
if [ -x "${SBX:-}" ] && [ -f "${SBX_HELPER_DIR:-}/sbx-exec" ] && [ "$(uname -m)" = x86_64 ] \
   && "$SBX" compile --launch-bpf "$STAGE/launch.bpf" --gate-bpf "$STAGE/gate.bpf" >/dev/null 2>&1 \
   && [ -s "$STAGE/launch.bpf" ] && [ -s "$STAGE/gate.bpf" ] \
   && cp "$SBX_HELPER_DIR/sbx-exec" "$top_srcdir/tests/gate-supervise.py" "$STAGE/"; then
  chmod 644 "$STAGE/launch.bpf" "$STAGE/gate.bpf" && chmod 755 "$STAGE/sbx-exec" "$STAGE/gate-supervise.py"
  HAVE_FILTERS=yes
fi

for user in $USERS; do
  for filters in no yes lax; do
    if [ $filters != no ] && [ $HAVE_FILTERS = no ]; then
      skip "bwrap+seccomp ($filters) as $user" "sbx compile / sbx-exec not built yet, or not x86_64"
      continue
    fi
    # lax: the gate lets a second exec through (sbx-probe's .preinit_array
    # exec), every later one is refused: only that leg can see it
    [ $filters = lax ] && [ "$user" != self ] && continue
    name="bwrap-$user"; [ $filters = yes ] && name="bwrap-seccomp-$user"
    [ $filters = lax ] && name="bwrap-laxgate-$user"
    if ! make_scratch "$name" "$user" sandbox; then
      not_ok "$name: scratch area" "could not set it up"
      continue
    fi
    dir="$TEST_TMP/$name"
    args=$(bwrap_argv "$dir" "$TEST_TMP/$name.expect")
    if [ $filters != no ]; then
      args="$args --ro-bind $STAGE/sbx-exec /run/sbx/sbx-exec --seccomp 8"
    fi
    args="$args --chdir /out --remount-ro /"
    launch=/dev/null gate= job=/run/sbx/sbx-probe allow=1
    [ $filters = lax ] && allow=2
    if [ $filters != no ]; then
      launch="$STAGE/launch.bpf"
      gate="${PYTHON3:-python3} $STAGE/gate-supervise.py $STAGE/gate.bpf 9 --"
      job="/run/sbx/sbx-exec 9 /run/sbx/sbx-probe"
    fi
    # The limits are set inside a user namespace of the test's own, as sbx
    # sets them inside its own: RLIMIT_NPROC then counts the sandbox's
    # processes, not every process the user has on the host (other tests
    # running as nobody at the same time under make -j).
    # word splitting of $args is wanted: no path here contains a space
    # shellcheck disable=SC2086
    as_user "$user" env SBX_TEST_CANARY="canary-$NONCE" AWS_SECRET_ACCESS_KEY="decoy-$NONCE" SBX_TEST_GATE_ALLOW=$allow \
      $gate sh -c 'exec 8<"$1"; shift; exec "$@"' sh "$launch" \
      unshare --user --map-current-user prlimit $LIMITS -- "$BW" $args -- $job --expect /run/sbx/expect \
      > "$TEST_TMP/$name.out" 2> "$TEST_TMP/$name.err"
    rc=$?
    if [ $rc = 0 ]; then ok "$name: sbx-probe exits 0"
    else not_ok "$name: sbx-probe exits 0" "rc=$rc: $(cat "$TEST_TMP/$name.err")"; fi
    check_records "$name" "$TEST_TMP/$name.out"
    if [ $filters = yes ]; then
      check_verdicts "$name" "$TEST_TMP/$name.out" expect_all_hold "$user"
    elif [ $filters = lax ]; then
      check_verdicts "$name" "$TEST_TMP/$name.out" expect_lax_gate "$user"
      if summary_of PR-EXEC-1 "$TEST_TMP/$name.out" | grep -qx '\.preinit_array execve ran the program (exit 0) \[the legs ran from a static binary\]'; then
        ok "$name: PR-EXEC-1 names the .preinit_array exec, and nothing else"
      else
        not_ok "$name: PR-EXEC-1 names the .preinit_array exec, and nothing else" "$(summary_of PR-EXEC-1 "$TEST_TMP/$name.out")"
      fi
    else
      check_verdicts "$name" "$TEST_TMP/$name.out" expect_bwrap "$user"
    fi
    if [ "$(cat "$dir/out/sbx-nonce.txt" 2>/dev/null)" = "$NONCE" ]; then
      ok "$name: the host sees the nonce in out/sbx-nonce.txt"
    else
      not_ok "$name: the host sees the nonce in out/sbx-nonce.txt" "$(ls -la "$dir/out")"
    fi
    (cd "$dir/in" && find . | sort && sha256sum a.txt data.bin sub/c.txt) > "$TEST_TMP/$name.after"
    if cmp -s "$TEST_TMP/$name.before" "$TEST_TMP/$name.after"; then ok "$name: in/ unchanged"
    else not_ok "$name: in/ unchanged" "$(diff "$TEST_TMP/$name.before" "$TEST_TMP/$name.after")"; fi
  done
done
finish
