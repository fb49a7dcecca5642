/* test-pure-parse.c — loading a profile does no host I/O (issue 12 item 3),
 * through sbxprofile.h only, linked against the shared library:
 *
 *  - a profile naming real host paths loads in a child whose seccomp filter
 *    fails every path syscall (open, stat, access, statfs, readlink …) with
 *    ENOTRECOVERABLE; the control: sbx_profile_check_host() in that same
 *    child fails, so the filter does cut the library off from the host;
 *  - a profile naming paths that do not exist here loads, keeps them, and
 *    the host check — on its own, in sbx_sandbox_prepare() and in
 *    sbx_profile_check_file() — names the path with "FILE:LINE: [group] key";
 *  - a path given to a setter and removed afterwards is refused by prepare.
 */
#include "config.h"

#include "sbxprofile.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

/* every syscall that names a path or reads a folder (x86_64 and the rest:
 * names libseccomp does not know on this arch are skipped) */
static const char *const path_calls[] = {
  "open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat", "statx", "access",
  "faccessat", "faccessat2", "statfs", "readlink", "readlinkat", "getdents", "getdents64",
  "chdir", "getcwd", "name_to_handle_at", "open_by_handle_at", "execve", "execveat",
};

static char *scratch;

static int
setup (void **state)
{
  g_autofree char *in = NULL, *out = NULL, *file = NULL;

  (void) state;
  scratch = g_dir_make_tmp ("sbx-test-pure.XXXXXX", NULL);
  assert_non_null (scratch);
  in = g_build_filename (scratch, "in", NULL);
  out = g_build_filename (scratch, "out", NULL);
  file = g_build_filename (scratch, "file", NULL);
  assert_int_equal (g_mkdir (in, 0755), 0);
  assert_int_equal (g_mkdir (out, 0755), 0);
  assert_true (g_file_set_contents (file, "x", 1, NULL));
  return 0;
}

static int
teardown (void **state)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", scratch);

  (void) state;
  assert_int_equal (system (cmd), 0);
  g_clear_pointer (&scratch, g_free);
  return 0;
}

/* A profile naming @in, @out, @ro as input, output, a read-only path, and
 * /usr and @ro as system paths (transfer full). */
static char *
profile_text (const char *in, const char *out, const char *ro)
{
  return g_strdup_printf ("[filesystem]\n"
                          "input=%s\n"
                          "output=%s\n"
                          "system=/usr;%s\n"
                          "read-only=%s:/opt/data\n"
                          "[seccomp]\n"
                          "deny=ptrace;mount\n",
                          in, out, ro, ro);
}

/* In the child: fail every path syscall with ENOTRECOVERABLE. */
static gboolean
cut_off_host (void)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ALLOW);
  gboolean ok = ctx != NULL;

  for (gsize i = 0; ok && i < G_N_ELEMENTS (path_calls); i++)
    {
      int nr = seccomp_syscall_resolve_name (path_calls[i]);

      if (nr != __NR_SCMP_ERROR)
        ok = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOTRECOVERABLE), nr, 0) == 0;
    }
  ok = ok && seccomp_load (ctx) == 0;
  if (ctx != NULL)
    seccomp_release (ctx);
  return ok;
}

/* Child exit statuses. */
enum { CHILD_OK = 0, CHILD_NO_FILTER = 10, CHILD_PARSE_FAILED, CHILD_DEFAULT_FAILED,
       CHILD_PATH_LOST, CHILD_HOST_CHECK_PASSED };

static void
test_parse_without_host (void **state)
{
  g_autofree char *in = g_build_filename (scratch, "in", NULL);
  g_autofree char *out = g_build_filename (scratch, "out", NULL);
  g_autofree char *file = g_build_filename (scratch, "file", NULL);
  g_autofree char *text = profile_text (in, out, file);
  int status = 0;
  pid_t pid;

  (void) state;
  /* outside the filter the profile is valid on this host */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbxProfile) p = sbx_profile_new_from_data (text, -1, "pure.profile", &error);

    assert_non_null (p);
    if (!sbx_profile_check_host (p, &error))
      fail_msg ("host check outside the filter: %s", error->message);
  }

  fflush (NULL);
  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      GError *error = NULL;
      SbxProfile *p, *def;

      if (!cut_off_host ())
        _exit (CHILD_NO_FILTER);
      p = sbx_profile_new_from_data (text, -1, "pure.profile", &error);
      if (p == NULL)
        {
          fprintf (stderr, "under the filter: %s\n", error->message);
          _exit (CHILD_PARSE_FAILED);
        }
      def = sbx_profile_new_default (&error);
      if (def == NULL)
        {
          fprintf (stderr, "default under the filter: %s\n", error->message);
          _exit (CHILD_DEFAULT_FAILED);
        }
      if (g_strcmp0 (sbx_profile_get_input (p), in) != 0
          || g_strcmp0 (sbx_profile_get_output (p), out) != 0)
        _exit (CHILD_PATH_LOST);
      /* the control: the host check needs the host the filter took away */
      if (sbx_profile_check_host (p, &error))
        _exit (CHILD_HOST_CHECK_PASSED);
      _exit (CHILD_OK);
    }
  assert_int_equal (waitpid (pid, &status, 0), pid);
  assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) != CHILD_OK)
    fail_msg ("child exited %d (10 no filter, 11 parse failed, 12 default failed, 13 paths lost, "
              "14 host check passed under the filter)", WEXITSTATUS (status));
}

