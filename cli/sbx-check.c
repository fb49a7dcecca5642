/* sbx-check.c — `sbx check PROFILE…`: load each profile, report problems. */
#include "config.h"

#include "sbx-cli.h"

#include <stdio.h>

int
sbx_cmd_check (int argc, char **argv)
{
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL },
  };
  int status = SBX_EXIT_OK;

  if (!sbx_cli_parse ("check", "PROFILE…",
                      "Validates each PROFILE.  Prints “PROFILE: ok” for a good one and one\n"
                      "“sbx: FILE:LINE: [group] key: …” line per problem on stderr.\n"
                      "Exit status 0 when every profile is valid, else 2.",
                      entries, FALSE, &argc, &argv))
    return SBX_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    {
      sbx_cli_message ("check: no profile given (sbx check PROFILE…)");
      return SBX_EXIT_USAGE;
    }
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbxProfile) profile = sbx_cli_load_profile (files[i], &error);

      if (profile == NULL)
        {
          sbx_cli_message ("%s", error->message);
          status = SBX_EXIT_USAGE;
        }
      else
        printf ("%s: ok\n", files[i]);
    }
  return status;
}
