/* sbx-bwrap.c — the sandbox as one list of typed setup steps (SbxStep:
 * options, variables, binds with their kind, symlinks, /proc, /dev, tmpfs,
 * remounts, the seccomp fd, data files), planned from the profile model and what sbx
 * opened at run time (SbxRuntime), and rendered as bwrap's option vector.
 * The dry run's fd description is rendered from the same steps
 * (sbx-sandbox.c).  Pure: no syscalls, no host state other than
 * runtime->host_env, so the same inputs give the same vector
 * (test-bwrap-argv.c keeps a golden copy).
 *
 * Every value is one element of the vector, never joined or split, so
 * paths with blanks, newlines or leading dashes reach bwrap intact; the
 * command follows "--" so it may start with a dash too.
 *
 * Order (bwrap applies mounts in order, later over earlier):
 *   namespaces and process options (--as-pid-1: pid 1 is sbx-init, a
 *   non-dumpable reaper, not bwrap's own), [--share-net],
 *   --hostname, --clearenv, --setenv: keep (from host_env), set;
 *   system mounts, merged-/usr symlinks, the generated /etc/passwd and
 *   /etc/group, --proc and Docker's masks over it,
 *   --dev with /dev/shm and then /dev read-only, /in, /out, /tmp, helpers
 *   under /run/sbx; --chdir; --seccomp; --remount-ro /;
 *   -- [sbx-init] [/run/sbx/sbx-exec GATE-FD] CMD.
 */
#include "config.h"

#include "sbx-private.h"

#include <string.h>

static void
add (GPtrArray *args, const char *arg)
{
  g_ptr_array_add (args, g_strdup (arg));
}

static void
add_fd (GPtrArray *args, int fd)
{
  g_ptr_array_add (args, g_strdup_printf ("%d", fd));
}

/* ------------------------------------------------------------ the steps */

static void
step_clear (gpointer p)
{
  SbxStep *step = p;

  g_free (step->name);
  g_free (step->value);
  g_free (step->source);
  g_free (step->dest);
}

static SbxStep *
push (GArray *steps, SbxStepKind kind)
{
  SbxStep step = { .kind = kind, .fd = -1 };

  g_array_append_val (steps, step);
  return &g_array_index (steps, SbxStep, steps->len - 1);
}

static void
push_option (GArray *steps, const char *name, const char *value)
{
  SbxStep *step = push (steps, SBX_STEP_OPTION);

  step->name = g_strdup (name);
  step->value = g_strdup (value);
}

static void
push_setenv (GArray *steps, const char *name, const char *value, gboolean kept)
{
  SbxStep *step = push (steps, SBX_STEP_SETENV);

  step->name = g_strdup (name);
  step->value = g_strdup (value);
  step->kept = kept;
}

static void
push_dest (GArray *steps, SbxStepKind kind, const char *value, const char *dest)
{
  SbxStep *step = push (steps, kind);

  step->value = g_strdup (value);
  step->dest = g_strdup (dest);
}

/* A file with what @fd holds, read-only at @dest. */
static void
push_data (GArray *steps, int fd, const char *dest)
{
  SbxStep *step = push (steps, SBX_STEP_DATA);

  step->fd = fd;
  step->dest = g_strdup (dest);
}

/* By fd where bwrap takes one, else by path. */
static void
push_bind (GArray *steps, const SbxRuntime *runtime, SbxBindKind bind, int fd,
           const char *host_path, const char *dest, gboolean writable)
{
  SbxStep *step = push (steps, SBX_STEP_BIND);

  step->bind = bind;
  if (runtime->bind_fd_supported && fd >= 0)
    step->fd = fd;
  else
    step->source = g_strdup (host_path);
  step->dest = g_strdup (dest);
  step->writable = writable;
}

/* The value of @name in @env ("NAME=value" strings), or NULL; the first
 * entry wins, like getenv(). */
