#!/bin/sh
# run.sh WORKDIR [STATIC-BINARY] — run a static program from /in (built
# from static-job.c with cc -static when no binary is given).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: run.sh WORKDIR [STATIC-BINARY]}
SBX=${SBX:-sbx}
mkdir -p "$work/in" "$work/out"
if [ $# -ge 2 ]; then
  cp "$2" "$work/in/static-job"
else
  ${CC:-cc} -static -O2 -o "$work/in/static-job" "$here/static-job.c"
fi
chmod 755 "$work/in/static-job"
echo world > "$work/in/name.txt"
"$SBX" run -p "$here/static-job.profile" --in "$work/in" --out "$work/out" -- /in/static-job
