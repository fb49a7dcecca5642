#!/bin/sh
# 40-attest-signed.sh — signed evidence end to end: `sbx attest --sign-key
# --challenge` writes a DSSE envelope that `sbx verify --key --challenge
# --profile --policy --matrix --report` accepts, that openssl and
# securesystemslib (code nobody here wrote) verify, and every forgery of the
# audit is refused — each one re-signed with another key and left with the
# old signature, and where it matters signed with the trusted key itself
# (then the checks behind the signature must catch it).  Also: verify
# without --key / --profile, old bundles, hostile inputs.  TAP.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/attest-lib.sh"

PY=${PYTHON3:-/usr/bin/python3}
FORGE="$PY $top_srcdir/tests/dsse-forge.py"
D=$TEST_TMP/signed
mkdir -p "$D" && chmod 755 "$D"

attest_setup_or_finish "signed attestation"
if ! command -v openssl >/dev/null 2>&1; then
  not_ok "openssl is installed (.ci/setup installs it)" "openssl not found"
  finish
fi
openssl genpkey -algorithm ed25519 -out "$D/a.pem" 2>/dev/null &&
  openssl pkey -in "$D/a.pem" -pubout -out "$D/a.pub.pem" &&
  openssl genpkey -algorithm ed25519 -out "$D/b.pem" 2>/dev/null &&
  openssl pkey -in "$D/b.pem" -pubout -out "$D/b.pub.pem" ||
  { not_ok "make two ed25519 key pairs with openssl" "openssl genpkey failed"; finish; }
"$STAGE/sbx" show-default >"$D/default.profile"

verify () { # verify ARGS...: sbx verify, output in $out, status in $rc
  out=$(env -u SBX_HELPER_DIR "$STAGE/sbx" verify "$@" 2>&1)
  rc=$?
}

# expect_refused NAME WANT ARGS...: exit 1, "not verified", and WANT in the output
expect_refused () {
  local name=$1 want=$2; shift 2
  verify "$@"
  if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "not verified" && printf '%s' "$out" | grep -qF -- "$want"; then
    ok "$name"
  else
    not_ok "$name" "exit $rc, wanted 1 and \"$want\":
$out"
  fi
}

# --- the operator: attest, signed, answering the verifier's challenge
NONCE=verifier-nonce-$$
env -u SBX_HELPER_DIR -C "$D" TMPDIR="$D" "$STAGE/sbx" attest --sign-key "$D/a.pem" \
  --challenge "$NONCE" --evidence "$D/ev.json" >"$D/attest.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -f "$D/ev.json" ]; then ok "sbx attest --sign-key --challenge exits 0 and writes the envelope"
else not_ok "sbx attest --sign-key --challenge exits 0 and writes the envelope" "exit $rc
$(cat "$D/attest.out")"; finish; fi

# --- the envelope's shape
if out=$($PY - "$D/ev.json" "$D/a.pub.pem" <<'PYEOF'
import base64, hashlib, json, subprocess, sys
e = json.load(open(sys.argv[1]))
assert e["payloadType"] == "application/vnd.in-toto+json", e["payloadType"]
st = json.loads(base64.b64decode(e["payload"]))
assert st["_type"] == "https://in-toto.io/Statement/v1", st["_type"]
assert st["predicateType"] == "https://github.com/sbxprofile/sbxprofile/blob/main/probes/EVIDENCE.md#schema-v3"
names = {s["name"]: s["digest"]["sha256"] for s in st["subject"]}
for n in ("profile", "sbx", "sbx-attest", "sbx-probe", "bwrap"):
    assert n in names, f"subject {n} missing: {sorted(names)}"
p = st["predicate"]
assert names["profile"] == hashlib.sha256(p["profile"]["canonical"].encode()).hexdigest()
assert names["bwrap"] == hashlib.sha256(open(p["venue"]["bwrap"]["path"], "rb").read()).hexdigest()
assert p["challenge"].startswith("verifier-nonce-"), p["challenge"]
assert p["time"].endswith("Z")
der = subprocess.run(["openssl", "pkey", "-pubin", "-in", sys.argv[2], "-outform", "DER"],
                     capture_output=True, check=True).stdout
assert e["signatures"][0]["keyid"] == hashlib.sha256(der).hexdigest(), "keyid is not sha256 of the DER public key"
PYEOF
); then ok "envelope: DSSE in-toto Statement v1, subjects (profile, sbx, sbx-attest, sbx-probe, bwrap), challenge, time, keyid"
else not_ok "envelope: DSSE in-toto Statement v1, subjects, challenge, time, keyid" "$out"; fi

