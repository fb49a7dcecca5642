#!/bin/sh
# 33-attest-kept-secret.sh — `sbx attest` with a kept variable
# ([environment] keep=MY_TOKEN, and `--env MY_TOKEN`) whose value is a
# distinctive token: the run still attests (PR-ENV-1 compares the value by a
# salted digest, read from sbx's --args memfd), the token string is nowhere
# in the bundle (the recorded argv says "<kept>"), and the bundle is
# readable by its owner only (0600).  As the current user and, when root, as
# nobody.  TAP.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/attest-lib.sh"

attest_setup_or_finish

TOKEN="sbx-attest-token-$$-k4Wq"
for u in $(attest_users); do
  d=$(work_dir "$u") || { not_ok "$u: work folder" "cannot create it"; continue; }
  printf '[environment]\nkeep=LANG;MY_TOKEN\n' > "$d/kept.profile" && chmod 644 "$d/kept.profile"
  for how in profile env; do
    if [ "$how" = profile ]; then set -- --profile "$d/kept.profile"; else set -- --env MY_TOKEN; fi
    rm -f "$d/ev-$how.json"
    run_as "$u" "$d" env MY_TOKEN="$TOKEN" "$STAGE/sbx" attest "$@" --evidence "$d/ev-$how.json" \
      >"$d/out" 2>"$d/err"
    rc=$?
    rm -f "$d/ev-$how.json.payload"
    ${PYTHON3:-python3} -c 'import base64, json, sys
open(sys.argv[1] + ".payload", "wb").write(base64.b64decode(json.load(open(sys.argv[1]))["payload"]))' \
      "$d/ev-$how.json" 2>/dev/null
    if [ $rc -eq 0 ] && grep -q '^SANDBOX_ATTESTED: ' "$d/out" \
       && ${PYTHON3:-python3} - "$d/ev-$how.json" <<'PY'
import json, sys
argv = json.loads(open(sys.argv[1] + ".payload", encoding="utf-8").read())["predicate"]["bwrap_argv"]["argv"]
sys.exit(0 if any(argv[i:i + 3] == ["--setenv", "MY_TOKEN", "<kept>"] for i in range(len(argv))) else 1)
PY
    then
      ok "$u: $how: attests with MY_TOKEN kept; the recorded argv has --setenv MY_TOKEN <kept>"
    else
      not_ok "$u: $how: attests with MY_TOKEN kept; the recorded argv has --setenv MY_TOKEN <kept>" "exit $rc
$(cat "$d/out" "$d/err")"
    fi
    # the envelope as written, and its payload (base64 in it) decoded
    if [ -s "$d/ev-$how.json" ] && [ -s "$d/ev-$how.json.payload" ] \
       && ! grep -qF "$TOKEN" "$d/ev-$how.json" "$d/ev-$how.json.payload"; then
      ok "$u: $how: the token is nowhere in the bundle (envelope and decoded statement)"
    else
      not_ok "$u: $how: the token is nowhere in the bundle (envelope and decoded statement)" \
        "$(grep -oF "$TOKEN" "$d/ev-$how.json" "$d/ev-$how.json.payload" 2>&1 | head -n 3)"
    fi
    mode=$(stat -c %a "$d/ev-$how.json" 2>/dev/null)
    if [ "$mode" = 600 ]; then
      ok "$u: $how: the bundle is readable by its owner only (0600)"
    else
      not_ok "$u: $how: the bundle is readable by its owner only (0600)" "mode ${mode:-missing}"
    fi
  done
done
finish
