/* sbx-plan.c — the plan read from the bwrap argument vector, and its
 * comparison with what sbx-probe observed (sbx-plan.h).  Pure: no I/O; the
 * host's side of things comes in as SbxPlanFacts (sbx-plan-host.c). */
#include "config.h"

#include "sbx-plan.h"
#include "sbx-mountinfo.h"
#include "sbx-bpf-sim.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/* Where sbx shows the job its folders (DESIGN §3): the points whose
 * differences break a property of their own. */
#define POINT_IN "/in"
#define POINT_OUT "/out"
static const char *const noexec_points[] = { "/tmp", "/dev/shm" };

/* ------------------------------------------------------------ bwrap 0.8 */

/* What bwrap's --dev makes (bubblewrap.c, SETUP_MOUNT_DEV): these nodes
 * bound from the host's /dev, devpts at pts, and these symlinks. */
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
static const struct { const char *name, *target; } dev_links[] = {
  { "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
  { "fd", "/proc/self/fd" }, { "core", "/proc/kcore" }, { "ptmx", "pts/ptmx" },
};
/* --proc covers these read-only when the host lets it write them. */
static const char *const proc_covers[] = { "sys", "sysrq-trigger", "irq", "bus" };

static gboolean
is_within (const char *path, const char *dir)
{
  gsize n = strlen (dir);

  if (strcmp (dir, "/") == 0)
    return TRUE;
  return strncmp (path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* ----------------------------------------------------------- the plan */

/* What the reader of one option gets: the plan so far, and @what, the
 * option with its arguments for messages ("--ro-bind-fd 5 /usr"). */
typedef struct {
  SbxPlan *plan;
  const SbxPlanFacts *facts;
  const char *salt;
  const char *chdir_to;
  const char *what;
} Reader;

/* Flags of an option's table entry (bwrap_options[]), for the readers
 * that serve several options. */
enum {
  OPT_RO = 1 << 0,       /* --ro-…: read-only */
  OPT_DEV = 1 << 1,      /* --dev-bind…: devices allowed */
  OPT_TRY = 1 << 2,      /* …-try: the source may be missing */
  OPT_FD = 1 << 3,       /* …-fd: the source is an fd */
  OPT_GID = 1 << 4,      /* --gid, not --uid */
  OPT_MOUNT = 1 << 5,    /* makes the mount @fstype, @mount at argument @dest */
  OPT_ENTRY = 1 << 6,    /* makes an entry in /dev when its path is there */
  OPT_LINK = 1 << 7,     /* that entry is a symlink to the first argument */
  OPT_CLEARENV = 1 << 8, /* the state options: */
  OPT_CHDIR = 1 << 9,
  OPT_FILTER = 1 << 10,
  OPT_NESTS = 1 << 11,   /* --disable-userns */
};

typedef struct _Option Option;

/* Reads option @o with its arguments @arg[0..nargs-1] into @r->plan;
 * sets plan->problem when the argv cannot be read on. */
typedef void (*OptionRead) (Reader *r, const Option *o, const char *const *arg);

/* One option of bwrap 0.8: how many arguments it takes, and how it
 * changes the plan; @read NULL: not at all (namespaces the probes
 * observe themselves, fds, labels, process options).  A mount an option
 * makes (OPT_MOUNT) has @fstype and @mount at argument @dest, an entry
 * in /dev (OPT_ENTRY) is @node at argument @dest. */
struct _Option {
  const char *name;
  int nargs;
  OptionRead read;
  guint flags;
  int dest;
  const char *fstype;
  SbxPlanFlags mount;
  const char *node;
};

static void
mount_free (gpointer p)
{
  SbxPlanMount *m = p;

  g_free (m->point);
  g_free (m->fstype);
  g_free (m->what);
  g_free (m);
}

static void
env_free (gpointer p)
{
  SbxPlanEnv *e = p;

  g_free (e->name);
  g_free (e->digest);
  g_free (e);
}

static void
dev_free (gpointer p)
{
  SbxPlanDev *d = p;

  g_free (d->path);
  g_free (d->node);
  g_free (d);
}

void
sbx_plan_free (SbxPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->mounts);
  g_ptr_array_unref (plan->env);
  g_ptr_array_unref (plan->dev);
  g_free (plan->problem);
  g_free (plan);
}

static SbxPlanMount *
add_mount (SbxPlan *plan, const char *point, const char *fstype, SbxPlanFlags flags,
           gboolean optional, const char *what)
{
  SbxPlanMount *m = g_new0 (SbxPlanMount, 1);

  m->point = g_strdup (point);
  m->fstype = g_strdup (fstype);
  m->flags = flags;
  m->optional = optional;
  m->what = g_strdup (what);
  g_ptr_array_add (plan->mounts, m);
  return m;
}

static void
add_dev (SbxPlan *plan, const char *path, const char *node, gboolean optional)
{
  SbxPlanDev *d;

  for (guint i = 0; i < plan->dev->len; i++)
    if (strcmp (((SbxPlanDev *) plan->dev->pdata[i])->path, path) == 0)
      {
        d = plan->dev->pdata[i];
        g_free (d->node);
        d->node = g_strdup (node);
        d->optional = optional;
        return;
      }
  d = g_new0 (SbxPlanDev, 1);
  d->path = g_strdup (path);
  d->node = g_strdup (node);
  d->optional = optional;
  g_ptr_array_add (plan->dev, d);
}

char *
sbx_plan_env_digest (const char *salt, const char *entry)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (sum, (const guchar *) salt, strlen (salt));
  g_checksum_update (sum, (const guchar *) ":", 1);
  g_checksum_update (sum, (const guchar *) entry, strlen (entry));
  return g_strconcat ("sha256:", g_checksum_get_string (sum), NULL);
}

static void
set_env (SbxPlan *plan, const char *name, const char *value, const char *salt)
{
  g_autofree char *entry = g_strconcat (name, "=", value, NULL);
  SbxPlanEnv *e = NULL;

  for (guint i = 0; i < plan->env->len && e == NULL; i++)
    if (strcmp (((SbxPlanEnv *) plan->env->pdata[i])->name, name) == 0)
      e = plan->env->pdata[i];
  if (e == NULL)
    {
      e = g_new0 (SbxPlanEnv, 1);
      e->name = g_strdup (name);
      g_ptr_array_add (plan->env, e);
    }
  g_free (e->digest);
  e->digest = value != NULL ? sbx_plan_env_digest (salt, entry) : NULL;
  e->any_value = value == NULL;
}

/* --unsetenv NAME */
static void
unset_env (Reader *r, const Option *o, const char *const *arg)
{
  for (guint i = 0; i < r->plan->env->len; i++)
    if (strcmp (((SbxPlanEnv *) r->plan->env->pdata[i])->name, arg[0]) == 0)
      {
        g_ptr_array_remove_index (r->plan->env, i);
        return;
      }
}

/* A bind (bwrap's bind_mount): the source's flags, plus nosuid, plus nodev
 * unless it binds devices, plus ro for the ro- variants; recursively. */
static void
plan_bind (SbxPlan *plan, const SbxPlanFacts *facts, const char *key, const char *dest,
           gboolean ro, gboolean devices, gboolean try, const char *what)
{
  const SbxPlanSource *src = g_hash_table_lookup (facts->sources, key);
  SbxPlanFlags f = { ro ? 1 : -1, 1, devices ? -1 : 1, -1 };

  if (src == NULL && try)
    {
      /* the source may not exist: then bwrap skips it */
      add_mount (plan, dest, NULL, f, TRUE, what);
      return;
    }
  if (src != NULL)
    {
      f.ro = ro ? 1 : src->flags.ro;
      f.nodev = devices ? src->flags.nodev : 1;
      f.noexec = src->flags.noexec;
    }
  /* sbx binds /out again, noexec, before bwrap starts (lib/sbx-jobuid.c). */
  if (strcmp (dest, POINT_OUT) == 0)
    f.noexec = 1;
  add_mount (plan, dest, src != NULL ? src->fstype : NULL, f, FALSE, what);
  for (guint i = 0; src != NULL && src->submounts != NULL && i < src->submounts->len; i++)
    {
      const SbxPlanSubmount *sub = src->submounts->pdata[i];
      g_autofree char *point = g_build_filename (dest, sub->rel, NULL);
      SbxPlanFlags sf = { ro ? 1 : sub->flags.ro, 1, devices ? sub->flags.nodev : 1, sub->flags.noexec };

      add_mount (plan, point, sub->fstype, sf, FALSE, what);
    }
}

/* --dev DEST */
static void
plan_dev (Reader *r, const Option *o, const char *const *arg)
{
  SbxPlan *plan = r->plan;
  const SbxPlanFacts *facts = r->facts;
  const char *dest = arg[0];
  SbxPlanFlags tmpfs = { 0, 1, 1, 0 }, devpts = { 0, 1, 0, 1 };
  gboolean listing = strcmp (dest, "/dev") == 0;

  add_mount (plan, dest, "tmpfs", tmpfs, FALSE, "--dev");
  if (listing)
    g_ptr_array_set_size (plan->dev, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (dev_nodes); i++)
    {
      g_autofree char *host = g_strconcat ("/dev/", dev_nodes[i], NULL);
      g_autofree char *point = g_build_filename (dest, dev_nodes[i], NULL);
      const SbxPlanSource *src = g_hash_table_lookup (facts->sources, host);

      plan_bind (plan, facts, host, point, FALSE, TRUE, FALSE, "--dev");
      if (listing)
        add_dev (plan, point, src != NULL ? src->node : NULL, FALSE);
    }
  {
    g_autofree char *pts = g_build_filename (dest, "pts", NULL);
    g_autofree char *console = g_build_filename (dest, "console", NULL);

    add_mount (plan, pts, "devpts", devpts, FALSE, "--dev");
    /* bwrap binds the terminal at console when its stdout is one */
    if (facts->stdout_is_tty)
      add_mount (plan, console, NULL, (SbxPlanFlags) { -1, 1, -1, -1 }, TRUE, "--dev");
    if (!listing)
      return;
    add_dev (plan, pts, "dir", FALSE);
    add_dev (plan, console, NULL, TRUE);
  }
  {
    g_autofree char *shm = g_build_filename (dest, "shm", NULL);

    add_dev (plan, shm, "dir", FALSE);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (dev_links); i++)
    {
      g_autofree char *path = g_build_filename (dest, dev_links[i].name, NULL);
      g_autofree char *node = g_strconcat ("symlink ", dev_links[i].target, NULL);

      add_dev (plan, path, node, FALSE);
    }
}

/* A file, folder or symlink an option makes directly in /dev. */
static void
plan_dev_entry (SbxPlan *plan, const char *path, const char *node)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (plan->dev->len > 0 && strcmp (dir, "/dev") == 0)
    add_dev (plan, path, node, FALSE);
}

