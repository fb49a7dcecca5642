#!/bin/sh
# 60-live-exec-gate.sh — the exec gate (DESIGN.md §2) against the ways an
# outside review exec'd past the old LD_PRELOAD lock, as the current user
# and, when root, as nobody, with the real bwrap and kernel.  The hostile
# jobs are built here from tests/gate-job.c with the host's C compiler:
#
#   - a .preinit_array entry, an IFUNC resolver, the constructor of a
#     DT_NEEDED library loaded from /in (rpath /in), and a PT_INTERP of
#     /in/myinterp each try to exec /usr/bin/echo ESCAPED-…: each is refused
#     (the profile's EPERM) and sbx names it;
#   - a static binary runs, and its own exec is refused;
#   - python3's subprocess.run(['sort']) gets PermissionError, and sbx says
#     which exec it refused and why;
#   - a job cannot take the gate over: a second NEW_LISTENER is EBUSY, a
#     USER_NOTIF filter of its own leaves its exec refused (ENOSYS), and it
#     holds no socket or listener of the gate;
#   - a #!/usr/bin/env python3 script runs (sbx resolves env's NAME first);
#   - when sbx dies, a waiting exec never happens (fail closed).
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
  skip "exec gate bypass jobs" "no C compiler ($CC) to build tests/gate-job.c"
  finish
