#!/bin/sh
# 62-live-passwd.sh — the sandbox's own /etc/passwd and /etc/group
# (lib/sbx-etc.c): the job's uid and gid have a name ("sbx"), so id,
# whoami, ls -l and python's pwd/getpass work; nothing of the host's files
# shows (no root, no daemon, none of the host's accounts); both files are
# read-only, and the home field follows [environment] set HOME.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

# The host's account names, less the ones sbx generates itself.
HOST_NAMES=$(cut -d: -f1 /etc/passwd /etc/group | grep -vxE 'sbx|nobody|nogroup' | sort -u)
[ -n "$HOST_NAMES" ] || live_bail "cannot read the host's account names from /etc/passwd"
# A name of the host's file that every Debian-like host has.
HOST_PROBE=$(printf '%s\n' $HOST_NAMES | grep -xE 'root|daemon|bin' | head -n 1)
[ -n "$HOST_PROBE" ] || live_bail "no root, daemon or bin in the host's /etc/passwd"

PY='import os, pwd, grp, getpass
u = pwd.getpwuid(os.getuid()); g = grp.getgrgid(os.getgid())
print("pw", u.pw_name, u.pw_uid == os.getuid(), u.pw_dir)
print("gr", g.gr_name, g.gr_gid == os.getgid())
print("getuser", getpass.getuser())'

for who in $LIVE_USERS; do
  live_setup "$who"

  expect "id -un names the job's user" 0 '^sbx$' -- /usr/bin/id -un
  expect "id -gn names the job's group" 0 '^sbx$' -- /usr/bin/id -gn
  expect "whoami works" 0 '^sbx$' -- /usr/bin/whoami
  expect "python3 pwd.getpwuid(os.getuid()) and grp.getgrgid(os.getgid()) find the job" 0 \
    '^pw sbx True /tmp$' -- /usr/bin/python3 -c "$PY"
  expect "python3 getpass.getuser() works (no USER or LOGNAME inside)" 0 '^getuser sbx$' -- \
    /usr/bin/python3 -c "$PY"
  # ls -l of a host file: its owner is unmapped, so nobody (as root) or, as
  # nobody, the job's own id; a name either way, never a bare number.
  expect "ls -l shows names, not numbers" 0 '^-[-rwx]{9} 1 (nobody|sbx) (nogroup|sbx) ' -- \
    /bin/ls -l /usr/bin/id

  sbx_run /bin/cat /etc/passwd /etc/group
  if [ "$LIVE_RC" != 0 ]; then
    not_ok "[$who] /etc/passwd and /etc/group are readable" "$LIVE_OUT"
  else
    ok "[$who] /etc/passwd and /etc/group are readable"
    names=$(printf '%s\n' "$LIVE_OUT" | cut -d: -f1 | sort -u | tr '\n' ' ')
    leaked=$(printf '%s\n' "$LIVE_OUT" | cut -d: -f1 | grep -xF "$(printf '%s\n' $HOST_NAMES)")
    if [ -z "$leaked" ] && [ "$(printf '%s\n' "$LIVE_OUT" | wc -l)" -le 4 ]; then
      ok "[$who] none of the host's accounts is inside (only: $names)"
    else
      not_ok "[$who] none of the host's accounts is inside" "host names inside: $leaked; files:
$LIVE_OUT"
    fi
  fi
  expect "the host's $HOST_PROBE is unknown inside" 1 "no such user|KeyError" -- \
    /usr/bin/python3 -c "import pwd; pwd.getpwnam('$HOST_PROBE')"
  expect "/etc/passwd is read-only" 1 "Read-only file system" -- \
    /usr/bin/python3 -c "open('/etc/passwd', 'a').write('x::0:0::/:/bin/sh\n')"
  expect "/etc/group is read-only" 1 "Read-only file system" -- \
    /usr/bin/python3 -c "open('/etc/group', 'a').write('x::0:\n')"

  home=$(live_profile "home-$who" '[environment]
set=PATH=/usr/bin:/bin;HOME=/out')
  expect "the home field follows [environment] set HOME" 0 '^pw sbx True /out$' -- \
    -p "$home" -- /usr/bin/python3 -c "$PY"
done
finish