/* --remount-ro DEST: the mount planned last at or above it */
static void
remount_ro (Reader *r, const Option *o, const char *const *arg)
{
  SbxPlanMount *best = NULL;

  for (guint i = 0; i < r->plan->mounts->len; i++)
    {
      SbxPlanMount *m = r->plan->mounts->pdata[i];

      if (!m->optional && is_within (arg[0], m->point)
          && (best == NULL || strlen (m->point) >= strlen (best->point)))
        best = m;
    }
  if (best != NULL)
    best->flags.ro = 1;
}

GPtrArray *
sbx_plan_expand_args (const char *const *argv, const SbxPlanFacts *facts)
{
  GPtrArray *out = g_ptr_array_new ();

  for (gsize i = 1; argv[i] != NULL; i++)
    {
      if (strcmp (argv[i], "--args") == 0 && argv[i + 1] != NULL && facts->args_blob != NULL)
        {
          for (gsize off = 0; off < facts->args_blob_len; off += strlen (facts->args_blob + off) + 1)
            g_ptr_array_add (out, facts->args_blob + off);
          i++;
          continue;
        }
      g_ptr_array_add (out, (gpointer) argv[i]);
    }
  g_ptr_array_add (out, NULL);
  return out;
}

/* The --bind family: the source is a path or (OPT_FD) an fd. */
static void
read_bind (Reader *r, const Option *o, const char *const *arg)
{
  g_autofree char *key = o->flags & OPT_FD ? g_strconcat ("fd:", arg[0], NULL) : g_strdup (arg[0]);

  plan_bind (r->plan, r->facts, key, arg[1], (o->flags & OPT_RO) != 0, (o->flags & OPT_DEV) != 0,
             (o->flags & OPT_TRY) != 0, r->what);
  plan_dev_entry (r->plan, arg[1], NULL);
}

