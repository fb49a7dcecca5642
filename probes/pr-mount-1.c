/* PR-MOUNT-1 — read-only root, no mounts, no unshare.
 *
 * Writes: open(DIR, O_TMPFILE|O_WRONLY) on /, /usr and /etc (an unnamed
 * file that vanishes on close: no trace even where it works), and the
 * per-mount "ro" flag of / in /proc/self/mountinfo.
 *
 * Mounts, in a forked child:
 *  - unshare(CLONE_NEWUSER|CLONE_NEWNS), else unshare(CLONE_NEWNS): success
 *    is a violation (the control does this on purpose: every mount leg below
 *    then runs in a namespace of its own and cannot touch the host);
 *  - safe anywhere: open_tree(OPEN_TREE_CLONE) of `tmp` (a detached copy,
 *    gone on close), fsopen("tmpfs") (a context, mounts nothing),
 *    umount2 of a fresh folder that is not a mount point (EINVAL only after
 *    the privilege check passed), pivot_root with bad pointers (EFAULT only
 *    after the privilege check passed);
 *  - only in a mount namespace that is not the host's (host_ns_mnt=) — and
 *    in control mode only after our own unshare worked: mount(MS_REC|
 *    MS_PRIVATE) of /, and a tmpfs mounted on a fresh folder in `tmp`.
 * The filter's part is noted: unshare with an invalid flag and mount with a
 * bad target pointer answer EINVAL / EFAULT unfiltered. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 1
#endif

#define ID "PR-MOUNT-1"

typedef struct {
  const char *tmp;
  const char *dir;      /* fresh empty folder in tmp */
} MountArgs;

/* A mount-family call: success is the violation, a refusal holds. */
static void
leg (Probe *p, const char *call, const char *args, long ret, int err)
{
  probe_attempt (ID, call, args, ret, err);
  if (ret >= 0)
    probe_violated (p, "%s(%s) succeeded", call, args);
  else
    probe_held (p, "%s %s", call, probe_errno_name (err));
}

/* A call with an argument the kernel rejects only after its privilege
 * check: that rejection (@past) shows the privilege was there. */
static void
priv_leg (Probe *p, const char *call, const char *args, long ret, int err, int past)
{
  probe_attempt (ID, call, args, ret, err);
  if (ret >= 0)
    probe_violated (p, "%s(%s) succeeded", call, args);
  else if (err == past)
    probe_violated (p, "%s passed the privilege check (%s for %s)", call, probe_errno_name (err), args);
  else
    probe_held (p, "%s %s", call, probe_errno_name (err));
}

static int
write_text (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t w = write (fd, text, strlen (text));
  int e = errno;
  close (fd);
  errno = e;
  return w == (ssize_t) strlen (text) ? 0 : -1;
}

