/* PR-FS-ESC-2 — no path escape to the canary (canary_path=, whose content
 * holds canary_text=): through the symlink planted in `in`
 * (planted_symlink=), through `in/../../…`, through /proc/1/root and
 * /proc/<host_pid>/root, and through open_by_handle_at with a handle for the
 * canary (canary_handle= from the host, else name_to_handle_at here) opened
 * against every mount the job can name.  Any leg that reads canary_text is
 * the violation.  open_by_handle_at(-1, …) and name_to_handle_at with a bad
 * pointer show whether the filter answers (noted, not decisive: the
 * property is the escape, not the filter). */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ID "PR-FS-ESC-2"

static union {
  struct file_handle fh;
  char room[sizeof (struct file_handle) + MAX_HANDLE_SZ];
} handle;

static void
leg_path (Probe *p, const char *what, const char *path, const char *text)
{
  int c = probe_file_contains (ID, path, text);
  if (c == 1)
    probe_violated (p, "%s reaches the canary", what);
  else
    probe_held (p, "%s: %s", what, c == 0 ? "no canary text" : probe_errno_name (errno));
}

/* "TYPE:HEX" → handle.  0 ok, -1 malformed. */
static int
parse_handle (const char *s)
{
  char *end;
  long type = strtol (s, &end, 10);
  if (*end != ':')
    return -1;
  const char *hex = end + 1;
  size_t n = strlen (hex);
  if (n == 0 || n % 2 || n / 2 > MAX_HANDLE_SZ)
    return -1;
  for (size_t i = 0; i < n / 2; i++)
    {
      unsigned v;
      if (sscanf (hex + 2 * i, "%2x", &v) != 1)
        return -1;
      handle.fh.f_handle[i] = (unsigned char) v;
    }
  handle.fh.handle_type = (int) type;
  handle.fh.handle_bytes = (unsigned) (n / 2);
  return 0;
}

