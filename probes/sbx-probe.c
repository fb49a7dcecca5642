/* sbx-probe — runs the probes of the catalogue (probes/catalogue.c), each in
 * a forked child with a time budget, and prints their records (probe.h,
 * probes/README.md).  libc only: this program runs inside the sandbox. */
#include "config.h"

#include "catalogue.h"
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Self-tests of the dispatcher, reachable only through --only: never part
 * of a normal run, never listed. */
static void selftest_hang (void) { signal (SIGALRM, SIG_IGN); for (;;) pause (); }
static void selftest_linger (void)
{
  if (fork () == 0)             /* holds the record pipe open */
    {
      sleep (60);
      _exit (0);
    }
  probe_result ("SELFTEST-LINGER", "HOLDS", "left a child behind");
}
static void selftest_crash (void) { probe_attempt ("SELFTEST-CRASH", "raise", "SIGSEGV", 0, 0); raise (SIGSEGV); }
static void selftest_silent (void) { _exit (3); }

static const struct {
  const char *id;
  void (*run) (void);
  int hidden;
} probes[] = {
  { "PR-NET-1",       probe_pr_net_1,       0 },
  { "PR-NET-2",       probe_pr_net_2,       0 },
  { "PR-SOCK-1",      probe_pr_sock_1,      0 },
  { "PR-SOCK-DOCKER", probe_pr_sock_docker, 0 },
  { "PR-ENV-1",       probe_pr_env_1,       0 },
  { "PR-FS-RO-IN",    probe_pr_fs_ro_in,    0 },
  { "PR-FS-ESC-1",    probe_pr_fs_esc_1,    0 },
  { "PR-FS-ESC-2",    probe_pr_fs_esc_2,    0 },
  { "PR-FS-OUT-OK",   probe_pr_fs_out_ok,   0 },
  { "PR-EXEC-1",      probe_pr_exec_1,      0 },
  { "PR-MOUNT-1",     probe_pr_mount_1,     0 },
  { "PR-PTRACE-1",    probe_pr_ptrace_1,    0 },
  { "PR-CAP-1",       probe_pr_cap_1,       0 },
  { "PR-NNP-1",       probe_pr_nnp_1,       0 },
  { "PR-SECCOMP-1",   probe_pr_seccomp_1,   0 },
  { "PR-NS-1",        probe_pr_ns_1,        0 },
  { "PR-RLIMIT-1",    probe_pr_rlimit_1,    0 },
  { "PR-ABI-1",       probe_pr_abi_1,       0 },
  { "PR-URING-1",     probe_pr_uring_1,     0 },
  { "PR-TTY-1",       probe_pr_tty_1,       0 },
  { "PR-TMP-NOEXEC",  probe_pr_tmp_noexec,  0 },
  { "SELFTEST-HANG",  selftest_hang,        1 },
  { "SELFTEST-CRASH", selftest_crash,       1 },
  { "SELFTEST-SILENT", selftest_silent,     1 },
  { "SELFTEST-LINGER", selftest_linger,     1 },
};
#define N_PROBES (sizeof probes / sizeof probes[0])

static void (*find_run (const char *id)) (void)
{
  for (size_t i = 0; i < N_PROBES; i++)
    if (strcmp (probes[i].id, id) == 0)
      return probes[i].run;
  return NULL;
}

static void
usage (FILE *to)
{
  fputs ("Usage: sbx-probe --expect FILE [--only ID[,ID…]] [--budget SECONDS]\n"
         "       sbx-probe --list\n"
         "Runs each probe of the catalogue in a forked child and prints tab-separated\n"
         "ATTEMPT and RESULT records on stdout (see probes/README.md).\n", to);
}

