#!/bin/sh
# run.sh WORKDIR — convert WORKDIR/in/data.csv with the limits of the
# profile, a 30 s deadline from the command line.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: run.sh WORKDIR}
SBX=${SBX:-sbx}
mkdir -p "$work/in" "$work/out"
cp "$here/convert.py" "$work/in/convert.py"
printf 'name,amount\nana,3\nbob,4\nana,5\n' > "$work/in/data.csv"
"$SBX" run -p "$here/data-limits.profile" --timeout 30 --in "$work/in" --out "$work/out" -- \
  /usr/bin/python3 /in/convert.py
