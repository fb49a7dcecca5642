/* sbx-tmpfs.c — the last steps before execv(bwrap), in the process that
 * execs it: the private noexec /tmp, the fds bwrap inherits, the limits.
 *
 * bwrap's own --tmpfs is never noexec, but a bind mount keeps its source's
 * flags.  So sbx mounts a noexec,nosuid,nodev tmpfs bounded in size and in
 * inodes in a mount namespace of its own (with a user namespace mapping
 * only itself when it is not root), puts O_PATH fds of its tmp/ and shm/
 * folders on the fd numbers the argv names for /tmp and /dev/shm, and bwrap
 * binds them.  sbx-jobuid.c re-homes mount sources into the same tmpfs.  The mount point is one that hides nothing sbx
 * or bwrap still needs (chosen by sbx-sandbox.c); the mount propagates
 * nowhere (/ is made rslave first) and disappears with the namespace.
 *
 * Everything here may run in a child forked from a threaded program, so it
 * sticks to async-signal-safe calls: no allocation, no stdio, no GLib.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Appends @text to @buf (size @size, NUL-terminated). */
void
sbx_launch_append (char *buf, gsize size, const char *text)
{
  gsize len = strlen (buf);

  while (*text != '\0' && len + 1 < size)
    buf[len++] = *text++;
  buf[len] = '\0';
}

void
sbx_launch_append_u64 (char *buf, gsize size, guint64 value, guint base)
{
  char digits[24];
  int i = sizeof digits - 1;

  digits[i] = '\0';
  do
    {
      digits[--i] = "0123456789abcdef"[value % base];
      value /= base;
    }
  while (value != 0 && i > 0);
  sbx_launch_append (buf, size, digits + i);
}

void
sbx_launch_fail (SbxLaunchFailure *failure, SbxError code, int saved_errno, const char *step,
                 const char *arg)
{
  failure->code = code;
  failure->saved_errno = saved_errno;
  failure->step[0] = '\0';
  sbx_launch_append (failure->step, sizeof failure->step, step);
  if (arg != NULL)
    sbx_launch_append (failure->step, sizeof failure->step, arg);
}

gboolean
sbx_launch_join (char *buf, gsize size, const char *point, const char *name)
{
  buf[0] = '\0';
  sbx_launch_append (buf, size, point);
  sbx_launch_append (buf, size, "/");
  sbx_launch_append (buf, size, name);
  return strlen (buf) == strlen (point) + 1 + strlen (name);
}

gboolean
sbx_launch_write_file (const char *path, const char *text)
{
  gsize len = strlen (text);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, len) == (ssize_t) len;
  if (!ok)
    {
      int saved = errno;
      close (fd);
      errno = saved;
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
map_self (const char *file, guint64 id, SbxLaunchFailure *failure)
{
  char line[64] = "";

  sbx_launch_append_u64 (line, sizeof line, id, 10);
  sbx_launch_append (line, sizeof line, " ");
  sbx_launch_append_u64 (line, sizeof line, id, 10);
  sbx_launch_append (line, sizeof line, " 1");
  if (!sbx_launch_write_file (file, line))
    {
      sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "write ", file);
      return FALSE;
    }
  return TRUE;
}

/* Makes tmp_point/NAME a sticky world-writable folder and puts an O_PATH fd of it on @target
 * (dup2 leaves FD_CLOEXEC clear on the copy: bwrap inherits it). */
