#!/bin/sh
# cmocka-tap.sh PROGRAM [ARGS…] — runs a cmocka test program with TAP output
# for automake's tap-driver (LOG_COMPILER of the extension-less tests).
#
# cmocka 1.1 writes a skipped test as "not ok N # SKIP name", which the
# driver counts as a failure, and a plan per group ("1..N" twice when a
# program runs two groups).  This filter turns the first into
# "ok N # SKIP name: REASON" (REASON: the last line the test printed with
# print_message before skip()), numbers the results across groups and
# prints one plan at the end.  The program's other lines become TAP
# comments.  The exit status is the
# program's: a crash after some results still shows as an error.
CMOCKA_MESSAGE_OUTPUT=TAP
export CMOCKA_MESSAGE_OUTPUT
out=$(mktemp "${TMPDIR:-/tmp}/cmocka-tap.XXXXXX") || exit 99
trap 'rm -f "$out"' EXIT
"$@" > "$out" 2>&1
status=$?
awk '
  /^1\.\.[0-9]+/ { next }
  /^(not )?ok [0-9]+/ {
    n++
    skip = ($0 ~ /^not ok [0-9]+ # SKIP/)
    rest = $0
    sub(/^(not )?ok [0-9]+/, "", rest)
    if (skip && why != "") rest = rest ": " why
    if (skip || $0 ~ /^ok /) print "ok " n rest; else print "not ok " n rest
    why = ""
    next
  }
  /^#/ { print; next }
  { print "# " $0; why = $0; sub(/^SKIP: */, "", why) }
  END { print "1.." n }
' "$out"
exit $status
