/* test-common.h — helpers shared by the cmocka tests of the seccomp
 * compiler.  Include after <cmocka.h>. */
#pragma once

#include "sbxprofile.h"

/* The profile @text (the built-in default when NULL); fails the test with
 * the library's message when it does not load.  (transfer full) */
static inline SbxProfile *
test_profile_from (const char *text, const char *source_name)
{
  g_autoptr(GError) error = NULL;
  SbxProfile *profile;

  if (text == NULL)
    profile = sbx_profile_new_default (&error);
  else
    profile = sbx_profile_new_from_data (text, -1, source_name, &error);
  if (profile == NULL)
    fail_msg ("profile: %s", error->message);
  return profile;
}