# --- the verifier
verify "$D/ev.json" --key "$D/a.pub.pem" --challenge "$NONCE" --profile "$D/default.profile" --max-age 600
if [ $rc -eq 0 ] && printf "%s\n" "$out" | grep -q "^sbx: .*: verified: SANDBOX_ATTESTED, "; then
  ok "sbx verify --key --challenge --profile --max-age accepts it"
else not_ok "sbx verify --key --challenge --profile --max-age accepts it" "exit $rc
$out"; fi

# --- the independent checks
# openssl pkeyutl over the PAE built by the DSSE protocol's definition
pae () { # pae ENVELOPE OUT-PAE OUT-SIG
  $PY - "$@" <<'PYEOF'
import base64, json, sys
e = json.load(open(sys.argv[1])); body = base64.b64decode(e["payload"]); t = e["payloadType"].encode()
open(sys.argv[2], "wb").write(b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body))
open(sys.argv[3], "wb").write(base64.b64decode(e["signatures"][0]["sig"]))
PYEOF
}
$FORGE "$D/ev.json" "$D/forged-keep.json" flip-verdicts -- "$D/ev.json" "$D/forged-none.json" none --sign "$D/b.pem"
if pae "$D/ev.json" "$D/pae" "$D/sig" &&
   openssl pkeyutl -verify -pubin -inkey "$D/a.pub.pem" -rawin -in "$D/pae" -sigfile "$D/sig" >/dev/null 2>&1; then
  ok "openssl pkeyutl -verify -rawin verifies the signature over the PAE"
else not_ok "openssl pkeyutl -verify -rawin verifies the signature over the PAE" "$(openssl version)"; fi
if pae "$D/forged-keep.json" "$D/pae2" "$D/sig2" &&
   ! openssl pkeyutl -verify -pubin -inkey "$D/a.pub.pem" -rawin -in "$D/pae2" -sigfile "$D/sig2" >/dev/null 2>&1; then
  ok "openssl pkeyutl rejects a forged payload with the old signature"
