/* sbx-options.c — the per-job overrides and host paths as typed, shared by
 * sbx (run, compile) and sbx-attest (attest).  Parsing only: every check is
 * the library's, through the same code as the profile key. */
#include "config.h"

#include "sbx-options.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
sbx_cli_overrides_clear (SbxCliOverrides *o)
{
  g_clear_pointer (&o->timeout, g_free);
  g_clear_pointer (&o->cpu_seconds, g_free);
  g_clear_pointer (&o->memory, g_free);
  g_clear_pointer (&o->tmp_size, g_free);
  g_clear_pointer (&o->env, g_strfreev);
  g_clear_pointer (&o->ro, g_strfreev);
}

/* realpath() of the longest existing prefix of @abs, the rest appended
 * unchanged (so a missing leaf keeps its name for the message). */
static char *
resolve_existing (const char *abs, int depth)
{
  char real[PATH_MAX];
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *resolved_parent = NULL;

  if (realpath (abs, real) != NULL)
    return g_strdup (real);
  if (errno != ENOENT || depth > 64 || strcmp (abs, "/") == 0)
    return g_strdup (abs);
  parent = g_path_get_dirname (abs);
  base = g_path_get_basename (abs);
  resolved_parent = resolve_existing (parent, depth + 1);
  return g_build_filename (resolved_parent, base, NULL);
}

/* @typed made absolute without looking at the file system: "~" and "~/…"
 * from $HOME, relative from the working directory, ".", ".." and "//"
 * folded. (transfer full) */
static char *
absolute_as_typed (const char *typed)
{
  g_autofree char *expanded = NULL;

  if (typed[0] == '~' && (typed[1] == '\0' || typed[1] == '/'))
    {
      const char *home = g_getenv ("HOME");

      expanded = g_build_filename (home != NULL && home[0] == '/' ? home : g_get_home_dir (),
                                   typed + 1, NULL);
    }
  else
    expanded = g_strdup (typed);
  return g_canonicalize_filename (expanded, NULL);
}

char *
sbx_cli_resolve_path (const char *option, const char *typed)
{
  g_autofree char *lexical = absolute_as_typed (typed);
  char *resolved;

  if (strlen (lexical) >= PATH_MAX)
    return g_steal_pointer (&lexical); /* the library says it is too long */
  resolved = resolve_existing (lexical, 0);
  if (strcmp (resolved, lexical) != 0)
    {
      g_autofree char *shown = g_utf8_make_valid (typed, MIN (strlen (typed), 200));

      fflush (stdout);
      fprintf (stderr, "sbx: %s: “%s” is reached through a symbolic link: using “%s”\n", option,
               shown, resolved);
    }
  return resolved;
}

gboolean
sbx_cli_apply_folders (SbxProfile *profile, const char *in, const char *out, GError **error)
{
  if (in != NULL)
    {
      g_autofree char *path = sbx_cli_resolve_path ("--in", in);

      if (!sbx_profile_set_input (profile, path, error))
        {
          g_prefix_error (error, "--in: ");
          return FALSE;
        }
    }
  if (out != NULL)
    {
      g_autofree char *path = sbx_cli_resolve_path ("--out", out);
      struct stat st;

      if (!sbx_profile_set_output (profile, path, error))
        {
          /* The one folder a user is likely to have not made yet. */
          g_prefix_error (error, "--out: ");
          if (error != NULL && *error != NULL && strlen (path) < 4096 && lstat (path, &st) != 0
              && errno == ENOENT)
            {
              g_autofree char *quoted = g_shell_quote (path);
              char *with_hint = g_strdup_printf ("%s (create it first: mkdir -p %s)",
                                                 (*error)->message, quoted);

              g_free ((*error)->message);
              (*error)->message = with_hint;
            }
          return FALSE;
        }
    }
  return TRUE;
}

/* An override of one scalar key; the option's name leads the message. */
static gboolean
set_key (SbxProfile *profile, const char *option, const char *value, const char *group,
         const char *key, GError **error)
{
  return value == NULL || sbx_profile_set_value (profile, group, key, value, option, error);
}

gboolean
sbx_cli_overrides_apply (const SbxCliOverrides *o, SbxProfile *profile, GError **error)
{
  if (!set_key (profile, "--timeout", o->timeout, "limits", "wall-seconds", error)
      || !set_key (profile, "--cpu-seconds", o->cpu_seconds, "limits", "cpu-seconds", error)
      || !set_key (profile, "--memory", o->memory, "limits", "address-space", error)
      || !set_key (profile, "--tmp-size", o->tmp_size, "filesystem", "tmp-size", error))
    return FALSE;
  for (guint i = 0; o->env != NULL && o->env[i] != NULL; i++)
    if (!sbx_profile_add_env (profile, o->env[i], "--env", error))
      return FALSE;
  for (guint i = 0; o->ro != NULL && o->ro[i] != NULL; i++)
    {
      const char *spec = o->ro[i];
      const char *colon = NULL;
      g_autofree char *host_typed = NULL;
      g_autofree char *host = NULL;
      g_autofree char *dest = NULL;

      /* HOST:SANDBOX splits at the last ":/"; HOST alone keeps its path. */
      for (const char *p = spec; *p != '\0'; p++)
        if (p[0] == ':' && p[1] == '/')
          colon = p;
      host_typed = colon != NULL ? g_strndup (spec, colon - spec) : g_strdup (spec);
      if (host_typed[0] == '\0')
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH,
                       "--ro: [filesystem] read-only: no host path before “:”; expected HOST[:SANDBOX]");
          return FALSE;
        }
      host = sbx_cli_resolve_path ("--ro", host_typed);
      /* Without SANDBOX the job sees it where the user named it, even when
       * that name went through a symlink. */
      dest = colon != NULL ? g_strdup (colon + 1) : absolute_as_typed (host_typed);
      if (!sbx_profile_add_read_only (profile, host, dest, "--ro", error))
        return FALSE;
    }
  return TRUE;
}
