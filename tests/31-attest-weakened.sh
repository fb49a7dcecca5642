#!/bin/sh
# 31-attest-weakened.sh — a profile that weakens a property must lose the
# matching PASS and must not be attested: each tests/profiles/y-weak-*.profile
# with the exact set of probes that must FAIL (every other required probe
# must still PASS, so the attestation pins down what was weakened), as the
# current user and (when root) as nobody; `sbx verify` rejects each bundle
# naming the first probe that must FAIL (the list is in catalogue order).  weak-seccomp-deny-list is the control pair: a
# profile change the probes cannot see still attests.  TAP.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/attest-lib.sh"

attest_setup_or_finish

# profile | probes that must FAIL (empty: must be attested)
cases='weak-exec-lock-off|PR-EXEC-1 PR-SECCOMP-1
weak-exec-lock-self|PR-EXEC-1 PR-SECCOMP-1
weak-input-rw|PR-FS-RO-IN
weak-network-host|PR-NET-1 PR-NS-1
weak-network-open|PR-NET-1 PR-NS-1 PR-SOCK-1
weak-socket-families|PR-SOCK-1
weak-env-canary|PR-ENV-1
weak-system-var|PR-FS-ESC-1
weak-seccomp-deny-list|'

if ! make_sign_keys; then
  not_ok "make an ed25519 signing key with openssl" "openssl genpkey failed"
  finish
fi

for u in $(attest_users); do
  d=$(work_dir "$u") || { not_ok "$u: work folder" "cannot create it"; continue; }
  printf '%s\n' "$cases" > "$d/cases"
  while IFS='|' read -r name fails; do
    cp "$top_srcdir/tests/profiles/y-$name.profile" "$d/$name.profile" && chmod 644 "$d/$name.profile"
    ev=$d/ev-$name.json
    run_as "$u" "$d" "$STAGE/sbx" attest --profile "$d/$name.profile" --sign-key "$SIGN_KEY" --evidence "$ev" >"$d/out" 2>&1
    rc=$?
    if [ -n "$fails" ]; then
      want_rc=1 status=SANDBOX_ATTESTATION_FAILED
    else
      want_rc=0 status=SANDBOX_ATTESTED
    fi
    # shellcheck disable=SC2086
    if [ $rc -eq $want_rc ] && grep -q "^$status: " "$d/out" && out=$($CHECK check "$ev" $status $fails); then
      ok "$u: $name: ${fails:-nothing} FAIL${fails:+s}, $status (exit $rc)"
    else
      not_ok "$u: $name: ${fails:-nothing} FAIL${fails:+s}, $status" "exit $rc (expected $want_rc)
${out:-}
$(grep -v 'PASS$\|PASS (not required)$' "$d/out")"
    fi
    out=$(run_as "$u" "$d" "$STAGE/sbx" verify "$ev" --key "$SIGN_PUB" --profile "$d/$name.profile" 2>&1)
    rc=$?
    first=${fails%% *}
    if [ -z "$fails" ]; then
      if [ $rc -eq 0 ]; then ok "$u: $name: sbx verify accepts the bundle"
      else not_ok "$u: $name: sbx verify accepts the bundle" "exit $rc: $out"; fi
    else
      case "$rc:$out" in
        1:*"not verified: required: probe $first: FAIL"*) ok "$u: $name: sbx verify rejects the bundle" ;;
        *) not_ok "$u: $name: sbx verify rejects the bundle (required probe $first FAIL)" "exit $rc: $out" ;;
      esac
    fi
  done < "$d/cases"
  if scratch_gone "$d"; then ok "$u: every scratch area is removed"
  else not_ok "$u: every scratch area is removed" "$(ls -la "$d/tmp")"; fi
done
finish
