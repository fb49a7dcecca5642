/* sbx-init.c — pid 1 of the sandbox, out of the job's reach.
 *
 *   /run/sbx/sbx-init CMD [ARG…]
 *
 * bwrap runs it with --as-pid-1, so no process of bwrap's stays in the
 * sandbox.  Its own pid-1 reaper would: same uid as the job, dumpable, and
 * the job's ancestor, so the job could open /proc/1/mem read-write (and run
 * code there that no exec lock covers) and read /proc/1/environ.  This one
 * makes itself non-dumpable first: its /proc/1/mem, environ, maps, fds …
 * then need CAP_SYS_PTRACE, which the job does not have (bwrap dropped
 * every capability, and seccomp refuses ptrace).  The job, exec'd by a
 * forked child, is dumpable as usual.
 *
 * Why not the job itself as pid 1: the kernel ignores every signal without
 * a handler that reaches pid 1 from its own namespace or from sbx (SIGTERM,
 * SIGINT, a raise() of its own, SIGXFSZ for file-size), and pid 1 must reap
 * orphans.  So this process reaps, forwards every signal it gets to the
 * job, and exits with the job's status (128+N for signal N, as bwrap's own
 * reaper did); the kernel then kills whatever is left in the namespace.
 *
 * Exits 125 when it cannot set itself up, 126/127 when CMD cannot be run.
 * libc only, linked statically; fds above 2 are closed in this process (the
 * job keeps its own copies).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_SETUP 125
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_NOT_FOUND 127

static int
status_of (int status)
{
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return WEXITSTATUS (status);
}

int
main (int argc, char **argv)
{
  sigset_t all, old;
  pid_t job;

  if (argc < 2)
    {
      fputs ("usage: sbx-init CMD [ARG…]\n", stderr);
      return EXIT_SETUP;
    }
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 || prctl (PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
    {
      fprintf (stderr, "sbx-init: cannot make pid 1 non-dumpable: %s\n", strerror (errno));
      return EXIT_SETUP;
    }
  /* Blocked before the fork, so no signal is lost between fork and wait. */
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  job = fork ();
  if (job < 0)
    {
      fprintf (stderr, "sbx-init: fork: %s\n", strerror (errno));
      return EXIT_SETUP;
    }
  if (job == 0)
    {
      sigprocmask (SIG_SETMASK, &old, NULL);
      execvp (argv[1], argv + 1);
      fprintf (stderr, "sbx-init: cannot run %s: %s\n", argv[1], strerror (errno));
      _exit (errno == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
    }
  syscall (SYS_close_range, 3U, ~0U, 0U);

  for (;;)
    {
      siginfo_t info;
      int sig = sigwaitinfo (&all, &info);
      int status;
      pid_t pid;

      if (sig < 0)
        continue;
      if (sig != SIGCHLD)
        {
          kill (job, sig);
          continue;
        }
      while ((pid = waitpid (-1, &status, WNOHANG)) > 0)
        if (pid == job)
          return status_of (status);
    }
}