else not_ok "openssl pkeyutl rejects a forged payload with the old signature"; fi
out=$($PY "$top_srcdir/tests/dsse-independent.py" "$D/ev.json" "$D/a.pub.pem" 2>&1); rc=$?
if [ $rc -eq 77 ]; then skip "securesystemslib verifies the envelope" "$out"
elif [ $rc -eq 0 ]; then ok "securesystemslib (SSlibKey ed25519) verifies the envelope"
else not_ok "securesystemslib (SSlibKey ed25519) verifies the envelope" "$out"; fi
for f in forged-keep forged-none; do
  out=$($PY "$top_srcdir/tests/dsse-independent.py" "$D/$f.json" "$D/a.pub.pem" 2>&1); rc=$?
  if [ $rc -eq 77 ]; then skip "securesystemslib rejects $f" "$out"
  elif [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "no signature by this key verifies"; then
    ok "securesystemslib rejects a forged envelope ($f)"
  else not_ok "securesystemslib rejects a forged envelope ($f)" "exit $rc: $out"; fi
done

# --- who vouched, which profile
verify "$D/ev.json" --challenge "$NONCE" --profile "$D/default.profile"
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "nobody vouched for this bundle"; then
  ok "without --key: not verified, and it says nobody vouched for the bundle"
else not_ok "without --key: not verified, and it says nobody vouched for the bundle" "exit $rc
$out"; fi
verify "$D/ev.json" --key "$D/a.pub.pem" --challenge "$NONCE"
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "profile not checked"; then
  ok "without --profile: not verified, and it says profile not checked"
else not_ok "without --profile: not verified, and it says profile not checked" "exit $rc
$out"; fi
expect_refused "signed by another key than the one given" "none of the 1 signature(s) is by a given key" \
  "$D/ev.json" --key "$D/b.pub.pem" --profile "$D/default.profile"
env -u SBX_HELPER_DIR -C "$D" TMPDIR="$D" "$STAGE/sbx" attest --evidence "$D/unsigned.json" >/dev/null 2>&1
expect_refused "an unsigned envelope is never accepted" "unsigned" \
  "$D/unsigned.json" --key "$D/a.pub.pem" --profile "$D/default.profile"
expect_refused "another profile" "the bundle is about another profile" \
  "$D/ev.json" --key "$D/a.pub.pem" --profile "$top_srcdir/tests/profiles/y-weak-exec-lock-off.profile"

# --- the audit's forgeries, each re-signed with another key and left with
# the old signature; those the content checks must catch also signed with
# the trusted key A
# forgery NAME EDIT WANT-WITH-A [VERIFY-ARGS...]: the three variants, made
# by one dsse-forge.py call, then verified
forgery () {
  local name=$1 edit=$2 want_a=$3; shift 3
  $FORGE "$D/ev.json" "$D/f-keep.json" "$edit" -- "$D/ev.json" "$D/f-b.json" "$edit" --sign "$D/b.pem" \
    -- "$D/ev.json" "$D/f-a.json" "$edit" --sign "$D/a.pem" || { not_ok "forge $name" "dsse-forge.py failed"; return; }
  expect_refused "forgery $name, old signature kept" "does not verify" \
    "$D/f-keep.json" --key "$D/a.pub.pem" --profile "$D/default.profile" "$@"
  expect_refused "forgery $name, re-signed with another key" "is by a given key" \
    "$D/f-b.json" --key "$D/a.pub.pem" --profile "$D/default.profile" "$@"
  if [ -n "$want_a" ]; then
    expect_refused "forgery $name, signed with the trusted key: caught behind the signature" "$want_a" \
      "$D/f-a.json" --key "$D/a.pub.pem" --profile "$D/default.profile" "$@"
  fi
}
forgery "emptied attempts" empty-attempts "with nothing observed (empty observations)"
forgery "an observation edited to show the socket made, verdict still PASS" weaken=PR-SOCK-1 \
  "verdicts: probe PR-SOCK-1: recorded PASS, but its observations give FAIL: the sandbox run claims HOLDS, but observation 0 shows the property broken: socket(AF_INET, SOCK_STREAM, 0) = 3"
# the readings judged against the plan's job ids (run.job) and the
# profile's limits, which the verifier re-judges (issue 10's notes-8 limit)
forgery "PR-NS-1's uid map edited to host uid 0, verdict still PASS" "obs=PR-NS-1:/proc/self/uid_map=0 0 1" \
  "verdicts: probe PR-NS-1: recorded PASS, but its observations give FAIL: its sandbox run's identity differs from the plan: uid map 0 0 1, planned"
forgery "PR-NS-1's status uids edited to 0, verdict still PASS" "obs=PR-NS-1:/proc/self/status Uid=0 0 0 0" \
  "verdicts: probe PR-NS-1: recorded PASS, but its observations give FAIL: its sandbox run's identity differs from the plan: the job's uids are 0 0 0 0, planned"
forgery "run.job.host_uid edited to 0" "job=host_uid=0" "identity: probe PR-NS-1: run.job.host_uid is 0, but sbx"
forgery "run.job.host_gid edited to 5" "job=host_gid=5" "identity: probe PR-NS-1: run.job.host_gid is 5, but sbx"
forgery "run.job.uid edited to 0 (the argv gives no --uid)" "job=uid=0" \
  "identity: probe PR-NS-1: run.job.uid is 0, but the recorded argv gives the job uid"
forgery "PR-RLIMIT-1's processes limit edited to unlimited, verdict still PASS" \
  "obs=PR-RLIMIT-1:/proc/self/limits Max processes (soft hard)=unlimited unlimited" \
  "verdicts: probe PR-RLIMIT-1: recorded PASS, but its observations give FAIL: the sandbox run claims HOLDS, but observation 3 shows the property broken: read(/proc/self/limits Max processes (soft hard)) = unlimited unlimited"
forgery "PR-RLIMIT-1's host uid reading edited to 0, verdict still PASS" \
  "obs=PR-RLIMIT-1:host_uid from the expectations=0" \
  "verdicts: probe PR-RLIMIT-1: recorded PASS, but its observations give FAIL: the sandbox run claims HOLDS, but observation"
forgery "edited venue" edit-venue ""
forgery "wrong challenge" "challenge=$NONCE-2" "challenge: the bundle answers challenge" --challenge "$NONCE"
forgery "unknown probe" unknown-probe "unknown probe PR-FAKE-1"
PT=https://github.com/sbxprofile/sbxprofile/blob/main/probes/EVIDENCE.md#schema-v
forgery "predicateType of schema version 2 (before run.job)" "type=${PT}2" "is sbxprofile evidence schema version 2; this sbx reads version 3 only"
forgery "predicateType of the 0.2 snapshots" "type=https://sbxprofile.invalid/attestation/evidence/v2" \
  "written by a development snapshot of sbx 0.2"
forgery "another predicateType" "type=https://slsa.dev/provenance/v1" "is not sbxprofile evidence"
# the argv re-derived from the profile (its skeleton: fd numbers, scratch
# sources, kept values normalised) names the first difference
forgery "argv with --bind / /host added (sha256 recomputed)" "argv-add=--bind,/,/host" \
  "argv: the recorded argv adds “--bind / /host”"
forgery "argv without --unshare-all (sha256 recomputed)" "argv-drop=--unshare-all" \
  "argv: the recorded argv lacks “--unshare-all”"
forgery "start in 2019" "time=2019-06-01T00:00:00.000000Z" "more than --max-age 86400 s" --max-age 1d
BWRAP_SHA=$(sha256sum "$(command -v "$BWRAP")" | cut -d' ' -f1)
OTHER=1111111111111111111111111111111111111111111111111111111111111111
printf '[venue]\nbwrap-sha256=%s\n' "$OTHER" >"$D/policy"
expect_refused "bwrap hash outside the policy (untouched envelope)" \
  "policy: [venue] bwrap-sha256: the bundle's bwrap sha256 is $BWRAP_SHA, not one of the 1 allowed" \
  "$D/ev.json" --key "$D/a.pub.pem" --profile "$D/default.profile" --policy "$D/policy"
forgery "bwrap hash edited into the policy" "bwrap=$OTHER" "" --policy "$D/policy"
expect_refused "wrong challenge (untouched envelope, the verifier's new nonce)" "expected $NONCE-new" \
  "$D/ev.json" --key "$D/a.pub.pem" --profile "$D/default.profile" --challenge "$NONCE-new"

# flipped verdicts need a bundle with a FAIL: a weakened profile
cp "$top_srcdir/tests/profiles/y-weak-network-host.profile" "$D/weak.profile"
env -u SBX_HELPER_DIR -C "$D" TMPDIR="$D" "$STAGE/sbx" attest --profile "$D/weak.profile" \
  --sign-key "$D/a.pem" --evidence "$D/weak.json" >/dev/null 2>&1
rc=$?
if [ $rc -eq 1 ] && [ -f "$D/weak.json" ]; then
  ok "a weakened profile attests FAILED, signed"
  $FORGE "$D/weak.json" "$D/flip-keep.json" flip-verdicts -- "$D/weak.json" "$D/flip-b.json" flip-verdicts \
    --sign "$D/b.pem" -- "$D/weak.json" "$D/flip-a.json" flip-verdicts --sign "$D/a.pem"
  for how in keep b a; do
    case $how in
      keep) want="does not verify" ;;
      b) want="is by a given key" ;;
      a) want="verdicts: probe PR-NET-1: recorded PASS, but its observations give FAIL (sandbox VIOLATED" ;;
    esac
    expect_refused "forgery flipped verdicts (FAIL → PASS, summary and status to match), $how" "$want" \
      "$D/flip-$how.json" --key "$D/a.pub.pem" --profile "$D/weak.profile"
  done
  # every result flipped too (sandbox HOLDS, control VIOLATED, host checks
  # ok): the observations left in the bundle still show the weakness
  $FORGE "$D/weak.json" "$D/flipall-a.json" flip-all --sign "$D/a.pem"
  expect_refused "forgery FAIL → PASS with results and host checks to match, observations left (trusted key)" \
    "verdicts: probe PR-NET-1: recorded PASS, but its observations give FAIL: the sandbox run claims HOLDS, but observation" \
    "$D/flipall-a.json" --key "$D/a.pub.pem" --profile "$D/weak.profile"
