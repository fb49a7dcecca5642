/* PR-URING-1 — no io_uring: io_uring_setup with good arguments must not
 * give a ring (the control gets one and closes it), and the filter answers
 * errno= where an unfiltered kernel says EFAULT (io_uring_setup with a bad
 * params pointer) or EBADF (io_uring_enter on fd -1, io_uring_register on fd -2):
 * io_uring's own SOCKET/CONNECT operations would bypass seccomp, so the
 * filter has to stop every io_uring call. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#define SYS_io_uring_enter 426
#define SYS_io_uring_register 427
#endif

#define ID "PR-URING-1"

void
probe_pr_uring_1 (void)
{
  Probe p;
  probe_init (&p, ID);
  struct io_uring_params params;
  memset (&params, 0, sizeof params);
  long fd = syscall (SYS_io_uring_setup, 4, &params);
  probe_filter_leg (&p, 1, 0, "io_uring_setup", "4 entries, zeroed params", fd, errno);
  if (fd >= 0)
    close ((int) fd);
  long r = syscall (SYS_io_uring_setup, 4, PROBE_BADPTR);
  probe_filter_leg (&p, 1, EFAULT, "io_uring_setup", "4 entries, bad params pointer (unfiltered: EFAULT)", r, errno);
  r = syscall (SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0);
  probe_filter_leg (&p, 1, EBADF, "io_uring_enter", "fd -1 (unfiltered: EBADF)", r, errno);
  /* fd -1 means "no ring" to io_uring_register (EINVAL): -2 is plainly bad */
  r = syscall (SYS_io_uring_register, -2, 0, NULL, 0);
  probe_filter_leg (&p, 1, EBADF, "io_uring_register", "fd -2 (unfiltered: EBADF)", r, errno);
  probe_finish (&p);
}