/* --proc DEST, and what it covers read-only */
static void
read_proc (Reader *r, const Option *o, const char *const *arg)
{
  add_mount (r->plan, arg[0], "proc", (SbxPlanFlags) { 0, 1, 1, 1 }, FALSE, r->what);
  for (gsize c = 0; c < G_N_ELEMENTS (proc_covers); c++)
    {
      g_autofree char *p = g_build_filename (arg[0], proc_covers[c], NULL);

      add_mount (r->plan, p, "proc", (SbxPlanFlags) { 1, 1, 1, 1 }, TRUE, r->what);
    }
}

/* A mount the table describes (--tmpfs, --mqueue, --bind-data …), and an
 * entry in /dev (--dir, --file, --symlink …). */
static void
read_mount (Reader *r, const Option *o, const char *const *arg)
{
  g_autofree char *link = o->flags & OPT_LINK ? g_strconcat ("symlink ", arg[0], NULL) : NULL;

  if (o->flags & OPT_MOUNT)
    add_mount (r->plan, arg[o->dest], o->fstype, o->mount, FALSE, r->what);
  if (o->flags & OPT_ENTRY)
    plan_dev_entry (r->plan, arg[o->dest], link != NULL ? link : o->node);
}

static void
read_setenv (Reader *r, const Option *o, const char *const *arg)
{
  set_env (r->plan, arg[0], arg[1], r->salt);
}

/* What an option changes besides mounts: the environment cleared, the
 * folder, a filter, a nested user namespace. */
static void
read_state (Reader *r, const Option *o, const char *const *arg)
{
  if (o->flags & OPT_CLEARENV)
    g_ptr_array_set_size (r->plan->env, 0);
  r->plan->env_cleared |= (o->flags & OPT_CLEARENV) != 0;
  r->chdir_to = o->flags & OPT_CHDIR ? arg[0] : r->chdir_to;
  r->plan->n_argv_filters += (o->flags & OPT_FILTER) != 0;
  r->plan->userns_nested |= (o->flags & OPT_NESTS) != 0;
}

/* --uid / --gid ID */
static void
read_id (Reader *r, const Option *o, const char *const *arg)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (arg[0], 10, 0, G_MAXUINT32 - 1, &v, NULL))
    r->plan->problem = g_strdup_printf ("bwrap option %s: not an id: %s", o->name, arg[0]);
  else
    *(o->flags & OPT_GID ? &r->plan->gid_in : &r->plan->uid_in) = (gint64) v;
}

#define NO_CHANGE(option, n) { .name = option, .nargs = n }

/* Every option of bwrap 0.8 (bubblewrap.c, parse_args_recurse). */
static const Option bwrap_options[] = {
  NO_CHANGE ("--args", 1),
  NO_CHANGE ("--argv0", 1),
  NO_CHANGE ("--unshare-all", 0),
  NO_CHANGE ("--share-net", 0),
  NO_CHANGE ("--unshare-user", 0),
  NO_CHANGE ("--unshare-user-try", 0),
  NO_CHANGE ("--unshare-ipc", 0),
  NO_CHANGE ("--unshare-pid", 0),
  NO_CHANGE ("--unshare-net", 0),
  NO_CHANGE ("--unshare-uts", 0),
  NO_CHANGE ("--unshare-cgroup", 0),
  NO_CHANGE ("--unshare-cgroup-try", 0),
  NO_CHANGE ("--userns", 1),
  NO_CHANGE ("--userns2", 1),
  NO_CHANGE ("--pidns", 1),
  { .name = "--disable-userns", .nargs = 0, .read = read_state, .flags = OPT_NESTS },
  NO_CHANGE ("--assert-userns-disabled", 0),
  { .name = "--uid", .nargs = 1, .read = read_id },
  { .name = "--gid", .nargs = 1, .read = read_id, .flags = OPT_GID },
  NO_CHANGE ("--hostname", 1),
  { .name = "--chdir", .nargs = 1, .read = read_state, .flags = OPT_CHDIR },
  { .name = "--clearenv", .nargs = 0, .read = read_state, .flags = OPT_CLEARENV },
  { .name = "--setenv", .nargs = 2, .read = read_setenv },
  { .name = "--unsetenv", .nargs = 1, .read = unset_env },
  NO_CHANGE ("--lock-file", 1),
  NO_CHANGE ("--sync-fd", 1),
  NO_CHANGE ("--perms", 1),
  NO_CHANGE ("--size", 1),
  { .name = "--bind", .nargs = 2, .read = read_bind },
  { .name = "--bind-try", .nargs = 2, .read = read_bind, .flags = OPT_TRY },
  { .name = "--dev-bind", .nargs = 2, .read = read_bind, .flags = OPT_DEV },
  { .name = "--dev-bind-try", .nargs = 2, .read = read_bind, .flags = OPT_DEV | OPT_TRY },
  { .name = "--ro-bind", .nargs = 2, .read = read_bind, .flags = OPT_RO },
  { .name = "--ro-bind-try", .nargs = 2, .read = read_bind, .flags = OPT_RO | OPT_TRY },
  { .name = "--bind-fd", .nargs = 2, .read = read_bind, .flags = OPT_FD },
  { .name = "--ro-bind-fd", .nargs = 2, .read = read_bind, .flags = OPT_RO | OPT_FD },
  { .name = "--remount-ro", .nargs = 1, .read = remount_ro },
  NO_CHANGE ("--exec-label", 1),
  NO_CHANGE ("--file-label", 1),
  { .name = "--proc", .nargs = 1, .read = read_proc },
  { .name = "--dev", .nargs = 1, .read = plan_dev },
  { .name = "--tmpfs", .nargs = 1, .read = read_mount, .flags = OPT_MOUNT | OPT_ENTRY,
    .fstype = "tmpfs", .mount = { 0, 1, 1, 0 }, .node = "dir" },
  { .name = "--mqueue", .nargs = 1, .read = read_mount, .flags = OPT_MOUNT,
    .fstype = "mqueue", .mount = { 0, -1, -1, -1 } },
  { .name = "--dir", .nargs = 1, .read = read_mount, .flags = OPT_ENTRY, .node = "dir" },
  { .name = "--file", .nargs = 2, .read = read_mount, .flags = OPT_ENTRY, .dest = 1 },
  { .name = "--bind-data", .nargs = 2, .read = read_mount, .flags = OPT_MOUNT,
    .dest = 1, .mount = { -1, 1, 1, -1 } },
  { .name = "--ro-bind-data", .nargs = 2, .read = read_mount, .flags = OPT_MOUNT,
    .dest = 1, .mount = { 1, 1, 1, -1 } },
  { .name = "--symlink", .nargs = 2, .read = read_mount, .flags = OPT_ENTRY | OPT_LINK, .dest = 1 },
  NO_CHANGE ("--chmod", 2),
  { .name = "--seccomp", .nargs = 1, .read = read_state, .flags = OPT_FILTER },
  { .name = "--add-seccomp-fd", .nargs = 1, .read = read_state, .flags = OPT_FILTER },
  NO_CHANGE ("--block-fd", 1),
  NO_CHANGE ("--userns-block-fd", 1),
  NO_CHANGE ("--info-fd", 1),
  NO_CHANGE ("--json-status-fd", 1),
  NO_CHANGE ("--new-session", 0),
  NO_CHANGE ("--die-with-parent", 0),
  NO_CHANGE ("--as-pid-1", 0),
  NO_CHANGE ("--cap-add", 1),
  NO_CHANGE ("--cap-drop", 1),
};

