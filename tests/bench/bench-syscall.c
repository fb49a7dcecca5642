/* bench-syscall — cost of one system call, run inside the sandbox (B3 of
 * `make bench`).  Libc only, dynamically linked (so the exec lock's preload
 * applies to it), built without sanitizers.
 *
 *   bench-syscall [getppid|pipe|both] [ITERATIONS]   (default both, 100000)
 *   bench-syscall filters
 *
 * "filters" prints "seccomp_filters=N" from /proc/self/status: the number of
 * seccomp programs on the process (2 under sbx: launch + lock; 0 on B3's
 * baseline), so the benchmark can show it compared what it says.
 *
 * Two loops: getppid() (the cheapest call a filter must still pass) and a
 * 1-byte write()+read() through a pipe (two calls per round).  Each loop runs
 * in 16 batches; the fastest batch gives ns per call (the least disturbed by
 * the other tenants of a shared machine: a filter's cost is in every batch,
 * preemption only in some).  Prints one line, e.g.
 *   getppid_ns=X pipe_ns=Y
 * where pipe_ns is per call (half a round).  Exit 1 when a call fails, so a
 * filter that refused it is not timed as if it were fast.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 16

static double
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static int
print_filters (void)
{
  char line[256];
  FILE *f = fopen ("/proc/self/status", "re");
  long n = -1;

  if (f == NULL)
    {
      perror ("bench-syscall: /proc/self/status");
      return 1;
    }
  while (fgets (line, sizeof line, f))
    if (strncmp (line, "Seccomp_filters:", 16) == 0)
      n = strtol (line + 16, NULL, 10);
  fclose (f);
  if (n < 0)
    {
      fputs ("bench-syscall: no Seccomp_filters line in /proc/self/status\n", stderr);
      return 1;
    }
  printf ("seccomp_filters=%ld\n", n);
  return 0;
}

int
main (int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "both";
  long iters = argc > 2 ? atol (argv[2]) : 100000;
  long per = iters / BATCHES;
  int do_g = strcmp (mode, "pipe") != 0, do_p = strcmp (mode, "getppid") != 0;
  double g[BATCHES], p[BATCHES];
  int fds[2];
  char c = 'x';

  if (strcmp (mode, "filters") == 0)
    return print_filters ();
  if (per < 1)
    per = 1;
  if (pipe (fds) < 0)
    {
      perror ("bench-syscall: pipe");
      return 1;
    }
  for (int b = 0; b < BATCHES; b++)
    {
      double t0 = now_ns ();
      for (long i = 0; do_g && i < per; i++)
        if (getppid () < 0)
          {
            perror ("bench-syscall: getppid");
            return 1;
          }
      double t1 = now_ns ();
      for (long i = 0; do_p && i < per; i++)
        if (write (fds[1], &c, 1) != 1 || read (fds[0], &c, 1) != 1)
          {
            perror ("bench-syscall: pipe write/read");
            return 1;
          }
      double t2 = now_ns ();
      g[b] = (t1 - t0) / per;
      p[b] = (t2 - t1) / per / 2;
    }
  qsort (g, BATCHES, sizeof g[0], cmp_double);
  qsort (p, BATCHES, sizeof p[0], cmp_double);
  if (do_g && do_p)
    printf ("getppid_ns=%.1f pipe_ns=%.1f\n", g[0], p[0]);
  else if (do_g)
    printf ("getppid_ns=%.1f\n", g[0]);
  else
    printf ("pipe_ns=%.1f\n", p[0]);
  return 0;
}
