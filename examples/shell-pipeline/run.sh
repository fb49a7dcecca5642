#!/bin/sh
# run.sh WORKDIR — count the words of WORKDIR/in/words.txt with a pipeline.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: run.sh WORKDIR}
SBX=${SBX:-sbx}
mkdir -p "$work/in" "$work/out"
printf 'b\na\nb\nc\nb\na\n' > "$work/in/words.txt"
"$SBX" run -p "$here/shell-pipeline.profile" --in "$work/in" --out "$work/out" -- \
  /bin/sh -c 'sort /in/words.txt | uniq -c | sort -rn > /out/counts.txt'
cat "$work/out/counts.txt"
