#!/bin/sh
# check-pkgconfig.sh — the installed-library view works for another program:
# with pkgconfig/sbxprofile.pc (pointed at this build's lib/.libs and a copy
# of the public header laid out as installed), `pkg-config --static
# sbxprofile` gives everything a fully static link needs (libsbxprofile.a,
# glib, libseccomp: no json-glib, which no distribution ships static), and
# the program it links compiles the default profile's programs.  TAP.
. "$top_srcdir/tests/libtest.sh"

PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CC=${CC:-cc}
if ! command -v "$PKG_CONFIG" >/dev/null 2>&1; then
  skip "pkg-config --static links a program" "no pkg-config"; finish
fi
pc_dir=$TEST_TMP/pc
inc=$TEST_TMP/include
mkdir -p "$pc_dir" "$inc/sbxprofile" || { not_ok "make $TEST_TMP/pc"; finish; }
# sbxprofile.pc as installed, but for where libdir and includedir point
sed -e "s|^libdir=.*|libdir=$top_builddir/lib/.libs|" -e "s|^includedir=.*|includedir=$inc|" \
  "$top_builddir/pkgconfig/sbxprofile.pc" > "$pc_dir/sbxprofile.pc" \
  && cp "$top_srcdir/lib/sbxprofile.h" "$inc/sbxprofile/" \
  || { not_ok "copy sbxprofile.pc and sbxprofile.h"; finish; }
if [ ! -f "$top_builddir/lib/.libs/libsbxprofile.a" ]; then
  skip "pkg-config --static links a program" "no lib/.libs/libsbxprofile.a (configured with --disable-static)"
  finish
fi

flags=$(PKG_CONFIG_PATH=$pc_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} "$PKG_CONFIG" --static --cflags --libs sbxprofile 2>&1)
case $flags in
  *json-glib*) not_ok "pkg-config --static sbxprofile needs no json-glib" "$flags" ;;
  *) ok "pkg-config --static sbxprofile needs no json-glib" ;;
esac

# A sanitizer build's archive calls into the ASan/UBSan runtimes, which
# cannot be linked fully static: the link is shown by the plain build.
if [ -n "${SBX_SANITIZE_FLAGS:-}" ]; then
  skip "a program links fully static with pkg-config --static sbxprofile" \
    "configured with --enable-sanitizers ($SBX_SANITIZE_FLAGS): the sanitizer runtimes do not link static"
  finish
fi

cat > "$TEST_TMP/user.c" <<'C'
#include <sbxprofile.h>
#include <stdio.h>

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  g_autoptr(SbxProgram) program = profile != NULL ? sbx_program_new (profile, SBX_STAGE_LOCK, &error) : NULL;

  if (program == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("libsbxprofile %s: lock program of %zu instructions\n", sbx_version_string (),
          sbx_program_get_n_instructions (program));
  return 0;
}
C
# shellcheck disable=SC2086
if out=$("$CC" -static -o "$TEST_TMP/user" "$TEST_TMP/user.c" $flags 2>&1); then
  ok "a program links fully static with pkg-config --static sbxprofile"
else
  not_ok "a program links fully static with pkg-config --static sbxprofile" "$CC -static … $flags: $(printf '%s\n' "$out" | grep -v 'statically linked applications' | head -n 5)"
  finish
fi
if file "$TEST_TMP/user" 2>/dev/null | grep -q 'dynamically linked'; then
  not_ok "the program is static" "$(file "$TEST_TMP/user")"
else ok "the program is static"; fi
if out=$("$TEST_TMP/user" 2>&1) && printf '%s\n' "$out" | grep -q '^libsbxprofile .*: lock program of [1-9][0-9]* instructions$'; then
  ok "it runs: $out"
else not_ok "it runs and compiles the default lock program" "$out"; fi
finish