/* The table entry of option @name, or -1. */
static int
option_index (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bwrap_options); i++)
    if (strcmp (bwrap_options[i].name, name) == 0)
      return (int) i;
  return -1;
}

int
sbx_plan_option_nargs (const char *name)
{
  int k = option_index (name);

  return k >= 0 ? bwrap_options[k].nargs : -1;
}

SbxPlan *
sbx_plan_new (const char *const *argv, const SbxPlanFacts *facts, const char *salt)
{
  SbxPlan *plan = g_new0 (SbxPlan, 1);
  g_autoptr(GPtrArray) args = sbx_plan_expand_args (argv, facts);
  const char **a = (const char **) args->pdata;
  Reader r = { plan, facts, salt, NULL, NULL };

  plan->mounts = g_ptr_array_new_with_free_func (mount_free);
  plan->env = g_ptr_array_new_with_free_func (env_free);
  plan->dev = g_ptr_array_new_with_free_func (dev_free);
  plan->uid_in = plan->gid_in = plan->job_uid = plan->job_gid = -1;
  /* bwrap's own root: a tmpfs mounted nosuid,nodev */
  add_mount (plan, "/", "tmpfs", (SbxPlanFlags) { 0, 1, 1, 0 }, FALSE, "bwrap's root");

  for (gsize i = 0; a[i] != NULL && strcmp (a[i], "--") != 0; i++)
    {
      const char *opt = a[i];
      int k = option_index (opt);
      int nargs = k >= 0 ? bwrap_options[k].nargs : -1;
      g_autofree char *what = NULL;

      if (opt[0] != '-')
        break;
      if (nargs < 0)
        {
          plan->problem = g_strdup_printf ("unknown bwrap option %s", opt);
          break;
        }
      for (int j = 1; j <= nargs; j++)
        if (a[i + j] == NULL)
          {
            plan->problem = g_strdup_printf ("bwrap option %s lacks its argument", opt);
            return plan;
          }
      what = nargs == 2 ? g_strdup_printf ("%s %s %s", opt, a[i + 1], a[i + 2])
             : nargs == 1 ? g_strdup_printf ("%s %s", opt, a[i + 1]) : g_strdup (opt);
      r.what = what;
      if (bwrap_options[k].read != NULL)
        bwrap_options[k].read (&r, &bwrap_options[k], &a[i + 1]);
      if (plan->problem != NULL)
        break;
      i += nargs;
    }
  /* bwrap sets PWD itself, after every --setenv */
  set_env (plan, "PWD", r.chdir_to, salt);
  return plan;
}

static const char *
flag_words (const SbxPlanFlags *f, char *buf, gsize size)
{
  g_snprintf (buf, size, "%s,%s,%s,%s", f->ro < 0 ? "ro?" : f->ro ? "ro" : "rw",
              f->nosuid < 0 ? "nosuid?" : f->nosuid ? "nosuid" : "suid",
              f->nodev < 0 ? "nodev?" : f->nodev ? "nodev" : "dev",
              f->noexec < 0 ? "noexec?" : f->noexec ? "noexec" : "exec");
  return buf;
}

gint64
sbx_plan_id_in (const SbxPlan *plan, gboolean gid)
{
  gint64 given = gid ? plan->gid_in : plan->uid_in;

  return given >= 0 ? given : gid ? plan->job_gid : plan->job_uid;
}

/* The one line the job's /proc/self/uid_map (gid_map) should read, "IN
 * OUT 1", or NULL when the job's ids are not known. */
static char *
planned_map (const SbxPlan *plan, gboolean gid)
{
  gint64 in = sbx_plan_id_in (plan, gid), job = gid ? plan->job_gid : plan->job_uid;

  if (in < 0 || job < 0)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " 1", in, plan->userns_nested ? 0 : job);
}

GPtrArray *
sbx_plan_to_lines (const SbxPlan *plan)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  char fw[64];

  for (guint i = 0; i < plan->mounts->len; i++)
    {
      const SbxPlanMount *m = plan->mounts->pdata[i];

      g_ptr_array_add (lines, g_strdup_printf ("mount %s %s %s%s", m->point, m->fstype != NULL ? m->fstype : "?",
                                               flag_words (&m->flags, fw, sizeof fw), m->optional ? " optional" : ""));
    }
  for (guint i = 0; i < plan->env->len; i++)
    {
      const SbxPlanEnv *e = plan->env->pdata[i];

      g_ptr_array_add (lines, g_strdup_printf ("env %s %s", e->name, e->any_value ? "any" : e->digest));
    }
  for (guint i = 0; i < plan->dev->len; i++)
    {
      const SbxPlanDev *d = plan->dev->pdata[i];

      g_ptr_array_add (lines, g_strdup_printf ("dev %s %s%s", d->path, d->node != NULL ? d->node : "?",
                                               d->optional ? " optional" : ""));
    }
  g_ptr_array_add (lines, g_strdup_printf ("filters-in-argv %d", plan->n_argv_filters));
  for (int g = 0; g < 2; g++)
    {
      g_autofree char *map = planned_map (plan, g == 1);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s", g ? "gid_map" : "uid_map", map != NULL ? map : "?"));
    }
  g_ptr_array_add (lines, g_strdup_printf ("job-ids %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, plan->job_uid,
                                           plan->job_gid));
  if (plan->problem != NULL)
    g_ptr_array_add (lines, g_strdup_printf ("problem %s", plan->problem));
  return lines;
}

/* ------------------------------------------------------- the comparison */

void
sbx_plan_diff_free (gpointer p)
{
  SbxPlanDiff *d = p;

  g_free (d->probe);
  g_free (d->text);
  g_free (d);
}

