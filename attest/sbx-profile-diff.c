/* sbx-profile-diff.c — which keys two canonical profile texts disagree on,
 * for `sbx verify --profile` ("the bundle is about another profile"): a
 * user needs the keys, not two hashes. */
#include "config.h"

#include "sbx-attest-private.h"

#include <string.h>

/* Appends "[group] key" of every key of @kf not yet in @seen to @names, in
 * the file's (canonical) order. */
static void
collect_names (GKeyFile *kf, GHashTable *seen, GPtrArray *names)
{
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (kf, groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          char *name = g_strdup_printf ("%s\n%s", groups[i], keys[j]);

          /* (g_hash_table_add would free the first copy: check first) */
          if (g_hash_table_contains (seen, name))
            g_free (name);
          else
            {
              g_hash_table_add (seen, name);
              g_ptr_array_add (names, name);
            }
        }
    }
}

/* At most 80 bytes of @text, cut at a character boundary, "…" when cut. */
static char *
excerpt (const char *text)
{
  const char *end;

  if (strlen (text) <= 80 && g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  g_utf8_validate (text, MIN (strlen (text), 80), &end);
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

static void
describe (GString *out, const char *key, const char *a, const char *b, const char *a_name,
          const char *b_name)
{
  g_autofree char *a_shown = a != NULL ? excerpt (a) : NULL;
  g_autofree char *b_shown = b != NULL ? excerpt (b) : NULL;

  if (out->len > 0)
    g_string_append (out, "; ");
  g_string_append_printf (out, "%s: %s %s%s%s, %s %s%s%s", key,
                          a_name, a ? "“" : "", a ? a_shown : "absent", a ? "”" : "",
                          b_name, b ? "“" : "", b ? b_shown : "absent", b ? "”" : "");
}

char *
sbx_profile_diff_canonical (const char *a_text, const char *b_text, const char *a_name,
                            const char *b_name)
{
  g_autoptr(GKeyFile) a = g_key_file_new ();
  g_autoptr(GKeyFile) b = g_key_file_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *out;

  if (!g_key_file_load_from_data (a, a_text, -1, G_KEY_FILE_NONE, NULL)
      || !g_key_file_load_from_data (b, b_text, -1, G_KEY_FILE_NONE, NULL))
    return NULL;
  collect_names (a, seen, names);
  collect_names (b, seen, names);
  out = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    {
      g_auto(GStrv) gk = g_strsplit (names->pdata[i], "\n", 2);
      g_autofree char *x = g_key_file_get_value (a, gk[0], gk[1], NULL);
      g_autofree char *y = g_key_file_get_value (b, gk[0], gk[1], NULL);
      g_autofree char *label = g_strdup_printf ("[%s] %s", gk[0], gk[1]);

      if (g_strcmp0 (x, y) != 0)
        describe (out, label, x, y, a_name, b_name);
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}
