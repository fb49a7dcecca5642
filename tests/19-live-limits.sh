#!/bin/sh
# 19-live-limits.sh — the resource limits of the profile are those the job
# has (/proc/self/limits, soft = hard), file-size stops a large write, and
# tmp-size bounds /tmp.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

SMALL=$(live_profile small '[filesystem]
tmp-size=4M
[limits]
file-size=2M
open-files=100
cpu-seconds=7')
TMPSMALL=$(live_profile tmpsmall '[filesystem]
tmp-size=4M')

# limit_is NAME VALUE: the soft and hard columns of /proc/self/limits.
limit_is () {
  printf '%s\n' "$LIVE_OUT" | grep -Eq "^$1 +$2 +$2 "
}

for who in $LIVE_USERS; do
  live_setup "$who"
  sbx_run /in/live-job limits
  bad=
  limit_is 'Max cpu time' 60 || bad="$bad cpu"
  limit_is 'Max address space' 2147483648 || bad="$bad as"
  limit_is 'Max open files' 256 || bad="$bad nofile"
  limit_is 'Max processes' 64 || bad="$bad nproc"
  limit_is 'Max file size' 1073741824 || bad="$bad fsize"
  limit_is 'Max core file size' 0 || bad="$bad core"
  if [ "$LIVE_RC" = 0 ] && [ -z "$bad" ]; then
    ok "[$who] the default limits are the job's"
  else
    not_ok "[$who] the default limits are the job's" "wrong:$bad
$LIVE_OUT"
  fi
  sbx_run --profile "$SMALL" /in/live-job limits
  if limit_is 'Max open files' 100 && limit_is 'Max cpu time' 7 && limit_is 'Max file size' 2097152; then
    ok "[$who] a profile's limits are the job's"
  else
    not_ok "[$who] a profile's limits are the job's" "$LIVE_OUT"
  fi
  # Past file-size the kernel sends SIGXFSZ (25): 128+25, or EFBIG when ignored.
  sbx_run --profile "$SMALL" /in/live-job fill /out/big 3
  if [ "$LIVE_RC" = 153 ] || { [ "$LIVE_RC" = 1 ] && printf '%s\n' "$LIVE_OUT" | grep -q 'EFBIG'; }; then
    ok "[$who] file-size=2M stops a 3 MiB write (exit $LIVE_RC)"
  else
    not_ok "[$who] file-size=2M stops a 3 MiB write" "exit $LIVE_RC: $LIVE_OUT"
  fi
  expect "tmp-size=4M: writing 1 MiB to /tmp works" 0 '^allowed$' -- --profile "$TMPSMALL" /in/live-job fill /tmp/f 1
  expect "tmp-size=4M: writing 6 MiB to /tmp fails (ENOSPC)" 1 '^denied ENOSPC$' -- \
    --profile "$TMPSMALL" /in/live-job fill /tmp/f 6
done
finish
