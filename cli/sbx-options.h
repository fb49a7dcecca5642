/* sbx-options.h — options that `sbx run`, `sbx compile` and `sbx attest`
 * share (sbx and sbx-attest both link sbx-options.c): the per-job overrides
 * of profile keys, and host paths as the user typed them. */
#pragma once

#include "sbxprofile.h"

G_BEGIN_DECLS

/* What the override options collected (strings as typed). */
typedef struct {
  char *timeout;     /* --timeout      → [limits] wall-seconds */
  char *cpu_seconds; /* --cpu-seconds  → [limits] cpu-seconds */
  char *memory;      /* --memory       → [limits] address-space */
  char *tmp_size;    /* --tmp-size     → [filesystem] tmp-size */
  char **env;        /* --env NAME[=VALUE] → [environment] keep / set */
  char **ro;         /* --ro HOST[:SANDBOX] → [filesystem] read-only */
} SbxCliOverrides;

/* GOptionEntry lines for an entries table (no terminator). */
#define SBX_CLI_OVERRIDE_ENTRIES(o)                                                              \
  { "timeout", 0, 0, G_OPTION_ARG_STRING, &(o)->timeout,                                         \
    "Kill the job after SECONDS of wall-clock time, 0 = none ([limits] wall-seconds)",           \
    "SECONDS" },                                                                                 \
  { "cpu-seconds", 0, 0, G_OPTION_ARG_STRING, &(o)->cpu_seconds,                                 \
    "CPU time limit, or unlimited ([limits] cpu-seconds)", "N" },                                \
  { "memory", 0, 0, G_OPTION_ARG_STRING, &(o)->memory,                                           \
    "Address-space limit: N, NK, NM, NG or unlimited ([limits] address-space)", "SIZE" },        \
  { "tmp-size", 0, 0, G_OPTION_ARG_STRING, &(o)->tmp_size,                                       \
    "Size of the private /tmp ([filesystem] tmp-size)", "SIZE" },                                \
  { "env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &(o)->env,                                           \
    "Pass the host's NAME, or set NAME=VALUE ([environment] keep / set); repeatable",            \
    "NAME[=VALUE]" },                                                                            \
  { "ro", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &(o)->ro,                                           \
    "Show HOST read-only at SANDBOX (default: its own path) ([filesystem] read-only); "          \
    "repeatable", "HOST[:SANDBOX]" }

void sbx_cli_overrides_clear (SbxCliOverrides *o);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SbxCliOverrides, sbx_cli_overrides_clear)

/* Applies @o to @profile in a fixed order (limits, tmp-size, env, ro), each
 * checked like its profile key; messages start with the option's name. */
gboolean sbx_cli_overrides_apply (const SbxCliOverrides *o, SbxProfile *profile, GError **error);

/* A host path as typed: "~" and "~/…" from $HOME, a relative path from the
 * working directory, symbolic links resolved once (the longest existing
 * prefix).  When a link was followed, prints "sbx: OPTION: “TYPED” is a
 * symbolic link to “REAL”; using that" on stderr, so the user sees what
 * will be mounted; the library then opens REAL refusing any symlink, so a
 * link swapped in afterwards is refused, not followed.  (transfer full) */
char *sbx_cli_resolve_path (const char *option, const char *typed);

/* --in / --out as typed, applied to @profile; a missing --out gets a
 * "mkdir -p" hint. */
gboolean sbx_cli_apply_folders (SbxProfile *profile, const char *in, const char *out,
                                GError **error);

G_END_DECLS
