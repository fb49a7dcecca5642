/* sbx-attest-error.c — errors with errno text for the attest program (the
 * library's own helper is not part of its public API). */
#include "config.h"

#include "sbx-attest-private.h"

void
sbx_attest_errno_error (GError **error, SbxError code, int saved_errno, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SBX_ERROR, code, "%s: %s", message, g_strerror (saved_errno));
}
