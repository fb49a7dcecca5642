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
 * probe such as --version or --help) is passed to /usr/bin/bwrap (sbx reads
 * the binary's option names rather than running it; this is a fallback).
 * Output on stdout: "peak_rss_kb=N own_hwm_kb=M".
 *
 * sbx runs bwrap with the job's environment only, so the stand-in takes
 * nothing from its environment.  When it is started through a symbolic link
 * (argv[0] names a link, e.g. a capture folder's "bwrap" -> bench-fakebwrap),
 * it writes the argv it was given (without argv[0]; the options of sbx's
 * "--args FD" memfd read back in their place), NUL-separated, to
 * "ARGV0.argv", and one line per open fd above 2 ("N TARGET" from
 * /proc/self/fd) to "ARGV0.argv.fds": the exact vector and fds `sbx run` hands
 * bwrap, which B1's raw-bwrap baseline replays.  The link's folder must be
 * writable by the uid sbx runs bwrap as (as root: not root).
 *
 * The exec gate: sbx waits for its helper (/run/sbx/sbx-exec FD, named in
 * the command after "--") to hand back a seccomp listener.  The stand-in
 * plays that part so sbx's run completes normally: it reads the queued gate
 * program off FD (and drops it), installs a one-instruction allow-all filter
 * with SECCOMP_FILTER_FLAG_NEW_LISTENER, sends that listener to sbx and
 * exits 0.  The listener then reports POLLHUP, as when a job ends.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sbx-scm-rights.h"

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
  char fdpath[4096 + 16], link[4096];
  FILE *f = fopen (path, "we");
  DIR *d;
  struct dirent *e;

  if (f == NULL)
    return -1;
  for (int i = 1; i < argc; i++)
    {
      /* sbx passes its options as "--args FD" (a memfd of NUL-separated
       * options): write them in its place, so the replay has them all */
      if (strcmp (argv[i], "--args") == 0 && i + 1 < argc)
        {
          char buf[65536];
          size_t n;
          FILE *blob;

          snprintf (fdpath, sizeof fdpath, "/proc/self/fd/%s", argv[++i]);
          blob = fopen (fdpath, "re");
          if (blob == NULL)
            return -1;
          while ((n = fread (buf, 1, sizeof buf, blob)) > 0)
            fwrite (buf, 1, n, f);
          fclose (blob);
          continue;
        }
      fwrite (argv[i], 1, strlen (argv[i]) + 1, f);
    }
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

/* Plays the exec gate helper's part (see above); 0 or -1. */
static int
hand_over_listener (int sock)
{
  static char program[65536];
  struct sock_filter allow = BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog fprog = { .len = 1, .filter = &allow };
  int listener;

  if (recv (sock, program, sizeof program, MSG_TRUNC) <= 0)
    return -1;
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return -1;
  listener = (int) syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                            SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
  if (listener < 0)
    return -1;
  if (sbx_scm_send_fd (sock, listener) != 1)
    return -1;
  close (listener);
  return close (sock);
}

int
main (int argc, char **argv)
{
  struct rusage ru;
  struct stat st;
  int is_start = 0, gate_fd = -1;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--") == 0)
      {
        is_start = 1;
        for (int j = i + 1; j + 1 < argc; j++)
          {
            size_t n = strlen (argv[j]);
            if (n >= 9 && strcmp (argv[j] + n - 9, "/sbx-exec") == 0)
              {
                gate_fd = atoi (argv[j + 1]);
                break;
              }
          }
        break;
      }
  if (!is_start)
    {
      const char *real = "/usr/bin/bwrap";
      argv[0] = (char *) real;
      execv (real, argv);
      perror ("bench-fakebwrap: execv real bwrap");
      return 125;
    }
  if (lstat (argv[0], &st) == 0 && S_ISLNK (st.st_mode))
    {
      char out[4096];

      snprintf (out, sizeof out, "%s.argv", argv[0]);
      if (dump_argv (out, argc, argv) != 0)
        {
          perror ("bench-fakebwrap: writing the captured argv");
          return 125;
        }
    }
  if (gate_fd > 2 && hand_over_listener (gate_fd) != 0)
    {
      perror ("bench-fakebwrap: handing a listener to sbx");
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
