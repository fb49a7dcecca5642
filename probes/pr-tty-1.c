/* PR-TTY-1 — no terminal injection: the filter denies ioctl TIOCSTI, also
 * when the command's upper 32 bits are set (the kernel ignores them: a
 * known bypass of filters comparing all 64 bits).
 *  - attribution legs, always testable: ioctl(-1, TIOCSTI) and
 *    ioctl(-1, TIOCSTI | 1<<32) answer EBADF unfiltered, errno= filtered;
 *  - a real injection, harmless: in a child that starts its own session,
 *    a new pseudo-terminal from /dev/ptmx becomes the controlling terminal
 *    and one byte is pushed into its own input queue;
 *  - the inherited terminal (/dev/tty), if any: TIOCSTI with a bad pointer —
 *    EFAULT means every permission check passed, nothing is injected.
 * VIOLATED when an attribution leg reached the kernel or an injection leg
 * worked (or would have); UNTESTABLE when neither terminal leg could run. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#define ID "PR-TTY-1"

static void
own_pty (Probe *p, void *arg)
{
  (void) arg;
  p->child_ret = -2;            /* -2: no terminal could be made */
  if (setsid () < 0)
    {
      p->child_err = errno;
      p->child_done = 1;
      return;
    }
  int master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  char *name = master >= 0 && grantpt (master) == 0 && unlockpt (master) == 0
               ? ptsname (master) : NULL;
  int slave = name ? open (name, O_RDWR | O_CLOEXEC) : -1;   /* becomes our controlling tty */
  if (slave < 0)
    {
      p->child_err = errno;
      p->child_done = 1;
      return;
    }
  char c = '\n';
  errno = 0;
  p->child_ret = ioctl (slave, TIOCSTI, &c);
  p->child_err = p->child_ret < 0 ? errno : 0;
  p->child_done = 1;
}

void
probe_pr_tty_1 (void)
{
  Probe p;
  probe_init (&p, ID);
  char c = '\n';
  long r = syscall (SYS_ioctl, -1, (unsigned long) TIOCSTI, &c);
  probe_filter_leg (&p, 1, EBADF, "ioctl", "fd -1, TIOCSTI (unfiltered: EBADF)", r, errno);
  r = syscall (SYS_ioctl, -1, (1UL << 32) | (unsigned long) TIOCSTI, &c);
  probe_filter_leg (&p, 1, EBADF, "ioctl", "fd -1, TIOCSTI|1<<32 (unfiltered: EBADF)", r, errno);

  ProbeChild end;
  char words[64];
  int want = expect_errno ();
  int terminal_legs = 0;        /* pty and /dev/tty legs that could run */
  p.child_done = 0;
  if (probe_run_child (&p, own_pty, NULL, 2000, &end) == 0 && end.reported && p.child_done)
    {
      if (p.child_ret == -2)
        {
          probe_attempt (ID, "open", "/dev/ptmx and its pts as controlling terminal", -1, p.child_err);
          probe_note (&p, "no pseudo-terminal could be made (%s)", probe_errno_name (p.child_err));
        }
      else
        {
          probe_attempt (ID, "ioctl", "own new pty (controlling terminal), TIOCSTI, \"\\n\"",
                         p.child_ret, p.child_err);
          terminal_legs++;
          if (p.child_ret == 0)
            probe_violated (&p, "TIOCSTI injected a byte into a terminal");
          else if (p.child_err == want)
            probe_held (&p, "TIOCSTI on a terminal %s", probe_errno_name (want));
          else
            probe_held (&p, "TIOCSTI on a terminal refused by the kernel (%s)",
                        probe_errno_name (p.child_err));
        }
    }
  else
    {
      probe_attempt_text (ID, "ioctl", "own new pty, TIOCSTI", probe_child_words (&end, words, sizeof words), 0);
      probe_note (&p, "pty child did not report (%s)", words);
    }

  int tty = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty < 0)
    {
      probe_attempt (ID, "open", "/dev/tty (inherited controlling terminal)", -1, errno);
      probe_note (&p, "no inherited terminal (%s)", probe_errno_name (errno));
    }
  else
    {
      r = ioctl (tty, TIOCSTI, PROBE_BADPTR);
      int e = errno;
      probe_attempt (ID, "ioctl", "/dev/tty, TIOCSTI, bad pointer (nothing injected)", r, e);
      terminal_legs++;
      if (r == 0 || e == EFAULT)
        probe_violated (&p, "TIOCSTI on the inherited terminal passed every permission check");
      else
        probe_held (&p, "inherited terminal: TIOCSTI %s", probe_errno_name (e));
      close (tty);
    }
  /* DESIGN §4: inconclusive, not passed, when there is no terminal — the
   * fd -1 legs alone show the filter, not that no terminal can be injected */
  if (!terminal_legs)
    probe_untestable (&p, "no terminal: neither a new pty nor /dev/tty could be tried");
  probe_finish (&p);
}
