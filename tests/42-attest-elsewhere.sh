#!/bin/sh
# 42-attest-elsewhere.sh — a bundle is verified where the folders its
# profile names do not exist (issue 12 item 3): loading a profile looks at
# nothing on the host, so `sbx verify --profile` loads the attesting host's
# profile and the verifier parses the bundle's profile text whole, from
# memory (no splicing out of the keys that name host paths).  TAP.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/attest-lib.sh"

PY=${PYTHON3:-/usr/bin/python3}
D=$TEST_TMP/elsewhere
mkdir -p "$D/host/lib" "$D/host/data" && chmod -R 755 "$D"

attest_setup_or_finish "attest here, verify elsewhere"
openssl genpkey -algorithm ed25519 -out "$D/a.pem" 2>/dev/null &&
  openssl pkey -in "$D/a.pem" -pubout -out "$D/a.pub.pem" ||
  { not_ok "make an ed25519 key pair with openssl" "openssl genpkey failed"; finish; }

# the attesting host's profile: a read-only folder and a system folder of its own
printf '[filesystem]\nread-only=%s:/opt/data\nsystem=/usr;/etc/ld.so.cache;/etc/alternatives;%s\n' \
  "$D/host/data" "$D/host/lib" >"$D/job.profile"
env -u SBX_HELPER_DIR -C "$D" TMPDIR="$D" "$STAGE/sbx" attest --profile "$D/job.profile" \
  --sign-key "$D/a.pem" --evidence "$D/ev.json" >"$D/attest.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -f "$D/ev.json" ]; then
  ok "attest a profile naming this host's folders: SANDBOX_ATTESTED, signed"
else
  not_ok "attest a profile naming this host's folders: SANDBOX_ATTESTED, signed" "exit $rc
$(cat "$D/attest.out")"
  finish
fi

# expect NAME RC NEEDLES CMD...: CMD exits RC and its output holds every
# line of NEEDLES (fixed strings)
expect () {
  local name=$1 want=$2 needles=$3 missing="" line
  shift 3
  out=$("$@" 2>&1)
  rc=$?
  while IFS= read -r line; do
    [ -z "$line" ] || printf '%s' "$out" | grep -qF -- "$line" || missing="$missing
  $line"
  done <<EOF
$needles
EOF
  if [ $rc -eq "$want" ] && [ -z "$missing" ]; then ok "$name"
  else not_ok "$name" "exit $rc (wanted $want), lacking:$missing
$out"; fi
}

# the verifying side: those folders are gone
mv "$D/host" "$D/host.moved"
expect "control: sbx check names the missing folders (exit 2)" 2 \
  "job.profile:2: [filesystem] read-only: “$D/host” does not exist
job.profile:3: [filesystem] system: “$D/host” does not exist" \
  "$STAGE/sbx" check "$D/job.profile"
expect "sbx verify --profile where the profile's folders do not exist: verified (argv skeleton not re-derived, said so)" 0 \
  "verified
argv skeleton not re-derived: the profile's host paths are not all on this host (" \
  env -u SBX_HELPER_DIR "$STAGE/sbx" verify "$D/ev.json" --key "$D/a.pub.pem" --profile "$D/job.profile"

# the recorded text is parsed whole: a text that does not load, hashes
# matching and signed with the trusted key, is named as such
$PY "$top_srcdir/tests/dsse-forge.py" "$D/ev.json" "$D/bad-text.json" bad-profile-text --sign "$D/a.pem"
expect "a recorded profile text that does not load (cpu-seconds=0), re-hashed and signed: refused, naming the key" 1 \
  "the recorded text does not parse: profile.canonical:
[limits] cpu-seconds" \
  env -u SBX_HELPER_DIR "$STAGE/sbx" verify "$D/bad-text.json" --key "$D/a.pub.pem"

finish
