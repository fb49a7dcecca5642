/* sbx-skeleton.c — the skeleton of a bwrap argv (sbx-skeleton.h). */
#include "config.h"

#include "sbx-skeleton.h"
#include "sbx-plan.h"

#include <string.h>

/* Options whose first argument is an fd number. */
static const char *const fd_options[] = {
  "--args", "--userns", "--userns2", "--pidns", "--sync-fd", "--bind-fd", "--ro-bind-fd", "--file",
  "--bind-data", "--ro-bind-data", "--seccomp", "--add-seccomp-fd", "--block-fd", "--userns-block-fd",
  "--info-fd", "--json-status-fd", NULL,
};

/* Path binds (source, destination). */
static const char *const path_binds[] = {
  "--bind", "--bind-try", "--dev-bind", "--dev-bind-try", "--ro-bind", "--ro-bind-try", NULL,
};

/* Destinations whose source is made for each run (sbx's scratch). */
static gboolean
per_run_dest (const char *dest)
{
  static const char *const places[] = { "/in", "/out", "/tmp", "/dev/shm", NULL };

  return g_strv_contains (places, dest) || g_str_has_prefix (dest, "/run/sbx/");
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* A mount sbx re-homed below its scratch point ("…/m3") when bwrap has no
 * --bind-fd. */
static gboolean
rehomed_source (const char *src)
{
  const char *base = strrchr (src, '/');

  return base != NULL && base != src && base[1] == 'm' && all_digits (base + 2);
}

GPtrArray *
sbx_argv_skeleton (const char *const *argv, const char *const *kept)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  gsize n = argv != NULL ? g_strv_length ((GStrv) argv) : 0;
  gsize i = 1; /* argv[0] is bwrap's path, checked on its own */

  while (i < n)
    {
      const char *opt = argv[i];
      int nargs = sbx_plan_option_nargs (opt);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      if (strcmp (opt, "--") == 0)
        {
          GString *cmd = g_string_new ("--");

          for (i++; i < n; i++)
            g_string_append_printf (cmd, " %s", all_digits (argv[i]) ? "FD" : argv[i]);
          g_ptr_array_add (out, g_string_free (cmd, FALSE));
          break;
        }
      if (nargs < 0)
        nargs = 0; /* an option bwrap 0.8 does not have: compared as it is */
      if (i + nargs >= n)
        nargs = (int) (n - i - 1); /* cut short */
      g_ptr_array_add (words, (gpointer) opt);
      for (int k = 1; k <= nargs; k++)
        g_ptr_array_add (words, (gpointer) argv[i + k]);
      if (nargs >= 1 && g_strv_contains (fd_options, opt))
        words->pdata[1] = (gpointer) "FD";
      else if (nargs == 2 && g_strv_contains (path_binds, opt)
               && (per_run_dest (argv[i + 2]) || rehomed_source (argv[i + 1])))
        words->pdata[1] = (gpointer) "SRC";
      else if (nargs == 1 && (strcmp (opt, "--uid") == 0 || strcmp (opt, "--gid") == 0))
        words->pdata[1] = (gpointer) "ID";
      else if (nargs == 2 && strcmp (opt, "--setenv") == 0 && kept != NULL && g_strv_contains (kept, argv[i + 1]))
        words->pdata[2] = (gpointer) "<kept>";
      g_ptr_array_add (words, NULL);
      g_ptr_array_add (out, g_strjoinv (" ", (GStrv) words->pdata));
      i += 1 + nargs;
    }
  return out;
}

static gboolean
has_from (GPtrArray *a, guint from, const char *s)
{
  for (guint i = from; i < a->len; i++)
    if (strcmp (g_ptr_array_index (a, i), s) == 0)
      return TRUE;
  return FALSE;
}

char *
sbx_argv_skeleton_diff (const char *const *recorded, const char *const *derived, const char *const *kept)
{
  g_autoptr(GPtrArray) r = sbx_argv_skeleton (recorded, kept);
  g_autoptr(GPtrArray) d = sbx_argv_skeleton (derived, kept);
  guint i = 0, j = 0;

  /* kept variables the attesting host did not have are not set there */
  for (guint k = 0; k < d->len;)
    {
      const char *e = g_ptr_array_index (d, k);

      if (g_str_has_prefix (e, "--setenv ") && g_str_has_suffix (e, " <kept>") && !has_from (r, 0, e))
        g_ptr_array_remove_index (d, k);
      else
        k++;
    }
  while (i < r->len && j < d->len && strcmp (g_ptr_array_index (r, i), g_ptr_array_index (d, j)) == 0)
    i++, j++;
  if (i == r->len && j == d->len)
    return NULL;
  if (i == r->len)
    return g_strdup_printf ("lacks “%s” (option %u of the profile's argv)", (char *) g_ptr_array_index (d, j), j + 1);
  if (j == d->len)
    return g_strdup_printf ("adds “%s” (option %u), which the profile does not give", (char *) g_ptr_array_index (r, i),
                            i + 1);
  {
    gboolean r_known = has_from (d, j, g_ptr_array_index (r, i));
    gboolean d_present = has_from (r, i, g_ptr_array_index (d, j));

    if (!r_known && d_present)
      return g_strdup_printf ("adds “%s” (option %u), which the profile does not give",
                              (char *) g_ptr_array_index (r, i), i + 1);
    if (r_known && !d_present)
      return g_strdup_printf ("lacks “%s” (option %u of the profile's argv)", (char *) g_ptr_array_index (d, j),
                              j + 1);
  }
  return g_strdup_printf ("option %u is “%s”, the profile gives “%s” there", i + 1, (char *) g_ptr_array_index (r, i),
                          (char *) g_ptr_array_index (d, j));
}
