/* sbx-show.c — `sbx show-default` and `sbx --version`. */
#include "config.h"

#include "sbx-cli.h"

#include <seccomp.h>
#include <stdio.h>
#include <string.h>

int
sbx_cmd_show_default (int argc, char **argv)
{
  const GOptionEntry entries[] = { { NULL } };

  if (!sbx_cli_parse ("show-default", NULL,
                      "Prints the built-in default profile, the one sbx uses without\n"
                      "--profile, with a comment explaining every key.",
                      entries, FALSE, &argc, &argv))
    return SBX_EXIT_USAGE;
  if (argc > 1)
    {
      sbx_cli_message ("show-default: unexpected argument “%s”", argv[1]);
      return SBX_EXIT_USAGE;
    }
  fputs (sbx_profile_get_default_text (), stdout);
  return fflush (stdout) == 0 ? SBX_EXIT_OK : SBX_EXIT_SETUP;
}

/* "bubblewrap 0.8.0 (/usr/bin/bwrap)", or why not. (transfer full) */
static char *
bwrap_version (void)
{
  g_autofree char *path = g_find_program_in_path ("bwrap");
  g_autofree char *out = NULL;
  const char *argv[] = { NULL, "--version", NULL };

  if (path == NULL)
    return g_strdup ("not found on PATH (install the package “bubblewrap”)");
  argv[0] = path;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                     NULL, NULL, NULL) || out == NULL)
    return g_strdup_printf ("%s does not run", path);
  return g_strdup_printf ("%s (%s)", g_strstrip (out), path);
}

int
sbx_cmd_version (void)
{
  const struct scmp_version *scmp = seccomp_version ();
  g_autofree char *bwrap = bwrap_version ();

  printf ("sbx %s\n", PACKAGE_VERSION);
  printf ("libsbxprofile %s\n", sbx_version_string ());
  printf ("libseccomp %u.%u.%u\n", scmp->major, scmp->minor, scmp->micro);
  printf ("bwrap: %s\n", bwrap);
  return fflush (stdout) == 0 ? SBX_EXIT_OK : SBX_EXIT_SETUP;
}
