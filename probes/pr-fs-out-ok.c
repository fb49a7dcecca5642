/* PR-FS-OUT-OK — writable output (a positive probe): in `out` (out=) create
 * a temporary file, write the nonce and a newline, fsync, close, rename it
 * to sbx-nonce.txt and read it back.  HOLDS when every step worked (the host
 * then checks it sees the nonce); VIOLATED names the first step that
 * failed.  The control points out= at a folder that does not exist, so the
 * same steps fail there. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ID "PR-FS-OUT-OK"

void
probe_pr_fs_out_ok (void)
{
  Probe p;
  char tmp[4200], final[4200], args[8500], line[200], back[200];
  probe_init (&p, ID);
  const char *out = expect_get ("out"), *nonce = expect_get ("nonce");
  if (!out || !*out || !nonce || !*nonce)
    {
      probe_untestable (&p, "expectations lack out or nonce");
      probe_finish (&p);
      return;
    }
  snprintf (tmp, sizeof tmp, "%s/.sbx-nonce.%ld.tmp", out, (long) getpid ());
  snprintf (final, sizeof final, "%s/sbx-nonce.txt", out);
  snprintf (line, sizeof line, "%s\n", nonce);

  int fd = open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  snprintf (args, sizeof args, "%s, O_WRONLY|O_CREAT|O_EXCL, 0644", tmp);
  probe_attempt (ID, "open", args, fd, errno);
  if (fd < 0)
    {
      probe_violated (&p, "cannot create a file in out (%s)", probe_errno_name (errno));
      probe_finish (&p);
      return;
    }
  ssize_t w = write (fd, line, strlen (line));
  probe_attempt (ID, "write", "the nonce and a newline", (long) w, errno);
  int ok = w == (ssize_t) strlen (line);
  if (!ok)
    probe_violated (&p, "write failed (%s)", w < 0 ? probe_errno_name (errno) : "short write");
  int r = fsync (fd);
  probe_attempt (ID, "fsync", "the new file", r, errno);
  if (r < 0)
    probe_violated (&p, "fsync failed (%s)", probe_errno_name (errno)), ok = 0;
  r = close (fd);
  probe_attempt (ID, "close", "the new file", r, errno);
  if (r < 0)
    probe_violated (&p, "close failed (%s)", probe_errno_name (errno)), ok = 0;
  if (!ok)
    {
      unlink (tmp);
      probe_finish (&p);
      return;
    }
  r = rename (tmp, final);
  snprintf (args, sizeof args, "%s, %s", tmp, final);
  probe_attempt (ID, "rename", args, r, errno);
  if (r < 0)
    {
      probe_violated (&p, "rename failed (%s)", probe_errno_name (errno));
      unlink (tmp);
      probe_finish (&p);
      return;
    }
  ssize_t n = probe_read_file (final, back, sizeof back);
  probe_attempt (ID, "open+read", final, (long) n, errno);
  if (n < 0 || strcmp (back, line) != 0)
    probe_violated (&p, "reading sbx-nonce.txt back gave %s",
                    n < 0 ? probe_errno_name (errno) : "other content");
  else
    probe_held (&p, "wrote the nonce to out/sbx-nonce.txt (create, write, fsync, rename, read back)");
  probe_finish (&p);
}
