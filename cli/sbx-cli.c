/* sbx-cli.c — exit statuses, messages and option parsing shared by the
 * subcommands. */
#include "config.h"

#include "sbx-cli.h"

#include <stdio.h>
#include <stdlib.h>

static SbxExit usage_exit = SBX_EXIT_USAGE;

void
sbx_cli_set_usage_exit (SbxExit status)
{
  usage_exit = status;
}

int
sbx_cli_usage_exit (void)
{
  return usage_exit;
}

int
sbx_cli_exit_for_error (const GError *error)
{
  if (error == NULL)
    return SBX_EXIT_OK;
  if (error->domain != SBX_ERROR)
    return usage_exit;
  switch ((SbxError) error->code)
    {
    case SBX_ERROR_PARSE:
    case SBX_ERROR_UNKNOWN_GROUP:
    case SBX_ERROR_UNKNOWN_KEY:
    case SBX_ERROR_INVALID_VALUE:
    case SBX_ERROR_INVALID_PATH:
    case SBX_ERROR_OVERLAP:
      return usage_exit;
    case SBX_ERROR_LOCK:
    case SBX_ERROR_NOT_EXECUTABLE:
      return SBX_EXIT_LOCK;
    case SBX_ERROR_NOT_FOUND:
      return SBX_EXIT_NOT_FOUND;
    case SBX_ERROR_EVIDENCE:
      return SBX_EXIT_FAILED;
    case SBX_ERROR_SECCOMP:
    case SBX_ERROR_IO:
    case SBX_ERROR_BWRAP:
    case SBX_ERROR_USERNS:
    case SBX_ERROR_ATTEST:
    case SBX_ERROR_STDIO:
    default:
      return SBX_EXIT_SETUP;
    }
}

void
sbx_cli_message (const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  fflush (stdout);
  fprintf (stderr, "sbx: %s\n", text);
}

int
sbx_cli_fail (const GError *error)
{
  sbx_cli_message ("%s", error->message);
  return sbx_cli_exit_for_error (error);
}

gboolean
sbx_cli_parse (const char *command, const char *parameter, const char *summary,
               const GOptionEntry *entries, gboolean stop_at_command, int *argc, char ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("sbx %s", command);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  /* For run: the job's own options after CMD are not ours. */
  g_option_context_set_strict_posix (context, stop_at_command);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      sbx_cli_message ("%s: %s (see sbx %s --help)", command, error->message, command);
      return FALSE;
    }
  return TRUE;
}

SbxProfile *
sbx_cli_load_profile (const char *path, GError **error)
{
  g_autoptr(GError) local = NULL;
  SbxProfile *profile;

  if (path == NULL)
    profile = sbx_profile_new_default (&local);
  else
    profile = sbx_profile_new_from_file (path, &local);
  /* A profile that cannot be read is the caller's mistake (exit 2), not a
   * sandbox that could not be set up. */
  if (profile == NULL && g_error_matches (local, SBX_ERROR, SBX_ERROR_IO))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH, "%s", local->message);
      return NULL;
    }
  if (profile == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return profile;
}
