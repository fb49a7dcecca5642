# expect: ok
# Weakened on purpose (tests/31-attest-weakened.sh): the allow-list keeps
# the attestation's canary variable (its name is fixed, its value random).
# Attest must FAIL PR-ENV-1 and not attest.
[environment]
keep=LANG;TZ;SBX_ATTEST_CANARY