static const char *
env_lookup (const char *const *env, const char *name)
{
  gsize len = strlen (name);

  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    if (strncmp (env[i], name, len) == 0 && env[i][len] == '=')
      return env[i] + len + 1;
  return NULL;
}

typedef enum {
  MOUNT_SYSTEM,
  MOUNT_IN,
  MOUNT_OUT,
  MOUNT_HELPER,
} MountSlot;

static MountSlot
mount_slot (const SbxMount *m)
{
  if (strcmp (m->dest, SBX_SANDBOX_IN) == 0)
    return MOUNT_IN;
  if (strcmp (m->dest, SBX_SANDBOX_OUT) == 0)
    return MOUNT_OUT;
  if (g_str_has_prefix (m->dest, SBX_SANDBOX_HELPER_DIR "/"))
    return MOUNT_HELPER;
  return MOUNT_SYSTEM;
}

/* Writability comes from the model where the model decides it: /in only
 * with input-mode=rw, /out always; other mounts say so themselves. */
static gboolean
mount_writable (SbxProfile *profile, const SbxMount *m)
{
  switch (mount_slot (m))
    {
    case MOUNT_IN:
      return profile->input_writable;
    case MOUNT_OUT:
      return TRUE;
    case MOUNT_SYSTEM:
    case MOUNT_HELPER:
    default:
      return m->writable;
    }
}

static void
push_mounts (GArray *steps, SbxProfile *profile, const SbxRuntime *runtime, MountSlot slot)
{
  for (guint i = 0; runtime->mounts != NULL && i < runtime->mounts->len; i++)
    {
      const SbxMount *m = runtime->mounts->pdata[i];

      if (mount_slot (m) == slot)
        {
          push_bind (steps, runtime, SBX_BIND_MOUNT, m->fd,
                     m->bind_path != NULL ? m->bind_path : m->host_path, m->dest,
                     mount_writable (profile, m));
          g_array_index (steps, SbxStep, steps->len - 1).mount = m;
        }
    }
}

static void
push_process (GArray *steps, SbxProfile *profile, const SbxRuntime *runtime)
{
  /* --disable-userns needs --unshare-user, also as root;
   * --assert-userns-disabled makes bwrap check it took. */
  push_option (steps, "--unshare-all", NULL);
  push_option (steps, "--unshare-user", NULL);
  push_option (steps, "--disable-userns", NULL);
  push_option (steps, "--assert-userns-disabled", NULL);
  push_option (steps, "--die-with-parent", NULL);
  push_option (steps, "--new-session", NULL);
  if (runtime->init != NULL)
    push_option (steps, "--as-pid-1", NULL);
  push_option (steps, "--cap-drop", "ALL");
  if (profile->network_mode == SBX_NETWORK_HOST)
    push_option (steps, "--share-net", NULL);
  push_option (steps, "--hostname", "sbx");
}

/* Nothing of the host but the kept names. */
static void
push_environment (GArray *steps, SbxProfile *profile, const SbxRuntime *runtime)
{
  push_option (steps, "--clearenv", NULL);
  for (guint i = 0; i < profile->env_keep->len; i++)
    {
      const char *name = profile->env_keep->pdata[i];
      const char *value = env_lookup (runtime->host_env, name);

      if (value != NULL)
        push_setenv (steps, name, value, TRUE);
    }
  for (guint i = 0; i < profile->env_set->len; i++)
    {
      const char *entry = profile->env_set->pdata[i];
      const char *eq = strchr (entry, '=');
      g_autofree char *name = g_strndup (entry, eq - entry);

      push_setenv (steps, name, eq + 1, FALSE);
    }
}

/* /proc and Docker's default masks over it.  bwrap binds a source from
 * the old root, i.e. the host's /proc; the kernel answers /proc/sys by the
 * reader's own namespaces, so the sandbox sees its own values, read-only.
 * By path: they are no fd of ours. */
