/* observe.c — raw observations of the whole sandbox for the comparison with
 * the plan (probes/README.md "Observations").  These functions judge
 * nothing: each writes ATTEMPT records of what is there, and sbx attest
 * compares them with what the profile and the bwrap argument vector plan
 * (a pure function outside the sandbox).  They write nothing in the
 * control run: the host's own mounts and variables are not evidence. */
#include "config.h"

#include "probe.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Every line of /proc/self/mountinfo:
 *   ATTEMPT id mountinfo <mount point> type=T opts=O root=R source=S super=P 0
 * Fields keep mountinfo's octal escapes, so none holds a blank. */
void
observe_mounts (const char *id)
{
  if (expect_control ())
    return;
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  if (!f)
    {
      probe_attempt (id, "mountinfo", "/proc/self/mountinfo", -1, errno);
      return;
    }
  char line[8192];
  while (fgets (line, sizeof line, f))
    {
      /* id parent maj:min root point opts [optional…] - type source super */
      char *fld[16], *save = NULL, *s = line;
      int n = 0;
      line[strcspn (line, "\n")] = 0;
      while (n < 16 && (fld[n] = strtok_r (s, " ", &save)))
        n++, s = NULL;
      int dash = -1;
      for (int i = 6; i < n; i++)
        if (strcmp (fld[i], "-") == 0)
          {
            dash = i;
            break;
          }
      if (n < 6 || dash < 0 || dash + 2 >= n)
        {
          probe_attempt_text (id, "mountinfo", "unparsed line", line, EINVAL);
          continue;
        }
      char ret[3000];
      snprintf (ret, sizeof ret, "type=%s opts=%s root=%s source=%s super=%s", fld[dash + 1],
                fld[5], fld[3], fld[dash + 2], dash + 3 < n ? fld[dash + 3] : "-");
      probe_attempt_text (id, "mountinfo", fld[4], ret, 0);
    }
  fclose (f);
}

/* Every entry of /dev (one level):
 *   ATTEMPT id dev /dev/NAME "char 1:3" | "block 8:0" | "dir" | "symlink TARGET"
 *           | "file" | "fifo" | "socket" 0 */
void
observe_dev (const char *id)
{
  if (expect_control ())
    return;
  DIR *d = opendir ("/dev");
  if (!d)
    {
      probe_attempt (id, "dev", "/dev", -1, errno);
      return;
    }
  struct dirent *ent;
  while ((ent = readdir (d)))
    {
      if (strcmp (ent->d_name, ".") == 0 || strcmp (ent->d_name, "..") == 0)
        continue;
      char path[300], what[400], target[256];
      struct stat st;
      snprintf (path, sizeof path, "/dev/%s", ent->d_name);
      if (lstat (path, &st) < 0)
        {
          probe_attempt (id, "dev", path, -1, errno);
          continue;
        }
      switch (st.st_mode & S_IFMT)
        {
        case S_IFCHR:
        case S_IFBLK:
          snprintf (what, sizeof what, "%s %u:%u", S_ISCHR (st.st_mode) ? "char" : "block",
                    major (st.st_rdev), minor (st.st_rdev));
          break;
        case S_IFDIR: snprintf (what, sizeof what, "dir"); break;
        case S_IFLNK:
          {
            ssize_t n = readlink (path, target, sizeof target - 1);
            target[n > 0 ? n : 0] = 0;
            snprintf (what, sizeof what, "symlink %s", target);
            break;
          }
        case S_IFIFO: snprintf (what, sizeof what, "fifo"); break;
        case S_IFSOCK: snprintf (what, sizeof what, "socket"); break;
        default: snprintf (what, sizeof what, "file"); break;
        }
      probe_attempt_text (id, "dev", path, what, 0);
    }
  closedir (d);
}

/* Every variable the program was started with (/proc/self/environ), by
 * name and a salted digest of its value, never the value:
 *   ATTEMPT id environ NAME sha256:HEX 0
 * HEX = sha256(env_salt ":" NAME "=" VALUE); the salt is this run's own
 * (env_salt=) and is not kept in the bundle, so the digest tells nothing
 * about the value to anyone else. */
