/* sbx-lock.c — exec-lock=self: a job that links libsbxprofile locks itself. */
#include "config.h"

#include "sbx-private.h"

gboolean
sbx_profile_lock_self (SbxProfile *profile, GError **error)
{
  g_autoptr(SbxProgram) program = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  program = sbx_program_new (profile, SBX_STAGE_LOCK, &local_error);
  if (program == NULL)
    {
      /* A lock that cannot be built is a lock that failed: callers map
       * SBX_ERROR_LOCK to exit status 126. */
      g_set_error (error, SBX_ERROR, SBX_ERROR_LOCK, "cannot build the lock program: %s",
                   local_error->message);
      return FALSE;
    }
  return sbx_program_install (program, error);
}
