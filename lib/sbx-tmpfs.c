/* sbx-tmpfs.c — the last steps before execv(bwrap), in the process that
 * execs it: the private noexec /tmp, the fds bwrap inherits, the limits.
 *
 * bwrap's own --tmpfs is never noexec, but a bind mount keeps its source's
 * flags.  So sbx mounts a size-limited noexec,nosuid,nodev tmpfs in a mount
 * namespace of its own (with a user namespace mapping only itself when it
 * is not root), puts an O_PATH fd of it on the fd number the argv names for
 * /tmp, and bwrap binds it.  The mount point is one that hides nothing sbx
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
static void
append (char *buf, gsize size, const char *text)
{
  gsize len = strlen (buf);

  while (*text != '\0' && len + 1 < size)
    buf[len++] = *text++;
  buf[len] = '\0';
}

static void
append_u64 (char *buf, gsize size, guint64 value)
{
  char digits[24];
  int i = sizeof digits - 1;

  digits[i] = '\0';
  do
    {
      digits[--i] = '0' + value % 10;
      value /= 10;
    }
  while (value != 0 && i > 0);
  append (buf, size, digits + i);
}

static void
fail (SbxLaunchFailure *failure, SbxError code, int saved_errno, const char *step,
      const char *arg)
{
  failure->code = code;
  failure->saved_errno = saved_errno;
  failure->step[0] = '\0';
  append (failure->step, sizeof failure->step, step);
  if (arg != NULL)
    append (failure->step, sizeof failure->step, arg);
}

static gboolean
write_proc_file (const char *path, const char *text)
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

  append_u64 (line, sizeof line, id);
  append (line, sizeof line, " ");
  append_u64 (line, sizeof line, id);
  append (line, sizeof line, " 1");
  if (!write_proc_file (file, line))
    {
      fail (failure, SBX_ERROR_USERNS, errno, "write ", file);
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare_tmpfs (const SbxLaunchPlan *plan, SbxLaunchFailure *failure)
{
  char data[96] = "size=";
  uid_t uid = getuid ();
  gid_t gid = getgid ();
  int fd;

  if (geteuid () == 0)
    {
      if (unshare (CLONE_NEWNS) != 0)
        {
          fail (failure, SBX_ERROR_USERNS, errno, "unshare(CLONE_NEWNS)", NULL);
          return FALSE;
        }
    }
  else
    {
      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
        {
          fail (failure, SBX_ERROR_USERNS, errno, "unshare(CLONE_NEWUSER|CLONE_NEWNS)", NULL);
          return FALSE;
        }
      if (!map_self ("/proc/self/uid_map", uid, failure))
        return FALSE;
      if (!write_proc_file ("/proc/self/setgroups", "deny"))
        {
          fail (failure, SBX_ERROR_USERNS, errno, "write /proc/self/setgroups", NULL);
          return FALSE;
        }
      if (!map_self ("/proc/self/gid_map", gid, failure))
        return FALSE;
    }
  /* Nothing we mount may reach the host's namespace. */
  if (mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0)
    {
      fail (failure, SBX_ERROR_USERNS, errno, "mount(/, MS_REC|MS_SLAVE)", NULL);
      return FALSE;
    }
  append_u64 (data, sizeof data, plan->tmp_size);
  append (data, sizeof data, ",mode=1777");
  if (mount ("tmpfs", plan->tmp_point, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, data) != 0)
    {
      fail (failure, SBX_ERROR_USERNS, errno, "mount(tmpfs, noexec,nosuid,nodev) on ",
            plan->tmp_point);
      return FALSE;
    }
  fd = open (plan->tmp_point, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      fail (failure, SBX_ERROR_IO, errno, "open ", plan->tmp_point);
      return FALSE;
    }
  /* dup2 leaves FD_CLOEXEC clear on the copy: bwrap inherits it. */
  if (fd != plan->tmp_fd && dup2 (fd, plan->tmp_fd) < 0)
    {
      fail (failure, SBX_ERROR_IO, errno, "dup2 of the /tmp fd", NULL);
      close (fd);
      return FALSE;
    }
  if (fd != plan->tmp_fd)
    close (fd);
  return TRUE;
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

        append_u64 (which, sizeof which, (guint64) plan->rlimits[i].resource);
        fail (failure, SBX_ERROR_IO, errno, "setrlimit of resource ", which);
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
  if (plan->tmp_point != NULL && !prepare_tmpfs (plan, failure))
    return;
  for (gsize i = 0; i < plan->n_inherit_fds; i++)
    {
      int flags = fcntl (plan->inherit_fds[i], F_GETFD);

      if (flags < 0 || fcntl (plan->inherit_fds[i], F_SETFD, flags & ~FD_CLOEXEC) < 0)
        {
          fail (failure, SBX_ERROR_IO, errno, "clearing FD_CLOEXEC", NULL);
          return;
        }
    }
  if (!apply_limits (plan, failure))
    return;
  execve (plan->bwrap, plan->argv, plan->envp);
  fail (failure, SBX_ERROR_BWRAP, errno, "execve ", plan->bwrap);
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
