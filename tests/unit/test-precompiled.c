/* test-precompiled.c — bpf/sbx-precompiled.c against a fresh libseccomp
 * compile.
 *
 * Every table entry must be, byte for byte and key for key, what
 * sbx_program_new_compiled() makes of the built-in default profile here; a
 * change to the bpf/ tables, the compiler or libseccomp without
 * regenerating the table fails with "run `make update-golden`".  Profiles
 * whose seccomp part differs must miss the table and still compile; parts
 * of the profile the compiler does not read must not matter; the listing of
 * a precompiled program is the listing of the compiled one.
 */
#include "config.h"

#include "sbx-private.h"
#include "sbx-precompiled.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test-common.h"

#define REGENERATE "run `make update-golden` and review the diff of bpf/sbx-precompiled.c"

static const SbxStage stages[] = { SBX_STAGE_LAUNCH, SBX_STAGE_LOCK, SBX_STAGE_GATE };

static const char *
stage_name (SbxStage stage)
{
  return sbx_stage_to_string (stage);
}

static SbxProfile *
profile_from (const char *text)
{
  return test_profile_from (text, "test-precompiled");
}

static SbxProgram *
compile (SbxProfile *profile, SbxStage stage, gboolean fresh)
{
  g_autoptr(GError) error = NULL;
  SbxProgram *program = fresh ? sbx_program_new_compiled (profile, stage, &error)
                              : sbx_program_new (profile, stage, &error);

  if (program == NULL)
    fail_msg ("%s program: %s", stage_name (stage), error->message);
  return program;
}

static gboolean
same_bytes (SbxProgram *a, SbxProgram *b)
{
  gsize la, lb;
  const guint8 *da = sbx_program_get_bytes (a, &la);
  const guint8 *db = sbx_program_get_bytes (b, &lb);

  return la == lb && memcmp (da, db, la) == 0;
}

/* Each table entry is what libseccomp compiles here, under the same key. */
static void
test_table_matches_fresh_compile (void **state)
{
  g_autoptr(SbxProfile) profile = profile_from (NULL);
  g_autofree char *version = sbx_seccomp_key_libseccomp ();
  guint seen[G_N_ELEMENTS (stages)] = { 0 };

  if (sbx_precompiled_table_len == 0)
    fail_msg ("bpf/sbx-precompiled.c has no programs; " REGENERATE);
  for (gsize i = 0; i < sbx_precompiled_table_len; i++)
    {
      const SbxPrecompiled *entry = &sbx_precompiled_table[i];
      SbxStage stage = entry->stage;
      g_autoptr(SbxProgram) fresh = NULL;
      g_autofree char *key = NULL;
      const struct sock_filter *got;
      gsize length, n;

      if (stage != SBX_STAGE_LAUNCH && stage != SBX_STAGE_LOCK && stage != SBX_STAGE_GATE)
        fail_msg ("bpf/sbx-precompiled.c entry %zu: stage %d; " REGENERATE, i, entry->stage);
      seen[stage]++;
      if (strcmp (entry->libseccomp, version) != 0 || entry->arch != seccomp_arch_native ())
        fail_msg ("bpf/sbx-precompiled.c was generated with libseccomp %s on arch 0x%08x, this is "
                  "libseccomp %s on arch 0x%08x: the table is never used here; " REGENERATE,
                  entry->libseccomp, entry->arch, version, seccomp_arch_native ());
      key = sbx_seccomp_key (profile, stage);
      if (strcmp (key, entry->key) != 0)
        fail_msg ("the default profile's %s key is %s, bpf/sbx-precompiled.c has %s (bpf/ tables, "
                  "the key or the default profile changed): " REGENERATE,
                  stage_name (stage), key, entry->key);

      fresh = compile (profile, stage, TRUE);
      got = (const struct sock_filter *) sbx_program_get_bytes (fresh, &length);
      n = length / sizeof (struct sock_filter);
      for (gsize k = 0; k < MIN (n, entry->n_instructions); k++)
        if (memcmp (&got[k], &entry->instructions[k], sizeof (struct sock_filter)) != 0)
          fail_msg ("the %s program differs from bpf/sbx-precompiled.c at instruction %zu "
                    "(compiled { 0x%04x, %u, %u, 0x%08x }, table { 0x%04x, %u, %u, 0x%08x }): "
                    REGENERATE, stage_name (stage), k, got[k].code, got[k].jt, got[k].jf, got[k].k,
                    entry->instructions[k].code, entry->instructions[k].jt,
                    entry->instructions[k].jf, entry->instructions[k].k);
      if (n != entry->n_instructions)
        fail_msg ("the %s program has %zu instructions, bpf/sbx-precompiled.c %zu: " REGENERATE,
                  stage_name (stage), n, entry->n_instructions);
    }
  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    if (seen[s] != 1)
      fail_msg ("bpf/sbx-precompiled.c has %u %s programs, expected 1: " REGENERATE, seen[s],
                stage_name (stages[s]));
}

/* The default profile takes the table, and gets the compiled bytes. */
static void
test_default_profile_hits (void **state)
{
  g_autoptr(SbxProfile) profile = profile_from (NULL);

  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      g_autoptr(SbxProgram) program = compile (profile, stages[s], FALSE);
      g_autoptr(SbxProgram) fresh = compile (profile, stages[s], TRUE);

      if (!sbx_program_is_precompiled (program))
        fail_msg ("the default profile's %s program was compiled, not taken from "
                  "bpf/sbx-precompiled.c: " REGENERATE, stage_name (stages[s]));
      assert_false (sbx_program_is_precompiled (fresh));
      assert_true (same_bytes (program, fresh));
      assert_int_equal (sbx_program_get_stage (program), stages[s]);
    }
}