static void
push_proc (GArray *steps, const SbxRuntime *runtime)
{
  push_dest (steps, SBX_STEP_PROC, NULL, "/proc");
  for (gsize i = 0; runtime->proc_ro != NULL && runtime->proc_ro[i] != NULL; i++)
    push_bind (steps, runtime, SBX_BIND_PROC_RO, -1, runtime->proc_ro[i], runtime->proc_ro[i], FALSE);
  for (gsize i = 0; runtime->proc_masked != NULL && runtime->proc_masked[i] != NULL; i++)
    push_bind (steps, runtime, SBX_BIND_PROC_MASK, -1, "/dev/null", runtime->proc_masked[i], FALSE);
}

static void
push_tmp (GArray *steps, SbxProfile *profile, const SbxRuntime *runtime)
{
  g_autofree char *tmp_size = NULL;

  if ((runtime->bind_fd_supported && runtime->tmp_fd >= 0) || runtime->tmp_path != NULL)
    {
      push_bind (steps, runtime, SBX_BIND_TMPFS, runtime->tmp_fd, runtime->tmp_path, SBX_SANDBOX_TMP, TRUE);
      return;
    }
  /* No prepared tmpfs (a dry run without one): bwrap's own tmpfs, which
   * is nosuid,nodev but NOT noexec. */
  tmp_size = g_strdup_printf ("%" G_GUINT64_FORMAT, profile->tmp_size);
  push_dest (steps, SBX_STEP_TMPFS, tmp_size, SBX_SANDBOX_TMP);
}

GArray *
sbx_steps_build (SbxProfile *profile, const SbxRuntime *runtime)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (SbxStep));

  g_return_val_if_fail (profile != NULL && runtime != NULL, NULL);
  g_array_set_clear_func (steps, step_clear);
  push_process (steps, profile, runtime);
  push_environment (steps, profile, runtime);

  /* Filesystem, on bwrap's tmpfs root. */
  push_mounts (steps, profile, runtime, MOUNT_SYSTEM);
  for (guint i = 0; runtime->symlinks != NULL && i < runtime->symlinks->len; i++)
    {
      const SbxSymlink *link = runtime->symlinks->pdata[i];

      push_dest (steps, SBX_STEP_SYMLINK, link->target, link->dest);
    }
  /* The sandbox's own user database (sbx-etc.c), over any system path. */
  if (runtime->passwd_fd >= 0)
    push_data (steps, runtime->passwd_fd, SBX_SANDBOX_PASSWD);
  if (runtime->group_fd >= 0)
    push_data (steps, runtime->group_fd, SBX_SANDBOX_GROUP);
  push_proc (steps, runtime);
  push_dest (steps, SBX_STEP_DEV, NULL, "/dev");
  if (runtime->shm_path != NULL)
    push_bind (steps, runtime, SBX_BIND_TMPFS, runtime->shm_fd, runtime->shm_path, SBX_SANDBOX_SHM, TRUE);
  /* Not recursive: /dev/shm and /dev/pts keep their own flags. */
  push_dest (steps, SBX_STEP_REMOUNT_RO, NULL, "/dev");
  push_mounts (steps, profile, runtime, MOUNT_IN);
  push_mounts (steps, profile, runtime, MOUNT_OUT);
  push_tmp (steps, profile, runtime);
  push_mounts (steps, profile, runtime, MOUNT_HELPER);

  push_option (steps, "--chdir", profile->workdir);
  if (runtime->launch_fd >= 0)
    push (steps, SBX_STEP_SECCOMP)->fd = runtime->launch_fd;
  /* Last filesystem step: the root tmpfs becomes read-only. */
  push_dest (steps, SBX_STEP_REMOUNT_RO, NULL, "/");
  return steps;
}

/* ------------------------------------------------------- rendered as argv */

static void
bind_to_args (GPtrArray *args, const SbxStep *step)
{
  if (step->fd >= 0)
    {
      add (args, step->writable ? "--bind-fd" : "--ro-bind-fd");
      add_fd (args, step->fd);
    }
  else
    {
      add (args, step->writable ? "--bind" : "--ro-bind");
      add (args, step->source);
    }
  add (args, step->dest);
}

