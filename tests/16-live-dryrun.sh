#!/bin/sh
# 16-live-dryrun.sh — `sbx run --dry-run` prints the argv `sbx run` really
# executes: a recording bwrap (a script that writes its argv, then execs the
# real bwrap) is given to both, and the dry run's shell-quoted line, read
# back by the shell, must equal what the recorder got — fd numbers included.
# The dry run itself starts nothing, and each fd the argv names is described.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

REAL_BWRAP=$(command -v "${BWRAP:-bwrap}") || live_bail "bwrap not found"
# make_recorder PATH RECORD: a bwrap that records its argv (NUL-separated)
# into RECORD, with the options of "--args FD" read back from FD (a memfd:
# reading it by its /proc path leaves bwrap's offset alone) in their place,
# and the argv as given into RECORD.raw; unless asked for --help/--version.
# RECORD is written into the script: bwrap gets only the job's environment
# from sbx.
make_recorder () {
  cat > "$1" <<EOF2 && chmod 755 "$1" || live_bail "cannot write $1"
#!/bin/sh
case "\$1" in
  --help|--version) exec "$REAL_BWRAP" "\$@" ;;
esac
printf '%s\0' "\$0" "\$@" > "$2.raw"
{
  printf '%s\0' "\$0"
  fd=
  for a in "\$@"; do
    if [ "\$fd" = next ]; then cat "/proc/self/fd/\$a" || exit 125; fd=\$a
    elif [ -z "\$fd" ] && [ "\$a" = --args ]; then fd=next
    else printf '%s\0' "\$a"; fi
  done
} > "$2"
exec "$REAL_BWRAP" "\$@"
EOF2
}

# A bwrap without --bind-fd (upstream < 0.10): the real one with the option
# names renamed in its string table, so its parser no longer knows them.
OLD_BWRAP="$LIVE_BIN/bwrap-no-bind-fd"
"${PYTHON3:-python3}" - "$REAL_BWRAP" "$OLD_BWRAP" <<'EOF2' && chmod 755 "$OLD_BWRAP" || live_bail "cannot make $OLD_BWRAP"
import sys
data = open(sys.argv[1], "rb").read()
for name in (b"--ro-bind-fd", b"--bind-fd"):
    if name + b"\0" not in data:
        sys.exit("no %s in %s" % (name.decode(), sys.argv[1]))
    data = data.replace(name + b"\0", name[:-1] + b"X\0")
open(sys.argv[2], "wb").write(data)
EOF2

for who in $LIVE_USERS; do
  live_setup "$who"
  dry=$(sbx_as "$who" run --in "$IN" --out "$OUT" --bwrap "$OLD_BWRAP" --dry-run -- /in/live-job exit 0)
  # /out (and as root every mount) is re-homed by sbx first: by that path.
  if [ "$who" = self ] && [ "$(id -u)" = 0 ]; then
    by_path="--ro-bind /[^ ]*/m[0-9]* /in --bind /[^ ]*/m[0-9]* /out"
  else
    by_path="--ro-bind $IN /in --bind /[^ ]*/m[0-9]* /out"
  fi
  if printf '%s\n' "$dry" | head -n 1 | grep -q -- "$by_path" \
     && printf '%s\n' "$dry" | grep -q "^# no fd, --bind /[^ ]*: $OUT, writable, noexec" \
     && ! printf '%s\n' "$dry" | head -n 1 | grep -qE -- ' --(ro-)?bind-fd ' \
     && printf '%s\n' "$dry" | grep -q '^# note: .*has no --bind-fd'; then
    ok "[$who] without --bind-fd, mount sources go by path (and the dry run says so)"
  else
    not_ok "[$who] without --bind-fd, mount sources go by path (and the dry run says so)" "$dry"
  fi
  expect "without --bind-fd the job runs, /tmp still noexec" 1 '^denied EPERM$' -- --bwrap "$OLD_BWRAP" \
    /in/live-job copy-mmap-exec /in/live-job /tmp/job
  expect "without --bind-fd: a file in /out reaches the host" 0 '^allowed$' -- --bwrap "$OLD_BWRAP" \
    /in/live-job write /out/by-path

  # The recorder runs as the test user: its folder is open to it.
  rec_dir="$LIVE_DIR/rec"
  mkdir -p "$rec_dir" && chmod 777 "$rec_dir" || live_bail "cannot make $rec_dir"
  record="$rec_dir/argv"
  RECORDER="$LIVE_BIN/bwrap-recorder-$who"
  make_recorder "$RECORDER" "$record"
  for profile in default lockoff; do
    args=""
    [ "$profile" = lockoff ] && args="--profile $(live_profile lockoff '[seccomp]
