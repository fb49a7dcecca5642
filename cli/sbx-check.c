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
                      "“sbx: FILE:LINE: [group] key: …” line per problem on stderr, every\n"
                      "problem of the file, not only the first.  A valid profile may also get\n"
                      "“… warning: …” lines: settings sbx attest will not attest, naming the\n"
                      "probes that will FAIL.  Exit status 0 when every profile is valid\n"
                      "(warnings or not), else 2.",
                      entries, FALSE, &argc, &argv))
    return SBX_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    {
      sbx_cli_message ("check: no profile given (sbx check PROFILE…)");
      return SBX_EXIT_USAGE;
    }
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_auto(GStrv) problems = NULL;
      g_auto(GStrv) warnings = NULL;
      gboolean valid = sbx_profile_check_file (files[i], &problems, &warnings);

      for (guint j = 0; problems[j] != NULL; j++)
        sbx_cli_message ("%s", problems[j]);
      for (guint j = 0; warnings[j] != NULL; j++)
        sbx_cli_message ("%s", warnings[j]);
      if (!valid)
        status = SBX_EXIT_USAGE;
      else if (warnings[0] != NULL)
        printf ("%s: ok, %u warning%s\n", files[i], g_strv_length (warnings),
                g_strv_length (warnings) == 1 ? "" : "s");
      else
        printf ("%s: ok\n", files[i]);
    }
  return status;
}
