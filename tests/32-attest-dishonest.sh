#!/bin/sh
# 32-attest-dishonest.sh — a bwrap that quietly weakens the sandbox must not
# be attested.  tests/dishonest-bwrap applies one weakening per run, found
# first in PATH as "bwrap" (as an outside audit did).  Each weakening is
# checked two ways, as the current user and (when root) as nobody:
#   1. a job run by `sbx run` through the same wrapper sees it (the
#      weakening is real, so the check below is not vacuous);
#   2. `sbx attest` through it is not SANDBOX_ATTESTED, and the probe whose
#      property it breaks FAILs naming it (in the bundle and in the table).
# The pass-through wrapper ("none") must still attest.  TAP.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/attest-lib.sh"

if ! stage_attest_tools; then
  not_ok "stage sbx and its helpers into $STAGE" "cannot copy from $top_builddir or nobody cannot run them"
  finish
fi
REAL_BWRAP=$(command -v "$BWRAP" 2>/dev/null || echo "$BWRAP")
if ! "$REAL_BWRAP" --version >/dev/null 2>&1; then
  skip "dishonest bwrap" "bwrap ($BWRAP) cannot run here"
  finish
fi
if ! command -v bash >/dev/null || [ ! -x /usr/bin/python3 ]; then
  skip "dishonest bwrap" "needs bash and /usr/bin/python3"
  finish
fi
cp "$top_srcdir/tests/dishonest-bwrap" "$STAGE/dishonest-bwrap" && chmod 755 "$STAGE/dishonest-bwrap" \
  || { not_ok "stage the dishonest bwrap" "cannot copy it"; finish; }
SECRET=sbx-weak-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
# a host /dev entry bwrap's own --dev does not make
HOSTDEV=$(ls /dev | grep -v -x -E 'null|zero|full|random|urandom|tty|pts|shm|ptmx|fd|stdin|stdout|stderr|core|console' | head -n 1)

# weakening | probe that must FAIL | text its reason must hold | python: exit 0 when the job sees it
cases="none|||import sys; sys.exit(0)
host-root|PR-FS-ESC-1|extra mount /host|import os, sys; sys.exit(0 if os.path.isdir('/host/etc') else 1)
extra-bind|PR-FS-ESC-1|extra mount /extra|open('/extra/seen', 'w').write('x')
setenv-tz|PR-ENV-1|TZ|import os, sys; sys.exit(0 if os.environ.get('TZ') == '$SECRET' else 1)
dev-bind|PR-FS-ESC-1|/dev|import os, sys; sys.exit(0 if os.path.lexists('/dev/$HOSTDEV') else 1)
tmpfs-tmp|PR-TMP-NOEXEC|/tmp|import mmap, os; fd = os.open('/tmp/x', os.O_RDWR | os.O_CREAT, 0o600); os.write(fd, bytes(4096)); mmap.mmap(fd, 4096, prot=mmap.PROT_READ | mmap.PROT_EXEC)
proc-sys-rw|PR-MOUNT-1|/proc/sys writable|import sys; sys.exit(0 if any(l.split()[4] == '/proc/sys' and l.split()[5].startswith('rw') for l in open('/proc/self/mountinfo')) else 1)
in-sub-rw|PR-FS-RO-IN|writable mount under /in: /in/fixture-dir|open('/in/fixture-dir/seen', 'w').write('x')
usr-local-rw|PR-MOUNT-1|writable system path /usr/local|open('/usr/local/seen', 'w').write('x')
drop-cap-drop|PR-CAP-1|Cap|import sys; sys.exit(0 if any(l.startswith('CapEff:') and int(l.split()[1], 16) for l in open('/proc/self/status')) else 1)
share-net|PR-NET-1|eth|import sys; sys.exit(0 if any(l.split(':')[0].strip() != 'lo' for l in open('/proc/net/dev').readlines()[2:]) else 1)
in-rw|PR-FS-RO-IN|/in|open('/in/seen', 'w').write('x')
daemon-socket|PR-SOCK-DOCKER|/run/docker.sock|import os, stat, sys; sys.exit(0 if stat.S_ISSOCK(os.stat('/run/docker.sock').st_mode) else 1)
drop-unshare-user|PR-NS-1|user|import sys; sys.exit(0 if open('/proc/self/uid_map').read().split()[2] != '1' else 1)
uid-zero|PR-NS-1|uid map 0 0 1|import os, sys; sys.exit(0 if os.getuid() == 0 and open('/proc/self/uid_map').read().split() == ['0', '0', '1'] else 1)
pid1-reachable|PR-NS-1|pid 1 is not the job and is within its reach|import os; os.close(os.open('/proc/1/environ', os.O_RDONLY))"

