/* PR-PTRACE-1 — the seccomp filter denies ptrace and process_vm_readv.
 * Targets are only our own forked children: PTRACE_ATTACH to a child that
 * waits on a pipe (detached again when it worked), process_vm_readv of a
 * word of that child, PTRACE_TRACEME in a second child.  Attribution legs:
 * PTRACE_ATTACH of pid 0 (unfiltered: ESRCH) and process_vm_readv with a bad
 * iovec pointer (unfiltered: EFAULT).  Any call that did not get errno= from
 * the filter is a violation. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define ID "PR-PTRACE-1"

static volatile unsigned long marker = 0x5bc0ffee5bc0ffeeUL;

static void
traceme (Probe *p, void *arg)
{
  (void) arg;
  errno = 0;
  p->child_ret = ptrace (PTRACE_TRACEME, 0, NULL, NULL);
  p->child_err = errno;
  p->child_done = 1;
}

void
probe_pr_ptrace_1 (void)
{
  Probe p;
  probe_init (&p, ID);

  int fds[2];
  if (pipe (fds) < 0)
    {
      probe_untestable (&p, "cannot make a pipe (%s)", probe_errno_name (errno));
      probe_finish (&p);
      return;
    }
  pid_t child = probe_fork ();
  if (child == 0)
    {
      char c;
      close (fds[1]);
      while (read (fds[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (fds[0]);
  if (child < 0)
    {
      probe_untestable (&p, "cannot fork a target (%s)", probe_errno_name (errno));
      close (fds[1]);
    }
  else
    {
      errno = 0;
      long r = ptrace (PTRACE_ATTACH, child, NULL, NULL);
      if (probe_filter_leg (&p, 1, 0, "ptrace", "PTRACE_ATTACH, own child", r, errno) == PROBE_ALLOWED)
        {
          int st;
          waitpid (child, &st, __WALL);
          ptrace (PTRACE_DETACH, child, NULL, NULL);
        }
      unsigned long got = 0;
      struct iovec local = { &got, sizeof got };
      struct iovec remote = { (void *) &marker, sizeof marker };
      ssize_t n = process_vm_readv (child, &local, 1, &remote, 1, 0);
      int e = errno;
      if (probe_filter_leg (&p, 1, 0, "process_vm_readv", "own child, 8 bytes of its memory", (long) n, e)
          == PROBE_ALLOWED)
        probe_note (&p, "process_vm_readv read %s", got == marker ? "the marker word" : "other bytes");
      close (fds[1]);           /* releases the target */
      kill (child, SIGKILL);
      waitpid (child, NULL, __WALL);
    }

  ProbeChild end;
  char words[64];
  p.child_done = 0;
  if (probe_run_child (&p, traceme, NULL, 2000, &end) == 0 && end.reported && p.child_done)
    probe_filter_leg (&p, 1, 0, "ptrace", "PTRACE_TRACEME in a child", p.child_ret, p.child_err);
  else
    {
      probe_attempt_text (ID, "ptrace", "PTRACE_TRACEME in a child",
                          probe_child_words (&end, words, sizeof words), 0);
      probe_untestable (&p, "PTRACE_TRACEME child did not report (%s)", words);
    }

  errno = 0;
  long r = ptrace (PTRACE_ATTACH, 0, NULL, NULL);
  probe_filter_leg (&p, 1, ESRCH, "ptrace", "PTRACE_ATTACH, pid 0 (unfiltered: ESRCH)", r, errno);
  unsigned long word;
  struct iovec remote = { &word, sizeof word };
  ssize_t n = process_vm_readv (getpid (), PROBE_BADPTR, 1, &remote, 1, 0);
  probe_filter_leg (&p, 1, EFAULT, "process_vm_readv", "self, bad local iovec pointer (unfiltered: EFAULT)",
                    (long) n, errno);
  probe_finish (&p);
}