static gboolean
tmpfs_folder (const SbxLaunchPlan *plan, const char *name, int target, SbxLaunchFailure *failure)
{
  char path[4096];
  int fd;

  if (!sbx_launch_join (path, sizeof path, plan->tmp_point, name))
    {
      sbx_launch_fail (failure, SBX_ERROR_IO, ENAMETOOLONG, "mkdir ", plan->tmp_point);
      return FALSE;
    }
  /* mkdir's mode passes through the umask; chmod sets the sticky bit.  As
   * root the folder goes to the job's uid, so the job sees it as its own. */
  if (mkdir (path, 0700) != 0 || chmod (path, 01777) != 0
      || (plan->job_id != 0 && chown (path, plan->job_id, plan->job_id) != 0))
    {
      sbx_launch_fail (failure, SBX_ERROR_IO, errno, "mkdir ", path);
      return FALSE;
    }
  fd = open (path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      sbx_launch_fail (failure, SBX_ERROR_IO, errno, "open ", path);
      return FALSE;
    }
  if (fd != target && dup2 (fd, target) < 0)
    {
      sbx_launch_fail (failure, SBX_ERROR_IO, errno, "dup2 onto the fd of ", path);
      close (fd);
      return FALSE;
    }
  if (fd != target)
    close (fd);
  return TRUE;
}

/* One tmpfs, bounded in bytes and in inodes, holds both /tmp (its tmp/)
 * and /dev/shm (its shm/): noexec,nosuid,nodev, like every bind of it. */
static gboolean
prepare_tmpfs (const SbxLaunchPlan *plan, SbxLaunchFailure *failure)
{
  char data[96] = "size=";
  uid_t uid = getuid ();
  gid_t gid = getgid ();

  if (geteuid () == 0)
    {
      if (unshare (CLONE_NEWNS) != 0)
        {
          sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "unshare(CLONE_NEWNS)", NULL);
          return FALSE;
        }
    }
  else
    {
      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
        {
          sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "unshare(CLONE_NEWUSER|CLONE_NEWNS)", NULL);
          return FALSE;
        }
      if (!map_self ("/proc/self/uid_map", uid, failure))
        return FALSE;
      if (!sbx_launch_write_file ("/proc/self/setgroups", "deny"))
        {
          sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "write /proc/self/setgroups", NULL);
          return FALSE;
        }
      if (!map_self ("/proc/self/gid_map", gid, failure))
        return FALSE;
    }
  /* Nothing we mount may reach the host's namespace. */
  if (mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0)
    {
      sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "mount(/, MS_REC|MS_SLAVE)", NULL);
      return FALSE;
    }
  sbx_launch_append_u64 (data, sizeof data, plan->tmp_size, 10);
  sbx_launch_append (data, sizeof data, ",nr_inodes=");
  sbx_launch_append_u64 (data, sizeof data, plan->tmp_inodes, 10);
  sbx_launch_append (data, sizeof data, ",mode=0755");
  if (mount ("tmpfs", plan->tmp_point, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, data) != 0)
    {
      sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "mount(tmpfs, noexec,nosuid,nodev) on ",
            plan->tmp_point);
      return FALSE;
    }
  if (!tmpfs_folder (plan, "tmp", plan->tmp_fd, failure))
    return FALSE;
  return plan->shm_fd < 0 || tmpfs_folder (plan, "shm", plan->shm_fd, failure);
}

static gboolean
apply_limits (const SbxLaunchPlan *plan, SbxLaunchFailure *failure)
{
  for (gsize i = 0; i < plan->n_rlimits; i++)
    {
      struct rlimit rl = { plan->rlimits[i].value, plan->rlimits[i].value };

      if (setrlimit (plan->rlimits[i].resource, &rl) == 0)
        continue;
      /* Below the profile's value is stricter, so a lower hard limit the
       * user may not raise is kept rather than refused. */
      if (errno == EPERM && getrlimit (plan->rlimits[i].resource, &rl) == 0
          && rl.rlim_max < plan->rlimits[i].value)
        {
          rl.rlim_cur = rl.rlim_max;
          if (setrlimit (plan->rlimits[i].resource, &rl) == 0)
            continue;
        }
      {
        char which[24] = "";

        sbx_launch_append_u64 (which, sizeof which, (guint64) plan->rlimits[i].resource, 10);
        sbx_launch_fail (failure, SBX_ERROR_IO, errno, "setrlimit of resource ", which);
      }
      return FALSE;
    }
  return TRUE;
}

/* Whatever sbx inherited (a directory fd would be a way out of any mount
 * namespace) stays behind: only stdio and the plan's fds reach bwrap. */
