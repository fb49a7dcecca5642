#!/bin/sh
# check-layout.sh — the rooms of DESIGN §1 hold: libsbxprofile is profile +
# programs + sandbox, needing glib-2.0 and libseccomp only, with no
# attestation in it; the attest program (attest/) and sbx (cli/) reach the
# library only through sbxprofile.h and the symbols the shared library
# exports.  TAP.
. "$top_srcdir/tests/libtest.sh"

so=$(ls "$top_builddir"/lib/.libs/libsbxprofile.so.* 2>/dev/null | head -n 1)
if [ -z "$so" ]; then
  not_ok "shared library built" "no lib/.libs/libsbxprofile.so.* under $top_builddir"
  finish
fi
exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sed 's/@.*//' | sort -u)

# 1. no attestation or evidence symbol is exported
att=$(printf '%s\n' "$exported" | grep -E '^sbx_(attest|evidence|probe_result|probe_record|verdict|venue|scratch)' || true)
if [ -z "$att" ]; then ok "nm -D: no attestation symbol in $(basename "$so")"
else not_ok "nm -D: no attestation symbol in $(basename "$so")" "$att"; fi

# 2. it needs glib-2.0 and libseccomp and nothing else of note (the C
#    runtime and a sanitizer runtime aside): no json-glib, gobject, gio
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' \
  | grep -v -E '^(libglib-2\.0|libseccomp|libc|libm|libpthread|libdl|ld-linux.*|libasan|libubsan|liblsan|libgcc_s|libstdc\+\+)\.so' || true)
if [ -z "$needed" ]; then ok "readelf -d: the library needs only glib-2.0 and libseccomp"
else not_ok "readelf -d: the library needs only glib-2.0 and libseccomp" "also needs: $needed"; fi
if ldd "$so" 2>/dev/null | grep -q -E 'json-glib|gobject|gio-2'; then
  not_ok "ldd: no json-glib, gobject or gio behind the library" "$(ldd "$so")"
else ok "ldd: no json-glib, gobject or gio behind the library"; fi

# 3. attest/ and cli/ include no header of lib/ but the public one
for room in attest cli; do
  bad=""
  for f in "$top_srcdir/$room"/*.c "$top_srcdir/$room"/*.h; do
    for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
      # where the include lands: beside the file first, then -I lib
      if [ -e "$top_srcdir/$room/$h" ]; then
        where=$(realpath -m "$top_srcdir/$room/$h")
      else
        where=$(realpath -m "$top_srcdir/lib/$h")
      fi
      case $where in
        "$(realpath "$top_srcdir/lib")/sbxprofile.h") ;;
        "$(realpath "$top_srcdir/lib")"/*) [ -e "$where" ] && bad="$bad $(basename "$f"):$h" ;;
      esac
    done
  done
  if [ -z "$bad" ]; then ok "$room/ includes sbxprofile.h and no other header of lib/"
  else not_ok "$room/ includes sbxprofile.h and no other header of lib/" "$bad"; fi
done

# calls_only_exported WHAT OBJS...: every sbx_* function the objects call
# and do not define themselves is one the shared library exports (they link
# libsbxprofile.a, where hidden functions would link too).
calls_only_exported () {
  what=$1; shift
  nm "$@" 2>/dev/null | awk '$1 == "U" { print $2 }' | grep '^sbx_' | sort -u > "$TEST_TMP/undef"
  nm --defined-only "$@" 2>/dev/null | awk '{ print $3 }' | grep '^sbx_' | sort -u > "$TEST_TMP/own"
  comm -23 "$TEST_TMP/undef" "$TEST_TMP/own" > "$TEST_TMP/from-lib"
  hidden=$(comm -23 "$TEST_TMP/from-lib" "$TEST_TMP/exported")
  if [ -s "$TEST_TMP/from-lib" ] && [ -z "$hidden" ]; then
    ok "$what calls only exported functions of the library ($(wc -l < "$TEST_TMP/from-lib") of them)"
  else
    not_ok "$what calls only exported functions of the library" "not exported: ${hidden:-(none found at all)}"
  fi
}
printf '%s\n' "$exported" > "$TEST_TMP/exported"

# 4. attest/ (it compiles the probe catalogue of probes/ into its own
#    archive, and sbx-attest the option code it shares with sbx,
#    cli/sbx-options.c)
objs=$(find "$top_builddir/attest" "$top_builddir/probes" "$top_builddir/cli" -name '*.o' \
         \( -path "$top_builddir/attest/*" -o -name '*attest_*' -o -name 'sbx_attest-*' \) 2>/dev/null)
if [ -z "$objs" ]; then
  not_ok "attest/ objects built" "no attest/*.o under $top_builddir"
  finish
fi
# shellcheck disable=SC2086
calls_only_exported "attest/" $objs

# 5. sbx (cli/)
objs=$(find "$top_builddir/cli" -name 'sbx-sbx*.o' 2>/dev/null)
if [ -z "$objs" ]; then
  not_ok "sbx's objects built" "no cli/sbx-sbx*.o under $top_builddir"
  finish
fi
# shellcheck disable=SC2086
calls_only_exported "cli/ (sbx)" $objs
finish
