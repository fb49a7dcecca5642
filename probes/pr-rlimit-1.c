/* PR-RLIMIT-1 — resource limits in force: the soft and hard values in
 * /proc/self/limits equal the profile's (limit_cpu=, limit_as=,
 * limit_nofile=, limit_nproc=, limit_fsize=, limit_core=: a number, N[kMG],
 * or "unlimited"), and exceeding two of them fails:
 *  - file size: one byte written at offset limit_fsize of a new file in
 *    `tmp` (sparse, removed again) must fail with EFBIG (SIGXFSZ ignored);
 *  - processes: children that wait on a pipe are forked until fork fails
 *    or limit_nproc+3 exist, then released.  The kernel does not apply
 *    RLIMIT_NPROC to the host's uid 0: host_uid= is the uid the job has
 *    on the host (sbx attest writes the job's, which is never 0 when sbx
 *    runs it; without the key it is guessed from /proc/self/uid_map, one
 *    level up).  When it is 0, or the limit is too large to exercise, the
 *    leg cannot be observed and the probe is UNTESTABLE, never HOLDS. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ID "PR-RLIMIT-1"

static const struct {
  const char *key;    /* expectations key */
  const char *label;  /* line label in /proc/self/limits */
} limits[] = {
  { "limit_cpu",    "Max cpu time" },
  { "limit_as",     "Max address space" },
  { "limit_nofile", "Max open files" },
  { "limit_nproc",  "Max processes" },
  { "limit_fsize",  "Max file size" },
  { "limit_core",   "Max core file size" },
};

/* Soft and hard texts of @label, from the /proc/self/limits text @all. */
static int
find_limit (const char *all, const char *label, char *soft, char *hard, size_t size)
{
  const char *line = all;
  size_t ll = strlen (label);
  while (line && *line)
    {
      if (strncmp (line, label, ll) == 0 && line[ll] == ' ')
        {
          char s[64], h[64];
          if (sscanf (line + ll, " %63s %63s", s, h) != 2)
            return -1;
          snprintf (soft, size, "%s", s);
          snprintf (hard, size, "%s", h);
          return 0;
        }
      line = strchr (line, '\n');
      if (line)
        line++;
    }
  return -1;
}

/* The host uid our uid maps to, per /proc/self/uid_map; -1 unknown. */
static long
host_uid (void)
{
  char map[4096];
  if (probe_read_file ("/proc/self/uid_map", map, sizeof map) < 0)
    return -1;
  unsigned long me = (unsigned long) getuid ();
  for (char *line = map; line && *line;)
    {
      unsigned long inside, outside, count;
      if (sscanf (line, " %lu %lu %lu", &inside, &outside, &count) == 3
          && me >= inside && me - inside < count)
        return (long) (outside + (me - inside));
      line = strchr (line, '\n');
      if (line)
        line++;
    }
  return -1;
}

static void
fsize_leg (Probe *p, unsigned long long limit)
{
  const char *tmp = expect_get ("tmp");
  char path[4200], args[4400];
  if (!tmp || !*tmp)
    {
      probe_untestable (p, "expectations lack tmp");
      return;
    }
  snprintf (path, sizeof path, "%s/.sbx-probe-fsize-%ld", tmp, (long) getpid ());
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      probe_attempt (ID, "open", path, -1, errno);
      probe_untestable (p, "cannot create a file in tmp (%s)", probe_errno_name (errno));
      return;
    }
  signal (SIGXFSZ, SIG_IGN);
  ssize_t w = pwrite (fd, "x", 1, (off_t) limit);
  int e = errno;
  snprintf (args, sizeof args, "1 byte at offset %llu (limit_fsize) of a new file in tmp", limit);
  probe_attempt (ID, "pwrite", args, (long) w, e);
  close (fd);
  unlink (path);
  if (w == 1)
    probe_violated (p, "wrote past limit_fsize");
  else if (w < 0 && e == EFBIG)
    probe_held (p, "file size EFBIG");
  else
    probe_untestable (p, "file-size leg inconclusive (%s)", w < 0 ? probe_errno_name (e) : "short write");
}