static long
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void
write_all (int fd, const char *buf, size_t len)
{
  while (len > 0)
    {
      ssize_t w = write (fd, buf, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return;
      buf += w;
      len -= (size_t) w;
    }
}

/* Forwards the complete lines in @buf that belong to probe @id, keeping
 * the unfinished tail.  Lines after the probe's RESULT, and lines that are
 * not records of this probe (output of a program a probe exec'd), are
 * dropped with a note on stderr.  Returns the new fill level. */
static size_t
forward_lines (const char *id, char *buf, size_t len, int *have_result, int flush_tail)
{
  char attempt[128], result[128];
  snprintf (attempt, sizeof attempt, "ATTEMPT\t%s\t", id);
  snprintf (result, sizeof result, "RESULT\t%s\t", id);
  size_t start = 0;
  for (;;)
    {
      char *nl = memchr (buf + start, '\n', len - start);
      size_t end;
      if (nl)
        end = (size_t) (nl - buf) + 1;
      else if (flush_tail && start < len)
        end = len;
      else
        break;
      const char *line = buf + start;
      size_t n = end - start;
      int is_attempt = n > strlen (attempt) && memcmp (line, attempt, strlen (attempt)) == 0;
      int is_result = n > strlen (result) && memcmp (line, result, strlen (result)) == 0;
      if ((is_attempt || is_result) && !*have_result && nl)
        {
          write_all (STDOUT_FILENO, line, n);
          if (is_result)
            *have_result = 1;
        }
      else
        fprintf (stderr, "sbx-probe: %s: dropped output line: %.*s\n", id,
                 (int) (n > 200 ? 200 : n - (nl ? 1 : 0)), line);
      start = end;
    }
  memmove (buf, buf + start, len - start);
  return len - start;
}

/* Runs one probe in a child (own process group, stdout on a pipe, alarm at
 * the budget), forwards its records, and writes RESULT ERROR when the
 * child timed out, crashed or ended without a RESULT. */
static void
run_one (const char *id, void (*run) (void), int budget_s)
{
  int fds[2];
  char msg[256];
  if (pipe2 (fds, O_CLOEXEC) < 0)
    {
      snprintf (msg, sizeof msg, "could not create a pipe: %s", probe_errno_name (errno));
      probe_result (id, "ERROR", msg);
      return;
    }
  pid_t pid = probe_fork ();
  if (pid < 0)
    {
      snprintf (msg, sizeof msg, "could not fork: %s", probe_errno_name (errno));
      close (fds[0]);
      close (fds[1]);
      probe_result (id, "ERROR", msg);
      return;
    }
  if (pid == 0)
    {
      setpgid (0, 0);
      close (fds[0]);
      if (dup2 (fds[1], STDOUT_FILENO) < 0)
        _exit (125);
      close (fds[1]);
      signal (SIGPIPE, SIG_DFL);
      alarm ((unsigned) budget_s);
      run ();
      _exit (0);
    }
  setpgid (pid, pid);           /* also here: no race with the child's own call */
  close (fds[1]);

  char buf[16384];
  size_t len = 0;
  int have_result = 0, timed_out = 0, reaped = 0, status = 0, eof = 0;
  long deadline = now_ms () + budget_s * 1000L + 500;
  while (!eof)
    {
      long left = deadline - now_ms ();
      if (left <= 0)
        {
          timed_out = !reaped;
          break;
        }
      struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
      int r = poll (&pfd, 1, left > 50 ? 50 : (int) left);
      if (r < 0 && errno != EINTR)
        break;
      if (r > 0)
        {
          ssize_t n = read (fds[0], buf + len, sizeof buf - len);
          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            eof = 1;
          else
            {
              len += (size_t) n;
              len = forward_lines (id, buf, len, &have_result, len == sizeof buf);
            }
        }
      if (!reaped && waitpid (pid, &status, WNOHANG) == pid)
        {
          reaped = 1;
          /* the probe is gone; what it wrote is in the pipe already.  A
           * grandchild still holding the pipe must not keep us waiting. */
          if (deadline > now_ms () + 200)
            deadline = now_ms () + 200;
        }
    }
  /* whatever is left of the group (a probe's own children) goes now */
  kill (-pid, SIGKILL);
  if (!reaped)
    {
      kill (pid, SIGKILL);
      while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
        ;
    }
  /* drain what arrived before the kill */
  for (;;)
    {
      struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
      if (poll (&pfd, 1, 0) <= 0)
        break;
      ssize_t n = read (fds[0], buf + len, sizeof buf - len);
      if (n <= 0)
        break;
      len += (size_t) n;
      len = forward_lines (id, buf, len, &have_result, len == sizeof buf);
    }
  forward_lines (id, buf, len, &have_result, 1);
  close (fds[0]);
  if (have_result)
    return;
  if (timed_out || (WIFSIGNALED (status) && WTERMSIG (status) == SIGALRM))
    snprintf (msg, sizeof msg, "timed out after %d s", budget_s);
  else if (WIFSIGNALED (status))
    snprintf (msg, sizeof msg, "killed by %s", probe_signal_name (WTERMSIG (status)));
  else
    snprintf (msg, sizeof msg, "exited with status %d without a result", WEXITSTATUS (status));
  probe_result (id, "ERROR", msg);
}

/* --only: a comma-separated list of known ids. */
static int
only_has (const char *only, const char *id)
{
  size_t n = strlen (id);
  for (const char *s = only; s && *s;)
    {
      const char *e = strchr (s, ',');
      size_t len = e ? (size_t) (e - s) : strlen (s);
      if (len == n && strncmp (s, id, n) == 0)
        return 1;
      s = e ? e + 1 : NULL;
    }
  return 0;
}

static int
only_check (const char *only)
{
  char item[64];
  for (const char *s = only; s && *s;)
    {
      const char *e = strchr (s, ',');
      size_t len = e ? (size_t) (e - s) : strlen (s);
      snprintf (item, sizeof item, "%.*s", (int) (len < sizeof item ? len : sizeof item - 1), s);
      if (!find_run (item))
        {
          fprintf (stderr, "sbx-probe: --only: unknown probe id '%s'\n", item);
          return -1;
        }
      s = e ? e + 1 : NULL;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = {
    { "expect", required_argument, NULL, 'e' },
    { "only", required_argument, NULL, 'o' },
    { "list", no_argument, NULL, 'l' },
    { "budget", required_argument, NULL, 'b' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *expect = NULL, *only = NULL;
  int list = 0, budget = 5, c;
  while ((c = getopt_long (argc, argv, "", opts, NULL)) != -1)
    switch (c)
      {
      case 'e': expect = optarg; break;
      case 'o': only = optarg; break;
      case 'l': list = 1; break;
      case 'b':
        budget = atoi (optarg);
        if (budget < 1 || budget > 600)
          {
            fprintf (stderr, "sbx-probe: --budget: expected 1…600 seconds\n");
            return 2;
          }
        break;
      case 'h': usage (stdout); return 0;
      default: usage (stderr); return 2;
      }
  if (optind < argc)
    {
      fprintf (stderr, "sbx-probe: unexpected argument '%s'\n", argv[optind]);
      usage (stderr);
      return 2;
    }
  if (list)
    {
      for (unsigned i = 0; i < sbx_probe_catalogue_size; i++)
        printf ("%s\t%s\t%s\n", sbx_probe_catalogue[i].id,
                sbx_probe_catalogue[i].required ? "required" : "optional",
                sbx_probe_catalogue[i].property);
      return fflush (stdout) == 0 ? 0 : 1;
    }
  if (!expect)
    {
      fprintf (stderr, "sbx-probe: --expect FILE is required\n");
      usage (stderr);
      return 2;
    }
  if (only && only_check (only) < 0)
    return 2;
  char msg[512];
  if (expect_load (expect, msg, sizeof msg) < 0)
    {
      fprintf (stderr, "sbx-probe: %s\n", msg);
      return 2;
    }
  /* a reader that went away must not kill us mid-run with SIGPIPE before
   * the other probes ran; writes then just fail */
  signal (SIGPIPE, SIG_IGN);
  signal (SIGCHLD, SIG_DFL);
  fflush (NULL);

  /* report order = catalogue order; hidden self-tests only when named */
  for (unsigned i = 0; i < sbx_probe_catalogue_size; i++)
    {
      const char *id = sbx_probe_catalogue[i].id;
      if (only && !only_has (only, id))
        continue;
      void (*run) (void) = find_run (id);
      if (!run)
        probe_result (id, "ERROR", "sbx-probe has no code for this catalogue id");
      else
        run_one (id, run, budget);
    }
  for (size_t i = 0; i < N_PROBES; i++)
    if (probes[i].hidden && only && only_has (only, probes[i].id))
      run_one (probes[i].id, probes[i].run, budget);
  return 0;
}