else not_ok "a weakened profile attests FAILED, signed" "exit $rc"; fi

# --- policy that holds, matrix binding, report
printf '[venue]\nbwrap-sha256=%s\ncaller=any\n[tool]\nsbx-sha256=%s\nsbx-probe-sha256=%s\n[signer]\nkeys=a.pub.pem\n' \
  "$BWRAP_SHA" "$(sha256sum "$STAGE/sbx" | cut -d' ' -f1)" "$(sha256sum "$STAGE/sbx-probe" | cut -d' ' -f1)" >"$D/good.policy"
printf '[rows]\nrow-a=PR-NET-1;PR-NET-2\nrow-b=PR-EXEC-1\nrow-ext=external\n' >"$D/m.matrix"
verify "$D/ev.json" --key "$D/a.pub.pem" --profile "$D/default.profile" --challenge "$NONCE" \
  --policy "$D/good.policy" --matrix "$D/m.matrix" --report "$D/report.json"
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '^row-a: PASS' && printf '%s\n' "$out" | grep -q '^row-ext: NOT_COVERED'; then
  ok "--policy (holds) --matrix: rows PASS, the external row NOT_COVERED, exit 0"
else not_ok "--policy (holds) --matrix: rows PASS, the external row NOT_COVERED, exit 0" "exit $rc
$out"; fi
if out=$($PY - "$D/report.json" "$(sha256sum "$D/ev.json" | cut -d' ' -f1)" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["envelope"]["sha256"] == sys.argv[2], "report names another envelope digest"
rows = {x["row"]: x["status"] for x in r["rows"]}
assert rows == {"row-a": "PASS", "row-b": "PASS", "row-ext": "NOT_COVERED"}, rows
assert r["verified"] is True and r["result"] == "PASS"
PYEOF
); then ok "--report: JSON naming the envelope's sha256, every row, the external one NOT_COVERED"
else not_ok "--report: JSON naming the envelope's sha256, every row" "$out"; fi
printf '[signer]\nkeys=b.pub.pem\n' >"$D/b.policy"
expect_refused "policy [signer] keys: signed by a key the policy does not list" "[signer] keys" \
  "$D/ev.json" --key "$D/a.pub.pem" --profile "$D/default.profile" --policy "$D/b.policy"
