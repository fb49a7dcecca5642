#!/bin/sh
# check-symbols.sh — the shared library exports exactly the functions the
# public header declares, and every export starts with sbx_.  TAP output.
. "$top_srcdir/tests/libtest.sh"

so=$(ls "$top_builddir"/lib/.libs/libsbxprofile.so.* 2>/dev/null | head -n 1)
if [ -z "$so" ]; then
  not_ok "shared library built" "no lib/.libs/libsbxprofile.so.* under $top_builddir"
  finish
fi
exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sed 's/@.*//' | sort -u)
declared=$(sed -n 's/^SBX_PUBLIC[^(]*[ *]\([a-z_][a-z_0-9]*\) *(.*/\1/p' "$top_srcdir/lib/sbxprofile.h" | sort -u)

bad=$(printf '%s\n' "$exported" | grep -v '^sbx_' || true)
if [ -z "$bad" ]; then ok "every exported symbol starts with sbx_"; else not_ok "every exported symbol starts with sbx_" "$bad"; fi

printf '%s\n' "$exported" > "$TEST_TMP/e"
printf '%s\n' "$declared" > "$TEST_TMP/d"
extra=$(comm -23 "$TEST_TMP/e" "$TEST_TMP/d")
missing=$(comm -13 "$TEST_TMP/e" "$TEST_TMP/d")
if [ -z "$extra" ]; then ok "no export missing from sbxprofile.h"; else not_ok "no export missing from sbxprofile.h" "$extra"; fi
if [ -z "$missing" ]; then ok "every function of sbxprofile.h is exported"; else not_ok "every function of sbxprofile.h is exported" "$missing"; fi
finish