/* Profiles whose seccomp part differs miss the table, compile as before,
 * and get other programs than the default's. */
static void
test_other_seccomp_misses (void **state)
{
  static const char *const texts[] = {
    "[seccomp]\nerrno=EACCES\n",
    "[seccomp]\nmode=deny-list\n",
    "[seccomp]\ndeny=chmod\n",
    "[network]\nsocket-families=unix\n",
    "[network]\nsocket-families=unix;inet\n[seccomp]\nmode=deny-list\nerrno=ENOSYS\ndeny=chmod;fchmod\n",
  };
  g_autoptr(SbxProfile) def = profile_from (NULL);

  for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr(SbxProfile) profile = profile_from (texts[t]);

      for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
        {
          g_autoptr(SbxProgram) program = compile (profile, stages[s], FALSE);
          g_autoptr(SbxProgram) fresh = compile (profile, stages[s], TRUE);
          g_autoptr(SbxProgram) def_program = compile (def, stages[s], FALSE);
          g_autofree char *key = sbx_seccomp_key (profile, stages[s]);
          g_autofree char *def_key = sbx_seccomp_key (def, stages[s]);

          if (strcmp (key, def_key) == 0)
            fail_msg ("profile %s: same %s key as the default profile", texts[t], stage_name (stages[s]));
          if (sbx_program_is_precompiled (program))
            fail_msg ("profile %s: %s program taken from the table", texts[t], stage_name (stages[s]));
          assert_true (same_bytes (program, fresh));
          if (same_bytes (program, def_program))
            fail_msg ("profile %s: %s program identical to the default's", texts[t],
                      stage_name (stages[s]));
        }
    }
}

/* What the compiler does not read does not change the key. */
static void
test_other_parts_hit (void **state)
{
  static const char text[] = "[sandbox]\nname=other\n"
                             "[filesystem]\ntmp-size=8M\n"
                             "[network]\nmode=host\n"
                             "[environment]\nkeep=LANG\n"
                             "[seccomp]\nerrno=EPERM\nexec-lock=off\n"
                             "[limits]\nopen-files=64\n";
  g_autoptr(SbxProfile) def = profile_from (NULL);
  g_autoptr(SbxProfile) profile = profile_from (text);

  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      g_autofree char *key = sbx_seccomp_key (profile, stages[s]);
      g_autofree char *def_key = sbx_seccomp_key (def, stages[s]);
      g_autoptr(SbxProgram) program = compile (profile, stages[s], FALSE);

      assert_string_equal (key, def_key);
      assert_true (sbx_program_is_precompiled (program));
    }
  /* The two stages never share a key. */
  {
    g_autofree char *launch = sbx_seccomp_key (def, SBX_STAGE_LAUNCH);
    g_autofree char *lock = sbx_seccomp_key (def, SBX_STAGE_LOCK);

    assert_string_not_equal (launch, lock);
  }
}

/* The key text renders exactly the compiler's inputs, canonically. */
static void
test_key_text (void **state)
{
  g_autoptr(SbxProfile) def = profile_from (NULL);
  g_autoptr(SbxProfile) other = profile_from ("[network]\nsocket-families=inet;unix;unix\n"
                                              "[seccomp]\nmode=deny-list\nerrno=EACCES\n"
                                              "deny=fchmod;chmod\n");
  g_autofree char *def_text = sbx_seccomp_key_text (def);
  g_autofree char *other_text = sbx_seccomp_key_text (other);

  assert_string_equal (def_text, "[seccomp]\nmode=allow-list\nerrno=1\n[network]\nsocket-families=\n");
  assert_string_equal (other_text, "[seccomp]\nmode=deny-list\nerrno=13\ndeny=chmod\ndeny=fchmod\n"
                                   "[network]\nsocket-families=1;2\n");
}

/* A precompiled program lists like the compiled one, and listing it
 * leaves its bytes alone. */
static void
test_pfc_of_precompiled (void **state)
{
  g_autoptr(SbxProfile) profile = profile_from (NULL);

  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbxProgram) program = compile (profile, stages[s], FALSE);
      g_autoptr(SbxProgram) fresh = compile (profile, stages[s], TRUE);
      g_autofree char *sha_before = sbx_program_dup_sha256 (program);
      g_autofree char *pfc = NULL;
      g_autofree char *pfc_again = NULL;
      g_autofree char *fresh_pfc = NULL;
      g_autofree char *sha_after = NULL;

      assert_true (sbx_program_is_precompiled (program));
      pfc = sbx_program_to_pfc (program, &error);
      if (pfc == NULL)
        fail_msg ("%s listing: %s", stage_name (stages[s]), error->message);
      pfc_again = sbx_program_to_pfc (program, &error);
      assert_non_null (pfc_again);
      fresh_pfc = sbx_program_to_pfc (fresh, &error);
      assert_non_null (fresh_pfc);
      assert_string_equal (pfc, fresh_pfc);
      assert_string_equal (pfc, pfc_again);
      assert_non_null (strstr (pfc, sha_before));
      sha_after = sbx_program_dup_sha256 (program);
      assert_string_equal (sha_before, sha_after);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_table_matches_fresh_compile),
    cmocka_unit_test (test_default_profile_hits),
    cmocka_unit_test (test_other_seccomp_misses),
    cmocka_unit_test (test_other_parts_hit),
    cmocka_unit_test (test_key_text),
    cmocka_unit_test (test_pfc_of_precompiled),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