exec-lock=off')"
    # root runs each sandbox as a uid of its own: the recorder of this run
    # could not overwrite the last run's files, so none may be left
    rm -f "$record" "$record.raw" "$OUT/a b'c"
    # No kept variable set: the dry run shows a kept value as <kept>
    # (tests/62-live-kept-secret.sh), the memfd carries the value.
    LIVE_ENV="-u LANG -u TZ"
    # shellcheck disable=SC2086
    dry=$(sbx_as "$who" run $args --in "$IN" --out "$OUT" \
          --bwrap "$RECORDER" --dry-run -- /in/live-job write "/out/a b'c")
    rc=$?
    if [ "$rc" = 0 ] && [ ! -e "$record" ]; then
      ok "[$who] $profile: --dry-run exits 0 and starts nothing"
    else
      not_ok "[$who] $profile: --dry-run exits 0 and starts nothing" "rc $rc, record: $(ls -l "$record" 2>&1)"
    fi
    # shellcheck disable=SC2086
    sbx_as "$who" run $args --in "$IN" --out "$OUT" \
      --bwrap "$RECORDER" -- /in/live-job write "/out/a b'c" > "$rec_dir/out" 2>&1
    rc=$?
    if [ "$rc" = 0 ] && [ -f "$OUT/a b'c" ]; then
      ok "[$who] $profile: the real run through the recorder works"
    else
      not_ok "[$who] $profile: the real run through the recorder works" "rc $rc: $(cat "$rec_dir/out")"
    fi
    LIVE_ENV=
    line=$(printf '%s\n' "$dry" | head -n 1)
    # What bwrap was exec'd with: its options only through the memfd.
    raw=$(tr '\0' ' ' < "$record.raw" 2>/dev/null)
    args_fd=$(printf '%s\n' "$raw" | sed -n 's/^[^ ]* --args \([0-9][0-9]*\) -- .*/\1/p')
    if [ -n "$args_fd" ] && printf '%s\n' "$dry" | grep -q "^# fd $args_fd: bwrap's options, NUL-separated"; then
      ok "[$who] $profile: bwrap is exec'd as “bwrap --args FD -- CMD”, and the dry run describes FD"
    else
      not_ok "[$who] $profile: bwrap is exec'd as “bwrap --args FD -- CMD”, and the dry run describes FD" "real: $raw
$dry"
    fi
    # Read the dry run's line back as the shell would, NUL-separated.
    eval "set -- $line" && printf '%s\0' "$@" > "$rec_dir/dry"
    if cmp -s "$rec_dir/dry" "$record"; then
      ok "[$who] $profile: --dry-run's argv is exactly what bwrap was given"
    else
      not_ok "[$who] $profile: --dry-run's argv is exactly what bwrap was given" \
        "dry: $(tr '\0' ' ' < "$rec_dir/dry")
real: $(tr '\0' ' ' < "$record" 2>&1)"
    fi
    # Every fd the argv names has a line in the description.
    missing=
    for fd in $(printf '%s\n' "$line" | grep -oE -- '--(ro-bind-fd|bind-fd|seccomp) [0-9]+|SBX_LOCK_FD [0-9]+' | awk '{print $2}'); do
      printf '%s\n' "$dry" | grep -q "^# fd $fd: " || missing="$missing $fd"
    done
    if [ -z "$missing" ] && printf '%s\n' "$dry" | grep -q '^# fd [0-9]*: noexec,nosuid,nodev tmpfs'; then
      ok "[$who] $profile: each fd of the argv is described"
    else
      not_ok "[$who] $profile: each fd of the argv is described" "missing:$missing
$dry"
    fi
  done
done
finish