fi
PY=/usr/bin/python3
SRC="$top_srcdir/tests/gate-job.c"
JOBS="$TEST_TMP/gate-jobs"
mkdir -p "$JOBS" && cd "$JOBS" \
  && "$CC" -O1 -o preinit -DGATE_PREINIT "$SRC" \
  && "$CC" -O1 -o ifunc -DGATE_IFUNC "$SRC" \
  && "$CC" -O1 -shared -fPIC -o libgateneeded.so -DGATE_NEEDED_LIB "$SRC" \
  && "$CC" -O1 -o needed -DGATE_NEEDED "$SRC" -L. -lgateneeded -Wl,-rpath,/in \
  && "$CC" -O1 -static -nostdlib -fno-stack-protector -o myinterp -DGATE_INTERP "$SRC" \
  && "$CC" -O1 -o interp -Wl,--dynamic-linker=/in/myinterp "$SRC" \
  && "$CC" -O1 -static -o static-job "$SRC" \
  && "$CC" -O1 -o plain "$SRC" \
  && chmod 755 "$JOBS" "$JOBS"/* \
  && cd - >/dev/null \
  || live_bail "cannot build the gate jobs from $SRC with $CC"

REFUSED='^sbx: refused execve\("/usr/bin/echo"\): exec lock \(\[seccomp\] exec-lock, see sbx\(1\)\)$'

# no_escape NAME: ok when no ESCAPED-… reached stdout (the exec never ran).
no_escape () {
  if printf '%s\n' "$LIVE_OUT" | grep -q ESCAPED; then
    not_ok "[$LIVE_WHO] $1: the exec did not happen" "$LIVE_OUT"
  else
    ok "[$LIVE_WHO] $1: the exec did not happen"
  fi
}

for who in $LIVE_USERS; do
  live_setup "$who"
  cp "$JOBS"/preinit "$JOBS"/ifunc "$JOBS"/libgateneeded.so "$JOBS"/needed "$JOBS"/myinterp \
     "$JOBS"/interp "$JOBS"/static-job "$JOBS"/plain "$IN/" \
    || live_bail "cannot stage the gate jobs into $IN"

  expect ".preinit_array exec refused, sbx names it" 0 "$REFUSED" -- /in/preinit
  no_escape ".preinit_array"
  expect ".preinit_array: EPERM, then main runs" 0 '^preinit: refused errno=1$' -- /in/preinit

  expect "IFUNC resolver exec refused, sbx names it" 0 "$REFUSED" -- /in/ifunc
  no_escape "IFUNC resolver"
  expect "IFUNC resolver: EPERM" 0 '^ifunc: refused errno=1$' -- /in/ifunc

  expect "DT_NEEDED constructor (rpath /in) exec refused, sbx names it" 0 "$REFUSED" -- /in/needed
  no_escape "DT_NEEDED constructor"
  expect "DT_NEEDED constructor: EPERM, then main runs" 0 '^needed: refused errno=1$' -- /in/needed

  expect "PT_INTERP /in/myinterp exec refused, sbx names it" 0 "$REFUSED" -- /in/interp
  no_escape "PT_INTERP"
  expect "PT_INTERP: EPERM" 0 '^interp: refused errno=1$' -- /in/interp

  expect "a static binary runs under the gate" 0 '^main reached$' -- /in/static-job
  expect "a static binary's own exec is refused, sbx names it" 0 "$REFUSED" -- /in/static-job static
  no_escape "static binary"

  if [ -x "$PY" ]; then
    expect "python3 subprocess.run(['sort']): PermissionError" 1 'PermissionError: \[Errno 1\]' -- \
      "$PY" -c 'import subprocess; subprocess.run(["sort"])'
    expect "python3 subprocess.run(['sort']): sbx names the refused exec" 1 \
      '^sbx: refused execve\("/usr/bin/sort"\): exec lock \(\[seccomp\] exec-lock, see sbx\(1\)\)$' -- \
      "$PY" -c 'import subprocess; subprocess.run(["sort"])'
    n=$(printf '%s\n' "$LIVE_OUT" | grep -c '^sbx: refused execve("/usr/bin/sort")')
    if [ "$n" = 1 ]; then ok "[$who] one line per distinct refused path"
    else not_ok "[$who] one line per distinct refused path" "$n lines: $LIVE_OUT"; fi
    expect "a loop of 50 refused execs prints one line" 0 '^50$' -- "$PY" -c '
import subprocess
n = 0
for i in range(50):
    try: subprocess.run(["/usr/bin/sort"])
    except PermissionError: n += 1
print(n)'
    n=$(printf '%s\n' "$LIVE_OUT" | grep -c '^sbx: refused')
    if [ "$n" = 1 ]; then ok "[$who] 50 refusals of one path: one line"
    else not_ok "[$who] 50 refusals of one path: one line" "$n lines: $LIVE_OUT"; fi

    printf '#!/usr/bin/env python3\nimport sys\nprint("script ran:", sys.argv[1:])\n' > "$IN/job.py" \
      && chmod 755 "$IN/job.py" || live_bail "cannot write $IN/job.py"
    expect "#!/usr/bin/env python3 script runs under the gate" 0 "^script ran: \\['a b', 'c'\\]\$" -- \
      /in/job.py "a b" c
    printf '#!/usr/bin/env -S python3 -I\nimport sys\nprint("isolated:", sys.flags.isolated)\n' > "$IN/job-s.py" \
      && chmod 755 "$IN/job-s.py" || live_bail "cannot write $IN/job-s.py"
    expect "#!/usr/bin/env -S python3 -I script runs with its option" 0 '^isolated: 1$' -- /in/job-s.py
  else
    skip "[$who] python3 jobs" "$PY is not installed"
  fi
  printf '#!/usr/bin/env no-such-interpreter-%s\n' "$$" > "$IN/bad.sh" && chmod 755 "$IN/bad.sh" \
    || live_bail "cannot write $IN/bad.sh"
  expect "#!/usr/bin/env with a missing NAME: 127 before anything starts" 127 \
    "^sbx: script .*bad.sh.*not found" -- /in/bad.sh

  expect "a second NEW_LISTENER is refused (EBUSY)" 0 '^listener: refused EBUSY$' -- /in/plain listener
  expect "a USER_NOTIF filter of the job's own leaves exec refused (ENOSYS)" 0 \
    '^own-notify: refused errno=38$' -- /in/plain listener
  no_escape "take-over"
  expect "the job holds no socket or listener of the gate" 0 '^gate fds: 0$' -- /in/plain fds

  # Fail closed: sbx dies while the job waits to exec; the exec never runs.
  if [ -x "$PY" ]; then
    rm -f "$OUT/late"
    (sbx_as "$who" run --in "$IN" --out "$OUT" -- "$PY" -c '
import os, time
time.sleep(1.5)
try: os.execv("/usr/bin/sh", ["sh", "-c", "echo ESCAPED > /out/late"])
except OSError as e: open("/out/late", "w").write("refused %d\n" % e.errno)
' >/dev/null 2>&1) &
    sleep 0.5
    pid=$(pgrep -n -f "^$LIVE_BIN/sbx run --in $IN " || true)
    if [ -n "$pid" ]; then
      kill -9 "$pid"
      sleep 2.5
      if grep -q ESCAPED "$OUT/late" 2>/dev/null; then
        not_ok "[$who] sbx killed: the job's exec never runs" "$(cat "$OUT/late")"
      else
        ok "[$who] sbx killed: the job's exec never runs"
      fi
    else
      not_ok "[$who] sbx killed: the job's exec never runs" "could not find sbx's pid"
    fi
    wait
  fi
done
finish
