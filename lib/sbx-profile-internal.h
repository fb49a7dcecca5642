/* sbx-profile-internal.h — shared between the files of the profile loader
 * (sbx-profile.c, sbx-profile-validate.c, sbx-profile-default.c).  Nothing
 * here is used outside them; emitters read struct _SbxProfile only. */
#pragma once

#include "sbx-private.h"

G_BEGIN_DECLS

/* sbx-profile-default.c: the built-in profile text. */
SBX_INTERNAL extern const char sbx_profile_default_text[];

typedef enum {
  SBX_HOST_DIR_INPUT,   /* existing, readable and searchable directory */
  SBX_HOST_DIR_OUTPUT,  /* existing, writable and searchable directory */
  SBX_HOST_PATH_SYSTEM, /* existing file or directory */
} SbxHostPathKind;

/* sbx-profile-validate.c
 *
 * Checks a host path for @kind: absolute, no "." or ".." component, no
 * symlink in any component (the final one included), exists, right type
 * and access.  On success returns TRUE and the normalised path (repeated
 * and trailing slashes removed) in @canonical.  On failure returns FALSE,
 * @code (SBX_ERROR_INVALID_PATH) and @problem ("…; expected …", to be
 * prefixed with the location).  */
SBX_INTERNAL gboolean sbx_profile_check_host_path (const char *path, SbxHostPathKind kind,
                                                   char **canonical, char **problem);

/* The checks of sbx_profile_check_host_path() that need no host: absolute,
 * shorter than PATH_MAX, no "." or ".." component, not "/".  Same results
 * and messages; touches nothing on the host (profile loading is pure). */
SBX_INTERNAL gboolean sbx_profile_normalise_host_path (const char *path, SbxHostPathKind kind,
                                                       char **canonical, char **problem);

/* Input and output (canonical, non-NULL) must be different folders and
 * neither may contain the other, compared by path and, when @on_host, by
 * st_dev/st_ino of each one and its ancestors (catches bind-mount
 * aliases).  Returns NULL when they are apart, else the problem text. */
SBX_INTERNAL char *sbx_profile_check_overlap (const char *input, const char *output,
                                              gboolean on_host);

/* sbx-profile-host.c: where each host path of @profile came from, for the
 * messages of the host check: the "SOURCE:LINE: " (or "ORIGIN: ", or "")
 * that leads them.  @name is "input", "output", "system" or
 * "read-only\nDEST"; @where NULL forgets it. */
SBX_INTERNAL void sbx_profile_set_where (SbxProfile *profile, const char *name, const char *where);

/* The host check of sbx_profile_check_host(); with @problems (sbx check)
 * every problem is added there and checking goes on. */
SBX_INTERNAL gboolean sbx_profile_check_host_full (SbxProfile *profile, GPtrArray *problems,
                                                   GError **error);

/* Whether @path (inside the sandbox) is /in, /out, /tmp or below one of
 * them, absolute and without "." or ".." components. */
SBX_INTERNAL gboolean sbx_profile_workdir_is_valid (const char *path);

/* sbx-profile-warn.c: calls @func once per setting of @profile that
 * `sbx attest` will not attest (the message names the probes that FAIL),
 * and once per kept variable whose name looks like a credential. */
typedef void (*SbxWarnFunc) (const char *group, const char *key, const char *message,
                             gpointer data);
SBX_INTERNAL void sbx_profile_warn_attest (SbxProfile *profile, SbxWarnFunc func, gpointer data);

G_END_DECLS