static void G_GNUC_PRINTF (3, 4)
diff (GPtrArray *out, const char *probe, const char *fmt, ...)
{
  SbxPlanDiff *d = g_new0 (SbxPlanDiff, 1);
  va_list ap;

  va_start (ap, fmt);
  d->probe = g_strdup (probe);
  d->text = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_ptr_array_add (out, d);
}

static char *
field (const char *ret, const char *key)
{
  g_autofree char *pat = g_strconcat (key, "=", NULL);
  const char *p = ret;

  while ((p = strstr (p, pat)) != NULL)
    {
      if (p == ret || p[-1] == ' ')
        {
          const char *v = p + strlen (pat);

          return g_strndup (v, strcspn (v, " "));
        }
      p++;
    }
  return NULL;
}

/* An observed mount: a "mountinfo" record's fields, read by the one
 * mountinfo reader. */
static SbxMountinfo *
seen_parse (const SbxPlanSeen *rec)
{
  g_autofree char *opts = field (rec->ret, "opts");
  g_autofree char *root = field (rec->ret, "root");
  g_autofree char *type = field (rec->ret, "type");

  return sbx_mountinfo_new (-1, rec->args, root, type, opts);
}

static gboolean
is_noexec_point (const char *point)
{
  for (gsize i = 0; i < G_N_ELEMENTS (noexec_points); i++)
    if (is_within (point, noexec_points[i]))
      return TRUE;
  return FALSE;
}

static void
writable_diff (GPtrArray *out, const char *point, const char *how)
{
  if (is_within (point, POINT_IN))
    diff (out, "PR-FS-RO-IN", "writable mount under /in: %s (%s)", point, how);
  else if (strcmp (point, "/proc/sys") == 0)
    diff (out, "PR-MOUNT-1", "/proc/sys writable (%s)", how);
  else
    diff (out, "PR-MOUNT-1", "writable system path %s (%s)", point, how);
}

/* The mount planned last at or above @point (what an extra mount there
 * would sit on), or NULL. */
static const SbxPlanMount *
planned_cover (const SbxPlan *plan, const char *point)
{
  const SbxPlanMount *best = NULL;

  for (guint i = 0; i < plan->mounts->len; i++)
    {
      const SbxPlanMount *m = plan->mounts->pdata[i];

      if (!m->optional && is_within (point, m->point)
          && (best == NULL || strlen (m->point) >= strlen (best->point)))
        best = m;
    }
  return best;
}

static void
compare_top (GPtrArray *out, const SbxPlanMount *p, const SbxMountinfo *s)
{
  char pw[64], sw[64];

  if (p->fstype != NULL && s->fstype != NULL && strcmp (p->fstype, s->fstype) != 0)
    diff (out, "PR-FS-ESC-1", "mount %s is %s (from %s), planned %s", s->point, s->fstype, s->root, p->fstype);
  flag_words (&p->flags, pw, sizeof pw);
  flag_words (&s->flags, sw, sizeof sw);
  if (p->flags.ro == 1 && s->flags.ro == 0)
    {
      g_autofree char *how = g_strdup_printf ("%s %s, planned %s", s->fstype, sw, pw);

      writable_diff (out, s->point, how);
    }
  else if (p->flags.ro == 0 && s->flags.ro == 1)
    diff (out, strcmp (s->point, POINT_OUT) == 0 ? "PR-FS-OUT-OK" : "PR-MOUNT-1",
          "mount %s is read-only, planned writable (%s)", s->point, sw);
  if (p->flags.noexec == 1 && s->flags.noexec == 0)
    diff (out, is_noexec_point (s->point) ? "PR-TMP-NOEXEC" : "PR-MOUNT-1",
          "exec-able %s (%s %s, planned noexec)", s->point, s->fstype, sw);
  else if (p->flags.noexec == 0 && s->flags.noexec == 1)
    diff (out, "PR-MOUNT-1", "mount %s is noexec, planned exec (%s)", s->point, sw);
  if (p->flags.nosuid >= 0 && p->flags.nosuid != s->flags.nosuid)
    diff (out, "PR-MOUNT-1", "mount %s is %s, planned %s", s->point, s->flags.nosuid ? "nosuid" : "suid",
          p->flags.nosuid ? "nosuid" : "suid");
  if (p->flags.nodev >= 0 && p->flags.nodev != s->flags.nodev)
    diff (out, "PR-MOUNT-1", "mount %s %s, planned %s", s->point, s->flags.nodev ? "is nodev" : "allows devices",
          p->flags.nodev ? "nodev" : "devices");
}

static void
extra_mount (GPtrArray *out, const SbxPlan *plan, const SbxMountinfo *s)
{
  const SbxPlanMount *cover = planned_cover (plan, s->point);
  char sw[64];

  flag_words (&s->flags, sw, sizeof sw);
  diff (out, "PR-FS-ESC-1", "extra mount %s (%s, %s, from %s)", s->point, s->fstype, s->flags.ro ? "ro" : "rw",
        s->root);
  if (!s->flags.ro && (is_within (s->point, POINT_IN) || strcmp (s->point, "/proc/sys") == 0
                       || (cover != NULL && cover->flags.ro == 1)))
    {
      g_autofree char *how = g_strdup_printf ("an extra %s mount", s->fstype);

      writable_diff (out, s->point, how);
    }
  if (!s->flags.noexec && is_noexec_point (s->point))
    diff (out, "PR-TMP-NOEXEC", "exec-able %s (an extra %s mount, %s)", s->point, s->fstype, sw);
}