static void
step_to_args (GPtrArray *args, const SbxStep *step, gboolean redact_kept)
{
  switch (step->kind)
    {
    case SBX_STEP_OPTION:
      add (args, step->name);
      if (step->value != NULL)
        add (args, step->value);
      break;
    case SBX_STEP_SETENV:
      /* Shown (dry run, evidence): the name only.  The value reaches bwrap
       * only through the --args memfd (sbx-sandbox.c). */
      add (args, "--setenv");
      add (args, step->name);
      add (args, step->kept && redact_kept ? SBX_KEPT_REDACTED : step->value);
      break;
    case SBX_STEP_BIND:
      bind_to_args (args, step);
      break;
    case SBX_STEP_DATA:
      add (args, "--ro-bind-data");
      add_fd (args, step->fd);
      add (args, step->dest);
      break;
    case SBX_STEP_SYMLINK:
      add (args, "--symlink");
      add (args, step->value);
      add (args, step->dest);
      break;
    case SBX_STEP_PROC:
      add (args, "--proc");
      add (args, step->dest);
      break;
    case SBX_STEP_DEV:
      add (args, "--dev");
      add (args, step->dest);
      break;
    case SBX_STEP_TMPFS:
      add (args, "--size");
      add (args, step->value);
      add (args, "--tmpfs");
      add (args, step->dest);
      break;
    case SBX_STEP_REMOUNT_RO:
      add (args, "--remount-ro");
      add (args, step->dest);
      break;
    case SBX_STEP_SECCOMP:
      add (args, "--seccomp");
      add_fd (args, step->fd);
      break;
    default:
      g_assert_not_reached ();
    }
}

GPtrArray *
sbx_steps_to_args (GArray *steps, gboolean redact_kept)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < steps->len; i++)
    step_to_args (args, &g_array_index (steps, SbxStep, i), redact_kept);
  g_ptr_array_add (args, NULL);
  return args;
}

GPtrArray *
sbx_bwrap_build_options (SbxProfile *profile, const SbxRuntime *runtime)
{
  g_autoptr(GArray) steps = NULL;

  g_return_val_if_fail (profile != NULL && runtime != NULL, NULL);
  steps = sbx_steps_build (profile, runtime);
  return sbx_steps_to_args (steps, runtime->redact_kept);
}

GPtrArray *
sbx_bwrap_build_command (const SbxRuntime *runtime)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (runtime != NULL, NULL);
  /* pid 1: sbx-init, a non-dumpable reaper that forks and execs the rest */
  if (runtime->init != NULL)
    add (args, runtime->init);
  /* The exec gate: bwrap runs sbx's helper, which locks, then execs the job. */
  if (runtime->gate_fd >= 0)
    {
      add (args, SBX_SANDBOX_HELPER_DIR "/" SBX_EXEC_HELPER_NAME);
      add_fd (args, runtime->gate_fd);
    }
  for (gsize i = 0; runtime->command != NULL && runtime->command[i] != NULL; i++)
    add (args, runtime->command[i]);

  /* NULL-terminated: args->pdata is a char** argv; the NULL is counted in
   * args->len. */
  g_ptr_array_add (args, NULL);
  return args;
}

GPtrArray *
sbx_bwrap_build_args (SbxProfile *profile, const SbxRuntime *runtime)
{
  GPtrArray *args;
  g_autoptr(GPtrArray) command = NULL;

  g_return_val_if_fail (profile != NULL && runtime != NULL, NULL);
  args = sbx_bwrap_build_options (profile, runtime);
  command = sbx_bwrap_build_command (runtime);
  g_ptr_array_set_size (args, args->len - 1); /* the NULL */
  add (args, "--");
  for (guint i = 0; i < command->len && command->pdata[i] != NULL; i++)
    add (args, command->pdata[i]);
  g_ptr_array_add (args, NULL);
  return args;
}
