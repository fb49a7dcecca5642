#!/bin/sh
# run.sh WORKDIR — make a venv with the system python, show it read-only at
# /opt/venv, run job.py from it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: run.sh WORKDIR}
SBX=${SBX:-sbx}
mkdir -p "$work/in" "$work/out"
cp "$here/job.py" "$work/in/job.py"
printf 'the quick brown fox jumps over the lazy dog\n' > "$work/in/words.txt"
[ -d "$work/venv" ] || /usr/bin/python3 -m venv --without-pip "$work/venv"
"$SBX" run -p "$here/python-venv.profile" --ro "$work/venv:/opt/venv" \
  --in "$work/in" --out "$work/out" -- /opt/venv/bin/python /in/job.py
