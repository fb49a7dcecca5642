/* test-program-cache.c — compiled programs of non-default profiles in
 * $XDG_CACHE_HOME/sbxprofile/ (lib/sbx-program-cache.c):
 *
 *  - the first sbx_program_new() compiles and writes KEY.bpf (mode 0600),
 *    the second reads it: the same bytes, and a listing that matches;
 *  - the default profile's programs come from the table, nothing is written;
 *  - a file is never taken when its header names another key (a program
 *    copied under another name), when it is a symlink, writable by group or
 *    others, owned by someone else (as root), or not whole instructions:
 *    the program is compiled instead and the file written anew.
 *
 * XDG_CACHE_HOME is a fresh folder, set before GLib reads it. */
#include "config.h"

#include "sbx-private.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test-common.h"

static char *home;

static const char custom_a[] = "[seccomp]\nerrno=EACCES\n";
static const char custom_b[] = "[seccomp]\nerrno=ENOSYS\n";

static SbxProgram *
program_of (const char *text, gboolean fresh)
{
  g_autoptr(SbxProfile) profile = test_profile_from (text, "test-program-cache");
  g_autoptr(GError) error = NULL;
  SbxProgram *program = fresh ? sbx_program_new_compiled (profile, SBX_STAGE_LAUNCH, &error)
                              : sbx_program_new (profile, SBX_STAGE_LAUNCH, &error);

  if (program == NULL)
    fail_msg ("program: %s", error->message);
  return program;
}

static char *
path_of (const char *text)
{
  g_autoptr(SbxProfile) profile = test_profile_from (text, "test-program-cache");
  g_autofree char *key = sbx_program_key (profile, SBX_STAGE_LAUNCH);

  return sbx_program_cache_path (key);
}

static gboolean
same_bytes (SbxProgram *a, SbxProgram *b)
{
  gsize la, lb;
  const guint8 *da = sbx_program_get_bytes (a, &la);
  const guint8 *db = sbx_program_get_bytes (b, &lb);

  return la == lb && memcmp (da, db, la) == 0;
}

/* Compiles @text once so that its file is there and trusted. */
static void
prime (const char *text)
{
  g_autofree char *path = path_of (text);
  g_autoptr(SbxProgram) first = NULL;
  g_autoptr(SbxProgram) second = NULL;

  g_unlink (path);
  first = program_of (text, FALSE);
  assert_false (sbx_program_is_cached (first));
  second = program_of (text, FALSE);
  assert_true (sbx_program_is_cached (second));
}

/* After @damage was done to the file of @text: the program is compiled
 * (not read), is right, and the file is good again afterwards. */
static void
assert_refused_then_repaired (const char *text, const char *what)
{
  g_autoptr(SbxProgram) program = program_of (text, FALSE);
  g_autoptr(SbxProgram) fresh = program_of (text, TRUE);
  g_autoptr(SbxProgram) again = NULL;

  if (sbx_program_is_cached (program))
    fail_msg ("a cache file %s was taken", what);
  assert_true (same_bytes (program, fresh));
  again = program_of (text, FALSE);
  assert_true (sbx_program_is_cached (again));
  assert_true (same_bytes (again, fresh));
}

static void
test_round_trip (void **state)
{
  g_autofree char *path = path_of (custom_a);
  g_autoptr(SbxProgram) first = NULL;
  g_autoptr(SbxProgram) second = NULL;
  g_autoptr(SbxProgram) fresh = program_of (custom_a, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *pfc = NULL;
  g_autofree char *fresh_pfc = NULL;
  struct stat st;

  assert_true (g_str_has_prefix (path, home));
  g_unlink (path);
  first = program_of (custom_a, FALSE);
  assert_false (sbx_program_is_cached (first));
  assert_int_equal (lstat (path, &st), 0);
  assert_true (S_ISREG (st.st_mode));
  assert_int_equal (st.st_mode & 07777, 0600);
  second = program_of (custom_a, FALSE);
  assert_true (sbx_program_is_cached (second));
  assert_false (sbx_program_is_precompiled (second));
  assert_true (same_bytes (second, fresh));
  pfc = sbx_program_to_pfc (second, &error);
  if (pfc == NULL)
    fail_msg ("listing of a cached program: %s", error->message);
  fresh_pfc = sbx_program_to_pfc (fresh, &error);
  assert_string_equal (pfc, fresh_pfc);
}

static void
test_default_not_cached (void **state)
{
  g_autoptr(SbxProgram) program = program_of (NULL, FALSE);
  g_autofree char *path = path_of (NULL);

  assert_true (sbx_program_is_precompiled (program));
  assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* B's file replaced by A's (a valid program under another key). */
static void
test_other_key (void **state)
{
  g_autofree char *path_a = path_of (custom_a);
  g_autofree char *path_b = path_of (custom_b);
  g_autofree char *data = NULL;
  gsize length;

  prime (custom_a);
  prime (custom_b);
  assert_true (g_file_get_contents (path_a, &data, &length, NULL));
  g_unlink (path_b);
  assert_true (g_file_set_contents_full (path_b, data, length, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  assert_refused_then_repaired (custom_b, "holding another key");
}

static void
test_writable_by_others (void **state)
{
  g_autofree char *path = path_of (custom_a);

  prime (custom_a);
  assert_int_equal (chmod (path, 0620), 0);
  assert_refused_then_repaired (custom_a, "writable by its group");
  assert_int_equal (chmod (path, 0602), 0);
  assert_refused_then_repaired (custom_a, "writable by others");
}

static void
test_symlink (void **state)
{
  g_autofree char *path = path_of (custom_a);
  g_autofree char *moved = g_strconcat (path, ".real", NULL);

  prime (custom_a);
  assert_int_equal (rename (path, moved), 0);
  assert_int_equal (symlink (moved, path), 0);
  assert_refused_then_repaired (custom_a, "that is a symlink");
  g_unlink (moved);
}

static void
test_other_owner (void **state)
{
  g_autofree char *path = path_of (custom_a);

  if (geteuid () != 0)
    {
      print_message ("needs root to give the file to another user\n");
      skip ();
    }
  prime (custom_a);
  assert_int_equal (chown (path, 65534, 65534), 0);
  assert_refused_then_repaired (custom_a, "owned by another user");
}

static void
test_truncated (void **state)
{
  g_autofree char *path = path_of (custom_a);
  struct stat st;

  prime (custom_a);
  assert_int_equal (stat (path, &st), 0);
  assert_int_equal (truncate (path, st.st_size - 3), 0);
  assert_refused_then_repaired (custom_a, "cut short");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_default_not_cached),
    cmocka_unit_test (test_other_key),
    cmocka_unit_test (test_writable_by_others),
    cmocka_unit_test (test_symlink),
    cmocka_unit_test (test_other_owner),
    cmocka_unit_test (test_truncated),
  };
  g_autofree char *cmd = NULL;
  int failed;

  home = g_dir_make_tmp ("sbx-test-cache.XXXXXX", NULL);
  if (home == NULL)
    return 99;
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  failed = cmocka_run_group_tests (tests, NULL, NULL);
  cmd = g_strdup_printf ("rm -rf '%s'", home);
  if (system (cmd) != 0)
    failed++;
  g_free (home);
  return failed;
}
