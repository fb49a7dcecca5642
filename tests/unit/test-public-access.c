/* test-public-access.c — the calls that let the attest program (and any
 * other user) do without the library's insides, through sbxprofile.h only
 * and linked against the shared library:
 *
 *  - sbx_profile_copy(): an independent copy (changing its output leaves
 *    the original as it was; both free cleanly);
 *  - sbx_profile_dup_system_paths(), sbx_profile_dup_job_env_names();
 *  - sbx_sandbox_set_environment(): [environment] keep picks from the given
 *    environment, not from environ (a dry-run argv shows it);
 *  - sbx_helper_dir_dup_default(), sbx_libseccomp_version_dup(),
 *    sbx_errno_to_name(). */
#include "config.h"

#include "sbxprofile.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static const char keep_profile[] =
  "[environment]\n"
  "keep=SBX_TEST_KEPT\n"
  "[seccomp]\n"
  "exec-lock=off\n";

static void
test_copy (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  g_autoptr(SbxProfile) copy = NULL;
  g_autofree char *before = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *after = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sbx-test-copy.XXXXXX", NULL);

  (void) state;
  assert_non_null (profile);
  assert_non_null (dir);
  before = sbx_profile_to_canonical (profile);
  copy = sbx_profile_copy (profile);
  copied = sbx_profile_to_canonical (copy);
  assert_string_equal (copied, before);
  assert_string_equal (sbx_profile_get_source (copy), sbx_profile_get_source (profile));
  assert_true (sbx_profile_set_output (copy, dir, &error));
  assert_non_null (sbx_profile_get_output (copy));
  assert_null (sbx_profile_get_output (profile));
  after = sbx_profile_to_canonical (profile);
  assert_string_equal (after, before);
  g_clear_pointer (&copied, g_free);
  copied = sbx_profile_to_canonical (copy);
  assert_string_not_equal (copied, before);
  g_rmdir (dir);
}

static void
test_lists (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) def = sbx_profile_new_default (&error);
  g_autoptr(SbxProfile) off = sbx_profile_new_from_data (keep_profile, -1, "keep", &error);
  g_auto(GStrv) system = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) names_off = NULL;

  (void) state;
  assert_non_null (def);
  assert_non_null (off);
  system = sbx_profile_dup_system_paths (def);
  assert_true (g_strv_contains ((const char *const *) system, "/usr"));
  names = sbx_profile_dup_job_env_names (def);
  /* keep=LANG;TZ, set=PATH=…;HOME=…, bwrap's PWD; the exec gate sets none */
  for (const char *const *n = (const char *const[]) { "LANG", "TZ", "PATH", "HOME", "PWD", NULL };
       *n != NULL; n++)
    assert_true (g_strv_contains ((const char *const *) names, *n));
  assert_false (g_strv_contains ((const char *const *) names, "LD_PRELOAD"));
  assert_false (g_strv_contains ((const char *const *) names, "SBX_LOCK_FD"));
  names_off = sbx_profile_dup_job_env_names (off);
  assert_true (g_strv_contains ((const char *const *) names_off, "SBX_TEST_KEPT"));
  assert_false (g_strv_contains ((const char *const *) names_off, "LD_PRELOAD"));
  assert_false (g_strv_contains ((const char *const *) names_off, "LANG"));
}

/* Index of "--setenv NAME" in @argv, or -1. */
static int
find_setenv (const char *const *argv, const char *name)
{
  for (int i = 0; argv[i] != NULL && argv[i + 1] != NULL; i++)
    if (strcmp (argv[i], "--setenv") == 0 && strcmp (argv[i + 1], name) == 0)
      return i;
  return -1;
}

/* The options bwrap reads from the argv's --args FD (a memfd, also in a
 * dry run), as a NULL-terminated vector. */
static GStrv
args_blob (const char *const *argv)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  GPtrArray *out = g_ptr_array_new ();

  assert_non_null (argv[1]);
  assert_string_equal (argv[1], "--args");
  path = g_strdup_printf ("/proc/self/fd/%s", argv[2]);
  assert_true (g_file_get_contents (path, &data, &len, NULL));
  for (gsize off = 0; off < len; off += strlen (data + off) + 1)
    g_ptr_array_add (out, g_strdup (data + off));
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
}

/* The kept variable's value is in the --args memfd only: the redacted argv
 * shows "<kept>", the exec'd argv names no variable at all. */
static void
assert_kept (SbxSandbox *sandbox, const char *value)
{
  const char *const *argv = sbx_sandbox_get_argv (sandbox);
  const char *const *shown = sbx_sandbox_get_redacted_argv (sandbox);
  g_auto(GStrv) blob = args_blob (argv);
  int at;

  assert_int_equal (find_setenv (argv, "SBX_TEST_KEPT"), -1);
  at = find_setenv ((const char *const *) blob, "SBX_TEST_KEPT");
  assert_true (at >= 0);
  assert_string_equal (blob[at + 2], value);
  at = find_setenv (shown, "SBX_TEST_KEPT");
  assert_true (at >= 0);
  assert_string_equal (shown[at + 2], "<kept>");
}

static void
test_set_environment (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_from_data (keep_profile, -1, "keep", &error);
  const char *const command[] = { "/usr/bin/true", NULL };
  const char *const envp[] = { "SBX_TEST_KEPT=from-the-given-env", "PATH=/usr/bin:/bin", NULL };
  const char *bwrap = g_getenv ("BWRAP");
  g_autoptr(SbxSandbox) plain = NULL;
  g_autoptr(SbxSandbox) given = NULL;

  (void) state;
  assert_non_null (profile);
  if (bwrap == NULL || bwrap[0] == '\0')
    {
      print_message ("needs $BWRAP (run through make check)\n");
      skip ();
    }
  g_setenv ("SBX_TEST_KEPT", "from-environ", TRUE);

  plain = sbx_sandbox_new (profile, command, &error);
  assert_non_null (plain);
  sbx_sandbox_set_bwrap (plain, bwrap);
  assert_true (sbx_sandbox_prepare (plain, SBX_PREPARE_DRY_RUN, &error));
  assert_kept (plain, "from-environ");

  given = sbx_sandbox_new (profile, command, &error);
  assert_non_null (given);
  sbx_sandbox_set_bwrap (given, bwrap);
  sbx_sandbox_set_environment (given, envp);
  assert_true (sbx_sandbox_prepare (given, SBX_PREPARE_DRY_RUN, &error));
  assert_kept (given, "from-the-given-env");
  g_unsetenv ("SBX_TEST_KEPT");
}

static void
test_small_facts (void **state)
{
  g_autofree char *dir = NULL;
  g_autofree char *version = sbx_libseccomp_version_dup ();
  g_auto(GStrv) parts = g_strsplit (version, ".", -1);

  (void) state;
  g_setenv ("SBX_HELPER_DIR", "/nonexistent/helpers", TRUE);
  dir = sbx_helper_dir_dup_default ();
  assert_string_equal (dir, "/nonexistent/helpers");
  assert_int_equal (g_strv_length (parts), 3);
  for (int i = 0; i < 3; i++)
    assert_true (parts[i][0] >= '0' && parts[i][0] <= '9');
  assert_string_equal (sbx_errno_to_name (EPERM), "EPERM");
  assert_null (sbx_errno_to_name (0));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_copy),
    cmocka_unit_test (test_lists),
    cmocka_unit_test (test_set_environment),
    cmocka_unit_test (test_small_facts),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
