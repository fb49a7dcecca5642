/* PR-FS-ESC-1 — no home, project, /etc or secret mounts: the canary file
 * (canary_path=) does not yield canary_text=; /etc/shadow and /etc/gshadow
 * cannot be opened; /home, /root, /etc/ssh, /run (apart from sbx's own
 * /run/sbx), /var and every path in the optional extra_hidden= list are
 * absent, unreadable or empty.  Only counts and names are recorded. */
#include "config.h"

#include "probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ID "PR-FS-ESC-1"

static void
check_file (Probe *p, const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  probe_attempt (ID, "open", path, fd, errno);
  if (fd >= 0)
    {
      probe_violated (p, "%s readable", path);
      close (fd);
    }
  else
    probe_held (p, "%s %s", path, probe_errno_name (errno));
}

/* A folder (or file) that must be unreachable: a listing with entries other
 * than @except is the violation; a readable non-folder also is. */
static void
check_dir (Probe *p, const char *path, const char *except)
{
  char args[4300], r[600] = "";
  DIR *d = opendir (path);
  int e = errno;
  if (!d && e == ENOTDIR)
    {
      check_file (p, path);
      return;
    }
  snprintf (args, sizeof args, "%s (entries)", path);
  if (!d)
    {
      probe_attempt (ID, "opendir", args, -1, e);
      probe_held (p, "%s %s", path, probe_errno_name (e));
      return;
    }
  int n = 0;
  struct dirent *ent;
  while ((ent = readdir (d)))
    {
      if (strcmp (ent->d_name, ".") == 0 || strcmp (ent->d_name, "..") == 0
          || (except && strcmp (ent->d_name, except) == 0))
        continue;
      size_t len = strlen (r);
      if (len < sizeof r - 80)
        snprintf (r + len, sizeof r - len, "%s%s", n ? "," : "", ent->d_name);
      n++;
    }
  closedir (d);
  char ret[700];
  snprintf (ret, sizeof ret, "%d entries%s%s", n, n ? ": " : "", r);
  probe_attempt_text (ID, "opendir", args, ret, 0);
  if (n)
    probe_violated (p, "%s lists %d entr%s", path, n, n == 1 ? "y" : "ies");
  else
    probe_held (p, "%s empty", path);
}

void
probe_pr_fs_esc_1 (void)
{
  Probe p;
  probe_init (&p, ID);
  const char *canary = expect_get ("canary_path"), *text = expect_get ("canary_text");
  if (canary && *canary && text && *text)
    {
      int c = probe_file_contains (ID, canary, text);
      if (c == 1)
        probe_violated (&p, "canary file readable (canary text read)");
      else if (c == 0)
        probe_note (&p, "a file without the canary text is at canary_path");
      else
        probe_held (&p, "canary %s", probe_errno_name (errno));
    }
  else
    probe_untestable (&p, "expectations lack canary_path or canary_text");

  check_file (&p, "/etc/shadow");
  check_file (&p, "/etc/gshadow");
  check_dir (&p, "/home", NULL);
  check_dir (&p, "/root", NULL);
  check_dir (&p, "/etc/ssh", NULL);
  check_dir (&p, "/run", "sbx");
  check_dir (&p, "/var", NULL);
  char extra[4096];
  const char *cur = expect_get ("extra_hidden");
  while (expect_list_next (&cur, extra, sizeof extra))
    check_dir (&p, extra, NULL);
  /* what sbx attest compares with the plan: every mount and /dev entry */
  observe_mounts (ID);
  observe_dev (ID);
  probe_finish (&p);
}