static void
compare_mounts (GPtrArray *out, const SbxPlan *plan, GPtrArray *sandbox)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (sbx_mountinfo_free);
  g_autoptr(GHashTable) points = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  for (guint i = 0; i < sandbox->len; i++)
    {
      const SbxPlanSeen *r = sandbox->pdata[i];

      if (strcmp (r->call, "mountinfo") == 0 && strcmp (r->errno_name, "0") == 0)
        g_ptr_array_add (seen, seen_parse (r));
    }
  if (seen->len == 0)
    {
      diff (out, "PR-FS-ESC-1", "no mount was observed (no mountinfo records)");
      return;
    }
  for (guint i = 0; i < plan->mounts->len; i++)
    {
      const SbxPlanMount *m = plan->mounts->pdata[i];

      if (!g_hash_table_contains (points, m->point))
        g_ptr_array_add (order, m->point);
      g_hash_table_insert (points, m->point, m->point);
    }
  for (guint i = 0; i < seen->len; i++)
    {
      const SbxMountinfo *s = seen->pdata[i];

      if (!g_hash_table_contains (points, s->point))
        g_ptr_array_add (order, s->point);
      g_hash_table_insert (points, s->point, s->point);
    }
  for (guint k = 0; k < order->len; k++)
    {
      const char *point = order->pdata[k];
      g_autoptr(GPtrArray) req = g_ptr_array_new ();
      g_autoptr(GPtrArray) opt = g_ptr_array_new ();
      g_autoptr(GPtrArray) obs = g_ptr_array_new ();
      g_autoptr(GPtrArray) eff = g_ptr_array_new ();
      guint n_opt;

      for (guint i = 0; i < plan->mounts->len; i++)
        {
          SbxPlanMount *m = plan->mounts->pdata[i];

          if (strcmp (m->point, point) == 0)
            g_ptr_array_add (m->optional ? opt : req, m);
        }
      for (guint i = 0; i < seen->len; i++)
        if (strcmp (((SbxMountinfo *) seen->pdata[i])->point, point) == 0)
          g_ptr_array_add (obs, seen->pdata[i]);
      /* optional mounts count when bwrap evidently made them */
      n_opt = obs->len > req->len ? MIN (opt->len, obs->len - req->len) : 0;
      for (guint i = 0; i < plan->mounts->len; i++)
        {
          SbxPlanMount *m = plan->mounts->pdata[i];

          if (strcmp (m->point, point) != 0)
            continue;
          if (!m->optional)
            g_ptr_array_add (eff, m);
          else if (n_opt > 0)
            g_ptr_array_add (eff, m), n_opt--;
        }
      for (guint i = eff->len; i < obs->len; i++)
        extra_mount (out, plan, obs->pdata[i]);
      if (obs->len < eff->len)
        {
          const SbxPlanMount *m = eff->pdata[eff->len - 1];
          const char *probe = strcmp (point, POINT_IN) == 0 ? "PR-FS-RO-IN"
                              : strcmp (point, POINT_OUT) == 0 ? "PR-FS-OUT-OK"
                              : is_noexec_point (point) ? "PR-TMP-NOEXEC" : "PR-FS-ESC-1";

          diff (out, probe, "planned mount %s missing (%s)", point, m->what);
        }
      if (eff->len > 0 && obs->len > 0)
        {
          /* what the job sees at @point: the top mount, against the planned
           * top (when extras sit on it, they are judged against it too) */
          const SbxPlanMount *p = eff->pdata[eff->len - 1];

          if (obs->len <= eff->len)
            compare_top (out, p, obs->pdata[obs->len - 1]);
          else
            compare_top (out, eff->pdata[MIN (eff->len, obs->len) - 1], obs->pdata[eff->len - 1]);
        }
    }
}

static void
compare_env (GPtrArray *out, const SbxPlan *plan, GPtrArray *sandbox)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = 0;

  for (guint i = 0; i < sandbox->len; i++)
    {
      const SbxPlanSeen *r = sandbox->pdata[i];

      if (strcmp (r->call, "environ") != 0 || strcmp (r->errno_name, "0") != 0)
        continue;
      n++;
      g_hash_table_insert (seen, (gpointer) r->args, (gpointer) r->ret);
    }
  if (n == 0)
    {
      diff (out, "PR-ENV-1", "no variable was observed (no environ records)");
      return;
    }
  for (guint i = 0; i < plan->env->len; i++)
    {
      const SbxPlanEnv *e = plan->env->pdata[i];
      const char *got = g_hash_table_lookup (seen, e->name);

      if (got == NULL)
        diff (out, "PR-ENV-1", "variable %s missing", e->name);
      else if (!e->any_value && strcmp (got, e->digest) != 0)
        diff (out, "PR-ENV-1", "variable %s has another value than planned (by salted sha256)", e->name);
    }
  if (!plan->env_cleared)
    return;
  for (guint i = 0; i < sandbox->len; i++)
    {
      const SbxPlanSeen *r = sandbox->pdata[i];
      gboolean planned = FALSE;

      if (strcmp (r->call, "environ") != 0 || strcmp (r->errno_name, "0") != 0)
        continue;
      for (guint j = 0; j < plan->env->len && !planned; j++)
        planned = strcmp (((SbxPlanEnv *) plan->env->pdata[j])->name, r->args) == 0;
      if (!planned)
        diff (out, "PR-ENV-1", "extra variable %s", r->args);
    }
}

static void
compare_dev (GPtrArray *out, const SbxPlan *plan, GPtrArray *sandbox)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (plan->dev->len == 0)
    return;
  for (guint i = 0; i < sandbox->len; i++)
    {
      const SbxPlanSeen *r = sandbox->pdata[i];

      if (strcmp (r->call, "dev") == 0 && strcmp (r->errno_name, "0") == 0)
        g_hash_table_insert (seen, (gpointer) r->args, (gpointer) r->ret);
    }
  if (g_hash_table_size (seen) == 0)
    {
      diff (out, "PR-FS-ESC-1", "no /dev entry was observed (no dev records)");
      return;
    }
  for (guint i = 0; i < plan->dev->len; i++)
    {
      const SbxPlanDev *d = plan->dev->pdata[i];
      const char *got = g_hash_table_lookup (seen, d->path);

      if (got == NULL && !d->optional)
        diff (out, "PR-FS-ESC-1", "/dev entry %s missing", d->path);
      else if (got != NULL && d->node != NULL && strcmp (got, d->node) != 0)
        diff (out, "PR-FS-ESC-1", "/dev entry %s is %s, planned %s", d->path, got, d->node);
    }
  for (guint i = 0; i < sandbox->len; i++)
    {
      const SbxPlanSeen *r = sandbox->pdata[i];
      gboolean planned = FALSE;

      if (strcmp (r->call, "dev") != 0 || strcmp (r->errno_name, "0") != 0)
        continue;
      for (guint j = 0; j < plan->dev->len && !planned; j++)
        planned = strcmp (((SbxPlanDev *) plan->dev->pdata[j])->path, r->args) == 0;
      if (!planned)
        diff (out, "PR-FS-ESC-1", "extra /dev entry %s (%s)", r->args, r->ret);
    }
}

/* ----------------------------------------------------- the syscall sweep */

