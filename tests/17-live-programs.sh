#!/bin/sh
# 17-live-programs.sh — real programs, not only test binaries, under the
# default profile (allow-list seccomp and the exec lock): Debian's python3
# runs a script from /in that reads the input, imports C-extension modules
# (json, hashlib, zlib), uses threads and writes JSON to /out; gzip and
# sha256sum work over a file in /in.
. "$top_srcdir/tests/libtest.sh"
. "$top_srcdir/tests/live-common.sh"

PY=${PYTHON3:-/usr/bin/python3}
case "$PY" in
  /usr/*) ;;
  *) PY=/usr/bin/python3 ;;
esac

for who in $LIVE_USERS; do
  live_setup "$who"
  head -c 300000 /dev/urandom > "$IN/data.bin" && seq 1 20000 >> "$IN/data.bin" && chmod 644 "$IN/data.bin" \
    || live_bail "cannot write $IN/data.bin"
  cat > "$IN/job.py" <<'EOF2' && chmod 644 "$IN/job.py" || live_bail "cannot write job.py"
import hashlib, json, threading, zlib

data = open("/in/data.bin", "rb").read()
results = {}

def work(name, func):
    results[name] = func(data)

threads = [
    threading.Thread(target=work, args=("sha256", lambda d: hashlib.sha256(d).hexdigest())),
    threading.Thread(target=work, args=("crc32", lambda d: zlib.crc32(d))),
    threading.Thread(target=work, args=("roundtrip", lambda d: zlib.decompress(zlib.compress(d, 9)) == d)),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
results["size"] = len(data)
results["threads"] = len(threads)
with open("/out/result.json", "w") as f:
    json.dump(results, f, sort_keys=True)
print("done")
EOF2
  if [ ! -x "$PY" ]; then
    skip "[$who] python3 job" "$PY is not installed (install python3-minimal)"
  else
    expect "python3 runs a script from /in (json, hashlib, zlib, threads)" 0 '^done$' -- "$PY" /in/job.py
    want=$(sha256sum < "$IN/data.bin" | cut -d' ' -f1)
    crc=$("$PY" -c 'import sys, zlib; print(zlib.crc32(open(sys.argv[1], "rb").read()))' "$IN/data.bin")
    size=$(stat -c %s "$IN/data.bin")
    got=$("$PY" -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["sha256"], r["crc32"], r["roundtrip"], r["size"], r["threads"])' \
          "$OUT/result.json" 2>&1)
    if [ "$got" = "$want $crc True $size 3" ]; then
      ok "[$who] python3's JSON result in /out is right"
    else
      not_ok "[$who] python3's JSON result in /out is right" "got: $got
want: $want $crc True $size 3"
    fi
  fi

  sbx_as "$who" run --in "$IN" --out "$OUT" -- gzip -c /in/data.bin > "$LIVE_DIR/data.gz" 2> "$LIVE_DIR/gzip.err"
  rc=$?
  if [ "$rc" = 0 ] && gzip -dc < "$LIVE_DIR/data.gz" | cmp -s - "$IN/data.bin"; then
    ok "[$who] gzip compresses a file of /in"
  else
    not_ok "[$who] gzip compresses a file of /in" "rc $rc: $(cat "$LIVE_DIR/gzip.err")"
  fi
  want=$(sha256sum < "$IN/data.bin" | cut -d' ' -f1)
  expect "sha256sum of a file in /in matches the host's" 0 "^$want  /in/data.bin\$" -- sha256sum /in/data.bin
done
finish
