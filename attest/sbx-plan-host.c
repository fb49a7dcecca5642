/* sbx-plan-host.c — what the host says about the sources the bwrap argv
 * names (sbx-plan.h, step 1): for every bind, the mount its source sits on
 * (file system type and per-mount flags, from /proc/self/mountinfo, found
 * by the fd's mnt_id or by the longest matching mount point) and the
 * mounts below it; the device nodes bwrap's --dev binds from /dev.
 *
 * An fd that is /dev/null at this point is a placeholder sbx replaces in
 * the child that execs bwrap: at /tmp and /dev/shm that is sbx's private
 * noexec,nosuid,nodev tmpfs (DESIGN §3); elsewhere its flags are unknown. */
#include "config.h"

#include "sbx-plan.h"
#include "sbx-mountinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static GPtrArray *
host_mounts (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/self/mountinfo", &text, NULL, NULL))
    return g_ptr_array_new_with_free_func (sbx_mountinfo_free);
  return sbx_mountinfo_parse (text);
}

static gboolean
is_below (const char *path, const char *dir)
{
  gsize n = strlen (dir);

  if (strcmp (dir, "/") == 0)
    return path[0] == '/' && path[1] != '\0';
  return strncmp (path, dir, n) == 0 && path[n] == '/';
}

static const SbxMountinfo *
mount_of_path (GPtrArray *mounts, const char *path)
{
  const SbxMountinfo *best = NULL;

  for (guint i = 0; i < mounts->len; i++)
    {
      const SbxMountinfo *m = mounts->pdata[i];

      if ((strcmp (path, m->point) == 0 || is_below (path, m->point))
          && (best == NULL || strlen (m->point) >= strlen (best->point)))
        best = m;
    }
  return best;
}

static const SbxMountinfo *
mount_of_id (GPtrArray *mounts, int id)
{
  const SbxMountinfo *found = NULL;

  /* the last one with the id: the one on top */
  for (guint i = 0; i < mounts->len; i++)
    if (((SbxMountinfo *) mounts->pdata[i])->id == id)
      found = mounts->pdata[i];
  return found;
}

static void
source_free (gpointer p)
{
  SbxPlanSource *s = p;

  g_free (s->fstype);
  g_free (s->describe);
  g_free (s->node);
  if (s->submounts != NULL)
    g_ptr_array_unref (s->submounts);
  g_free (s);
}

static void
submount_free (gpointer p)
{
  SbxPlanSubmount *s = p;

  g_free (s->rel);
  g_free (s->fstype);
  g_free (s);
}

static SbxPlanSource *
source_from (GPtrArray *mounts, const SbxMountinfo *m, const char *path)
{
  SbxPlanSource *s = g_new0 (SbxPlanSource, 1);

  s->fstype = g_strdup (m->fstype);
  s->flags = m->flags;
  s->describe = g_strdup (path);
  s->submounts = g_ptr_array_new_with_free_func (submount_free);
  for (guint i = 0; path != NULL && i < mounts->len; i++)
    {
      const SbxMountinfo *sub = mounts->pdata[i];
      SbxPlanSubmount *sm;

      if (!is_below (sub->point, path))
        continue;
      sm = g_new0 (SbxPlanSubmount, 1);
      sm->rel = g_strdup (sub->point + strlen (path) + (strcmp (path, "/") == 0 ? 0 : 1));
      sm->fstype = g_strdup (sub->fstype);
      sm->flags = sub->flags;
      g_ptr_array_add (s->submounts, sm);
    }
  return s;
}

