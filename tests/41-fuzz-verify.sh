#!/bin/sh
# 41-fuzz-verify.sh — a bounded libFuzzer run of `sbx verify`
# (attest/fuzz-verify.c): structure-aware mutants of a real envelope of
# `sbx attest`, signed again so that they reach the checks behind the
# signature, under ASan.  Any crash, hang, leak or abort fails.  SKIPs, with
# the reason configure found, when clang/libFuzzer is missing.
#   SBX_FUZZ_RUNS (default 600) and SBX_FUZZ_SECONDS (default 30) bound it.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/attest-lib.sh"

FUZZ=$top_builddir/tests/fuzz-verify
if [ ! -x "$FUZZ" ]; then
  skip "libFuzzer run of sbx verify" "$(cat "$top_builddir/tests/fuzz-verify.skip" 2>/dev/null || echo 'not built')"
  finish
fi
if ! stage_attest_tools; then
  not_ok "stage sbx and its helpers into $STAGE" "cannot copy from $top_builddir"
  finish
fi
mkdir -p "$TEST_TMP/corpus" "$TEST_TMP/crashes"
if ! "$BWRAP" --version >/dev/null 2>&1 ||
   ! env -u SBX_HELPER_DIR -C "$TEST_TMP" TMPDIR="$TEST_TMP" "$STAGE/sbx" attest --challenge fuzz-challenge \
       --evidence "$TEST_TMP/corpus/real.json" >/dev/null 2>&1; then
  # no sandbox here: a made-up minimal envelope still seeds the mutator
  printf '{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}' >"$TEST_TMP/corpus/min.json"
fi
size=$(wc -c <"$TEST_TMP/corpus/"* | tail -n 1)
runs=${SBX_FUZZ_RUNS:-600}
out=$(cd "$TEST_TMP/crashes" && G_SLICE=always-malloc ASAN_OPTIONS=detect_leaks=1 "$FUZZ" -runs="$runs" \
  -max_total_time="${SBX_FUZZ_SECONDS:-30}" -max_len=$((size * 2)) -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 "$TEST_TMP/corpus" 2>&1)
rc=$?
stats=$(printf '%s\n' "$out" | grep -E '^stat::number_of_executed_units|^Done ' | tr '\n' ' ')
if [ $rc -eq 0 ] && [ -z "$(ls -A "$TEST_TMP/crashes")" ]; then
  ok "libFuzzer: sbx verify survives structure-aware mutants of a real envelope ($stats)"
else
  not_ok "libFuzzer: sbx verify survives structure-aware mutants of a real envelope" "exit $rc
$(printf '%s\n' "$out" | tail -n 40)"
fi
finish
