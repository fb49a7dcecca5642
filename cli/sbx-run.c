/* sbx-run.c — `sbx run`: load the profile, apply --in/--out, prepare the
 * sandbox and start it (or, with --dry-run, print what would start). */
#include "config.h"

#include "sbx-cli.h"
#include "sbx-options.h"

#include <stdio.h>

int
sbx_cmd_run (int argc, char **argv)
{
  g_autofree char *profile_path = NULL;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *bwrap = NULL;
  g_auto(GStrv) command = NULL;
  gboolean dry_run = FALSE;
  gboolean explain = FALSE;
  gboolean quiet = FALSE;
  g_auto(SbxCliOverrides) overrides = { 0 };
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path,
      "Profile to use (default: the built-in one, see sbx show-default)", "FILE" },
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in,
      "Host folder shown read-only at /in (overrides [filesystem] input)", "DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      "Host folder shown writable at /out (overrides [filesystem] output)", "DIR" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      "Print the bwrap command line and what each fd carries; start nothing", NULL },
    { "bwrap", 0, 0, G_OPTION_ARG_FILENAME, &bwrap, "The bwrap to run (default: bwrap on PATH)",
      "PATH" },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &explain,
      "Print every call the profile refuses, with its arguments and the rule (once each)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      "Do not print refused execs or which limit ended the job", NULL },
    SBX_CLI_OVERRIDE_ENTRIES (&overrides),
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &command, NULL, NULL },
    { NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxSandbox) sandbox = NULL;

  if (!sbx_cli_parse ("run", "[--] CMD [ARG…]",
                      "Runs CMD in the sandbox: /in read-only, /out writable, a private noexec\n"
                      "/tmp, the read-only system paths, no network, a scrubbed environment,\n"
                      "seccomp, and the exec lock.  Exit status: CMD's (128+N for signal N);\n"
                      "124 deadline; 125 sbx failed (usage, profile, set-up); 126 lock or CMD\n"
                      "not executable; 127 CMD not found (see sbx(1)).",
                      entries, TRUE, &argc, &argv))
    return sbx_cli_usage_exit ();
  if (command == NULL || command[0] == NULL)
    {
      sbx_cli_message ("run: no command given (sbx run [OPTION…] -- CMD [ARG…])");
      return sbx_cli_usage_exit ();
    }

  profile = sbx_cli_load_profile (profile_path, &error);
  if (profile == NULL)
    return sbx_cli_fail (error);
  if (!sbx_cli_overrides_apply (&overrides, profile, &error)
      || !sbx_cli_apply_folders (profile, in, out, &error))
    return sbx_cli_fail (error);
  sandbox = sbx_sandbox_new (profile, (const char *const *) command, &error);
  if (sandbox == NULL)
    return sbx_cli_fail (error);
  sbx_sandbox_set_bwrap (sandbox, bwrap);
  sbx_sandbox_set_explain (sandbox, explain);
  if (!sbx_sandbox_prepare (sandbox, dry_run ? SBX_PREPARE_DRY_RUN : SBX_PREPARE_NONE, &error))
    return sbx_cli_fail (error);

  if (dry_run)
    {
      g_autofree char *line = sbx_sandbox_dup_command_line (sandbox);
      g_autofree char *fds = sbx_sandbox_dup_fd_description (sandbox);
      g_auto(GStrv) lines = g_strsplit (fds, "\n", -1);

      printf ("%s\n", line);
      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0')
          printf ("# %s\n", lines[i]);
      return fflush (stdout) == 0 ? SBX_EXIT_OK : SBX_EXIT_SETUP;
    }

  return sbx_cli_supervise (sandbox, profile, quiet, explain);
}
