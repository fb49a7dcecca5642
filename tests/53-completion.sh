#!/bin/sh
# 53-completion.sh — completion/sbx, loaded into a real bash: `complete -p`
# names it; it completes the subcommands; for each subcommand exactly the
# options its --help lists; profile paths after -p/--profile and for check;
# folders after --in/--out/--ro; nothing but files after "--".
. "$top_srcdir/tests/libtest.sh"

COMP=$top_srcdir/completion/sbx
if ! command -v bash >/dev/null 2>&1; then
  skip "bash completion" "bash is not installed"
  finish
fi
cd "$TEST_TMP" || exit 1
mkdir -p work/sub work/data && : > work/a.profile && : > work/b.profile && : > work/notes.txt \
  && : > work/ev.json || exit 1

# complete WORDS…: what the completion offers for the last word (sorted, one
# per line), run in $TEST_TMP/work.
complete_words () {
  (cd work && bash --norc --noprofile -c '
    . "$0" || exit 3
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _sbx
    printf "%s\n" "${COMPREPLY[@]}"' "$COMP" "$@") | sort | sed '/^$/d'
}
# same_set NAME GOT WANT: both whitespace-separated lists as sets.
same_set () {
  local got want
  got=$(printf '%s\n' $2 | sort -u | tr '\n' ' ')
  want=$(printf '%s\n' $3 | sort -u | tr '\n' ' ')
  if [ "$got" = "$want" ]; then ok "$1"; else not_ok "$1" "got:  $got
want: $want"; fi
}

out=$(bash --norc --noprofile -c '. "$0" && complete -p sbx' "$COMP" 2>&1)
if [ "$out" = "complete -F _sbx sbx" ]; then ok "complete -p sbx: the file registers _sbx"
else not_ok "complete -p sbx: the file registers _sbx" "$out"; fi

same_set "subcommands" "$(complete_words sbx '')" "run compile check show-default attest verify --help --version"
same_set "sbx ch → check" "$(complete_words sbx ch)" "check"

# Each subcommand's options against its own --help (sbx attest/verify run
# sbx-attest from the build tree).
for cmd in run compile check show-default attest verify; do
  help=$(SBX_HELPER_DIR="$top_builddir" "$SBX" "$cmd" --help 2>&1)
  from_help=$(printf '%s\n' "$help" | grep -E '^  +-' | sed 's/^ *//; s/  .*//' | tr ',' '\n' \
    | sed 's/^ *//; s/[ =].*//' | grep -Ev '^(-h|-\?|--help-all)$' | sed '/^$/d')
  same_set "sbx $cmd -: the options of sbx $cmd --help" "$(complete_words sbx "$cmd" -)" "$from_help"
done

same_set "sbx run -p: profile files and folders" "$(complete_words sbx run -p '')" "a.profile b.profile data sub"
got=$(complete_words sbx run -p '')
case $got in *notes.txt*) not_ok "sbx run -p does not offer notes.txt" "$got" ;; *) ok "sbx run -p does not offer notes.txt" ;; esac
same_set "sbx attest --profile a: a.profile" "$(complete_words sbx attest --profile a)" "a.profile"
same_set "sbx check: profile files" "$(complete_words sbx check '')" "a.profile b.profile data sub"
same_set "sbx run --in: folders" "$(complete_words sbx run --in '')" "data sub"
same_set "sbx run --ro d: data" "$(complete_words sbx run --ro d)" "data"
same_set "sbx verify: bundles" "$(complete_words sbx verify '')" "ev.json data sub"
same_set "after --: files, not options" "$(complete_words sbx run -- n)" "notes.txt"
finish
