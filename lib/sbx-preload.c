/* sbx-preload.c — sbx-preload.so, the exec lock for exec-lock=preload.
 *
 * bwrap starts the job under the launch program, which must still allow
 * execve.  The job's environment names this library in LD_PRELOAD and an
 * inherited fd holding the lock program in SBX_LOCK_FD; the dynamic loader
 * runs the constructor below before the job's own code, and it installs the
 * lock (launch + execve/execveat denied) on every thread.
 *
 * Fail closed: if LD_PRELOAD brought us in, the process must not reach main
 * unlocked.  Any problem — variable missing, bad fd, not a program, kernel
 * refusal — writes "sbx-preload: ..." to stderr and exits 126.
 *
 * libc only: this runs inside arbitrary jobs, so it links nothing else, keeps
 * no state and exports no symbol.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Same names and limit as lib/sbx-private.h (SBX_ENV_LOCK_FD,
 * SBX_ENV_PRELOAD) and lib/sbxprofile.h (SBX_PROGRAM_MAX_INSNS); not
 * included because they pull in GLib.  tests/unit/test-exec-lock.c uses
 * the header's names, so a mismatch fails there. */
#define LOCK_FD_VAR "SBX_LOCK_FD"
#define PRELOAD_VAR "LD_PRELOAD"
#define MAX_INSNS 4096

/* Static: 32 KiB is more than a constructor should put on the stack. */
static struct sock_filter lock_program[MAX_INSNS];

static void
put (const char *text)
{
  size_t length = strlen (text);

  while (length > 0)
    {
      ssize_t n = write (STDERR_FILENO, text, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      text += n;
      length -= n;
    }
}

__attribute__ ((noreturn)) static void
fail (const char *what, int saved_errno)
{
  put ("sbx-preload: cannot apply the exec lock: ");
  put (what);
  if (saved_errno != 0)
    {
      put (": ");
      put (strerror (saved_errno));
    }
  put ("\n");
  _exit (126);
}

static int
lock_fd_from_env (void)
{
  const char *text = getenv (LOCK_FD_VAR);
  char *end = NULL;
  long value;

  if (text == NULL || *text == '\0')
    fail (LOCK_FD_VAR " is not set", 0);
  errno = 0;
  value = strtol (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < 0 || value > INT_MAX
      || text[0] < '0' || text[0] > '9')
    fail (LOCK_FD_VAR " is not a file descriptor number", 0);
  return (int) value;
}

/* Reads the whole program; returns its instruction count. */
static unsigned short
read_program (int fd)
{
  struct stat st;
  size_t done = 0;

  if (fstat (fd, &st) != 0)
    fail (LOCK_FD_VAR " does not name an open file", errno);
  if (!S_ISREG (st.st_mode))
    fail ("the lock fd is not a regular file (memfd)", 0);
  if (st.st_size <= 0 || st.st_size % sizeof (struct sock_filter) != 0
      || (size_t) st.st_size > sizeof lock_program)
    fail ("the lock fd does not hold a seccomp program (size)", 0);
  while (done < (size_t) st.st_size)
    {
      ssize_t n = pread (fd, (char *) lock_program + done, st.st_size - done, done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        fail ("cannot read the lock program", n < 0 ? errno : EIO);
      done += n;
    }
  return (unsigned short) (done / sizeof (struct sock_filter));
}

__attribute__ ((constructor)) static void
sbx_preload_lock (void)
{
  int fd = lock_fd_from_env ();
  struct sock_fprog fprog = { .len = read_program (fd), .filter = lock_program };
  long rc;

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    fail ("cannot set no_new_privs", errno);
  /* TSYNC: a constructor may already share the process with threads that
   * other constructors started. */
  rc = syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fprog);
  if (rc > 0)
    fail ("another thread cannot take the lock", 0);
  if (rc != 0)
    fail ("the kernel refused the lock program", errno);
  close (fd);
  /* The job sees neither the fd nor how it was locked. */
  if (unsetenv (LOCK_FD_VAR) != 0 || unsetenv (PRELOAD_VAR) != 0)
    fail ("cannot clear the environment", errno);
}
