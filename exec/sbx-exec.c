/* sbx-exec.c — the exec gate's helper: the first program bwrap runs in the
 * sandbox (DESIGN.md §2).
 *
 *   /run/sbx/sbx-exec SOCKFD CMD [ARG…]
 *
 * SOCKFD is one end of a SOCK_SEQPACKET socketpair whose other end sbx
 * holds.  sbx has already queued one message on it: the lock program (a
 * struct sock_filter array).  The helper
 *
 *   1. reads the lock program;
 *   2. installs it with SECCOMP_FILTER_FLAG_NEW_LISTENER (bwrap already set
 *      no_new_privs when it loaded the launch program; set again, harmless);
 *   3. sends the listener fd back over SOCKFD (SCM_RIGHTS);
 *   4. closes the listener and SOCKFD, so the job holds neither;
 *   5. execs CMD.  In the lock program execve/execveat answer
 *      SECCOMP_RET_USER_NOTIF: sbx lets this one exec continue and refuses
 *      every later one.
 *
 * So the lock is in force before the job's first instruction: nothing of
 * the job (its loader, .preinit_array, IFUNC resolvers, DT_NEEDED
 * constructors, a PT_INTERP of its choice) runs before it.  The helper is
 * static and single-threaded, which is why letting its exec through is
 * safe: no other thread can be the one that asked.
 *
 * Fail closed: any problem before the exec prints "sbx-exec: …" and exits
 * 126 (127 when CMD is missing); the job never runs unlocked.  If sbx has
 * died, the kernel answers the exec ENOSYS.
 *
 * libc only, linked statically: it runs before any library of the sandbox
 * could be trusted, and needs no loader.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sbx-scm-rights.h"

/* lib/sbxprofile.h's SBX_PROGRAM_MAX_INSNS; not included (GLib). */
#define MAX_INSNS 4096
#define EXIT_LOCK 126
#define EXIT_NOT_FOUND 127

/* Static: 32 KiB does not belong on the stack of a tiny helper. */
static struct sock_filter program[MAX_INSNS + 1];

__attribute__ ((noreturn)) static void
fail (int status, const char *what, const char *arg, int saved_errno)
{
  fprintf (stderr, "sbx-exec: %s%s%s%s%s\n", what, arg ? " " : "", arg ? arg : "",
           saved_errno ? ": " : "", saved_errno ? strerror (saved_errno) : "");
  _exit (status);
}

static int
parse_fd (const char *text)
{
  char *end = NULL;
  long value;

  errno = 0;
  value = strtol (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < 3 || value > INT_MAX
      || text[0] < '0' || text[0] > '9')
    fail (EXIT_LOCK, "bad socket fd", text, 0);
  return (int) value;
}

/* One message: the whole program.  Returns its instruction count. */
static unsigned short
receive_program (int sock)
{
  ssize_t n;

  do
    n = recv (sock, program, sizeof program, MSG_TRUNC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    fail (EXIT_LOCK, "cannot read the lock program", NULL, errno);
  if (n == 0 || (size_t) n % sizeof (struct sock_filter) != 0
      || (size_t) n > MAX_INSNS * sizeof (struct sock_filter))
    fail (EXIT_LOCK, "the lock program is malformed (size)", NULL, 0);
  return (unsigned short) ((size_t) n / sizeof (struct sock_filter));
}

static void
send_listener (int sock, int listener)
{
  ssize_t n = sbx_scm_send_fd (sock, listener);

  if (n != 1)
    fail (EXIT_LOCK, "cannot hand the exec gate to sbx", NULL, n < 0 ? errno : EIO);
}

int
main (int argc, char **argv)
{
  struct sock_fprog fprog;
  int sock, listener;

  if (argc < 3)
    fail (EXIT_LOCK, "usage: sbx-exec SOCKFD CMD [ARG…] (run by sbx, not by hand)", NULL, 0);
  sock = parse_fd (argv[1]);
  fprog.len = receive_program (sock);
  fprog.filter = program;

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    fail (EXIT_LOCK, "cannot set no_new_privs", NULL, errno);
  listener = (int) syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                            SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
  if (listener < 0)
    fail (EXIT_LOCK, "the kernel refused the lock program", NULL, errno);
  send_listener (sock, listener);
  /* The job holds neither end of the gate. */
  if (close (listener) != 0 || close (sock) != 0)
    fail (EXIT_LOCK, "cannot close the gate's fds", NULL, errno);

  execv (argv[2], argv + 2);
  if (errno == ENOSYS)
    fail (EXIT_LOCK, "sbx no longer answers the exec gate; not running", argv[2], 0);
  fail (errno == ENOENT || errno == ENOTDIR ? EXIT_NOT_FOUND : EXIT_LOCK, "cannot run", argv[2], errno);
}
