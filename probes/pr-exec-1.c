/* PR-EXEC-1 — exec denied after the lock: execve and execveat of /bin/sh,
 * and of an ELF copied into `tmp` (tmp=), each tried in a forked child, and
 * execve with a bad path pointer (an unfiltered kernel says EFAULT).  A leg
 * holds only when the filter answered errno= (or killed the child with
 * SIGSYS); an exec that ran, or a refusal from the kernel itself (ENOENT,
 * EACCES of a noexec mount), means the lock did not deny it.
 *
 * The programs exec'd are `sh -c "exit 0"` and a copy of /bin/true: they do
 * nothing. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ID "PR-EXEC-1"

extern char **environ;

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