static void
nproc_leg (Probe *p, unsigned long long limit)
{
  /* uid_map shows one level only: under nested user namespaces (bwrap
   * --disable-userns) it is not the host's uid, so host_uid= comes first */
  char args[128];
  long hu = (long) expect_number ("host_uid");
  if (hu >= 0)
    probe_attempt (ID, "read", "host_uid from the expectations", hu, 0);
  else
    {
      hu = host_uid ();
      probe_attempt (ID, "read", "/proc/self/uid_map (uid one level up: no host_uid given)", hu,
                     hu < 0 ? errno : 0);
    }
  if (hu == 0)
    {
      probe_untestable (p, "processes leg cannot be observed: the job is host uid 0, which the kernel exempts from RLIMIT_NPROC");
      return;
    }
  if (limit > 1000)
    {
      probe_untestable (p, "processes leg not run: limit %llu too large to exercise", limit);
      return;
    }
  int fds[2];
  if (pipe2 (fds, O_CLOEXEC) < 0)
    {
      probe_untestable (p, "cannot make a pipe (%s)", probe_errno_name (errno));
      return;
    }
  unsigned long long want = limit + 3, made = 0;
  pid_t kids[1004];
  int e = 0;
  while (made < want)
    {
      pid_t pid = probe_fork ();
      if (pid < 0)
        {
          e = errno;
          break;
        }
      if (pid == 0)
        {
          char c;
          close (fds[1]);
          while (read (fds[0], &c, 1) < 0 && errno == EINTR)
            ;
          _exit (0);
        }
      kids[made++] = pid;
    }
  close (fds[1]);               /* releases them all */
  close (fds[0]);
  for (unsigned long long i = 0; i < made; i++)
    while (waitpid (kids[i], NULL, 0) < 0 && errno == EINTR)
      ;
  snprintf (args, sizeof args, "children until fork fails or limit_nproc+3 (%llu) exist", want);
  char ret[48];
  snprintf (ret, sizeof ret, "%llu children", made);
  probe_attempt_text (ID, "fork", args, ret, made < want ? e : 0);
  if (made >= want)
    probe_violated (p, "forked %llu children past limit_nproc %llu", made, limit);
  else if (e == EAGAIN)
    probe_held (p, "fork EAGAIN after %llu children", made);
  else
    probe_untestable (p, "processes leg inconclusive (%s)", probe_errno_name (e));
}

void
probe_pr_rlimit_1 (void)
{
  Probe p;
  static char all[8192];
  char soft[64], hard[64], args[128], ret[160];
  unsigned long long fsize = 0, nproc = 0;
  int have_fsize = 0, have_nproc = 0;
  probe_init (&p, ID);
  if (probe_read_file ("/proc/self/limits", all, sizeof all) < 0)
    {
      probe_attempt (ID, "read", "/proc/self/limits", -1, errno);
      probe_untestable (&p, "cannot read /proc/self/limits (%s)", probe_errno_name (errno));
      probe_finish (&p);
      return;
    }
  for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
    {
      snprintf (args, sizeof args, "/proc/self/limits %s (soft hard)", limits[i].label);
      if (find_limit (all, limits[i].label, soft, hard, sizeof soft) < 0)
        {
          probe_attempt_text (ID, "read", args, "-", ENOENT);
          probe_untestable (&p, "%s missing from /proc/self/limits", limits[i].label);
          continue;
        }
      snprintf (ret, sizeof ret, "%s %s", soft, hard);
      probe_attempt_text (ID, "read", args, ret, 0);
      const char *want_text = expect_get (limits[i].key);
      unsigned long long want, s, h;
      int want_unl, s_unl, h_unl;
      if (!want_text || probe_parse_limit (want_text, &want, &want_unl) < 0)
        {
          probe_untestable (&p, "expectations lack a valid %s", limits[i].key);
          continue;
        }
      if (probe_parse_limit (soft, &s, &s_unl) < 0 || probe_parse_limit (hard, &h, &h_unl) < 0)
        {
          probe_untestable (&p, "cannot parse %s", limits[i].label);
          continue;
        }
      int same = want_unl ? (s_unl && h_unl) : (!s_unl && !h_unl && s == want && h == want);
      if (same)
        probe_held (&p, "%s=%s", limits[i].key, want_text);
      else
        probe_violated (&p, "%s is %s/%s, expected %s", limits[i].label, soft, hard, want_text);
      if (!want_unl && strcmp (limits[i].key, "limit_fsize") == 0)
        have_fsize = 1, fsize = want;
      if (!want_unl && strcmp (limits[i].key, "limit_nproc") == 0)
        have_nproc = 1, nproc = want;
    }
  if (have_fsize)
    fsize_leg (&p, fsize);
  if (have_nproc)
    nproc_leg (&p, nproc);
  probe_finish (&p);
}
