#!/bin/sh
# 26-live-netns.sh — the job has a network namespace of its own (issue 13
# item 5): its only interface is lo, and its net namespace is not the
# host's.  The same check run with [network] mode=host must fail, so it
# can tell.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

HOSTNET=$(live_profile hostnet '[network]
mode=host')
HOST_NS=$(readlink /proc/self/ns/net)
[ -n "$HOST_NS" ] || live_bail "cannot read the host's net namespace"
HOST_NS_RE=$(printf '%s' "$HOST_NS" | sed 's/[][]/\\&/g')
CHECK='import os, sys
ifs = sorted(l.split(":")[0].strip() for l in open("/proc/net/dev").readlines()[2:])
ns = os.readlink("/proc/self/ns/net")
print("interfaces", ",".join(ifs), "ns", ns)
sys.exit(0 if ifs == ["lo"] and ns != sys.argv[1] else 1)'

for who in $LIVE_USERS; do
  live_setup "$who"
  expect "only lo, and a net namespace that is not the host's" 0 '^interfaces lo ns net:' -- \
    /usr/bin/python3 -c "$CHECK" "$HOST_NS"
  # control: with the host's network the same check fails
  expect "control: with [network] mode=host the check fails" 1 "ns $HOST_NS_RE\$" -- \
    --profile "$HOSTNET" /usr/bin/python3 -c "$CHECK" "$HOST_NS"
done
finish
