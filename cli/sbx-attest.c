/* sbx-attest.c — `sbx attest` and `sbx verify` run sbx-attest from the
 * helper folder: it links json-glib, which sbx itself does not load (it
 * would cost every `sbx run` the library's start-up). */
#include "config.h"

#include "sbx-cli.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define ATTEST_NAME "sbx-attest"

/* sbx-attest from sbx's own build or install location, never from
 * $SBX_HELPER_DIR: the attestation must run the tools sbx was built with
 * (it records an override of the probe's folder itself, issue 9). */
static char *
own_attest_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  g_autofree char *there = dir != NULL ? g_build_filename (dir, ATTEST_NAME, NULL) : NULL;

  if (there != NULL && g_file_test (there, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&dir);
  return g_strdup (SBX_HELPER_INSTALL_DIR);
}

int
sbx_cmd_attest (int argc, char **argv)
{
  g_autofree char *dir = own_attest_dir ();
  g_autofree char *path = g_build_filename (dir, ATTEST_NAME, NULL);
  g_autofree char **args = g_new0 (char *, argc + 2);
  int saved;

  /* sbx-attest attest|verify ARGS… */
  args[0] = (char *) ATTEST_NAME;
  for (int i = 0; i < argc; i++)
    args[i + 1] = argv[i];
  execv (path, args);
  saved = errno;
  sbx_cli_message ("%s: cannot run %s: %s (sbx %s needs it beside sbx or installed: build the "
                   "tree or install sbx)", argv[0], path, g_strerror (saved), argv[0]);
  return SBX_EXIT_SETUP;
}
