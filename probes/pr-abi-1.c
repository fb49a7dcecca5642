/* PR-ABI-1 — no ABI bypass: socket(AF_INET, SOCK_STREAM, 0) made through the
 * other x86 ABIs, each in a forked child:
 *  - x32: the native entry with the x32 bit (nr | 0x40000000).  The filter
 *    must kill the child (SIGSYS) or answer errno=.  An unfiltered kernel
 *    without x32 answers ENOSYS — the call reached the kernel — which is
 *    what the control shows.
 *  - i386: `int $0x80` with the i386 number 359.  Where the kernel has no
 *    usable i386 entry the child dies of SIGSEGV before any filter can see
 *    the call: that leg is not testable here and is only noted.
 * HOLDS when the x32 leg was stopped and the i386 leg was stopped or not
 * testable; VIOLATED when either leg reached the kernel. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ID "PR-ABI-1"

#if defined(__x86_64__)
#define X32_BIT 0x40000000L
#define I386_SOCKET 359L

static void
x32_call (Probe *p, void *arg)
{
  (void) arg;
  errno = 0;
  p->child_ret = syscall (X32_BIT | SYS_socket, AF_INET, SOCK_STREAM, 0);
  p->child_err = p->child_ret < 0 ? errno : 0;
  p->child_done = 1;
}

static void
i386_call (Probe *p, void *arg)
{
  (void) arg;
  long ret;
  __asm__ volatile ("int $0x80"
                    : "=a" (ret)
                    : "a" (I386_SOCKET), "b" ((long) AF_INET), "c" ((long) SOCK_STREAM), "d" (0L)
                    : "memory", "cc");
  p->child_ret = ret < 0 && ret > -4096 ? -1 : ret;
  p->child_err = ret < 0 && ret > -4096 ? (int) -ret : 0;
  p->child_done = 1;
}

/* Returns 1 stopped, 0 reached the kernel, -1 not testable. */
static int
abi_leg (Probe *p, const char *abi, void (*fn) (Probe *, void *), const char *call,
         const char *args)
{
  ProbeChild end;
  char words[64];
  int want = expect_errno ();
  p->child_done = 0;
  if (probe_run_child (p, fn, NULL, 2000, &end) < 0)
    {
      probe_attempt (ID, "fork", "child for the ABI leg", -1, errno);
      return -1;
    }
  if (end.reported && p->child_done)
    {
      probe_attempt (ID, call, args, p->child_ret, p->child_err);
      if (p->child_ret < 0 && p->child_err == want && want != ENOSYS)
        {
          probe_held (p, "%s call answered %s", abi, probe_errno_name (want));
          return 1;
        }
      probe_violated (p, "%s call reached the kernel (%s)", abi,
                      p->child_ret < 0 ? probe_errno_name (p->child_err) : "a socket was created");
      return 0;
    }
  probe_child_words (&end, words, sizeof words);
  probe_attempt_text (ID, call, args, words, 0);
  if (end.sig == SIGSYS)
    {
      probe_held (p, "%s call killed by SIGSYS", abi);
      return 1;
    }
  return -1;
}
#endif

void
probe_pr_abi_1 (void)
{
  Probe p;
  probe_init (&p, ID);
#if defined(__x86_64__)
  int x32 = abi_leg (&p, "x32", x32_call, "syscall",
                     "x32 socket (nr 41|0x40000000), AF_INET, SOCK_STREAM, 0");
  int i386 = abi_leg (&p, "i386", i386_call, "int $0x80",
                      "i386 socket (nr 359), AF_INET, SOCK_STREAM, 0");
  if (x32 < 0)
    probe_untestable (&p, "x32 leg: the child neither reported nor was killed by SIGSYS");
  if (i386 < 0)
    probe_note (&p, "i386 leg not testable: int $0x80 does not reach a syscall entry here (the child was not stopped by the filter)");
#else
  probe_untestable (&p, "not x86_64: the x32/i386 legs do not apply");
#endif
  probe_finish (&p);
}