void
observe_environ (const char *id)
{
  if (expect_control ())
    return;
  const char *salt = expect_get ("env_salt");
  static char buf[256 * 1024];
  ssize_t n = probe_read_file ("/proc/self/environ", buf, sizeof buf);
  if (n < 0)
    {
      probe_attempt (id, "environ", "/proc/self/environ", -1, errno);
      return;
    }
  for (char *e = buf; e < buf + n; e += strlen (e) + 1)
    {
      char name[256], ret[80];
      const char *eq = strchr (e, '=');
      size_t len = eq ? (size_t) (eq - e) : strlen (e);
      snprintf (name, sizeof name, "%.*s", (int) (len < sizeof name ? len : sizeof name - 1), e);
      if (!salt || !*salt)
        snprintf (ret, sizeof ret, "no env_salt");
      else
        {
          ProbeSha256 s;
          char hex[65];
          probe_sha256_init (&s);
          probe_sha256_update (&s, salt, strlen (salt));
          probe_sha256_update (&s, ":", 1);
          probe_sha256_update (&s, e, strlen (e));
          probe_sha256_hex (&s, hex);
          snprintf (ret, sizeof ret, "sha256:%s", hex);
        }
      probe_attempt_text (id, "environ", name, ret, 0);
    }
}

/* One small text file, blanks squeezed and lines joined with ";":
 *   ATTEMPT id read PATH TEXT 0 */
static void
observe_text (const char *id, const char *path)
{
  char buf[2048], out[2048];
  ssize_t n = probe_read_file (path, buf, sizeof buf);
  if (n < 0)
    {
      probe_attempt (id, "read", path, -1, errno);
      return;
    }
  size_t o = 0;
  int blank = 1;
  for (ssize_t i = 0; i < n && o + 2 < sizeof out; i++)
    {
      char c = buf[i];
      if (c == ' ' || c == '\t')
        {
          if (!blank)
            out[o++] = ' ';
          blank = 1;
        }
      else if (c == '\n')
        {
          while (o > 0 && out[o - 1] == ' ')
            o--;
          if (o > 0 && out[o - 1] != ';')
            out[o++] = ';';
          blank = 1;
        }
      else
        out[o++] = c, blank = 0;
    }
  while (o > 0 && (out[o - 1] == ';' || out[o - 1] == ' '))
    o--;
  out[o] = 0;
  probe_attempt_text (id, "read", path, out, 0);
}

/* Who the job is and what it can reach:
 *   the uid and gid maps, setgroups, and the Uid and Gid lines of status;
 *   readlink /proc/1/exe and /proc/self/exe (pid 1 is the job when equal);
 *   open /proc/1/environ and /proc/1/mem read-only (closed at once). */
void
observe_identity (const char *id)
{
  if (expect_control ())
    return;
  observe_text (id, "/proc/self/uid_map");
  observe_text (id, "/proc/self/gid_map");
  observe_text (id, "/proc/self/setgroups");
  static const char *const ids[] = { "Uid", "Gid" };
  for (size_t i = 0; i < 2; i++)
    {
      char value[256], args[64];
      snprintf (args, sizeof args, "/proc/self/status %s", ids[i]);
      if (probe_status_field (ids[i], value, sizeof value) < 0)
        probe_attempt (id, "read", args, -1, errno);
      else
        probe_attempt_text (id, "read", args, value, 0);
    }
  static const char *const links[] = { "/proc/1/exe", "/proc/self/exe" };
  for (size_t i = 0; i < 2; i++)
    {
      char target[4096];
      ssize_t n = readlink (links[i], target, sizeof target - 1);
      if (n < 0)
        probe_attempt (id, "readlink", links[i], -1, errno);
      else
        {
          target[n] = 0;
          probe_attempt_text (id, "readlink", links[i], target, 0);
        }
    }
  static const char *const files[] = { "/proc/1/environ", "/proc/1/mem" };
  for (size_t i = 0; i < 2; i++)
    {
      int fd = open (files[i], O_RDONLY | O_CLOEXEC);
      probe_attempt (id, "open", files[i], fd < 0 ? -1 : 0, errno);
      if (fd >= 0)
        close (fd);
    }
}
