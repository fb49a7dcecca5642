/* sbx-compile.c — `sbx compile`: the programs and the argv of a profile,
 * for review and for other launchers. */
#include "config.h"

#include "sbx-cli.h"

#include <stdio.h>

static gboolean
write_program (SbxProgram *program, const char *path, GError **error)
{
  gsize length;
  const guint8 *bytes = sbx_program_get_bytes (program, &length);
  g_autoptr(GError) local = NULL;

  if (path == NULL)
    return TRUE;
  if (!g_file_set_contents (path, (const char *) bytes, length, &local))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
print_pfc (SbxProgram *program, GError **error)
{
  g_autofree char *pfc = sbx_program_to_pfc (program, error);

  if (pfc == NULL)
    return FALSE;
  fputs (pfc, stdout);
  return TRUE;
}

static void
print_summary (const char *name, SbxProgram *program)
{
  g_autofree char *sha = sbx_program_dup_sha256 (program);

  printf ("%s: %zu instructions, sha256 %s\n", name, sbx_program_get_n_instructions (program), sha);
}

/* The argv `sbx run --dry-run` shows for @command (bwrap's options spelled
 * out, kept values redacted), one per line. */
static gboolean
print_argv (SbxProfile *profile, char **command, GError **error)
{
  const char *const fallback[] = { "true", NULL };
  g_autoptr(SbxSandbox) sandbox = NULL;
  const char *const *argv;

  sandbox = sbx_sandbox_new (profile, command != NULL ? (const char *const *) command : fallback,
                             error);
  if (sandbox == NULL || !sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, error))
    return FALSE;
  argv = sbx_sandbox_get_redacted_argv (sandbox);
  for (gsize i = 0; argv[i] != NULL; i++)
    printf ("%s\n", argv[i]);
  return TRUE;
}

int
sbx_cmd_compile (int argc, char **argv)
{
  g_autofree char *profile_path = NULL;
  g_autofree char *launch_path = NULL;
  g_autofree char *lock_path = NULL;
  g_autofree char *gate_path = NULL;
  g_auto(GStrv) command = NULL;
  gboolean want_argv = FALSE, want_pfc = FALSE;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path,
      "Profile to compile (default: the built-in one)", "FILE" },
    { "launch-bpf", 0, 0, G_OPTION_ARG_FILENAME, &launch_path,
      "Write the launch program (struct sock_filter[], native endian) to FILE", "FILE" },
    { "lock-bpf", 0, 0, G_OPTION_ARG_FILENAME, &lock_path,
      "Write the lock program (exec-lock=self) to FILE", "FILE" },
    { "gate-bpf", 0, 0, G_OPTION_ARG_FILENAME, &gate_path,
      "Write the exec gate's program (exec-lock=on) to FILE", "FILE" },
    { "argv", 0, 0, G_OPTION_ARG_NONE, &want_argv,
      "Print the bwrap argv of a dry run, one element per line (CMD defaults to true)", NULL },
    { "pfc", 0, 0, G_OPTION_ARG_NONE, &want_pfc,
      "Print both programs as libseccomp PFC text", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &command, NULL, NULL },
    { NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxProgram) launch = NULL;
  g_autoptr(SbxProgram) lock = NULL;
  g_autoptr(SbxProgram) gate = NULL;

  if (!sbx_cli_parse ("compile", "[-- CMD [ARG…]]",
                      "Compiles a profile into its launch and lock seccomp programs and\n"
                      "prints their size and sha256, unless --argv or --pfc says what to print.",
                      entries, TRUE, &argc, &argv))
    return SBX_EXIT_USAGE;
  if (command != NULL && !want_argv)
    {
      sbx_cli_message ("compile: a command only goes with --argv");
      return SBX_EXIT_USAGE;
    }

  /* the host paths at once, before any program is written (--argv's
   * dry run would check them only after) */
  profile = sbx_cli_load_profile (profile_path, &error);
  if (profile == NULL || !sbx_profile_check_host (profile, &error))
    return sbx_cli_fail (error);
  launch = sbx_program_new (profile, SBX_STAGE_LAUNCH, &error);
  if (launch == NULL)
    return sbx_cli_fail (error);
  lock = sbx_program_new (profile, SBX_STAGE_LOCK, &error);
  if (lock == NULL)
    return sbx_cli_fail (error);
  if (gate_path != NULL)
    {
      gate = sbx_program_new (profile, SBX_STAGE_GATE, &error);
      if (gate == NULL || !write_program (gate, gate_path, &error))
        return sbx_cli_fail (error);
    }
  if (!write_program (launch, launch_path, &error) || !write_program (lock, lock_path, &error))
    return sbx_cli_fail (error);

  if (want_pfc && (!print_pfc (launch, &error) || !print_pfc (lock, &error)))
    return sbx_cli_fail (error);
  if (want_argv && !print_argv (profile, command, &error))
    return sbx_cli_fail (error);
  if (!want_pfc && !want_argv)
    {
      print_summary ("launch", launch);
      print_summary ("lock", lock);
    }
  return fflush (stdout) == 0 ? SBX_EXIT_OK : SBX_EXIT_SETUP;
}
