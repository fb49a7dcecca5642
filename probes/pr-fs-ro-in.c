/* PR-FS-RO-IN — read-only input: in `in` (in=) creating, writing,
 * truncating, chmod, utime, rename and unlink fail, the mount holding `in`
 * is read-only per /proc/self/mountinfo, and every fixture (fixtures=) reads.
 *
 * Never changes a fixture's content, also when the folder turns out
 * writable (the control, or a weakened profile): the probe writes only to a
 * file it created itself; on a fixture it only tries what leaves the bytes
 * as they are — open for writing without O_TRUNC and without writing,
 * truncate to the current size, chmod to the current mode, utimensat with
 * the current times, rename onto itself; unlink only a name that does not
 * exist.  sbx-attest hashes the fixtures afterwards. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ID "PR-FS-RO-IN"

/* A write-type call on `in`: success is the violation. */
static void
leg (Probe *p, const char *call, const char *args, long ret, int err)
{
  probe_attempt (ID, call, args, ret, err);
  if (ret >= 0)
    probe_violated (p, "%s(%s) succeeded", call, args);
  else
    probe_held (p, "%s %s", call, probe_errno_name (err));
}

void
probe_pr_fs_ro_in (void)
{
  Probe p;
  char own[4200], own2[4200], fix[4200], absent[4200], args[8600];
  probe_init (&p, ID);
  const char *in = expect_get ("in");
  if (!in || !*in)
    {
      probe_untestable (&p, "expectations lack in");
      probe_finish (&p);
      return;
    }
  const char *nonce = expect_get ("nonce");
  char first[256] = "";
  const char *cur = expect_get ("fixtures");
  expect_list_next (&cur, first, sizeof first);
  snprintf (own, sizeof own, "%s/.sbx-probe-ro-%ld", in, (long) getpid ());
  snprintf (own2, sizeof own2, "%s/.sbx-probe-ro-%ld.renamed", in, (long) getpid ());
  snprintf (absent, sizeof absent, "%s/.sbx-probe-absent-%.16s", in, nonce ? nonce : "x");
  snprintf (fix, sizeof fix, "%s/%s", in, first);

  /* create (then one byte into our own file) */
  int fd = open (own, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  snprintf (args, sizeof args, "%s, O_WRONLY|O_CREAT|O_EXCL", own);
  leg (&p, "open", args, fd, errno);
  int have_own = fd >= 0;
  if (fd >= 0)
    {
      ssize_t w = write (fd, "x", 1);
      probe_attempt (ID, "write", "1 byte to the file just created", (long) w, errno);
      close (fd);
    }
  const char *target = have_own ? own : fix;

  /* write access to a fixture: opened, never written */
  if (first[0])
    {
      fd = open (fix, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
      snprintf (args, sizeof args, "%s, O_WRONLY (nothing written)", fix);
      leg (&p, "open", args, fd, errno);
      if (fd >= 0)
        close (fd);
    }
  else
    probe_untestable (&p, "expectations lack fixtures");

  struct stat st;
  if ((have_own || first[0]) && stat (target, &st) == 0)
    {
      snprintf (args, sizeof args, "%s, %lld (its current size)", target, (long long) st.st_size);
      int r = truncate (target, st.st_size);
      leg (&p, "truncate", args, r, errno);
      snprintf (args, sizeof args, "%s, 0%o (its current mode)", target, st.st_mode & 07777);
      r = chmod (target, st.st_mode & 07777);
      leg (&p, "chmod", args, r, errno);
      struct timespec ts[2] = { st.st_atim, st.st_mtim };
      snprintf (args, sizeof args, "%s, its current atime and mtime", target);
      r = utimensat (AT_FDCWD, target, ts, AT_SYMLINK_NOFOLLOW);
      leg (&p, "utimensat", args, r, errno);
    }
  else if (have_own || first[0])
    {
      probe_attempt (ID, "stat", target, -1, errno);
      probe_violated (&p, "cannot stat %s (%s)", target, probe_errno_name (errno));
    }

  if (have_own)
    {
      snprintf (args, sizeof args, "%s, %s", own, own2);
      int r = rename (own, own2);
      leg (&p, "rename", args, r, errno);
      const char *now = r == 0 ? own2 : own;
      r = unlink (now);
      leg (&p, "unlink", now, r, errno);
      if (r < 0)
        probe_note (&p, "could not remove %s", now);
    }
  else
    {
      if (first[0])
        {
          snprintf (args, sizeof args, "%s, %s (onto itself)", fix, fix);
          int r = rename (fix, fix);
          leg (&p, "rename", args, r, errno);
        }
      /* a name that does not exist: a writable folder answers ENOENT, a
       * read-only mount EROFS — nothing is removed either way */
      int r = unlink (absent);
      int e = errno;
      snprintf (args, sizeof args, "%s (a name that does not exist)", absent);
      probe_attempt (ID, "unlink", args, r, e);
      if (r == 0 || e != EROFS)
        probe_note (&p, "unlink of a missing name: %s (a read-only mount answers EROFS)",
                    r == 0 ? "removed" : probe_errno_name (e));
      if (r == 0)
        probe_violated (&p, "unlink succeeded");
      else if (e == EROFS)
        probe_held (&p, "unlink EROFS");
    }

  char mnt[4096];
  int ro = probe_mount_readonly (ID, in, mnt, sizeof mnt);
  if (ro == 1)
    probe_held (&p, "mount %s is ro", mnt);
  else if (ro == 0)
    probe_violated (&p, "mount %s holding in is rw", mnt);
  else
    probe_untestable (&p, "cannot find the mount holding in");

  /* reads must work */
  int n_read = 0;
  char name[256];
  cur = expect_get ("fixtures");
  while (expect_list_next (&cur, name, sizeof name))
    {
      char path[4400], buf[65536];
      snprintf (path, sizeof path, "%s/%s", in, name);
      ssize_t n = probe_read_file (path, buf, sizeof buf);
      probe_attempt (ID, "open+read", path, (long) n, errno);
      if (n < 0)
        probe_violated (&p, "fixture %s unreadable (%s)", name, probe_errno_name (errno));
      else
        n_read++;
    }
  if (n_read)
    probe_held (&p, "%d fixtures readable", n_read);
  probe_finish (&p);
}
