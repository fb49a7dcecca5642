/* test-attest-caller.c — an attestation leaves its caller alone: while
 * sbx_attestation_run() runs (seen from its progress callback, i.e. while
 * the probe runs are under way) the caller's profile keeps its canonical
 * text, this process's environment holds no canary or decoy secret, and
 * fds 0-2 are the ones it started with.  A real run: bwrap and the
 * helpers of the build tree ($BWRAP, $SBX_HELPER_DIR from make check). */
#include "config.h"

#include "sbx-attest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct {
  SbxProfile *profile;
  char *canonical;
  struct stat stdio[3];
  guint calls;
  guint profile_changed;
  guint env_planted;
  guint stdio_moved;
} Watch;

static gboolean
same_file (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static void
on_probe (const SbxProbeReport *report, gpointer data)
{
  static const char *const planted[] = { "SBX_ATTEST_CANARY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN",
                                         "NPM_TOKEN", NULL };
  Watch *w = data;
  g_autofree char *now = sbx_profile_to_canonical (w->profile);

  (void) report;
  w->calls++;
  if (strcmp (now, w->canonical) != 0 || sbx_profile_get_output (w->profile) != NULL)
    w->profile_changed++;
  for (gsize i = 0; planted[i] != NULL; i++)
    if (g_getenv (planted[i]) != NULL)
      w->env_planted++;
  for (int fd = 0; fd < 3; fd++)
    {
      struct stat st;

      if (fstat (fd, &st) != 0 || !same_file (&st, &w->stdio[fd]))
        w->stdio_moved++;
    }
}

static void
test_caller_left_alone (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  g_autoptr(SbxAttestation) att = NULL;
  g_autofree char *probe = NULL;
  const char *helpers = g_getenv ("SBX_HELPER_DIR");
  Watch w = { 0 };
  gboolean ok;

  (void) state;
  assert_non_null (profile);
  if (helpers == NULL || g_getenv ("BWRAP") == NULL || g_getenv ("BWRAP")[0] == '\0')
    {
      print_message ("needs $SBX_HELPER_DIR and $BWRAP (run through make check)\n");
      skip ();
    }
  probe = g_build_filename (helpers, "sbx-probe", NULL);
  assert_true (g_file_test (probe, G_FILE_TEST_IS_EXECUTABLE));
  for (const char *const *name = (const char *const[]) { "SBX_ATTEST_CANARY", "AWS_SECRET_ACCESS_KEY", NULL };
       *name != NULL; name++)
    g_unsetenv (*name);
  for (int fd = 0; fd < 3; fd++)
    assert_int_equal (fstat (fd, &w.stdio[fd]), 0);
  w.profile = profile;
  w.canonical = sbx_profile_to_canonical (profile);

  att = sbx_attestation_new (profile);
  sbx_attestation_set_options (att, &(SbxAttestOptions) { .bwrap = g_getenv ("BWRAP"), .helper_dir = helpers });
  sbx_attestation_set_progress_func (att, on_probe, &w);
  ok = sbx_attestation_run (att, &error);
  if (!ok)
    print_message ("attestation: %s\n", error->message);
  assert_true (ok);
  assert_non_null (sbx_attestation_get_evidence (att));
  assert_true (w.calls > 0);
  assert_int_equal (w.profile_changed, 0);
  assert_int_equal (w.env_planted, 0);
  assert_int_equal (w.stdio_moved, 0);
  /* and afterwards as well */
  {
    g_autofree char *after = sbx_profile_to_canonical (profile);

    assert_string_equal (after, w.canonical);
  }
  g_free (w.canonical);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_caller_left_alone),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
