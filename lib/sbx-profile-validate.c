/* sbx-profile-validate.c — checks on host paths named by a profile:
 * input, output, system and read-only.  Loading a profile only normalises
 * them (sbx_profile_normalise_host_path: no host I/O); the host is looked
 * at by sbx_profile_check_host_path, when a sandbox is prepared or the
 * caller asks (sbx-profile-host.c).  Symlinked components are refused rather than
 * resolved, so the path that was checked is the path that gets opened
 * (with O_PATH|O_NOFOLLOW) and bound; a canonical path also makes the
 * overlap test a plain prefix comparison. */
#include "config.h"

#include "sbx-profile-internal.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

static const char *
kind_expected (SbxHostPathKind kind)
{
  switch (kind)
    {
    case SBX_HOST_DIR_INPUT:
      return "expected an absolute path of an existing readable directory, without symlinks";
    case SBX_HOST_DIR_OUTPUT:
      return "expected an absolute path of an existing writable directory, without symlinks";
    case SBX_HOST_PATH_SYSTEM:
    default:
      return "expected an absolute path of an existing file or directory, without symlinks";
    }
}

/* Where @path (canonical) lies when that is /proc, /sys, /dev, /run or
 * below them, or on a proc or sysfs mounted elsewhere: "under /proc" …
 * (transfer full), or NULL. */
static char *
kernel_folder (const char *path)
{
  static const char *const dirs[] = { "/proc", "/sys", "/dev", "/run" };
  struct statfs fs;

  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      gsize len = strlen (dirs[i]);

      if (strncmp (path, dirs[i], len) == 0 && (path[len] == '\0' || path[len] == '/'))
        return g_strdup_printf ("%s%s", path[len] == '\0' ? "" : "under ", dirs[i]);
    }
  if (statfs (path, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC))
    return g_strdup_printf ("on a %s file system", fs.f_type == PROC_SUPER_MAGIC ? "proc" : "sysfs");
  return NULL;
}

gboolean
sbx_profile_normalise_host_path (const char *path, SbxHostPathKind kind, char **canonical,
                                 char **problem)
{
  const char *expected = kind_expected (kind);
  g_autoptr(GString) norm = g_string_new (NULL);
  g_auto(GStrv) parts = NULL;
  g_autofree char *shown = sbx_excerpt (path, -1);

  *canonical = NULL;
  *problem = NULL;
  if (path == NULL || path[0] != '/')
    {
      *problem = g_strdup_printf ("“%s” is not absolute; %s", shown, expected);
      return FALSE;
    }
  if (strlen (path) >= PATH_MAX)
    {
      *problem = g_strdup_printf ("“%s” is longer than %d bytes; %s", shown, PATH_MAX - 1, expected);
      return FALSE;
    }
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (strcmp (parts[i], ".") == 0 || strcmp (parts[i], "..") == 0)
        {
          *problem = g_strdup_printf ("“%s” has a “%s” component; %s", shown, parts[i], expected);
          return FALSE;
        }
      g_string_append_c (norm, '/');
      g_string_append (norm, parts[i]);
    }
  if (norm->len == 0)
    {
      *problem = g_strdup_printf ("“%s” is the root directory; %s", shown, expected);
      return FALSE;
    }
  *canonical = g_string_free (g_steal_pointer (&norm), FALSE);
  return TRUE;
}

/* lstat() of each prefix of canonical @norm, "/a", "/a/b" …, into @st
 * (the whole path's last): a symlink anywhere could be swapped later. */
static gboolean
check_prefixes (char *norm, const char *expected, struct stat *st, char **problem)
{
  for (gsize end = 1;; end++)
    if (norm[end] == '/' || norm[end] == '\0')
      {
        char cut = norm[end];
        g_autofree char *shown = NULL;
        int saved = 0;

        norm[end] = '\0';
        if (lstat (norm, st) < 0)
          saved = errno;
        shown = saved != 0 || S_ISLNK (st->st_mode) ? sbx_excerpt (norm, -1) : NULL;
        norm[end] = cut;
        if (saved == ENOENT)
          *problem = g_strdup_printf ("“%s” does not exist; %s", shown, expected);
        else if (saved != 0)
          *problem = g_strdup_printf ("“%s”: %s; %s", shown, g_strerror (saved), expected);
        else if (S_ISLNK (st->st_mode))
          *problem = g_strdup_printf ("“%s” is a symlink; %s", shown, expected);
        if (*problem != NULL || cut == '\0')
          return *problem == NULL;
      }
}

