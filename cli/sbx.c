/* sbx.c — main: picks the subcommand.  Each one lives in its own file
 * (cli/sbx-*.c) and parses its own options. */
#include "config.h"

#include "sbx-cli.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
  SbxExit usage_exit;  /* usage and profile errors; run and attest: not a job's status */
} SbxCommand;

static const SbxCommand commands[] = {
  { "run", sbx_cmd_run, "run a command in the sandbox a profile describes", SBX_EXIT_SETUP },
  { "compile", sbx_cmd_compile, "compile a profile: seccomp programs, PFC listings, bwrap argv", SBX_EXIT_USAGE },
  { "check", sbx_cmd_check, "validate profiles", SBX_EXIT_USAGE },
  { "show-default", sbx_cmd_show_default, "print the built-in default profile", SBX_EXIT_USAGE },
  { "attest", sbx_cmd_attest, "prove on this host what a profile holds (runs sbx-attest)", SBX_EXIT_SETUP },
  { "verify", sbx_cmd_attest, "check an evidence bundle (runs sbx-attest)", SBX_EXIT_USAGE },
};

/* A closed fd 0, 1 or 2 would be taken by the next open — a profile, a
 * mount source, a seccomp memfd — and passed to the job as its stdio:
 * give each closed one /dev/null first. */
static void
fill_closed_stdio (void)
{
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl (fd, F_GETFD) < 0 && errno == EBADF)
      {
        int null = open ("/dev/null", O_RDWR);

        if (null >= 0 && null != fd)
          close (null); /* cannot happen: lower fds are open by now */
      }
}

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
                "Exit status of run: the job's; 124 wall-seconds deadline; 125 sbx failed\n"
                "(usage, profile or set-up; attest too); 126 lock or command not executable;\n"
                "127 not found.  Other commands: 2 usage or profile error; attest and verify\n"
                "1 when not attested or not verified.\n");
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

  fill_closed_stdio ();
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
      {
        sbx_cli_set_usage_exit (commands[i].usage_exit);
        return commands[i].run (argc - 1, argv + 1);
      }
  sbx_cli_message ("unknown command “%s” (see sbx --help)", name);
  return SBX_EXIT_USAGE;
}
