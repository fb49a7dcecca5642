/* sbx-cli.h — what the subcommands of sbx share: exit statuses, messages,
 * option parsing, profile loading.  The sandbox itself is libsbxprofile's:
 * nothing here opens, mounts or execs anything but through it. */
#pragma once

#include "sbxprofile.h"

G_BEGIN_DECLS

/* sbx(1) EXIT STATUS: the one table of what sbx and sbx-attest exit with.
 * `run` and `attest` must not collide with a job's own statuses (python3
 * exits 2 for a missing script), so there every failure of sbx itself —
 * usage, profile, set-up — is 125, as with env, timeout and chroot; the
 * subcommands that run no job (check, compile, show-default, verify) say 2
 * for a usage or profile error.  Otherwise `run` exits with the job's own
 * status (128+N for signal N). */
typedef enum {
  SBX_EXIT_OK = 0,
  SBX_EXIT_FAILED = 1,      /* attest: not SANDBOX_ATTESTED; verify: not verified */
  SBX_EXIT_USAGE = 2,       /* check, compile, show-default, verify: bad option or profile */
  SBX_EXIT_DEADLINE = 124,  /* run: wall-seconds ran out; the sandbox was killed */
  SBX_EXIT_SETUP = 125,     /* run, attest: sbx failed (usage, profile, set-up) */
  SBX_EXIT_LOCK = 126,      /* run: the lock could not be applied; command not executable */
  SBX_EXIT_NOT_FOUND = 127, /* run: command not found in the sandbox */
} SbxExit;

/* What a usage or profile error exits with in the running subcommand:
 * SBX_EXIT_USAGE unless set (run: SBX_EXIT_SETUP). */
void sbx_cli_set_usage_exit (SbxExit status);
int sbx_cli_usage_exit (void);

/* The exit status for @error (SBX_ERROR codes; other domains are usage). */
int sbx_cli_exit_for_error (const GError *error);

/* Writes "sbx: MESSAGE\n" to stderr. */
void sbx_cli_message (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Reports @error and returns its exit status. */
int sbx_cli_fail (const GError *error);

/* Parses @argv (argv[0] is the subcommand) with @entries; --help prints
 * and exits 0.  Returns FALSE after printing a usage error. */
gboolean sbx_cli_parse (const char *command, const char *parameter, const char *summary,
                        const GOptionEntry *entries, gboolean stop_at_command,
                        int *argc, char ***argv);

/* The profile at @path, or the built-in default when @path is NULL.
 * Loading looks at nothing on the host: sbx_sandbox_prepare() checks the
 * host paths (sbx_profile_check_host()); a command that prepares no
 * sandbox checks them itself. */
SbxProfile *sbx_cli_load_profile (const char *path, GError **error);

/* sbx-supervise.c: starts the prepared @sandbox, supervises it to its end
 * and returns sbx run's exit status (printing refusals unless @quiet, or
 * with @explain, and why the job ended unless @quiet). */
int sbx_cli_supervise (SbxSandbox *sandbox, SbxProfile *profile, gboolean quiet, gboolean explain);

/* One function per subcommand; argv[0] is the subcommand's name. */
int sbx_cmd_run (int argc, char **argv);
int sbx_cmd_compile (int argc, char **argv);
int sbx_cmd_check (int argc, char **argv);
int sbx_cmd_show_default (int argc, char **argv);
int sbx_cmd_attest (int argc, char **argv); /* attest and verify: exec sbx-attest */
int sbx_cmd_version (void);

G_END_DECLS