/* nr → answer word of one run's "sweep" records. */
static GHashTable *
sweep_words (GPtrArray *records)
{
  GHashTable *t = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const SbxPlanSeen *r = records->pdata[i];
      g_auto(GStrv) items = NULL;

      if (strcmp (r->call, "sweep") != 0 || !g_str_has_suffix (r->args, "every argument -1"))
        continue;
      items = g_strsplit (r->ret, " ", -1);
      for (gsize k = 0; items[k] != NULL; k++)
        {
          char *colon = strchr (items[k], ':');
          char *end;
          long nr;

          if (colon == NULL)
            continue;
          nr = strtol (items[k], &end, 10);
          if (end != colon || nr < 0 || nr > 4095)
            continue;
          g_hash_table_insert (t, GINT_TO_POINTER (nr + 1), g_strdup (colon + 1));
        }
    }
  return t;
}

static const char *
errno_word (int e)
{
  const char *n = strerrorname_np (e);

  return n != NULL ? n : "E#?";
}

static gint
compare_int (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

static void
compare_sweep (GPtrArray *out, const SbxPlanSeccomp *sc, GPtrArray *sandbox, GPtrArray *control,
               guint *n_unattributed)
{
  g_autoptr(GHashTable) sw = sweep_words (sandbox);
  g_autoptr(GHashTable) cw = sweep_words (control);
  const char *want = errno_word (sc->errno_value);
  GHashTableIter it;
  gpointer key, value;
  guint n_diffs = 0, n_compared = 0;
  g_autoptr(GArray) nrs = g_array_new (FALSE, FALSE, sizeof (int));

  if (g_hash_table_size (sw) == 0)
    {
      diff (out, "PR-SECCOMP-1", "no system call was swept (no sweep records)");
      return;
    }
  g_hash_table_iter_init (&it, sw);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      int nr = GPOINTER_TO_INT (key) - 1;

      g_array_append_val (nrs, nr);
    }
  g_array_sort (nrs, compare_int);
  for (guint k = 0; k < nrs->len; k++)
    {
      int nr = g_array_index (nrs, int, k);
      const char *got = g_hash_table_lookup (sw, GINT_TO_POINTER (nr + 1));
      const char *kernel = g_hash_table_lookup (cw, GINT_TO_POINTER (nr + 1));
      SbxBpfData data = { .nr = (guint32) nr, .arch = sc->audit_arch };
      guint32 actions[4], action, act;
      g_autofree char *name = NULL;
      char planned[64];
      gboolean ok = TRUE;

      if (strcmp (got, "skip") == 0)
        continue;
      for (int a = 0; a < 6; a++)
        data.args[a] = ~(guint64) 0;
      for (gsize p = 0; p < sc->n_programs && p < G_N_ELEMENTS (actions); p++)
        {
          g_autoptr(GError) error = NULL;

          if (!sbx_bpf_sim_run (sc->programs[p].bytes, sc->programs[p].length, &data, &actions[p], &error))
            {
              diff (out, "PR-SECCOMP-1", "the %s program cannot be evaluated: %s", sc->programs[p].name,
                    error->message);
              return;
            }
        }
      action = sbx_bpf_sim_combine (actions, MIN (sc->n_programs, G_N_ELEMENTS (actions)));
      act = action & SECCOMP_RET_ACTION_FULL;
      n_compared++;
      name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);
      if (act == SECCOMP_RET_ERRNO)
        {
          const char *e = errno_word ((int) (action & SECCOMP_RET_DATA));

          g_snprintf (planned, sizeof planned, "%s", e);
          if (strcmp (got, e) != 0)
            ok = FALSE;
          else if (kernel != NULL && strcmp (kernel, e) == 0)
            (*n_unattributed)++;
        }
      else if (act == SECCOMP_RET_USER_NOTIF)
        {
          /* sbx's exec gate answers errno=; without it the kernel ENOSYS */
          g_snprintf (planned, sizeof planned, "%s (exec gate)", want);
          ok = strcmp (got, want) == 0 || strcmp (got, "ENOSYS") == 0;
        }
      else if (act == SECCOMP_RET_KILL_PROCESS || act == SECCOMP_RET_KILL_THREAD || act == SECCOMP_RET_TRAP)
        {
          g_snprintf (planned, sizeof planned, "SIGSYS");
          ok = strcmp (got, "SIGSYS") == 0;
        }
      else
        {
          g_snprintf (planned, sizeof planned, "allowed");
          if (strcmp (got, "SIGSYS") == 0)
            ok = FALSE;
          else if (strcmp (got, want) == 0)
            {
              if (kernel == NULL || strcmp (kernel, want) != 0)
                ok = FALSE;
              else
                (*n_unattributed)++;
            }
        }
      if (!ok && n_diffs++ < 40)
        diff (out, "PR-SECCOMP-1", "syscall %d (%s): the programs say %s, observed %s%s%s", nr,
              name != NULL ? name : "unknown", planned, got, kernel != NULL ? "; unfiltered " : "",
              kernel != NULL ? kernel : "");
    }
  if (n_diffs > 40)
    diff (out, "PR-SECCOMP-1", "… and %u more syscall numbers differ from the programs", n_diffs - 40);
  if (n_compared == 0)
    diff (out, "PR-SECCOMP-1", "no swept number could be compared");
}

static void
compare_filters (GPtrArray *out, int planned, GPtrArray *sandbox)
{
  for (guint i = 0; i < sandbox->len; i++)
    {
      const SbxPlanSeen *r = sandbox->pdata[i];

      if (strcmp (r->call, "read") == 0 && strcmp (r->args, "/proc/self/status Seccomp_filters") == 0
          && strcmp (r->errno_name, "0") == 0)
        {
          if (atoi (r->ret) != planned)
            diff (out, "PR-SECCOMP-1", "%s seccomp filters loaded, planned %d", r->ret, planned);
          return;
        }
    }
  diff (out, "PR-SECCOMP-1", "the number of seccomp filters was not observed");
}

/* The sandbox run's (last) record of @call @args, or NULL. */
static const SbxPlanSeen *
seen_find (GPtrArray *sandbox, const char *call, const char *args)
{
  const SbxPlanSeen *found = NULL;

  for (guint i = 0; i < sandbox->len; i++)
    {
      const SbxPlanSeen *r = sandbox->pdata[i];

      if (strcmp (r->call, call) == 0 && strcmp (r->args, args) == 0)
        found = r;
    }
  return found;
}

/* "/proc/1/mem EACCES", "/proc/1/environ opened", "/proc/1/exe not observed" */
static char *
seen_words (const SbxPlanSeen *r, const char *what)
{
  if (r == NULL)
    return g_strdup_printf ("%s not observed", what);
  if (strcmp (r->errno_name, "0") == 0)
    return g_strdup_printf ("%s %s", what, strcmp (r->call, "open") == 0 ? "opened" : r->ret);
  return g_strdup_printf ("%s %s", what, r->errno_name);
}

