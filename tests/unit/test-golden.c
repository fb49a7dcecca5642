/* test-golden.c — the default profile's launch and lock programs, as PFC
 * listings, match bpf/golden/default.{launch,lock}.pfc, so any change to the
 * filter shows up in review.  `make update-golden` runs this program with
 * SBX_UPDATE_GOLDEN=1, which rewrites the golden files instead, and
 * bpf/golden/made-with.txt (libseccomp version and arch): with another
 * libseccomp or on another arch the listings differ by right, and the
 * comparison says SKIP with both.
 */
#include "config.h"

#include "sbx-private.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static char *
golden_path (const char *stage_name)
{
  const char *srcdir = g_getenv ("top_srcdir");
  g_autofree char *name = stage_name != NULL ? g_strdup_printf ("default.%s.pfc", stage_name)
                                             : g_strdup ("made-with.txt");

  return g_build_filename (srcdir ? srcdir : ".", "bpf", "golden", name, NULL);
}

/* The first line where @want and @got differ, for the failure message. */
static void
report_first_difference (const char *want, const char *got)
{
  g_auto(GStrv) a = g_strsplit (want, "\n", -1);
  g_auto(GStrv) b = g_strsplit (got, "\n", -1);

  for (guint i = 0; a[i] != NULL || b[i] != NULL; i++)
    if (a[i] == NULL || b[i] == NULL || strcmp (a[i], b[i]) != 0)
      {
        print_error ("line %u:\n  golden: %s\n  built:  %s\n", i + 1, a[i] ? a[i] : "(end)",
                     b[i] ? b[i] : "(end)");
        return;
      }
}

/* "libseccomp=X.Y.Z\narch=0x…\n" of this build. */
static char *
made_with (void)
{
  g_autofree char *version = sbx_seccomp_key_libseccomp ();

  return g_strdup_printf ("libseccomp=%s\narch=0x%08x\n", version, seccomp_arch_native ());
}

static void
check_stage (SbxStage stage, const char *stage_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  g_autoptr(SbxProgram) program = NULL;
  g_autofree char *path = golden_path (stage_name);
  g_autofree char *built = NULL;
  g_autofree char *golden = NULL;
  g_autofree char *actual_path = NULL;

  assert_non_null (profile);
  program = sbx_program_new (profile, stage, &error);
  assert_non_null (program);
  built = sbx_program_to_pfc (program, &error);
  if (built == NULL)
    fail_msg ("%s listing: %s", stage_name, error->message);

  if (g_getenv ("SBX_UPDATE_GOLDEN") != NULL)
    {
      g_autofree char *with_path = golden_path (NULL);
      g_autofree char *with = made_with ();

      if (!g_file_set_contents (path, built, -1, &error)
          || !g_file_set_contents (with_path, with, -1, &error))
        fail_msg ("%s", error->message);
      print_message ("updated %s\n", path);
      return;
    }
  {
    g_autofree char *with_path = golden_path (NULL);
    g_autofree char *golden_with = NULL;
    g_autofree char *with = made_with ();

    if (!g_file_get_contents (with_path, &golden_with, NULL, &error))
      fail_msg ("%s (run `make update-golden` to create it)", error->message);
    if (strcmp (golden_with, with) != 0)
      {
        g_strdelimit (golden_with, "\n", ' ');
        g_strdelimit (with, "\n", ' ');
        print_message ("SKIP: the golden listings were made with %sthis is %s\n", golden_with, with);
        skip ();
      }
  }
  if (!g_file_get_contents (path, &golden, NULL, &error))
    fail_msg ("%s (run `make update-golden` to create it)", error->message);
  if (strcmp (golden, built) == 0)
    return;
  actual_path = g_strdup_printf ("default.%s.pfc.actual", stage_name);
  g_file_set_contents (actual_path, built, -1, NULL);
  report_first_difference (golden, built);
  fail_msg ("the %s program differs from %s; built listing in %s; "
            "if the change is intended, run `make update-golden` and review the diff",
            stage_name, path, actual_path);
}

static void
test_golden_launch (void **state)
{
  check_stage (SBX_STAGE_LAUNCH, "launch");
}

static void
test_golden_lock (void **state)
{
  check_stage (SBX_STAGE_LOCK, "lock");
}

static void
test_golden_gate (void **state)
{
  check_stage (SBX_STAGE_GATE, "gate");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_golden_launch),
    cmocka_unit_test (test_golden_lock),
    cmocka_unit_test (test_golden_gate),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
