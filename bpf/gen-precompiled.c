/* gen-precompiled — writes bpf/sbx-precompiled.c: the built-in default
 * profile's launch and lock programs, compiled here with libseccomp
 * (sbx_program_new_compiled(); this program links an empty table),
 * keyed by sbx_program_key().
 *
 *   gen-precompiled OUTPUT.c
 *
 * Run by the build, which compiles OUTPUT into the library: the table is
 * always made with the tables, the compiler and the libseccomp of this
 * build.  Exit 1 on any failure (OUTPUT untouched).
 */
#include "config.h"

#include "sbx-private.h"

#include <linux/filter.h>
#include <stdio.h>

static const SbxStage stages[] = { SBX_STAGE_LAUNCH, SBX_STAGE_LOCK, SBX_STAGE_GATE };

static const char *
stage_name (SbxStage stage)
{
  return sbx_stage_to_string (stage);
}

/* The key text as C comment lines; a comment end cannot sneak in. */
static void
append_comment_text (GString *out, const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        g_autoptr(GString) line = g_string_new (lines[i]);

        g_string_replace (line, "*/", "* /", 0);
        g_string_append_printf (out, " *     %s\n", line->str);
      }
}

static void
append_program (GString *out, SbxStage stage, SbxProgram *program)
{
  gsize length;
  const struct sock_filter *insns = (const struct sock_filter *) sbx_program_get_bytes (program, &length);
  gsize n = length / sizeof (struct sock_filter);

  g_string_append_printf (out, "static const struct sock_filter default_%s[%zu] = {\n",
                          stage_name (stage), n);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "  { 0x%04x, %u, %u, 0x%08x },\n", insns[i].code, insns[i].jt,
                            insns[i].jf, insns[i].k);
  g_string_append (out, "};\n\n");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *key_text = NULL;
  g_autofree char *version = sbx_seccomp_key_libseccomp ();
  SbxProgram *programs[G_N_ELEMENTS (stages)] = { NULL };
  char *keys[G_N_ELEMENTS (stages)] = { NULL };
  int status = 1;

  if (argc != 2)
    {
      fprintf (stderr, "usage: gen-precompiled OUTPUT.c\n");
      return 2;
    }
  profile = sbx_profile_new_default (&error);
  if (profile == NULL)
    goto out;
  key_text = sbx_seccomp_key_text (profile);
  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      programs[s] = sbx_program_new_compiled (profile, stages[s], &error);
      if (programs[s] == NULL)
        goto out;
      keys[s] = sbx_program_key (profile, stages[s]);
    }

  g_string_append (out, "/* sbx-precompiled.c — GENERATED AT BUILD TIME, DO NOT EDIT.\n"
                        " *\n"
                        " * Written by bpf/gen-precompiled (bpf/gen-precompiled.c) when the\n"
                        " * library is built; the build writes it again whenever the bpf/\n"
                        " * tables or the compiler change.\n"
                        " *\n"
                        " * From: the built-in default profile (lib/sbx-profile-default.c),\n"
                        " * compiled by sbx_program_new_compiled() with the bpf/ tables and\n");
  g_string_append_printf (out, " * libseccomp %s on arch 0x%08x, compiler %.16s….  Seccomp part\n"
                               " * of the profile (sbx_seccomp_key_text()):\n",
                          version, seccomp_arch_native (), sbx_program_compiler_version ());
  append_comment_text (out, key_text);
  g_string_append (out, " *\n * Programs (sha256 of the bytes, as in bpf/golden/default.*.pfc):\n");
  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      g_autofree char *sha = sbx_program_dup_sha256 (programs[s]);

      g_string_append_printf (out, " *   %-6s %4zu instructions, sha256 %s\n", stage_name (stages[s]),
                              sbx_program_get_n_instructions (programs[s]), sha);
    }
  g_string_append (out, " */\n"
                        "#include \"config.h\"\n"
                        "\n"
                        "#include \"sbx-precompiled.h\"\n"
                        "#include \"sbxprofile.h\"\n"
                        "\n");
  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    append_program (out, stages[s], programs[s]);
  g_string_append (out, "const SbxPrecompiled sbx_precompiled_table[] = {\n");
  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    g_string_append_printf (out,
                            "  { \"%s\",\n"
                            "    %s, \"%s\", 0x%08x, G_N_ELEMENTS (default_%s), default_%s },\n",
                            keys[s], stages[s] == SBX_STAGE_LOCK ? "SBX_STAGE_LOCK"
                            : stages[s] == SBX_STAGE_GATE ? "SBX_STAGE_GATE" : "SBX_STAGE_LAUNCH",
                            version, seccomp_arch_native (), stage_name (stages[s]),
                            stage_name (stages[s]));
  g_string_append (out, "};\n"
                        "\n"
                        "const gsize sbx_precompiled_table_len = G_N_ELEMENTS (sbx_precompiled_table);\n");
  g_string_append_printf (out, "const int sbx_precompiled_max_syscall = %d;\n",
                          sbx_seccomp_max_known_syscall ());

  if (!g_file_set_contents (argv[1], out->str, out->len, &error))
    goto out;
  status = 0;

out:
  if (error != NULL)
    fprintf (stderr, "gen-precompiled: %s\n", error->message);
  for (gsize s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      g_clear_pointer (&programs[s], sbx_program_unref);
      g_free (keys[s]);
    }
  return status;
}