gboolean
sbx_profile_check_host_path (const char *path, SbxHostPathKind kind, char **canonical,
                             char **problem)
{
  const char *expected = kind_expected (kind);
  g_autofree char *norm = NULL;
  g_autofree char *shown = NULL;
  struct stat st;

  *canonical = NULL;
  if (!sbx_profile_normalise_host_path (path, kind, &norm, problem)
      || !check_prefixes (norm, expected, &st, problem))
    return FALSE;
  shown = sbx_excerpt (norm, -1);

  if (kind == SBX_HOST_DIR_INPUT || kind == SBX_HOST_DIR_OUTPUT)
    {
      int mode = kind == SBX_HOST_DIR_INPUT ? R_OK | X_OK : W_OK | X_OK;
      g_autofree char *kernel = kernel_folder (norm);

      if (kernel != NULL)
        {
          *problem = g_strdup_printf ("“%s” is %s: the kernel's and the system's own state is "
                                      "never an input or output folder (not /, /proc, /sys, /dev, "
                                      "/run or below); %s", norm, kernel, expected);
          return FALSE;
        }

      if (!S_ISDIR (st.st_mode))
        {
          *problem = g_strdup_printf ("“%s” is not a directory; %s", shown, expected);
          return FALSE;
        }
      if (access (norm, mode) < 0)
        {
          int saved = errno;
          *problem = g_strdup_printf ("“%s” is not %s: %s; %s", shown,
                                      kind == SBX_HOST_DIR_INPUT ? "readable" : "writable",
                                      g_strerror (saved), expected);
          return FALSE;
        }
    }
  else if (!S_ISDIR (st.st_mode) && !S_ISREG (st.st_mode))
    {
      *problem = g_strdup_printf ("“%s” is neither a file nor a directory; %s", shown, expected);
      return FALSE;
    }
  else if (access (norm, R_OK) < 0)
    {
      int saved = errno;
      *problem = g_strdup_printf ("“%s” is not readable: %s; %s", shown, g_strerror (saved),
                                  expected);
      return FALSE;
    }

  *canonical = g_steal_pointer (&norm);
  return TRUE;
}

/* TRUE when @inner is @outer or below it (both canonical). */
static gboolean
path_is_within (const char *inner, const char *outer)
{
  gsize len = strlen (outer);

  return strncmp (inner, outer, len) == 0 && (inner[len] == '\0' || inner[len] == '/');
}

/* TRUE when @dir or one of its ancestors is the object @target. */
static gboolean
object_is_ancestor (const char *dir, const struct stat *target)
{
  g_autofree char *cur = g_strdup (dir);

  for (;;)
    {
      struct stat st;

      if (stat (cur, &st) == 0 && st.st_dev == target->st_dev && st.st_ino == target->st_ino)
        return TRUE;
      if (!sbx_path_up (cur))
        return FALSE;
    }
}

char *
sbx_profile_check_overlap (const char *input, const char *output, gboolean on_host)
{
  struct stat in_st, out_st;
  const char *expected = "expected input and output to be separate folders, neither inside the other";
  g_autofree char *in_shown = sbx_excerpt (input, -1);
  g_autofree char *out_shown = sbx_excerpt (output, -1);

  if (strcmp (input, output) == 0)
    return g_strdup_printf ("input and output are the same folder “%s”; %s", in_shown, expected);
  if (path_is_within (output, input))
    return g_strdup_printf ("output “%s” is inside input “%s”; %s", out_shown, in_shown, expected);
  if (path_is_within (input, output))
    return g_strdup_printf ("input “%s” is inside output “%s”; %s", in_shown, out_shown, expected);

  /* Different paths may still be one folder (bind mounts). */
  if (on_host && stat (input, &in_st) == 0 && stat (output, &out_st) == 0)
    {
      if (in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino)
        return g_strdup_printf ("input “%s” and output “%s” are the same folder; %s",
                                in_shown, out_shown, expected);
      if (object_is_ancestor (output, &in_st))
        return g_strdup_printf ("output “%s” is inside input “%s” (same folder by inode); %s",
                                out_shown, in_shown, expected);
      if (object_is_ancestor (input, &out_st))
        return g_strdup_printf ("input “%s” is inside output “%s” (same folder by inode); %s",
                                in_shown, out_shown, expected);
    }
  return NULL;
}

gboolean
sbx_profile_workdir_is_valid (const char *path)
{
  static const char *const roots[] = { SBX_SANDBOX_IN, SBX_SANDBOX_OUT, SBX_SANDBOX_TMP };
  g_auto(GStrv) parts = NULL;
  gboolean under = FALSE;

  if (path == NULL || path[0] != '/')
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], ".") == 0 || strcmp (parts[i], "..") == 0)
      return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (roots); i++)
    under = under || path_is_within (path, roots[i]);
  return under;
}
