/* sbx-error.c — the SBX_ERROR domain and the library version. */
#include "config.h"

#include "sbx-private.h"

#include <string.h>

G_DEFINE_QUARK (sbx-error-quark, sbx_error)

/* Indexed by SbxError; keep in the enum's order. */
static const char *const error_names[] = {
  [SBX_ERROR_PARSE] = "parse",
  [SBX_ERROR_UNKNOWN_GROUP] = "unknown-group",
  [SBX_ERROR_UNKNOWN_KEY] = "unknown-key",
  [SBX_ERROR_INVALID_VALUE] = "invalid-value",
  [SBX_ERROR_INVALID_PATH] = "invalid-path",
  [SBX_ERROR_OVERLAP] = "overlap",
  [SBX_ERROR_SECCOMP] = "seccomp",
  [SBX_ERROR_IO] = "io",
  [SBX_ERROR_BWRAP] = "bwrap",
  [SBX_ERROR_USERNS] = "userns",
  [SBX_ERROR_NOT_FOUND] = "not-found",
  [SBX_ERROR_NOT_EXECUTABLE] = "not-executable",
  [SBX_ERROR_LOCK] = "lock",
  [SBX_ERROR_EVIDENCE] = "evidence",
  [SBX_ERROR_ATTEST] = "attest",
  [SBX_ERROR_STDIO] = "stdio",
};

const char *
sbx_error_code_to_string (SbxError code)
{
  if ((guint) code >= G_N_ELEMENTS (error_names) || error_names[code] == NULL)
    return "unknown";
  return error_names[code];
}

const char *
sbx_version_string (void)
{
  return PACKAGE_VERSION;
}

void
sbx_set_errno_error (GError **error, SbxError code, int saved_errno, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SBX_ERROR, code, "%s: %s", message, g_strerror (saved_errno));
}