static void
test_missing_paths (void **state)
{
  g_autofree char *missing = g_build_filename (scratch, "not-here", "in", NULL);
  g_autofree char *out = g_build_filename (scratch, "out", NULL);
  g_autofree char *file = g_build_filename (scratch, "file", NULL);
  g_autofree char *gone = g_build_filename (scratch, "gone", NULL);
  g_autofree char *text = profile_text (missing, out, file);
  g_autofree char *want = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxSandbox) sandbox = NULL;
  const char *cmd[] = { "true", NULL };

  (void) state;
  profile = sbx_profile_new_from_data (text, -1, "missing.profile", &error);
  if (profile == NULL)
    fail_msg ("a missing input must load: %s", error->message);
  assert_string_equal (sbx_profile_get_input (profile), missing);

  want = g_strdup_printf ("missing.profile:2: [filesystem] input: “%s/not-here” does not exist; ",
                          scratch);
  assert_false (sbx_profile_check_host (profile, &error));
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_INVALID_PATH));
  if (!g_str_has_prefix (error->message, want))
    fail_msg ("“%s” does not start with “%s”", error->message, want);
  g_clear_error (&error);

  /* prepare checks the host first: the same error */
  sandbox = sbx_sandbox_new (profile, cmd, &error);
  assert_non_null (sandbox);
  assert_false (sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, &error));
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_INVALID_PATH));
  if (!g_str_has_prefix (error->message, want))
    fail_msg ("prepare: “%s” does not start with “%s”", error->message, want);
  g_clear_error (&error);
  g_clear_pointer (&sandbox, sbx_sandbox_unref);

  /* a read-only path, line 5 */
  g_clear_pointer (&profile, sbx_profile_unref);
  g_free (text);
  text = g_strdup_printf ("[filesystem]\n\n\n\nread-only=%s:/opt/x\n", gone);
  profile = sbx_profile_new_from_data (text, -1, "ro.profile", &error);
  assert_non_null (profile);
  g_free (want);
  want = g_strdup_printf ("ro.profile:5: [filesystem] read-only: “%s” does not exist; ", gone);
  assert_false (sbx_profile_check_host (profile, &error));
  if (!g_str_has_prefix (error->message, want))
    fail_msg ("“%s” does not start with “%s”", error->message, want);
}

/* sbx check's call: parse and host problems together, in line order. */
static void
test_check_file (void **state)
{
  g_autofree char *path = g_build_filename (scratch, "check.profile", NULL);
  g_autofree char *text = g_strdup_printf ("[filesystem]\n"
                                           "input=%s/nowhere\n"
                                           "[limits]\n"
                                           "cpu-seconds=0\n", scratch);
  g_auto(GStrv) problems = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *first = NULL;

  (void) state;
  assert_true (g_file_set_contents (path, text, -1, NULL));
  assert_false (sbx_profile_check_file (path, &problems, &warnings));
  first = g_strdup_printf ("%s:2: [filesystem] input: “%s/nowhere” does not exist", path, scratch);
  assert_true (g_strv_length (problems) >= 2);
  if (!g_str_has_prefix (problems[0], first))
    fail_msg ("first problem “%s”, expected “%s…”", problems[0], first);
  assert_non_null (strstr (problems[1], ":4: [limits] cpu-seconds"));
}

/* A folder given to a setter and removed before prepare. */
static void
test_setter_then_removed (void **state)
{
  g_autofree char *out = g_build_filename (scratch, "later-gone", NULL);
  g_autofree char *want = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  g_autoptr(SbxSandbox) sandbox = NULL;
  const char *cmd[] = { "true", NULL };

  (void) state;
  assert_int_equal (g_mkdir (out, 0755), 0);
  assert_true (sbx_profile_set_output (profile, out, &error));
  assert_int_equal (g_rmdir (out), 0);
  sandbox = sbx_sandbox_new (profile, cmd, &error);
  assert_non_null (sandbox);
  assert_false (sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, &error));
  want = g_strdup_printf ("[filesystem] output: “%s” does not exist; ", out);
  if (!g_str_has_prefix (error->message, want))
    fail_msg ("“%s” does not start with “%s”", error->message, want);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_without_host),
    cmocka_unit_test (test_missing_paths),
    cmocka_unit_test (test_check_file),
    cmocka_unit_test (test_setter_then_removed),
  };

  return cmocka_run_group_tests (tests, setup, teardown);
}
