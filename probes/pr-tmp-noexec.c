/* PR-TMP-NOEXEC — the private tmpfs mounts are noexec: a file written in
 * tmp= (and in shm= when the plan mounts one at /dev/shm) cannot be mapped
 * executable.  mmap(PROT_EXEC) is what the exec lock does not cover (a job
 * can load code without exec), so this is the leg that matters; the file
 * is removed again.  The control maps a file in its scratch tmp, which the
 * host does not mount noexec. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ID "PR-TMP-NOEXEC"

static void
map_leg (Probe *p, const char *key)
{
  const char *dir = expect_get (key);
  char path[4200], args[4300];
  if (!dir || !*dir)
    {
      if (strcmp (key, "tmp") == 0)
        probe_untestable (p, "expectations lack tmp");
      else
        probe_note (p, "no %s= in the expectations: not tried", key);
      return;
    }
  snprintf (path, sizeof path, "%s/.sbx-probe-noexec.%ld", dir, (long) getpid ());
  int fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  probe_attempt (ID, "open", path, fd, errno);
  if (fd < 0)
    {
      probe_untestable (p, "cannot create a file in %s (%s)", dir, probe_errno_name (errno));
      return;
    }
  static const char page[4096];
  ssize_t w = write (fd, page, sizeof page);
  if (w != (ssize_t) sizeof page)
    {
      probe_attempt (ID, "write", path, w, errno);
      probe_untestable (p, "cannot write a page in %s", dir);
      close (fd);
      unlink (path);
      return;
    }
  void *m = mmap (NULL, sizeof page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
  snprintf (args, sizeof args, "PROT_READ|PROT_EXEC, MAP_PRIVATE of %s", path);
  probe_attempt (ID, "mmap", args, m == MAP_FAILED ? -1 : 0, errno);
  if (m == MAP_FAILED && errno == EPERM)
    probe_held (p, "mmap exec in %s EPERM (noexec)", dir);
  else if (m == MAP_FAILED)
    probe_untestable (p, "mmap exec in %s %s (not the noexec answer)", dir, probe_errno_name (errno));
  else
    {
      probe_violated (p, "a file in %s maps executable", dir);
      munmap (m, sizeof page);
    }
  close (fd);
  unlink (path);
}

void
probe_pr_tmp_noexec (void)
{
  Probe p;
  probe_init (&p, ID);
  map_leg (&p, "tmp");
  map_leg (&p, "shm");
  probe_finish (&p);
}
