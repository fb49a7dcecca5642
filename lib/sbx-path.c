/* sbx-path.c — canonical host paths, taken apart in place. */
#include "config.h"

#include "sbx-private.h"

#include <string.h>

gboolean
sbx_path_up (char *path)
{
  char *slash = strrchr (path, '/');

  if (slash == NULL || strcmp (path, "/") == 0)
    return FALSE;
  if (slash == path)
    slash[1] = '\0';
  else
    *slash = '\0';
  return TRUE;
}