static gboolean
seen_refused (const SbxPlanSeen *r)
{
  return r != NULL && (strcmp (r->errno_name, "EACCES") == 0 || strcmp (r->errno_name, "EPERM") == 0);
}

/* Who the job is (DESIGN §2): never host uid 0, its maps and ids as
 * planned, pid 1 the job itself or out of its reach, no capability, and
 * no_new_privs (probes/observe.c observe_identity, PR-CAP-1, PR-NNP-1). */
static void
compare_identity (GPtrArray *out, const SbxPlan *plan, GPtrArray *sandbox)
{
  static const char *const caps[] = { "CapEff", "CapPrm", "CapBnd", "CapAmb" };
  const SbxPlanSeen *exe1, *exe_self, *env1, *mem1, *nnp;

  if (plan->job_uid == 0 || plan->job_gid == 0)
    diff (out, "PR-NS-1", "the plan runs the job as host %s 0", plan->job_uid == 0 ? "uid" : "gid");
  for (int g = 0; g < 2; g++)
    {
      const char *name = g ? "gid" : "uid";
      g_autofree char *path = g_strdup_printf ("/proc/self/%s_map", name);
      g_autofree char *want = planned_map (plan, g == 1);
      g_autofree char *status = g_strdup_printf ("/proc/self/status %s", g ? "Gid" : "Uid");
      const SbxPlanSeen *map = seen_find (sandbox, "read", path);
      const SbxPlanSeen *ids = seen_find (sandbox, "read", status);
      gint64 in = sbx_plan_id_in (plan, g == 1);

      if (want == NULL)
        diff (out, "PR-NS-1", "the job's host %s is not known", name);
      else if (map == NULL || strcmp (map->errno_name, "0") != 0)
        diff (out, "PR-NS-1", "%s map not observed (%s)", name, map != NULL ? map->errno_name : "no record");
      else if (strcmp (map->ret, want) != 0)
        diff (out, "PR-NS-1", "%s map %s, planned %s (the job is host %s %" G_GINT64_FORMAT "%s)", name, map->ret,
              want, name, g ? plan->job_gid : plan->job_uid, plan->userns_nested ? ", below bwrap's own user namespace" : "");
      if (in < 0)
        continue;
      if (ids == NULL || strcmp (ids->errno_name, "0") != 0)
        diff (out, "PR-NS-1", "the job's %s not observed", name);
      else
        {
          g_auto(GStrv) v = g_strsplit (ids->ret, " ", -1);
          gboolean same = g_strv_length (v) == 4;

          for (guint k = 0; same && v[k] != NULL; k++)
            same = g_ascii_strtoll (v[k], NULL, 10) == in && v[k][0] != '\0';
          if (!same)
            diff (out, "PR-NS-1", "the job's %ss are %s, planned %" G_GINT64_FORMAT, name, ids->ret, in);
        }
    }

  exe1 = seen_find (sandbox, "readlink", "/proc/1/exe");
  exe_self = seen_find (sandbox, "readlink", "/proc/self/exe");
  env1 = seen_find (sandbox, "open", "/proc/1/environ");
  mem1 = seen_find (sandbox, "open", "/proc/1/mem");
  if (!(exe1 != NULL && exe_self != NULL && strcmp (exe1->errno_name, "0") == 0
        && strcmp (exe_self->errno_name, "0") == 0 && strcmp (exe1->ret, exe_self->ret) == 0)
      && !(seen_refused (env1) && seen_refused (mem1)))
    {
      g_autofree char *e = seen_words (exe1, "/proc/1/exe");
      g_autofree char *v = seen_words (env1, "/proc/1/environ");
      g_autofree char *m = seen_words (mem1, "/proc/1/mem");

      diff (out, "PR-NS-1", "pid 1 is not the job and is within its reach (%s; %s; %s)", e, v, m);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (caps); i++)
    {
      g_autofree char *args = g_strconcat ("/proc/self/status ", caps[i], NULL);
      const SbxPlanSeen *r = seen_find (sandbox, "read", args);
      char *end = NULL;

      if (r == NULL || strcmp (r->errno_name, "0") != 0)
        diff (out, "PR-CAP-1", "%s not observed", caps[i]);
      else if (r->ret[0] == '\0' || g_ascii_strtoull (r->ret, &end, 16) != 0 || *end != '\0')
        diff (out, "PR-CAP-1", "%s %s, planned empty", caps[i], r->ret);
    }
  nnp = seen_find (sandbox, "read", "/proc/self/status NoNewPrivs");
  if (nnp == NULL || strcmp (nnp->errno_name, "0") != 0)
    diff (out, "PR-NNP-1", "NoNewPrivs not observed");
  else if (strcmp (nnp->ret, "1") != 0)
    diff (out, "PR-NNP-1", "NoNewPrivs %s, planned 1", nnp->ret);
}

GPtrArray *
sbx_plan_compare_identity (const SbxPlan *plan, GPtrArray *sandbox)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (sbx_plan_diff_free);

  compare_identity (out, plan, sandbox);
  return out;
}

const char *
sbx_plan_check_name (const char *id)
{
  static const char *const charged[] = {
    "PR-ENV-1", "PR-FS-RO-IN", "PR-FS-ESC-1", "PR-FS-OUT-OK", "PR-MOUNT-1", "PR-SECCOMP-1", "PR-TMP-NOEXEC",
    "PR-NS-1", "PR-CAP-1", "PR-NNP-1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (charged); i++)
    if (strcmp (id, charged[i]) == 0)
      return "the observed sandbox matches the plan";
  return NULL;
}

GPtrArray *
sbx_plan_compare (const SbxPlan *plan, const SbxPlanSeccomp *seccomp, int n_filters_planned,
                  GPtrArray *sandbox, GPtrArray *control, guint *n_unattributed)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (sbx_plan_diff_free);

  *n_unattributed = 0;
  if (plan->problem != NULL)
    diff (out, "PR-FS-ESC-1", "the plan cannot be read from the bwrap argv: %s", plan->problem);
  compare_mounts (out, plan, sandbox);
  compare_dev (out, plan, sandbox);
  compare_env (out, plan, sandbox);
  if (seccomp != NULL && seccomp->n_programs > 0)
    compare_sweep (out, seccomp, sandbox, control, n_unattributed);
  compare_filters (out, n_filters_planned, sandbox);
  compare_identity (out, plan, sandbox);
  return out;
}
