/* PR-EXEC-1 — exec denied after the lock: execve and execveat of /bin/sh,
 * and of an ELF copied into `tmp` (tmp=), each tried in a forked child, and
 * execve with a bad path pointer (an unfiltered kernel says EFAULT).  A leg
 * holds only when the filter answered errno= (or killed the child with
 * SIGSYS); an exec that ran, or a refusal from the kernel itself (ENOENT,
 * EACCES of a noexec mount), means the lock did not deny it.
 *
 * Two places an LD_PRELOAD lock never reached (DESIGN §2): sbx-probe is
 * linked static (no PT_INTERP: no dynamic loader, no preload; recorded from
 * its own program headers), and its .preinit_array entry tries the first
 * exec before anything else of the program runs, before main — the
 * earliest code a program has.  Inside, the job's own exec (of sbx-probe)
 * was the one the exec gate lets through, so that early exec must be
 * refused like every later one.  Its outcome is kept until this probe
 * reports it.
 *
 * The programs exec'd are `sh -c "exit 0"` and a copy of /bin/true: they do
 * nothing. */
#include "config.h"

#include "probe.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ID "PR-EXEC-1"

extern char **environ;

/* ---------------------------------------------- the exec before main */

static char *const early_argv[] = { (char *) "sh", (char *) "-c", (char *) "exit 0", NULL };

/* What the .preinit_array entry saw; tried 0: not run (no --expect). */
static struct {
  int tried;
  int setup_err;  /* pipe or fork failed: errno */
  int reported;   /* the child wrote errno: the exec failed */
  int err;
  int status;     /* wait status of the child (the exec'd program's) */
  int timed_out;
} early;

/* Runs before main (and before any constructor): in a forked child,
 * execve("/bin/sh", [sh, -c, exit 0]); the child writes errno to a
 * close-on-exec pipe when the exec fails.  Only for a probe run
 * (--expect), never for --list or --help.  At most 2 s. */
static void
early_exec (int argc, char **argv, char **envp)
{
  int wanted = 0, fds[2];
  for (int i = 1; i < argc && argv[i]; i++)
    if (strcmp (argv[i], "--expect") == 0)
      wanted = 1;
  if (!wanted)
    return;
  early.tried = 1;
  if (pipe2 (fds, O_CLOEXEC) < 0)
    {
      early.setup_err = errno;
      return;
    }
  pid_t pid = fork ();
  if (pid < 0)
    {
      early.setup_err = errno;
      close (fds[0]);
      close (fds[1]);
      return;
    }
  if (pid == 0)
    {
      close (fds[0]);
      execve ("/bin/sh", early_argv, envp);
      int e = errno;
      if (write (fds[1], &e, sizeof e) < 0)
        _exit (126);
      _exit (127);
    }
  close (fds[1]);
  struct pollfd pfd = { fds[0], POLLIN, 0 };
  int r;
  while ((r = poll (&pfd, 1, 2000)) < 0 && errno == EINTR)
    ;
  if (r == 0)
    {
      early.timed_out = 1;
      kill (pid, SIGKILL);
    }
  else
    {
      int e;
      ssize_t n;
      while ((n = read (fds[0], &e, sizeof e)) < 0 && errno == EINTR)
        ;
      if (n == (ssize_t) sizeof e)
        early.reported = 1, early.err = e;
    }
  close (fds[0]);
  while (waitpid (pid, &early.status, 0) < 0 && errno == EINTR)
    ;
}

__attribute__ ((section (".preinit_array"), used))
static void (*const early_exec_entry) (int, char **, char **) = early_exec;

static void
early_leg (Probe *p)
{
  static const char args[] = "/bin/sh, [sh, -c, exit 0], from .preinit_array, before main";
  int want = expect_errno ();
  char words[64];
  if (!early.tried)
    {
      probe_attempt_text (ID, "execve", args, "not run", 0);
      probe_untestable (p, ".preinit_array exec was not run");
      return;
    }
  if (early.setup_err)
    {
      probe_attempt (ID, "fork", "child for the .preinit_array exec", -1, early.setup_err);
      probe_untestable (p, ".preinit_array exec: cannot fork (%s)", probe_errno_name (early.setup_err));
      return;
    }
  if (early.reported)
    {
      probe_attempt (ID, "execve", args, -1, early.err);
      if (early.err == want)
        probe_held (p, ".preinit_array execve %s", probe_errno_name (want));
      else
        probe_violated (p, ".preinit_array execve reached the kernel (%s, not the lock's %s)",
                        probe_errno_name (early.err), probe_errno_name (want));
      return;
    }
  ProbeChild end = { 0, WIFEXITED (early.status), WIFEXITED (early.status) ? WEXITSTATUS (early.status) : 0,
                     WIFSIGNALED (early.status) ? WTERMSIG (early.status) : 0, early.timed_out };
  probe_child_words (&end, words, sizeof words);
  probe_attempt_text (ID, "execve", args, words, 0);
  if (end.sig == SIGSYS && !early.timed_out)
    probe_held (p, ".preinit_array execve killed by SIGSYS");
  else if (end.exited)
    probe_violated (p, ".preinit_array execve ran the program (%s)", words);
  else
    probe_violated (p, ".preinit_array execve: the child ended unexpectedly (%s)", words);
}

/* Whether this program has a PT_INTERP (a dynamic loader), from its own
 * program headers: "static, no PT_INTERP" or "dynamic, PT_INTERP". */
