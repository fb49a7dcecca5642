/* sbx-attest.c — `sbx attest` and `sbx verify` run sbx-attest from the
 * helper folder: it links json-glib, which sbx itself does not load (it
 * would cost every `sbx run` the library's start-up). */
#include "config.h"

#include "sbx-cli.h"
#include "sbx-sandbox-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define ATTEST_NAME "sbx-attest"

int
sbx_cmd_attest (int argc, char **argv)
{
  g_autofree char *dir = sbx_helper_dir_find ();
  g_autofree char *path = g_build_filename (dir, ATTEST_NAME, NULL);
  g_autofree char **args = g_new0 (char *, argc + 2);
  int saved;

  /* sbx-attest attest|verify ARGS… */
  args[0] = (char *) ATTEST_NAME;
  for (int i = 0; i < argc; i++)
    args[i + 1] = argv[i];
  execv (path, args);
  saved = errno;
  sbx_cli_message ("%s: cannot run %s: %s (sbx %s needs it: build the tree, install sbx, or set "
                   "SBX_HELPER_DIR to the folder holding it)", argv[0], path, g_strerror (saved),
                   argv[0]);
  return SBX_EXIT_SETUP;
}
