/* test-skeleton.c — the skeleton of a bwrap argv and the first difference
 * (attest/sbx-skeleton.c): pure, fed by hand. */
#include "config.h"

#include "sbx-skeleton.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void
test_skeleton (void **state)
{
  static const char *const rec[] = {
    "/usr/bin/bwrap", "--unshare-all", "--clearenv", "--setenv", "LANG", "C.UTF-8", "--setenv", "PATH", "/usr/bin",
    "--ro-bind-fd", "14", "/usr", "--ro-bind", "/tmp/sbx-attest-x/in", "/in", "--seccomp", "23", "--",
    "/run/sbx/sbx-exec", "25", "/job", NULL,
  };
  static const char *const der[] = {
    "/usr/bin/bwrap", "--unshare-all", "--clearenv", "--setenv", "LANG", "kept", "--setenv", "TZ", "kept",
    "--setenv", "PATH", "/usr/bin", "--ro-bind-fd", "5", "/usr", "--ro-bind", "/tmp/sbx-verify-y/in", "/in",
    "--seccomp", "6", "--", "/run/sbx/sbx-exec", "7", "/job", NULL,
  };
  static const char *const kept[] = { "LANG", "TZ", NULL };
  static const char *const added[] = {
    "/usr/bin/bwrap", "--unshare-all", "--clearenv", "--setenv", "LANG", "C.UTF-8", "--setenv", "PATH", "/usr/bin",
    "--ro-bind-fd", "14", "/usr", "--ro-bind", "/tmp/sbx-attest-x/in", "/in", "--bind", "/", "/host", "--seccomp",
    "23", "--", "/run/sbx/sbx-exec", "25", "/job", NULL,
  };
  static const char *const dropped[] = {
    "/usr/bin/bwrap", "--clearenv", "--setenv", "LANG", "C.UTF-8", "--setenv", "PATH", "/usr/bin",
    "--ro-bind-fd", "14", "/usr", "--ro-bind", "/tmp/sbx-attest-x/in", "/in", "--seccomp", "23", "--",
    "/run/sbx/sbx-exec", "25", "/job", NULL,
  };
  static const char *const set_changed[] = {
    "/usr/bin/bwrap", "--unshare-all", "--clearenv", "--setenv", "LANG", "C.UTF-8", "--setenv", "PATH", "/tmp",
    "--ro-bind-fd", "14", "/usr", "--ro-bind", "/tmp/sbx-attest-x/in", "/in", "--seccomp", "23", "--",
    "/run/sbx/sbx-exec", "25", "/job", NULL,
  };
  g_autofree char *d = NULL;

  (void) state;
  /* fd numbers, scratch sources, kept values and an unset kept variable differ: equal */
  assert_null (sbx_argv_skeleton_diff (rec, der, kept));
  d = sbx_argv_skeleton_diff (added, der, kept);
  assert_string_equal (d, "adds “--bind / /host” (option 7), which the profile does not give");
  g_free (d);
  d = sbx_argv_skeleton_diff (dropped, der, kept);
  assert_string_equal (d, "lacks “--unshare-all” (option 1 of the profile's argv)");
  g_free (d);
  d = sbx_argv_skeleton_diff (set_changed, der, kept);
  assert_string_equal (d, "option 4 is “--setenv PATH /tmp”, the profile gives “--setenv PATH /usr/bin” there");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_skeleton),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
