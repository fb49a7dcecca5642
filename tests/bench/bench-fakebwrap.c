/* bench-fakebwrap — stands in for bwrap to measure the peak memory of `sbx`
 * itself just before it execs bwrap (B6 of `make bench`).
 *
 *   sbx run --bwrap /path/bench-fakebwrap -- /bin/true
 *
 * sbx goes through its whole real run path (profile, programs, memfds,
 * mount sources, noexec /tmp namespace, rlimits) and execs this program in
 * bwrap's place.  The kernel keeps the process's RSS high-water mark across
 * execve (it is folded into the signal struct's maxrss when the old mm is
 * dropped), so getrusage(RUSAGE_SELF).ru_maxrss here is
 * max(sbx's peak before the exec, this small program's own RSS).  The
 * latter is printed too (VmHWM of the new image) so the floor is known.
 * It is kept small and dynamically linked like bwrap: sbx reads the bwrap
 * binary to find its options (lib/sbx-host.c), and a big static stand-in
 * would add its own pages to sbx's peak.
 *
 * Any call that is not a sandbox start (no "--" separator in argv: a feature
 * probe such as --version or --help) is passed to the real bwrap
 * ($BENCH_REAL_BWRAP, default /usr/bin/bwrap) so sbx's detection still works.
 * Output on stdout: "peak_rss_kb=N own_hwm_kb=M".
 *
 * With $BENCH_ARGV_OUT set, it also writes the argv it was given (without
 * argv[0]), NUL-separated, to that file, and to "$BENCH_ARGV_OUT.fds" one
 * line per open fd above 2 ("N TARGET" from /proc/self/fd): the exact vector
 * and fds `sbx run` hands bwrap, which B1's raw-bwrap baseline replays.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

/* sbx looks for bwrap's option names in the binary, as NUL-terminated
 * strings (what bwrap's strcmp-based parser leaves in .rodata). */
__attribute__ ((used)) static const char *const bwrap_option_names[] = {
  "--ro-bind-fd", "--bind-fd", "--disable-userns", "--assert-userns-disabled",
  "--seccomp", "--add-seccomp-fd", "--size", "--perms", "--json-status-fd",
};

static long
own_hwm_kb (void)
{
  char line[256];
  long kb = -1;
  FILE *f = fopen ("/proc/self/status", "re");

  if (f == NULL)
    return -1;
  while (fgets (line, sizeof line, f))
    if (strncmp (line, "VmHWM:", 6) == 0)
      kb = strtol (line + 6, NULL, 10);
  fclose (f);
  return kb;
}

static int
dump_argv (const char *path, int argc, char **argv)
{
  char fdpath[4096], link[4096];
  FILE *f = fopen (path, "we");
  DIR *d;
  struct dirent *e;

  if (f == NULL)
    return -1;
  for (int i = 1; i < argc; i++)
    fwrite (argv[i], 1, strlen (argv[i]) + 1, f);
  if (fclose (f) != 0)
    return -1;
  snprintf (fdpath, sizeof fdpath, "%s.fds", path);
  f = fopen (fdpath, "we");
  d = opendir ("/proc/self/fd");
  if (f == NULL || d == NULL)
    return -1;
  while ((e = readdir (d)) != NULL)
    {
      int fd = atoi (e->d_name);
      ssize_t n;

      if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd (d) || fd == fileno (f))
        continue;
      snprintf (fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
      n = readlink (fdpath, link, sizeof link - 1);
      link[n < 0 ? 0 : n] = '\0';
      fprintf (f, "%d %s%s\n", fd, link, (fcntl (fd, F_GETFD) & FD_CLOEXEC) ? " (cloexec)" : "");
    }
  closedir (d);
  return fclose (f);
}

int
main (int argc, char **argv)
{
  struct rusage ru;
  int is_start = 0;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--") == 0)
      is_start = 1;
  if (!is_start)
    {
      const char *real = getenv ("BENCH_REAL_BWRAP");
      if (real == NULL || *real == '\0')
        real = "/usr/bin/bwrap";
      argv[0] = (char *) real;
      execv (real, argv);
      perror ("bench-fakebwrap: execv real bwrap");
      return 125;
    }
  if (getenv ("BENCH_ARGV_OUT") && dump_argv (getenv ("BENCH_ARGV_OUT"), argc, argv) != 0)
    {
      perror ("bench-fakebwrap: writing $BENCH_ARGV_OUT");
      return 125;
    }
  if (getrusage (RUSAGE_SELF, &ru) < 0)
    {
      perror ("bench-fakebwrap: getrusage");
      return 125;
    }
  printf ("peak_rss_kb=%ld own_hwm_kb=%ld\n", ru.ru_maxrss, own_hwm_kb ());
  return 0;
}
