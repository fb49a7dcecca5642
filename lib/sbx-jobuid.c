/* sbx-jobuid.c — never host uid 0 for the job, and the mounts that makes
 * necessary; run in the process that execs bwrap, right before it.
 *
 * Run by root, bwrap would map the job's uid 0 onto host uid 0: the kernel
 * then lets it write root-owned files such as /proc/sys/kernel/core_pattern
 * (a host escape) and exempts it from RLIMIT_NPROC.  So, as root, the
 * exec'ing process does what needs root first and then becomes the
 * sandbox's own job id (plan->job_id, sbx-sandbox-private.h: uid and gid,
 * no groups, no_new_privs) before it execs bwrap, which then works as it
 * does for any unprivileged caller:
 *
 *   1. in the host's mount namespace, each bind source in the plan (/in,
 *      /out, and whatever bwrap could not find again by path) is cloned
 *      (open_tree OPEN_TREE_CLONE: a detached mount, visible nowhere) and
 *      flagged (mount_setattr): nosuid,nodev everywhere, read-only for
 *      /in, system paths and helpers, noexec for /out; /in and /out are
 *      also idmapped through a user namespace mapping their owner (uid and
 *      group) onto the job's id, so the job may write /out and files it
 *      writes appear on the host owned by that owner (the caller, usually);
 *   2. after the tmpfs is mounted in sbx's private mount namespace, each
 *      clone is attached (move_mount) at tmp_point/mN, and an O_PATH fd of
 *      it replaces the fd the argv names: bwrap finds a bind fd's object
 *      again by its path, which the job's uid can walk there;
 *   3. setgroups/setresgid/setresuid to the job's id, then /out is checked
 *      writable with exactly the job's credentials (faccessat AT_EACCESS):
 *      a refusal names the uid and the folder's owner and mode.
 *
 * Where a file system has no idmapped mounts, /in and /out are bound as
 * they are: the job then needs the access itself, and step 3 says so.
 *
 * For any other caller only /out is bound again, to add noexec (bwrap's
 * own bind adds nosuid,nodev): reopened by path in sbx's namespace and
 * checked to be the same object as the fd sbx opened.
 *
 * Async-signal-safe throughout: no allocation, no stdio, no GLib.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void
fail_bind (SbxLaunchFailure *failure, int saved_errno, const char *call, const SbxLaunchBind *b)
{
  sbx_launch_fail (failure, SBX_ERROR_IO, saved_errno, call, b->host_path);
}

/* "/proc/PID/FILE" */
static void
proc_path (char *buf, gsize size, pid_t pid, const char *file)
{
  buf[0] = '\0';
  sbx_launch_append (buf, size, "/proc/");
  sbx_launch_append_u64 (buf, size, (guint64) pid, 10);
  sbx_launch_append (buf, size, "/");
  sbx_launch_append (buf, size, file);
}

static gboolean
write_map (pid_t pid, const char *file, guint32 inside, guint32 outside)
{
  char path[64], line[64] = "";

  proc_path (path, sizeof path, pid, file);
  sbx_launch_append_u64 (line, sizeof line, inside, 10);
  sbx_launch_append (line, sizeof line, " ");
  sbx_launch_append_u64 (line, sizeof line, outside, 10);
  sbx_launch_append (line, sizeof line, " 1");
  return sbx_launch_write_file (path, line);
}

/* An fd of a user namespace mapping uid @uid and gid @gid (inside) onto
 * @job (outside): on an idmapped mount, files of @uid:@gid then belong to
 * @job, and what @job creates is stored as @uid:@gid.  A child is cloned
 * into a new user namespace only to hold it while we (root in the parent
 * namespace) write its maps and open it; it then exits.  -1 on failure. */
