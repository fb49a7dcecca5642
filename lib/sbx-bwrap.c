/* sbx-bwrap.c — the bwrap option vector, from the profile model and what
 * sbx opened at run time (SbxRuntime).  Pure: no syscalls, no host state
 * other than runtime->host_env, so the same inputs give the same vector
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

static void
add_setenv (GPtrArray *args, const char *name, const char *value)
{
  add (args, "--setenv");
  add (args, name);
  add (args, value);
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

static void
add_bind (GPtrArray *args, const SbxRuntime *runtime, int fd, const char *host_path,
          const char *dest, gboolean writable)
{
  if (runtime->bind_fd_supported && fd >= 0)
    {
      add (args, writable ? "--bind-fd" : "--ro-bind-fd");
      add_fd (args, fd);
    }
  else
    {
      add (args, writable ? "--bind" : "--ro-bind");
      add (args, host_path);
    }
  add (args, dest);
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
add_mounts (GPtrArray *args, SbxProfile *profile, const SbxRuntime *runtime, MountSlot slot)
{
  for (guint i = 0; runtime->mounts != NULL && i < runtime->mounts->len; i++)
    {
      const SbxMount *m = runtime->mounts->pdata[i];

      if (mount_slot (m) == slot)
        add_bind (args, runtime, m->fd, m->bind_path != NULL ? m->bind_path : m->host_path,
                  m->dest, mount_writable (profile, m));
    }
}

GPtrArray *
sbx_bwrap_build_options (SbxProfile *profile, const SbxRuntime *runtime)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tmp_size = NULL;

  g_return_val_if_fail (profile != NULL && runtime != NULL, NULL);

  /* Namespaces and process. --disable-userns needs --unshare-user, also
   * as root; --assert-userns-disabled makes bwrap check it took. */
  add (args, "--unshare-all");
  add (args, "--unshare-user");
  add (args, "--disable-userns");
  add (args, "--assert-userns-disabled");
  add (args, "--die-with-parent");
  add (args, "--new-session");
  if (runtime->init != NULL)
    add (args, "--as-pid-1");
  add (args, "--cap-drop");
  add (args, "ALL");
  if (profile->network_mode == SBX_NETWORK_HOST)
    add (args, "--share-net");
  add (args, "--hostname");
  add (args, "sbx");

  /* Environment: nothing of the host but the kept names. */
  add (args, "--clearenv");
  for (guint i = 0; i < profile->env_keep->len; i++)
    {
      const char *name = profile->env_keep->pdata[i];
      const char *value = env_lookup (runtime->host_env, name);

      /* Shown (dry run, evidence): the name only.  The value reaches
       * bwrap only through the --args memfd (sbx-sandbox.c). */
      if (value != NULL)
        add_setenv (args, name, runtime->redact_kept ? SBX_KEPT_REDACTED : value);
    }
  for (guint i = 0; i < profile->env_set->len; i++)
    {
      const char *entry = profile->env_set->pdata[i];
      const char *eq = strchr (entry, '=');
      g_autofree char *name = g_strndup (entry, eq - entry);

      add_setenv (args, name, eq + 1);
    }

  /* Filesystem, on bwrap's tmpfs root. */
  add_mounts (args, profile, runtime, MOUNT_SYSTEM);
  for (guint i = 0; runtime->symlinks != NULL && i < runtime->symlinks->len; i++)
    {
      const SbxSymlink *link = runtime->symlinks->pdata[i];

      add (args, "--symlink");
      add (args, link->target);
      add (args, link->dest);
    }
  /* The sandbox's own user database (sbx-etc.c), over any system path. */
  if (runtime->passwd_fd >= 0)
    {
      add (args, "--ro-bind-data");
      add_fd (args, runtime->passwd_fd);
      add (args, SBX_SANDBOX_PASSWD);
    }
  if (runtime->group_fd >= 0)
    {
      add (args, "--ro-bind-data");
      add_fd (args, runtime->group_fd);
      add (args, SBX_SANDBOX_GROUP);
    }
  add (args, "--proc");
  add (args, "/proc");
  /* Docker's default masks.  bwrap binds a source from the old root, i.e.
   * the host's /proc; the kernel answers /proc/sys by the reader's own
   * namespaces, so the sandbox sees its own values, read-only. */
  for (gsize i = 0; runtime->proc_ro != NULL && runtime->proc_ro[i] != NULL; i++)
    {
      add (args, "--ro-bind");
      add (args, runtime->proc_ro[i]);
      add (args, runtime->proc_ro[i]);
    }
  for (gsize i = 0; runtime->proc_masked != NULL && runtime->proc_masked[i] != NULL; i++)
    {
      add (args, "--ro-bind");
      add (args, "/dev/null");
      add (args, runtime->proc_masked[i]);
    }
  add (args, "--dev");
  add (args, "/dev");
  if (runtime->shm_path != NULL)
    add_bind (args, runtime, runtime->shm_fd, runtime->shm_path, SBX_SANDBOX_SHM, TRUE);
  /* Not recursive: /dev/shm and /dev/pts keep their own flags. */
  add (args, "--remount-ro");
  add (args, "/dev");
  add_mounts (args, profile, runtime, MOUNT_IN);
  add_mounts (args, profile, runtime, MOUNT_OUT);
  if ((runtime->bind_fd_supported && runtime->tmp_fd >= 0) || runtime->tmp_path != NULL)
    add_bind (args, runtime, runtime->tmp_fd, runtime->tmp_path, SBX_SANDBOX_TMP, TRUE);
  else
    {
      /* No prepared tmpfs (a dry run without one): bwrap's own tmpfs, which
       * is nosuid,nodev but NOT noexec. */
      tmp_size = g_strdup_printf ("%" G_GUINT64_FORMAT, profile->tmp_size);
      add (args, "--size");
      add (args, tmp_size);
      add (args, "--tmpfs");
      add (args, SBX_SANDBOX_TMP);
    }
  add_mounts (args, profile, runtime, MOUNT_HELPER);

  add (args, "--chdir");
  add (args, profile->workdir);
  if (runtime->launch_fd >= 0)
    {
      add (args, "--seccomp");
      add_fd (args, runtime->launch_fd);
    }
  /* Last filesystem step: the root tmpfs becomes read-only. */
  add (args, "--remount-ro");
  add (args, "/");
  g_ptr_array_add (args, NULL);
  return args;
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