static void
in_child (Probe *p, void *arg)
{
  MountArgs *m = arg;
  char args[4400], map[64];
  uid_t uid = getuid ();
  gid_t gid = getgid ();

  int r = unshare (CLONE_NEWUSER | CLONE_NEWNS);
  int own = r == 0;
  leg (p, "unshare", "CLONE_NEWUSER|CLONE_NEWNS", r, errno);
  if (own)
    {
      /* map ourselves so that files we create have an owner */
      snprintf (map, sizeof map, "0 %u 1", (unsigned) uid);
      int a = write_text ("/proc/self/setgroups", "deny");
      int b = write_text ("/proc/self/uid_map", map);
      snprintf (map, sizeof map, "0 %u 1", (unsigned) gid);
      int c = write_text ("/proc/self/gid_map", map);
      probe_attempt (ID, "write", "/proc/self/{setgroups,uid_map,gid_map}",
                     (a | b | c) < 0 ? -1 : 0, errno);
    }
  else
    {
      r = unshare (CLONE_NEWNS);
      own = r == 0;
      leg (p, "unshare", "CLONE_NEWNS", r, errno);
    }
  r = unshare (0x1);            /* not a namespace flag: EINVAL unfiltered */
  probe_filter_leg (p, 0, EINVAL, "unshare", "invalid flag 0x1 (unfiltered: EINVAL)", r, errno);

  /* safe in any namespace */
  long fd = syscall (SYS_open_tree, AT_FDCWD, m->tmp, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  snprintf (args, sizeof args, "AT_FDCWD, %s, OPEN_TREE_CLONE", m->tmp);
  leg (p, "open_tree", args, fd, errno);
  if (fd >= 0)
    close ((int) fd);
  fd = syscall (SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
  leg (p, "fsopen", "tmpfs, FSOPEN_CLOEXEC", fd, errno);
  if (fd >= 0)
    close ((int) fd);
  r = umount2 (m->dir, 0);
  snprintf (args, sizeof args, "%s (not a mount point), 0", m->dir);
  priv_leg (p, "umount2", args, r, errno, EINVAL);
  r = (int) syscall (SYS_pivot_root, PROBE_BADPTR, PROBE_BADPTR);
  priv_leg (p, "pivot_root", "bad pointers", r, errno, EFAULT);
  r = mount ("none", PROBE_BADPTR, "tmpfs", 0, NULL);
  probe_filter_leg (p, 0, EFAULT, "mount", "bad target pointer (unfiltered: EFAULT)", r, errno);

  /* real mounts: never in the host's mount namespace */
  long long host = expect_number ("host_ns_mnt");
  unsigned long long mine = probe_ns_inode ("mnt");
  if (host < 0)
    probe_untestable (p, "expectations lack host_ns_mnt: real mount legs not run");
  else if (!mine || (unsigned long long) host == mine)
    probe_note (p, "real mount legs not run: this is the host's mount namespace");
  else if (expect_control () && !own)
    probe_note (p, "real mount legs not run: control without a namespace of its own");
  else
    {
      r = mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
      leg (p, "mount", "NULL, /, NULL, MS_REC|MS_PRIVATE", r, errno);
      r = mount ("sbx-probe", m->dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=16k");
      snprintf (args, sizeof args, "sbx-probe, %s, tmpfs, MS_NOSUID|MS_NODEV|MS_NOEXEC, size=16k", m->dir);
      leg (p, "mount", args, r, errno);
      if (r == 0)
        {
          r = umount2 (m->dir, 0);
          probe_attempt (ID, "umount2", m->dir, r, errno);
        }
    }
}

static void
tmpfile_leg (Probe *p, const char *dir)
{
  char args[128];
  int fd = open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  int e = errno;
  snprintf (args, sizeof args, "%s, O_TMPFILE|O_WRONLY", dir);
  probe_attempt (ID, "open", args, fd, e);
  if (fd >= 0)
    {
      probe_violated (p, "%s writable (O_TMPFILE)", dir);
      close (fd);
    }
  else if (e == EOPNOTSUPP || e == EISDIR)
    probe_untestable (p, "%s: O_TMPFILE not supported here (%s)", dir, probe_errno_name (e));
  else
    probe_held (p, "%s %s", dir, probe_errno_name (e));
}

void
probe_pr_mount_1 (void)
{
  Probe p;
  char dir[4200], mnt[4096];
  probe_init (&p, ID);

  tmpfile_leg (&p, "/");
  tmpfile_leg (&p, "/usr");
  tmpfile_leg (&p, "/etc");
  int ro = probe_mount_readonly (ID, "/", mnt, sizeof mnt);
  if (ro == 1)
    probe_held (&p, "/ mounted ro");
  else if (ro == 0)
    probe_violated (&p, "/ mounted rw");

  const char *tmp = expect_get ("tmp");
  if (!tmp || !*tmp)
    {
      probe_untestable (&p, "expectations lack tmp");
      probe_finish (&p);
      return;
    }
  snprintf (dir, sizeof dir, "%s/.sbx-probe-mnt-%ld", tmp, (long) getpid ());
  int r = mkdir (dir, 0700);
  probe_attempt (ID, "mkdir", dir, r, errno);
  if (r < 0)
    {
      probe_untestable (&p, "cannot make a folder in tmp (%s)", probe_errno_name (errno));
      probe_finish (&p);
      return;
    }
  MountArgs m = { tmp, dir };
  ProbeChild end;
  char words[64];
  if (probe_run_child (&p, in_child, &m, 3000, &end) < 0)
    probe_untestable (&p, "cannot fork (%s)", probe_errno_name (errno));
  else if (!end.reported)
    probe_untestable (&p, "the namespace child did not report (%s)",
                      probe_child_words (&end, words, sizeof words));
  r = rmdir (dir);
  if (r < 0)
    probe_note (&p, "could not remove %s (%s)", dir, probe_errno_name (errno));
  probe_finish (&p);
}
