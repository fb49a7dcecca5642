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

if ! stage_attest_tools; then
  not_ok "stage sbx and its helpers into $STAGE" "cannot copy from $top_builddir"
  finish
fi
if ! "$BWRAP" --version >/dev/null 2>&1; then
  skip "attest here, verify elsewhere" "bwrap ($BWRAP) cannot run here"
  finish
fi
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

# the verifying side: those folders are gone
mv "$D/host" "$D/host.moved"
out=$("$STAGE/sbx" check "$D/job.profile" 2>&1)
rc=$?
if [ $rc -eq 2 ] && printf '%s' "$out" | grep -qF "job.profile:2: [filesystem] read-only: “$D/host” does not exist" \
   && printf '%s' "$out" | grep -qF "job.profile:3: [filesystem] system: “$D/host” does not exist"; then
  ok "control: sbx check names the missing folders (exit 2)"
else not_ok "control: sbx check names the missing folders (exit 2)" "exit $rc
$out"; fi

out=$(env -u SBX_HELPER_DIR "$STAGE/sbx" verify "$D/ev.json" --key "$D/a.pub.pem" --profile "$D/job.profile" 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q "verified" \
   && printf '%s' "$out" | grep -qF "argv skeleton not re-derived: the profile's host paths are not all on this host (" ; then
  ok "sbx verify --profile where the profile's folders do not exist: verified (argv skeleton not re-derived, said so)"
else not_ok "sbx verify --profile where the profile's folders do not exist: verified" "exit $rc
$out"; fi

# the recorded text is parsed whole: a text that does not load, hashes
# matching and signed with the trusted key, is named as such
$PY "$top_srcdir/tests/dsse-forge.py" "$D/ev.json" "$D/bad-text.json" bad-profile-text --sign "$D/a.pem"
out=$(env -u SBX_HELPER_DIR "$STAGE/sbx" verify "$D/bad-text.json" --key "$D/a.pub.pem" 2>&1)
rc=$?
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -qF "the recorded text does not parse: profile.canonical:" \
   && printf '%s' "$out" | grep -qF "[limits] cpu-seconds"; then
  ok "a recorded profile text that does not load (cpu-seconds=0), re-hashed and signed: refused, naming the key"
else not_ok "a recorded profile text that does not load: refused, naming the key" "exit $rc
$out"; fi

finish