static void
close_other_fds_on_exec (void)
{
  struct rlimit rl;
  int max;

  if (syscall (SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return;
  max = getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int) rl.rlim_cur : 65536;
  for (int fd = 3; fd < max; fd++)
    fcntl (fd, F_SETFD, FD_CLOEXEC);
}

void
sbx_launch_exec (const SbxLaunchPlan *plan, SbxLaunchFailure *failure)
{
  close_other_fds_on_exec ();
  /* As root the sources are cloned while still in the host's namespace:
   * open_tree() takes no mount of another namespace. */
  if (plan->job_id != 0 && !sbx_launch_clone_binds (plan, failure))
    return;
  if (plan->tmp_point != NULL && !prepare_tmpfs (plan, failure))
    return;
  if (plan->tmp_point != NULL && !sbx_launch_attach_binds (plan, failure))
    return;
  /* FD_CLOEXEC is the only fd flag: clearing it is one F_SETFD */
  for (gsize i = 0; i < plan->n_inherit_fds; i++)
    {
      if (fcntl (plan->inherit_fds[i], F_SETFD, 0) < 0)
        {
          sbx_launch_fail (failure, SBX_ERROR_IO, errno, "clearing FD_CLOEXEC", NULL);
          return;
        }
    }
  if (!apply_limits (plan, failure))
    return;
  /* Last, after everything that needs root: RLIMIT_NPROC now counts. */
  if (!sbx_launch_become_job (plan, failure))
    return;
  execve (plan->bwrap, plan->argv, plan->envp);
  sbx_launch_fail (failure, SBX_ERROR_BWRAP, errno, "execve ", plan->bwrap);
}

/* ------------------------------------------------------------ messages */

/* "PATH (now VALUE; must be WANT)", or "NAME (must be WANT)" when the file
 * does not exist on this kernel. */
static void
append_sysctl (GString *msg, const char *path, const char *name, const char *want)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents (path, &text, NULL, NULL))
    g_string_append_printf (msg, "%s (now %s; must be %s)", path, g_strstrip (text), want);
  else
    g_string_append_printf (msg, "%s (must be %s)", name, want);
}

void
sbx_launch_failure_to_error (const SbxLaunchFailure *failure, const SbxBwrapInfo *bwrap,
                             GError **error)
{
  g_autoptr(GString) msg = g_string_new (NULL);

  switch (failure->code)
    {
    case SBX_ERROR_USERNS:
      g_string_append_printf (msg, "cannot prepare the private noexec /tmp: %s: %s; the kernel "
                              "refused a %s namespace.  Check ", failure->step,
                              g_strerror (failure->saved_errno),
                              geteuid () == 0 ? "mount" : "user or mount");
      append_sysctl (msg, "/proc/sys/kernel/unprivileged_userns_clone",
                     "/proc/sys/kernel/unprivileged_userns_clone", "1 where it exists");
      g_string_append (msg, ", ");
      append_sysctl (msg, "/proc/sys/user/max_user_namespaces", "/proc/sys/user/max_user_namespaces",
                     "more than 0");
      g_string_append (msg, " and, on Ubuntu 23.10 and later, ");
      append_sysctl (msg, "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
                     "AppArmor's kernel.apparmor_restrict_unprivileged_userns",
                     "0, or an AppArmor profile must allow sbx and bwrap");
      if (bwrap != NULL && bwrap->setuid)
        g_string_append_printf (msg, ".  Note: bwrap “%s” is installed setuid root, which "
                                "usually means this host does not allow unprivileged user "
                                "namespaces; sbx needs them when it is not run as root",
                                bwrap->path);
      break;
    case SBX_ERROR_BWRAP:
      g_string_append_printf (msg, "cannot start bwrap: %s: %s", failure->step,
                              g_strerror (failure->saved_errno));
      break;
    default:
      g_string_append_printf (msg, "cannot set up the sandbox: %s: %s", failure->step,
                              g_strerror (failure->saved_errno));
      break;
    }
  g_set_error_literal (error, SBX_ERROR, failure->code, msg->str);
}
