# expect: ok
# Weakened on purpose (tests/31-attest-weakened.sh): exec-lock=self trusts
# the job to lock itself; sbx-probe does not, so exec stays allowed.
# Attest must FAIL PR-EXEC-1 and PR-SECCOMP-1 and not attest.
[seccomp]
exec-lock=self