static void
handle_legs (Probe *p, const char *canary, const char *text)
{
  char args[4400];
  const char *given = expect_get ("canary_handle");
  int have = 0;
  if (given && *given)
    {
      have = parse_handle (given) == 0;
      probe_attempt_text (ID, "parse", "canary_handle from the expectations",
                          have ? "ok" : "malformed", have ? 0 : EINVAL);
    }
  if (!have)
    {
      int mount_id;
      handle.fh.handle_bytes = MAX_HANDLE_SZ;
      int r = name_to_handle_at (AT_FDCWD, canary, &handle.fh, &mount_id, 0);
      snprintf (args, sizeof args, "AT_FDCWD, %s", canary);
      if (r == 0)
        {
          char hex[2 * MAX_HANDLE_SZ + 32];
          int len = snprintf (hex, sizeof hex, "%d:", handle.fh.handle_type);
          for (unsigned i = 0; i < handle.fh.handle_bytes && len + 3 < (int) sizeof hex; i++)
            len += snprintf (hex + len, sizeof hex - (size_t) len, "%02x", handle.fh.f_handle[i]);
          probe_attempt_text (ID, "name_to_handle_at", args, hex, 0);
          have = 1;
        }
      else
        probe_attempt (ID, "name_to_handle_at", args, -1, errno);
    }
  if (!have)
    {
      /* nothing was tried: not a held leg */
      probe_untestable (p, "open_by_handle_at: no handle for the canary (canary_handle missing, name_to_handle_at failed)");
    }
  else
    {
      int tried = 0;
      const char *in = expect_get ("in"), *out = expect_get ("out"), *tmp = expect_get ("tmp");
      const char *mounts[] = { in, out, tmp, "/", "/usr" };
      for (size_t i = 0; i < sizeof mounts / sizeof mounts[0]; i++)
        {
          if (!mounts[i] || !*mounts[i])
            continue;
          int mfd = open (mounts[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (mfd < 0)
            continue;
          int fd = open_by_handle_at (mfd, &handle.fh, O_RDONLY | O_CLOEXEC);
          int e = errno;
          snprintf (args, sizeof args, "fd of %s, canary handle, O_RDONLY", mounts[i]);
          probe_attempt (ID, "open_by_handle_at", args, fd, e);
          close (mfd);
          tried++;
          if (fd < 0)
            {
              probe_held (p, "open_by_handle_at via %s %s", mounts[i], probe_errno_name (e));
              continue;
            }
          char buf[65536];
          ssize_t n = read (fd, buf, sizeof buf);
          close (fd);
          int found = n > 0 && memmem (buf, (size_t) n, text, strlen (text)) != NULL;
          probe_attempt_text (ID, "read", "the file opened by handle",
                              found ? "canary text present" : "canary text absent", n < 0 ? errno : 0);
          if (found)
            probe_violated (p, "open_by_handle_at via %s reaches the canary", mounts[i]);
          else
            probe_note (p, "open_by_handle_at via %s opened a file without the canary text", mounts[i]);
        }
      if (!tried)
        probe_untestable (p, "open_by_handle_at: no mount could be opened to try the handle against");
    }

  /* filter attribution, informative: unfiltered these answer EBADF / EFAULT */
  int r = open_by_handle_at (-1, &handle.fh, O_RDONLY);
  probe_filter_leg (p, 0, EBADF, "open_by_handle_at", "fd -1 (unfiltered: EBADF)", r, errno);
  int mount_id;
  r = name_to_handle_at (AT_FDCWD, PROBE_BADPTR, &handle.fh, &mount_id, 0);
  probe_filter_leg (p, 0, EFAULT, "name_to_handle_at", "bad path pointer (unfiltered: EFAULT)", r, errno);
}

void
probe_pr_fs_esc_2 (void)
{
  Probe p;
  char path[8192], args[4400];
  probe_init (&p, ID);
  const char *canary = expect_get ("canary_path"), *text = expect_get ("canary_text");
  const char *in = expect_get ("in");
  if (!canary || canary[0] != '/' || !text || !*text)
    {
      probe_untestable (&p, "expectations lack an absolute canary_path or canary_text");
      probe_finish (&p);
      return;
    }

  const char *link = expect_get ("planted_symlink");
  if (in && *in && link && *link)
    {
      snprintf (path, sizeof path, "%s/%s", in, link);
      char target[4096];
      ssize_t n = readlink (path, target, sizeof target - 1);
      int e = errno;
      target[n > 0 ? n : 0] = 0;
      probe_attempt_text (ID, "readlink", path, n >= 0 ? target : "-", n >= 0 ? 0 : e);
      /* a refused open only shows something when the link is there and
       * points at the canary; a missing link proves nothing */
      if (n > 0 && strcmp (target, canary) == 0)
        leg_path (&p, "planted symlink", path, text);
      else if (n < 0)
        probe_untestable (&p, "planted symlink: not run, readlink %s", probe_errno_name (e));
      else
        probe_untestable (&p, "planted symlink: not run, it does not point at canary_path");
    }
  else
    probe_note (&p, "no planted symlink named: that leg not run");

  if (in && *in)
    {
      /* enough ".." to climb from `in` to the root, and two more */
      int depth = 2;
      for (const char *s = in; *s; s++)
        depth += *s == '/';
      size_t len = (size_t) snprintf (path, sizeof path, "%s", in);
      for (int i = 0; i < depth && len + 4 < sizeof path; i++)
        len += (size_t) snprintf (path + len, sizeof path - len, "/..");
      snprintf (path + len, sizeof path - len, "%s", canary);
      leg_path (&p, "in/../ traversal", path, text);
    }

  snprintf (path, sizeof path, "/proc/1/root%s", canary);
  leg_path (&p, "/proc/1/root", path, text);
  long long host_pid = expect_number ("host_pid");
  if (host_pid > 0)
    {
      snprintf (path, sizeof path, "/proc/%lld/root%s", host_pid, canary);
      snprintf (args, sizeof args, "/proc/host_pid/root");
      leg_path (&p, args, path, text);
    }

  handle_legs (&p, canary, text);
  probe_finish (&p);
}