static int
idmap_userns (guint32 uid, guint32 gid, guint32 job, SbxLaunchFailure *failure)
{
  char path[64];
  int pipefd[2];
  int fd = -1;
  pid_t pid;

  if (pipe2 (pipefd, O_CLOEXEC) != 0)
    {
      sbx_launch_fail (failure, SBX_ERROR_IO, errno, "pipe for the idmap namespace", NULL);
      return -1;
    }
  pid = (pid_t) syscall (SYS_clone, (unsigned long) (CLONE_NEWUSER | SIGCHLD), NULL, NULL, NULL,
                         NULL);
  if (pid == 0)
    {
      char c;

      close (pipefd[1]);
      while (read (pipefd[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (pipefd[0]);
  if (pid < 0)
    sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "clone(CLONE_NEWUSER) for an idmapped mount",
                     NULL);
  else if (!write_map (pid, "uid_map", uid, job) || !write_map (pid, "gid_map", gid, job))
    sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "writing the maps of the idmap namespace",
                     NULL);
  else
    {
      proc_path (path, sizeof path, pid, "ns/user");
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "open ", path);
    }
  close (pipefd[1]);
  while (pid > 0 && waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
  return fd;
}

/* open_tree + mount_setattr of one source, in the host's namespace. */
static gboolean
clone_one (const SbxLaunchPlan *plan, SbxLaunchBind *b, SbxLaunchFailure *failure)
{
  struct mount_attr attr = { 0 };
  struct stat st;

  if (fstat (b->fd, &st) != 0)
    {
      fail_bind (failure, errno, "fstat ", b);
      return FALSE;
    }
  b->host_uid = st.st_uid;
  b->host_gid = st.st_gid;
  b->host_mode = st.st_mode & 07777;
  b->tree = open_tree (b->fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (b->tree < 0)
    {
      fail_bind (failure, errno, "open_tree(OPEN_TREE_CLONE) of ", b);
      return FALSE;
    }
  attr.attr_set = b->attr;
  if (b->idmap)
    {
      attr.attr_set |= MOUNT_ATTR_IDMAP;
      attr.userns_fd = idmap_userns (b->host_uid, b->host_gid, plan->job_id, failure);
      if (attr.userns_fd == (guint64) -1)
        return FALSE;
      b->idmapped = mount_setattr (b->tree, "", AT_EMPTY_PATH, &attr, sizeof attr) == 0;
      close ((int) attr.userns_fd);
      if (b->idmapped)
        return TRUE;
      /* EINVAL: this file system has no idmapped mounts.  Bound as it is;
       * sbx_launch_become_job() checks the job's own access to /out. */
      if (errno != EINVAL && errno != EPERM && errno != ENOSYS)
        {
          fail_bind (failure, errno, "mount_setattr(MOUNT_ATTR_IDMAP) of ", b);
          return FALSE;
        }
      attr.attr_set &= ~(guint64) MOUNT_ATTR_IDMAP;
      attr.userns_fd = 0;
    }
  if (mount_setattr (b->tree, "", AT_EMPTY_PATH, &attr, sizeof attr) != 0)
    {
      fail_bind (failure, errno, "mount_setattr(nosuid,nodev…) of ", b);
      return FALSE;
    }
  return TRUE;
}

gboolean
sbx_launch_clone_binds (const SbxLaunchPlan *plan, SbxLaunchFailure *failure)
{
  for (gsize i = 0; i < plan->n_binds; i++)
    {
      plan->binds[i].tree = -1;
      if (!clone_one (plan, &plan->binds[i], failure))
        return FALSE;
    }
  return TRUE;
}

/* Makes tmp_point/NAME (a folder or an empty file) for @b into @path. */
static gboolean
make_point (const SbxLaunchPlan *plan, const SbxLaunchBind *b, char *path, gsize size,
            SbxLaunchFailure *failure)
{
  int fd;

  if (!sbx_launch_join (path, size, plan->tmp_point, b->name))
    {
      sbx_launch_fail (failure, SBX_ERROR_IO, ENAMETOOLONG, "mount point for ", b->host_path);
      return FALSE;
    }
  if (b->is_dir)
    fd = mkdir (path, 0755);
  else
    {
      fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd >= 0)
        close (fd);
    }
  if (fd < 0)
    {
      sbx_launch_fail (failure, SBX_ERROR_IO, errno, "mount point ", path);
      return FALSE;
    }
  return TRUE;
}

/* Not root: bind /out again by path in our namespace (open_tree takes no
 * mount of the host's namespace from here), check that it is the object
 * sbx opened, and add noexec. */
static gboolean
rebind_by_path (const SbxLaunchBind *b, const char *path, SbxLaunchFailure *failure)
{
  struct stat want, got;
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV;

  if (mount (b->host_path, path, NULL, MS_BIND, NULL) != 0)
    {
      fail_bind (failure, errno, "bind mount of ", b);
      return FALSE;
    }
  if (fstat (b->fd, &want) != 0 || stat (path, &got) != 0)
    {
      fail_bind (failure, errno, "stat of ", b);
      return FALSE;
    }
  if (want.st_dev != got.st_dev || want.st_ino != got.st_ino)
    {
      fail_bind (failure, EXDEV, "the folder changed since sbx opened it: ", b);
      return FALSE;
    }
  if (b->attr & MOUNT_ATTR_NOEXEC)
    flags |= MS_NOEXEC;
  if (b->attr & MOUNT_ATTR_RDONLY)
    flags |= MS_RDONLY;
  if (mount (NULL, path, NULL, flags, NULL) != 0)
    {
      fail_bind (failure, errno, "remount (nosuid,nodev,noexec) of ", b);
      return FALSE;
    }
  return TRUE;
}

gboolean
sbx_launch_attach_binds (const SbxLaunchPlan *plan, SbxLaunchFailure *failure)
{
  char path[4096];

  for (gsize i = 0; i < plan->n_binds; i++)
    {
      SbxLaunchBind *b = &plan->binds[i];
      int fd;

      if (!make_point (plan, b, path, sizeof path, failure))
        return FALSE;
      if (plan->job_id == 0)
        {
          if (!rebind_by_path (b, path, failure))
            return FALSE;
        }
      else if (move_mount (b->tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) != 0)
        {
          fail_bind (failure, errno, "move_mount of the clone of ", b);
          return FALSE;
        }
      fd = open (path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0 || dup2 (fd, b->fd) < 0)
        {
          fail_bind (failure, errno, "open of the mount of ", b);
          return FALSE;
        }
      close (fd);
      if (b->tree >= 0)
        close (b->tree);
      b->tree = -1;
    }
  return TRUE;
}

/* "/out “PATH” (owner uid U, group G, mode 0755) is not writable by the
 * job's uid J[ WHY]" */
static void
fail_out (SbxLaunchFailure *failure, int saved_errno, const SbxLaunchPlan *plan,
          const SbxLaunchBind *b, const char *why)
{
  char *step = failure->step;
  gsize size = sizeof failure->step;

  failure->code = SBX_ERROR_IO;
  failure->saved_errno = saved_errno;
  step[0] = '\0';
  sbx_launch_append (step, size, "output folder “");
  sbx_launch_append (step, size, b->host_path);
  sbx_launch_append (step, size, "” (owner uid ");
  sbx_launch_append_u64 (step, size, b->host_uid, 10);
  sbx_launch_append (step, size, ", group ");
  sbx_launch_append_u64 (step, size, b->host_gid, 10);
  sbx_launch_append (step, size, ", mode 0");
  sbx_launch_append_u64 (step, size, b->host_mode, 8);
  sbx_launch_append (step, size, ") is not writable by the job's uid ");
  sbx_launch_append_u64 (step, size, plan->job_id, 10);
  sbx_launch_append (step, size, why);
}

gboolean
sbx_launch_become_job (const SbxLaunchPlan *plan, SbxLaunchFailure *failure)
{
  guint32 id = plan->job_id;

  if (id == 0)
    return TRUE;
  /* The raw calls: glibc's act on every thread of the process, and this
   * runs in a child sharing the caller's memory (sbx-supervise.c). */
  if (syscall (SYS_setgroups, 0, NULL) != 0 || syscall (SYS_setresgid, id, id, id) != 0
      || syscall (SYS_setresuid, id, id, id) != 0)
    {
      char which[16] = "";

      sbx_launch_append_u64 (which, sizeof which, id, 10);
      sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "becoming the job's uid and gid ", which);
      return FALSE;
    }
  if (getuid () != id || geteuid () != id || getgid () != id)
    {
      sbx_launch_fail (failure, SBX_ERROR_USERNS, EPERM, "the job's uid did not take", NULL);
      return FALSE;
    }
  if (plan->no_new_privs && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    {
      sbx_launch_fail (failure, SBX_ERROR_USERNS, errno, "prctl(PR_SET_NO_NEW_PRIVS)", NULL);
      return FALSE;
    }
  for (gsize i = 0; i < plan->n_binds; i++)
    {
      const SbxLaunchBind *b = &plan->binds[i];

      if (!b->is_out || faccessat (b->fd, "", W_OK | X_OK, AT_EACCESS | AT_EMPTY_PATH) == 0)
        continue;
      fail_out (failure, errno, plan, b, b->idmapped
                ? " (through an idmapped mount on which the folder's owner is that uid: give the "
                  "owner write and search permission)"
                : ": its file system does not support idmapped mounts, so that uid itself needs "
                  "write and search permission on it (or run sbx as an unprivileged user)");
      return FALSE;
    }
  return TRUE;
}
