#!/bin/sh
# 21-live-setid.sh — no way of making a set-uid or set-gid file works in the
# sandbox (issue 8 item 5, the seccomp half: chmod, fchmod, open/creat with
# O_CREAT, O_TMPFILE + linkat, mknod, mkdir), and nothing set-id turns up in
# /out on the host; a FIFO, a plain chmod and a plain mkdir still work.
# fchmodat2 (raw syscall 452, where libseccomp knows it) is filtered like
# fchmodat: 0644 works, 04755 is refused.
# The kernel itself lets the job's owner set these bits (the controls run
# the same job outside), and the EACCES profile shows the filter answered.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

EACCES_PROFILE=$(live_profile eacces '[seccomp]
errno=EACCES')
DENY_LIST_PROFILE=$(live_profile denylist '[seccomp]
mode=deny-list
errno=EACCES')
REFUSED="chmod-suid chmod-sgid fchmodat2-suid fchmod-suid open-suid creat-sgid tmpfile-suid tmpfile-fchmod-suid mknod-suid mkdir-sgid"
PLAIN="mkfifo chmod-plain fchmodat2-plain mkdir-plain"

# set-id files (or folders) under $1, one per line
setid_files () { find "$1" -perm /6000 2>/dev/null; }

for who in $LIVE_USERS; do
  live_setup "$who"
  # Controls: outside the sandbox, as the same user, the same job makes a
  # set-uid file with every way that needs no privilege (so a refusal
  # inside is the sandbox's; mknod of a regular file is ordinary too).
  CTL="$TEST_TMP/$who/control"
  mkdir -p "$CTL" && chmod 777 "$CTL" || live_bail "cannot make $CTL"
  for how in chmod-suid fchmodat2-suid fchmod-suid open-suid tmpfile-suid tmpfile-fchmod-suid mknod-suid; do
    LIVE_WHO="$who" expect_cmd "control: setid $how works outside" 0 '^allowed$' \
      as_user "$who" "$LIVE_BIN/live-job" setid "$how" "$CTL/$how"
  done
  if [ -z "$(setid_files "$CTL")" ]; then
    not_ok "[$who] control: set-uid files were made outside" "find -perm /6000 found none in $CTL"
  else
    ok "[$who] control: set-uid files were made outside"
  fi
  for how in $REFUSED; do
    expect "setid $how is refused (EPERM)" 1 '^denied EPERM$' -- /in/live-job setid "$how" "/out/$how"
    expect "setid $how is refused by the filter (errno=EACCES)" 1 '^denied EACCES$' -- \
      --profile "$EACCES_PROFILE" /in/live-job setid "$how" "/out/eacces-$how"
    expect "setid $how is refused in deny-list mode" 1 '^denied EACCES$' -- \
      --profile "$DENY_LIST_PROFILE" /in/live-job setid "$how" "/out/denylist-$how"
  done
  for how in $PLAIN; do
    expect "setid $how still works" 0 '^allowed$' -- /in/live-job setid "$how" "/out/$how"
    expect "setid $how still works (deny-list)" 0 '^allowed$' -- \
      --profile "$DENY_LIST_PROFILE" /in/live-job setid "$how" "/out/denylist-$how"
  done
  if [ -p "$OUT/mkfifo" ]; then ok "[$who] the FIFO made inside is a FIFO on the host"
  else not_ok "[$who] the FIFO made inside is a FIFO on the host" "$(ls -l "$OUT" 2>&1)"; fi
  found=$(setid_files "$OUT")
  if [ -z "$found" ]; then ok "[$who] nothing set-id in /out on the host"
  else not_ok "[$who] nothing set-id in /out on the host" "$found"; fi
  # python3, as a job would do it
  expect "python3 os.chmod(0o4755) is refused" 0 '^refused PermissionError$' -- /usr/bin/python3 -c '
import os
open("/out/py", "w").close()
try:
    os.chmod("/out/py", 0o4755); print("allowed")
except PermissionError: print("refused PermissionError")'
done
finish
