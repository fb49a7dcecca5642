/* sbx-profile-host.c — the host check of a profile: its input, output,
 * system and read-only paths exist on this host as each key wants them
 * (sbx-profile-validate.c), and input and output are not one folder by
 * inode.  Loading a profile never looks at the host (a bundle's profile
 * must load where its folders do not exist); sbx_sandbox_prepare() calls
 * this first, and `sbx check` through sbx_profile_check_file().
 *
 * The messages are the loader's: "SOURCE:LINE: [filesystem] key: …",
 * led by where the loader or setter found the path (profile->where). */
#include "config.h"

#include "sbx-profile-internal.h"

void
sbx_profile_set_where (SbxProfile *profile, const char *name, const char *where)
{
  if (where == NULL)
    g_hash_table_remove (profile->where, name);
  else
    g_hash_table_insert (profile->where, g_strdup (name), g_strdup (where));
}

/* Records one problem: FALSE, and @error set unless collecting. */
static gboolean
report (SbxProfile *profile, const char *name, const char *key, SbxError code,
        const char *problem, GPtrArray *problems, GError **error)
{
  const char *where = g_hash_table_lookup (profile->where, name);
  char *message = g_strdup_printf ("%s[filesystem] %s: %s", where != NULL ? where : "", key,
                                   problem);

  if (problems != NULL)
    g_ptr_array_add (problems, message);
  else
    {
      g_set_error_literal (error, SBX_ERROR, code, message);
      g_free (message);
    }
  return FALSE;
}

static gboolean
check_path (SbxProfile *profile, const char *name, const char *key, const char *path,
            SbxHostPathKind kind, GPtrArray *problems, GError **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *problem = NULL;

  if (sbx_profile_check_host_path (path, kind, &canonical, &problem))
    return TRUE;
  return report (profile, name, key, SBX_ERROR_INVALID_PATH, problem, problems, error);
}

gboolean
sbx_profile_check_host_full (SbxProfile *profile, GPtrArray *problems, GError **error)
{
  gboolean ok = TRUE;

  /* in the order of the keys, so the first problem is the one loading
   * used to report */
  if (profile->input != NULL
      && !check_path (profile, "input", "input", profile->input, SBX_HOST_DIR_INPUT, problems,
                      error))
    {
      ok = FALSE;
      if (problems == NULL)
        return FALSE;
    }
  if (profile->output != NULL
      && !check_path (profile, "output", "output", profile->output, SBX_HOST_DIR_OUTPUT,
                      problems, error))
    {
      ok = FALSE;
      if (problems == NULL)
        return FALSE;
    }
  for (guint i = 0; i < profile->system->len; i++)
    if (!check_path (profile, "system", "system", profile->system->pdata[i],
                     SBX_HOST_PATH_SYSTEM, problems, error))
      {
        ok = FALSE;
        if (problems == NULL)
          return FALSE;
      }
  for (guint i = 0; i < profile->read_only->len; i++)
    {
      const SbxReadOnlyPath *ro = profile->read_only->pdata[i];
      g_autofree char *name = g_strconcat ("read-only\n", ro->dest, NULL);

      if (!check_path (profile, name, "read-only", ro->host, SBX_HOST_PATH_SYSTEM, problems,
                       error))
        {
          ok = FALSE;
          if (problems == NULL)
            return FALSE;
        }
    }
  /* The same or nested by path is the loader's (or the setter's) to
   * refuse; here only what the host adds: one folder under two names. */
  if (ok && profile->input != NULL && profile->output != NULL)
    {
      g_autofree char *by_path = sbx_profile_check_overlap (profile->input, profile->output, FALSE);
      g_autofree char *problem = by_path == NULL
        ? sbx_profile_check_overlap (profile->input, profile->output, TRUE) : NULL;

      if (problem != NULL)
        return report (profile, "output", "output", SBX_ERROR_OVERLAP, problem, problems, error);
    }
  return ok;
}

gboolean
sbx_profile_check_host (SbxProfile *profile, GError **error)
{
  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return sbx_profile_check_host_full (profile, NULL, error);
}