static void
static_leg (Probe *p)
{
  int interp = 0;
  for (const ElfW (Phdr) *ph = (const ElfW (Phdr) *) getauxval (AT_PHDR), *end = ph + getauxval (AT_PHNUM);
       ph && ph < end; ph++)
    if (ph->p_type == PT_INTERP)
      interp = 1;
  probe_attempt_text (ID, "read", "own program headers (AT_PHDR)", interp ? "dynamic, PT_INTERP" : "static, no PT_INTERP", 0);
  if (interp)
    probe_note (p, "sbx-probe is dynamically linked: the legs did not run from a static binary");
  else
    probe_note (p, "the legs ran from a static binary");
}

typedef struct {
  int how;          /* 0 execve(path), 1 execveat(AT_FDCWD, path), 2 execveat(fd, ""), 3 bad ptr */
  const char *path;
  int fd;
  char *const *argv;
} ExecLeg;

static void
do_exec (Probe *p, void *arg)
{
  ExecLeg *l = arg;
  long r;
  switch (l->how)
    {
    case 0: r = execve (l->path, l->argv, environ); break;
    case 1: r = syscall (SYS_execveat, AT_FDCWD, l->path, l->argv, environ, 0); break;
    case 2: r = syscall (SYS_execveat, l->fd, "", l->argv, environ, AT_EMPTY_PATH); break;
    default: r = syscall (SYS_execve, PROBE_BADPTR, l->argv, environ); break;
    }
  p->child_ret = r;
  p->child_err = errno;
  p->child_done = 1;
}

static void
exec_leg (Probe *p, ExecLeg *l, const char *call, const char *args)
{
  ProbeChild end;
  char words[64];
  int want = expect_errno ();
  p->child_done = 0;
  if (probe_run_child (p, do_exec, l, 2000, &end) < 0)
    {
      probe_attempt (ID, "fork", "child for the exec leg", -1, errno);
      probe_untestable (p, "%s: cannot fork (%s)", call, probe_errno_name (errno));
      return;
    }
  if (end.reported && p->child_done)
    {
      probe_attempt (ID, call, args, p->child_ret, p->child_err);
      if (p->child_err == want)
        probe_held (p, "%s %s", call, probe_errno_name (want));
      else
        probe_violated (p, "%s(%s) reached the kernel (%s, not the lock's %s)", call, args,
                        probe_errno_name (p->child_err), probe_errno_name (want));
      return;
    }
  probe_child_words (&end, words, sizeof words);
  probe_attempt_text (ID, call, args, words, 0);
  if (end.sig == SIGSYS)
    probe_held (p, "%s killed by SIGSYS", call);
  else if (end.exited && !end.reported)
    probe_violated (p, "%s(%s) ran the program (%s)", call, args, words);
  else
    probe_violated (p, "%s(%s): the child ended unexpectedly (%s)", call, args, words);
}

/* Copies /bin/true (else /usr/bin/true) to @dst, mode 0755.  Returns an
 * O_PATH-free read-only fd of the copy for execveat, or -1. */
static int
copy_elf (const char *dst)
{
  const char *srcs[] = { "/bin/true", "/usr/bin/true" };
  int in = -1;
  for (size_t i = 0; i < 2 && in < 0; i++)
    in = open (srcs[i], O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return -1;
  int out = open (dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0755);
  if (out < 0)
    {
      close (in);
      return -1;
    }
  char buf[65536];
  ssize_t n;
  int ok = 1;
  while ((n = read (in, buf, sizeof buf)) > 0)
    if (write (out, buf, (size_t) n) != n)
      ok = 0;
  if (n < 0)
    ok = 0;
  close (in);
  if (fchmod (out, 0755) < 0 || close (out) < 0 || !ok)
    {
      unlink (dst);
      return -1;
    }
  return open (dst, O_RDONLY | O_CLOEXEC);
}

void
probe_pr_exec_1 (void)
{
  Probe p;
  char copy[4200], args[4400];
  probe_init (&p, ID);
  static_leg (&p);
  early_leg (&p);
  static char *const sh_argv[] = { (char *) "sh", (char *) "-c", (char *) "exit 0", NULL };
  static char *const true_argv[] = { (char *) "true", NULL };

  ExecLeg l = { 0, "/bin/sh", -1, sh_argv };
  exec_leg (&p, &l, "execve", "/bin/sh, [sh, -c, exit 0]");
  l.how = 1;
  exec_leg (&p, &l, "execveat", "AT_FDCWD, /bin/sh, [sh, -c, exit 0], 0");
  l.how = 3;
  exec_leg (&p, &l, "execve", "bad path pointer (unfiltered: EFAULT)");

  const char *tmp = expect_get ("tmp");
  if (tmp && *tmp)
    {
      snprintf (copy, sizeof copy, "%s/.sbx-probe-elf-%ld", tmp, (long) getpid ());
      int fd = copy_elf (copy);
      snprintf (args, sizeof args, "/bin/true to %s, 0755", copy);
      probe_attempt (ID, "copy", args, fd < 0 ? -1 : 0, errno);
      if (fd >= 0)
        {
          ExecLeg c = { 0, copy, fd, true_argv };
          snprintf (args, sizeof args, "%s (copy of /bin/true), [true]", copy);
          exec_leg (&p, &c, "execve", args);
          c.how = 2;
          exec_leg (&p, &c, "execveat", "fd of the copy, \"\", [true], AT_EMPTY_PATH");
          close (fd);
          unlink (copy);
        }
      else
        probe_untestable (&p, "cannot copy an ELF into tmp (%s)", probe_errno_name (errno));
    }
  else
    probe_untestable (&p, "expectations lack tmp");
  probe_finish (&p);
}