verify "$D/weak.json" --key "$D/a.pub.pem" --profile "$D/weak.profile" --matrix "$D/m.matrix"
if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q '^row-a: FAIL' && printf '%s\n' "$out" | grep -q '^row-ext: NOT_COVERED'; then
  ok "--matrix on FAILED evidence: rows FAIL, the external row still listed NOT_COVERED, exit 1"
else not_ok "--matrix on FAILED evidence: rows FAIL, external NOT_COVERED, exit 1" "exit $rc
$out"; fi

# --- old bundles and hostile input: exit 1 "not verified: …", never a crash
printf '{"schema":"sbxprofile.evidence/1","digest":{"algorithm":"sha256","value":"x"}}\n' >"$D/old.json"
expect_refused "an old sbxprofile.evidence/1 bundle gets a clear message" "old, unsigned sbxprofile.evidence/1 bundle" \
  "$D/old.json" --key "$D/a.pub.pem"
$PY -c "print('['*100000+']'*100000)" >"$D/deep.json"
expect_refused "100000 nested arrays: refused before parsing" "deeper than the limit of 64 levels" "$D/deep.json" --key "$D/a.pub.pem"
truncate -s 65M "$D/huge.json"
expect_refused "a 65 MiB file: refused at once, naming the limit" "larger than the limit of 64 MiB" "$D/huge.json" --key "$D/a.pub.pem"
mkfifo "$D/fifo"
expect_refused "a FIFO: refused, not read (no writer: it would block)" "a FIFO, not a regular file" "$D/fifo" --key "$D/a.pub.pem"
expect_refused "a device: refused" "a character device" /dev/zero --key "$D/a.pub.pem"

finish
