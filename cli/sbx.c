/* sbx.c — main: picks the subcommand.  Each one lives in its own file
 * (cli/sbx-*.c) and parses its own options. */
#include "config.h"

#include "sbx-cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} SbxCommand;

static const SbxCommand commands[] = {
  { "run", sbx_cmd_run, "run a command in the sandbox a profile describes" },
  { "compile", sbx_cmd_compile, "compile a profile: seccomp programs, PFC listings, bwrap argv" },
  { "check", sbx_cmd_check, "validate profiles" },
  { "show-default", sbx_cmd_show_default, "print the built-in default profile" },
  { "attest", sbx_cmd_attest, "prove on this host what a profile holds (runs sbx-attest)" },
  { "verify", sbx_cmd_attest, "check an evidence bundle (runs sbx-attest)" },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage:\n"
                "  sbx COMMAND [OPTION…]\n"
                "  sbx --version | --help\n"
                "\n"
                "Runs an untrusted offline job in a deny-by-default bubblewrap sandbox.\n"
                "\n"
                "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-14s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\n"
                "`sbx COMMAND --help` shows the options of COMMAND; sbx(1) has the rest.\n"
                "Exit status: the job's; 2 usage or profile error; 124 wall-seconds deadline;\n"
                "125 sandbox not set up; 126 lock or command not executable; 127 not found;\n"
                "1 attestation or verification failed.\n");
}

/* TRUE when an option before "--" asks for help. */
static gboolean
wants_help (int argc, char **argv)
{
  for (int i = 2; i < argc && strcmp (argv[i], "--") != 0; i++)
    if (g_str_has_prefix (argv[i], "--help") || strcmp (argv[i], "-h") == 0 || strcmp (argv[i], "-?") == 0)
      return TRUE;
  return FALSE;
}

int
main (int argc, char **argv)
{
  const char *name;

  /* Loading the locale costs about half a millisecond, a tenth of what
   * sbx may add to a job's start; `run` prints only plain messages, so it
   * skips it unless asked for help (GOption's help is translated). */
  if (argc < 2 || strcmp (argv[1], "run") != 0 || wants_help (argc, argv))
    setlocale (LC_ALL, "");
  g_set_prgname ("sbx");
  if (argc < 2)
    {
      usage (stderr);
      return SBX_EXIT_USAGE;
    }
  name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      usage (stdout);
      return SBX_EXIT_OK;
    }
  if (strcmp (name, "--version") == 0 || strcmp (name, "-V") == 0)
    return sbx_cmd_version ();
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (name, commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);
  sbx_cli_message ("unknown command “%s” (see sbx --help)", name);
  return SBX_EXIT_USAGE;
}