for u in $(attest_users); do
  d=$(work_dir "$u") || { not_ok "$u: work folder" "cannot create it"; continue; }
  weak=$d/weak
  mkdir -p "$weak/extra" "$weak/sub" "$weak/usr-local" "$d/in/fixture-dir" "$d/out" \
    && echo input > "$d/in/fixture-dir/a.txt" \
    && /usr/bin/python3 -c "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$weak/docker.sock" \
    && chmod -R a+rX "$weak" && chmod 666 "$weak/docker.sock" \
    || { not_ok "$u: weakening folders" "cannot create them"; continue; }
  [ "$u" = self ] || chown -R "$u" "$d" || { not_ok "$u: weakening folders" "chown failed"; continue; }
  # run by root, sbx runs the job as a uid of its sandbox's own (never host
  # uid 0, chosen when sbx starts): the folders a dishonest bwrap binds
  # writable must be writable by that uid to be seen, so by all
  if [ "$u" = self ] && [ "$(id -u)" = 0 ]; then
    chmod -R a+rwX "$weak/extra" "$weak/sub" "$weak/usr-local" "$d/in/fixture-dir" \
      || { not_ok "$u: weakening folders" "chmod for the job uid failed"; continue; }
  fi
  printf '%s\n' "$cases" > "$d/cases"
  while IFS='|' read -r name probe text code; do
    wrap=$d/wrap-$name
    mkdir -p "$wrap" \
      && printf '#!/bin/sh\nSBX_WEAK_DIR=%s SBX_WEAK_SECRET=%s exec %s %s %s "$@"\n' \
           "$weak" "$SECRET" "$STAGE/dishonest-bwrap" "$name" "$REAL_BWRAP" > "$wrap/bwrap" \
      && chmod 755 "$wrap" "$wrap/bwrap" \
      || { not_ok "$u: $name: wrapper" "cannot write it"; continue; }
    rm -f "$d/in/seen" "$d/in/fixture-dir/seen" "$weak/extra/seen" "$weak/sub/seen" "$weak/usr-local/seen"

    # 1. the weakening is real: a job through the wrapper sees it
    run_as "$u" "$d" env PATH="$wrap:/usr/bin:/bin" "$STAGE/sbx" run --in "$d/in" --out "$d/out" \
      -- /usr/bin/python3 -c "$code" </dev/null >"$d/job.out" 2>&1
    rc=$?
    # unprivileged, bwrap itself makes a user namespace and drops every
    # capability: these two weakenings cannot take effect, and the
    # attestation must then still hold (checked below, not skipped)
    no_effect=
    # and run by root, the job is an unprivileged uid too, and sbx hands
    # bwrap an /in it made read-only itself (an idmapped clone): a
    # read-write bind of it changes nothing either
    case "$name" in
      drop-cap-drop|drop-unshare-user) no_effect=yes ;;
      in-rw) [ "$u" = self ] && [ "$(id -u)" = 0 ] && no_effect=yes ;;
    esac
    if [ -n "$no_effect" ]; then
      if [ $rc -eq 1 ]; then ok "$u: $name: no effect (the job is an unprivileged uid in a user namespace bwrap makes, without capabilities; sbx made /in read-only itself)"
      else not_ok "$u: $name: no effect for an unprivileged caller" "exit $rc (expected 1: not seen): $(cat "$d/job.out")"; fi
    elif [ $rc -eq 0 ]; then
      ok "$u: $name: a job through the wrapper sees it"
    else
      not_ok "$u: $name: a job through the wrapper sees it" "exit $rc: $(cat "$d/job.out")"
    fi

    # 2. attest through it: not attested, the matching probe FAILs naming it
    ev=$d/ev-$name.json
    rm -f "$ev"
    run_as "$u" "$d" env PATH="$wrap:/usr/bin:/bin" "$STAGE/sbx" attest --evidence "$ev" </dev/null >"$d/att.out" 2>&1
    rc=$?
    if [ "$name" = none ] || [ -n "$no_effect" ]; then
      if [ $rc -eq 0 ] && grep -q '^SANDBOX_ATTESTED: ' "$d/att.out"; then
        ok "$u: $name: the wrapper changes nothing the job gets, and sbx attest still attests"
      else
        not_ok "$u: $name: sbx attest still attests" "exit $rc: $(grep -v 'PASS' "$d/att.out")"
      fi
    elif [ $rc -ne 0 ] && ! grep -q '^SANDBOX_ATTESTED' "$d/att.out" && out=$($CHECK failing "$ev" "$probe" "$text") \
         && grep -q "^$probe FAIL: .*$(printf '%s' "$text" | sed 's/[][\.*^$/]/\\&/g')" "$d/att.out"; then
      ok "$u: $name: sbx attest is not attested, $probe FAILs naming it ($(grep -m1 "^$probe FAIL: " "$d/att.out" | cut -c1-120))"
    else
      not_ok "$u: $name: sbx attest is not attested, $probe FAILs naming '$text'" "exit $rc
${out:-}
$(grep -v 'PASS$\|PASS (not required)$' "$d/att.out")"
    fi
  done < "$d/cases"
  if scratch_gone "$d"; then ok "$u: every scratch area is removed"
  else not_ok "$u: every scratch area is removed" "$(ls -la "$d/tmp")"; fi
done
finish