static SbxPlanSource *
source_of_fd (GPtrArray *mounts, int fd, const char *dest)
{
  g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
  g_autofree char *info_path = g_strdup_printf ("/proc/self/fdinfo/%d", fd);
  g_autofree char *info = NULL;
  g_autofree char *path = g_file_read_link (link, NULL);
  const SbxMountinfo *m = NULL;
  struct stat st;
  struct statvfs vfs;
  SbxPlanSource *s;

  if (fstat (fd, &st) != 0)
    return NULL;
  if (S_ISCHR (st.st_mode) && major (st.st_rdev) == 1 && minor (st.st_rdev) == 3)
    {
      s = g_new0 (SbxPlanSource, 1);
      if (strcmp (dest, "/tmp") == 0 || strcmp (dest, "/dev/shm") == 0)
        {
          s->fstype = g_strdup ("tmpfs");
          s->flags = (SbxPlanFlags) { 0, 1, 1, 1 };
          s->describe = g_strdup ("sbx's private noexec tmpfs");
        }
      else
        {
          s->flags = (SbxPlanFlags) { -1, -1, -1, -1 };
          s->describe = g_strdup ("a mount sbx makes right before bwrap");
        }
      return s;
    }
  if (g_file_get_contents (info_path, &info, NULL, NULL))
    {
      const char *id = strstr (info, "mnt_id:");

      if (id != NULL)
        m = mount_of_id (mounts, atoi (id + 7));
    }
  if (m != NULL && path != NULL && path[0] == '/')
    return source_from (mounts, m, path);
  /* a mount outside our namespace (detached, idmapped): only its flags */
  s = g_new0 (SbxPlanSource, 1);
  s->flags = (SbxPlanFlags) { -1, -1, -1, -1 };
  if (fstatvfs (fd, &vfs) == 0)
    s->flags = (SbxPlanFlags) { (vfs.f_flag & ST_RDONLY) != 0, (vfs.f_flag & ST_NOSUID) != 0,
                                (vfs.f_flag & ST_NODEV) != 0, (vfs.f_flag & ST_NOEXEC) != 0 };
  s->describe = g_strdup (path != NULL ? path : "?");
  return s;
}

static SbxPlanSource *
source_of_path (GPtrArray *mounts, const char *path)
{
  g_autofree char *real = realpath (path, NULL);
  const SbxMountinfo *m = real != NULL ? mount_of_path (mounts, real) : NULL;
  struct stat st;
  SbxPlanSource *s;

  if (m == NULL)
    return NULL;
  s = source_from (mounts, m, real);
  if (stat (real, &st) == 0 && (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode)))
    s->node = g_strdup_printf ("%s %u:%u", S_ISCHR (st.st_mode) ? "char" : "block", major (st.st_rdev),
                               minor (st.st_rdev));
  return s;
}

SbxPlanFacts *
sbx_plan_facts_collect (const char *const *argv)
{
  static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
  SbxPlanFacts *facts = g_new0 (SbxPlanFacts, 1);
  g_autoptr(GPtrArray) mounts = host_mounts ();
  g_autoptr(GPtrArray) expanded = NULL;
  const char *const *a;

  facts->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, source_free);
  for (gsize i = 1; argv != NULL && argv[i] != NULL && strcmp (argv[i], "--") != 0; i++)
    if (strcmp (argv[i], "--args") == 0 && argv[i + 1] != NULL && facts->args_blob == NULL)
      {
        /* only a regular file (a memfd) is read: reading a pipe would
         * take the arguments away from bwrap */
        int fd = atoi (argv[i + 1]);
        struct stat st;
        g_autofree char *path = g_strdup_printf ("/proc/self/fd/%d", fd);

        if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
          g_file_get_contents (path, &facts->args_blob, &facts->args_blob_len, NULL);
        break;
      }
  /* the sources of the options as bwrap reads them, --args spliced in */
  expanded = argv != NULL ? sbx_plan_expand_args (argv, facts) : g_ptr_array_new ();
  if (argv == NULL)
    g_ptr_array_add (expanded, NULL);
  a = (const char *const *) expanded->pdata;
  for (gsize i = 0; a[i] != NULL && strcmp (a[i], "--") != 0; i++)
    {
      const char *opt = a[i];

      if ((g_str_has_suffix (opt, "bind") || g_str_has_suffix (opt, "bind-try") || g_str_has_suffix (opt, "bind-fd"))
          && a[i + 1] != NULL && a[i + 2] != NULL)
        {
          gboolean fd = g_str_has_suffix (opt, "-fd");
          char *key = fd ? g_strconcat ("fd:", a[i + 1], NULL) : g_strdup (a[i + 1]);
          SbxPlanSource *s = fd ? source_of_fd (mounts, atoi (a[i + 1]), a[i + 2])
                                : source_of_path (mounts, a[i + 1]);

          if (s != NULL)
            g_hash_table_replace (facts->sources, key, s);
          else
            g_free (key);
        }
      if (sbx_plan_option_nargs (opt) > 0)
        i += (gsize) sbx_plan_option_nargs (opt);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (dev_nodes); i++)
    {
      char *path = g_strconcat ("/dev/", dev_nodes[i], NULL);
      SbxPlanSource *s = source_of_path (mounts, path);

      if (s != NULL)
        g_hash_table_replace (facts->sources, path, s);
      else
        g_free (path);
    }
  return facts;
}

void
sbx_plan_facts_free (SbxPlanFacts *facts)
{
  if (facts == NULL)
    return;
  g_hash_table_unref (facts->sources);
  g_free (facts->args_blob);
  g_free (facts);
}
