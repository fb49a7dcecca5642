#!/bin/sh
# 13-live-env-fs.sh — nothing of the host but what the profile names: only
# the allow-listed variables reach the job ([environment] keep and set, plus
# PWD, which bwrap sets for --chdir); /home, /root, secrets under /etc and a
# canary file in the host's temporary folder are absent.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

CANARY_DIR="${TMPDIR:-/tmp}"
CANARY_FILE=$(mktemp "$CANARY_DIR/sbx-canary.XXXXXX") || live_bail "cannot make a canary in $CANARY_DIR"
chmod 644 "$CANARY_FILE"
echo "canary-secret-$$" > "$CANARY_FILE"
trap 'rm -f "$CANARY_FILE"; cleanup_test_tmp' EXIT
echo "canary" > "$TEST_TMP/canary.txt"; chmod 644 "$TEST_TMP/canary.txt"

for who in $LIVE_USERS; do
  live_setup "$who"
  LIVE_ENV="LANG=C.UTF-8 TZ=UTC SBX_CANARY=canary-$$ AWS_SECRET_ACCESS_KEY=secret-$$ HOME=/root USER=$who"
  sbx_run /in/live-job env
  LIVE_ENV=
  if [ "$LIVE_RC" != 0 ]; then
    not_ok "[$who] live-job env runs" "$LIVE_OUT"
  else
    ok "[$who] live-job env runs"
    names=$(printf '%s\n' "$LIVE_OUT" | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' | sort | tr '\n' ' ')
    extra=$(printf '%s\n' $names | grep -vxE 'LANG|TZ|PATH|HOME|PWD')
    if [ -z "$extra" ]; then
      ok "[$who] only allow-listed variables inside ($names)"
    else
      not_ok "[$who] only allow-listed variables inside" "unexpected: $extra"
    fi
    if printf '%s\n' "$LIVE_OUT" | grep -q "canary-$$\|secret-$$"; then
      not_ok "[$who] the canary and secret values are absent" "$LIVE_OUT"
    else
      ok "[$who] the canary and secret values are absent"
    fi
    if printf '%s\n' "$LIVE_OUT" | grep -qx 'LANG=C.UTF-8' && printf '%s\n' "$LIVE_OUT" | grep -qx 'TZ=UTC' \
       && printf '%s\n' "$LIVE_OUT" | grep -qx 'HOME=/tmp' && printf '%s\n' "$LIVE_OUT" | grep -qx 'PATH=/usr/bin:/bin'; then
      ok "[$who] kept variables pass and set ones override (LANG, TZ kept; HOME, PATH set)"
    else
      not_ok "[$who] kept variables pass and set ones override" "$LIVE_OUT"
    fi
    if printf '%s\n' "$LIVE_OUT" | grep -q '^LD_PRELOAD=\|^SBX_LOCK_FD='; then
      not_ok "[$who] the exec lock's variables are removed before main" "$LIVE_OUT"
    else
      ok "[$who] the exec lock's variables are removed before main"
    fi
  fi

  for path in /home /root /etc/shadow /etc/ssh /var /run/user "$CANARY_FILE" \
              "$TEST_TMP/canary.txt" /tmp/"$(basename "$CANARY_FILE")"; do
    expect "$path is absent" 1 '^ENOENT$' -- /in/live-job exists "$path"
  done
  expect "control: /run/sbx/sbx-exec is present (exists can succeed)" 0 '^present$' -- \
    /in/live-job exists /run/sbx/sbx-exec
  expect "the host's folder above /in is absent" 1 '^ENOENT$' -- /in/live-job exists "$IN"
done
finish
