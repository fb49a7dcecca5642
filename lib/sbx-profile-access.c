/* sbx-profile-access.c — what other programs may read of a loaded profile
 * beyond the plain getters, and a copy they may change: the attest program
 * (attest/) uses these instead of the struct (DESIGN §1: it links the
 * library through the public header only). */
#include "config.h"

#include "sbx-private.h"

#include <string.h>

static GPtrArray *
strings_copy (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_new_full (array->len, g_free);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));
  return copy;
}

static GStrv
strings_to_strv (GPtrArray *array)
{
  GStrv v = g_new0 (char *, array->len + 1);

  for (guint i = 0; i < array->len; i++)
    v[i] = g_strdup (g_ptr_array_index (array, i));
  return v;
}

static void
read_only_free (gpointer data)
{
  SbxReadOnlyPath *ro = data;

  g_free (ro->host);
  g_free (ro->dest);
  g_free (ro);
}

/* Scalars are copied with the struct; every owned pointer of struct
 * _SbxProfile (sbx-private.h) is duplicated here. */
SbxProfile *
sbx_profile_copy (SbxProfile *profile)
{
  SbxProfile *copy;

  g_return_val_if_fail (profile != NULL, NULL);
  copy = g_atomic_rc_box_dup (sizeof *profile, profile);
  copy->source = g_strdup (profile->source);
  copy->name = g_strdup (profile->name);
  copy->input = g_strdup (profile->input);
  copy->output = g_strdup (profile->output);
  copy->system = strings_copy (profile->system);
  copy->workdir = g_strdup (profile->workdir);
  copy->socket_families = g_array_copy (profile->socket_families);
  copy->env_keep = strings_copy (profile->env_keep);
  copy->env_set = strings_copy (profile->env_set);
  copy->deny_extra = strings_copy (profile->deny_extra);
  copy->required_probes = g_strdupv (profile->required_probes);
  copy->read_only = g_ptr_array_new_full (profile->read_only->len, read_only_free);
  for (guint i = 0; i < profile->read_only->len; i++)
    {
      const SbxReadOnlyPath *ro = profile->read_only->pdata[i];
      SbxReadOnlyPath *dup = g_new0 (SbxReadOnlyPath, 1);

      *dup = *ro;
      dup->host = g_strdup (ro->host);
      dup->dest = g_strdup (ro->dest);
      g_ptr_array_add (copy->read_only, dup);
    }
  copy->overrides = strings_copy (profile->overrides);
  copy->where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  {
    GHashTableIter iter;
    gpointer k, v;

    g_hash_table_iter_init (&iter, profile->where);
    while (g_hash_table_iter_next (&iter, &k, &v))
      g_hash_table_insert (copy->where, g_strdup (k), g_strdup (v));
  }
  return copy;
}

GStrv
sbx_profile_dup_system_paths (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return strings_to_strv (profile->system);
}

GStrv
sbx_profile_dup_job_env_names (SbxProfile *profile)
{
  GPtrArray *names = g_ptr_array_new ();

  g_return_val_if_fail (profile != NULL, NULL);
  for (guint i = 0; i < profile->env_keep->len; i++)
    g_ptr_array_add (names, g_strdup (g_ptr_array_index (profile->env_keep, i)));
  for (guint i = 0; i < profile->env_set->len; i++)
    {
      const char *pair = g_ptr_array_index (profile->env_set, i);
      const char *eq = strchr (pair, '=');

      g_ptr_array_add (names, eq != NULL ? g_strndup (pair, eq - pair) : g_strdup (pair));
    }
  /* bwrap sets PWD itself after --chdir, whatever the profile says */
  g_ptr_array_add (names, g_strdup ("PWD"));
  /* (the exec gate passes nothing through the environment) */
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}
