#!/bin/sh
# 10-live-io.sh — the job reads /in and writes /out, and the host sees the
# file; /in, / and /usr are read-only; /tmp is writable and private.
# As the current user and, when root, as nobody.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

for who in $LIVE_USERS; do
  live_setup "$who"
  payload="payload-$who-$$-$(date +%s%N)"
  printf '%s\n' "$payload" > "$IN/data.txt" && chmod 644 "$IN/data.txt" \
    || live_bail "cannot write $IN/data.txt"

  expect "copy /in/data.txt to /out" 0 '^allowed$' -- /in/live-job copy /in/data.txt /out/result.txt
  if [ "$(cat "$OUT/result.txt" 2>/dev/null)" = "$payload" ]; then
    ok "[$who] the host sees the job's /out file with the input's content"
  else
    not_ok "[$who] the host sees the job's /out file with the input's content" \
      "$OUT/result.txt: $(ls -l "$OUT" 2>&1)"
  fi
  owner=$(stat -c %U "$OUT/result.txt" 2>/dev/null)
  want_owner=$(id -un); [ "$who" != self ] && want_owner=$who
  if [ "$owner" = "$want_owner" ]; then
    ok "[$who] the /out file belongs to the user who ran sbx ($owner)"
  else
    not_ok "[$who] the /out file belongs to the user who ran sbx" "owner: $owner, expected $want_owner"
  fi

  for path in /in/new.txt /new.txt /usr/new.txt /etc/new.txt /in/data.txt; do
    expect "writing $path fails" 1 '^denied (EROFS|EACCES|EPERM)$' -- /in/live-job write "$path"
  done
  if [ ! -e "$IN/new.txt" ] && [ "$(cat "$IN/data.txt")" = "$payload" ]; then
    ok "[$who] the host's input folder is unchanged"
  else
    not_ok "[$who] the host's input folder is unchanged" "$(ls -l "$IN")"
  fi

  expect "writing /tmp works" 0 '^allowed$' -- /in/live-job write /tmp/scratch.txt
  expect "writing /out works" 0 '^allowed$' -- /in/live-job write /out/w.txt
  # /tmp is fresh for each run: the file of the previous run is gone.
  expect "/tmp starts empty (previous run's file is gone)" 1 '^ENOENT$' -- /in/live-job exists /tmp/scratch.txt
  expect "the job starts in /out (workdir)" 0 '^allowed$' -- /in/live-job write cwd.txt
  [ -f "$OUT/cwd.txt" ] && ok "[$who] a relative write lands in /out" \
    || not_ok "[$who] a relative write lands in /out" "$(ls -l "$OUT")"
done
finish
