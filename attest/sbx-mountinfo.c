/* sbx-mountinfo.c — the one mountinfo reader (sbx-mountinfo.h).  Pure. */
#include "config.h"

#include "sbx-mountinfo.h"

#include <stdlib.h>
#include <string.h>

/* mountinfo's octal escapes (\040 …) undone. */
static char *
unescape (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s != '\0'; s++)
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7')
      {
        g_string_append_c (out, (char) (((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0')));
        s += 3;
      }
    else
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

SbxMountinfo *
sbx_mountinfo_new (int id, const char *point, const char *root, const char *fstype, const char *opts)
{
  SbxMountinfo *m = g_new0 (SbxMountinfo, 1);
  g_auto(GStrv) o = g_strsplit (opts != NULL ? opts : "", ",", -1);

  m->id = id;
  m->point = unescape (point);
  m->root = root != NULL ? unescape (root) : g_strdup ("?");
  m->fstype = g_strdup (fstype);
  m->flags = (SbxPlanFlags) { 0, 0, 0, 0 };
  for (gsize i = 0; o[i] != NULL; i++)
    {
      if (strcmp (o[i], "ro") == 0)
        m->flags.ro = 1;
      else if (strcmp (o[i], "nosuid") == 0)
        m->flags.nosuid = 1;
      else if (strcmp (o[i], "nodev") == 0)
        m->flags.nodev = 1;
      else if (strcmp (o[i], "noexec") == 0)
        m->flags.noexec = 1;
    }
  return m;
}

SbxMountinfo *
sbx_mountinfo_parse_line (const char *line)
{
  /* id parent maj:min root point opts [optional…] - type source super */
  g_auto(GStrv) f = g_strsplit (line, " ", -1);
  guint n = g_strv_length (f), dash;

  for (dash = 6; dash < n && strcmp (f[dash], "-") != 0; dash++)
    ;
  if (n < 6 || dash + 1 >= n)
    return NULL;
  return sbx_mountinfo_new (atoi (f[0]), f[4], f[3], f[dash + 1], f[5]);
}

GPtrArray *
sbx_mountinfo_parse (const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (sbx_mountinfo_free);
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      SbxMountinfo *m = sbx_mountinfo_parse_line (lines[i]);

      if (m != NULL)
        g_ptr_array_add (out, m);
    }
  return out;
}

void
sbx_mountinfo_free (gpointer p)
{
  SbxMountinfo *m = p;

  if (m == NULL)
    return;
  g_free (m->point);
  g_free (m->root);
  g_free (m->fstype);
  g_free (m);
}
