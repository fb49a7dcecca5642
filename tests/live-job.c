/* live-job — a small job for the live tests (tests/1N-live-*.sh), run
 * inside the sandbox.  libc only, dynamically linked (so the preload exec
 * lock applies), built without sanitizers.
 *
 *   live-job copy SRC DST          copy a file (DST mode 0755); 0 on success
 *   live-job write PATH            create PATH and write to it
 *   live-job exec PATH [ARG…]      execv PATH
 *   live-job mmap-exec PATH        mmap PATH with PROT_EXEC
 *   live-job copy-mmap-exec SRC DST   copy SRC to DST (quietly), then mmap-exec DST
 *   live-job syscall NAME          socket-inet | socket-unix | execve | ptrace |
 *                                  unshare | mount | clone-newns
 *   live-job exists PATH           0 when PATH exists (stat), 1 when not
 *   live-job env                   print environ, one per line
 *   live-job exit N                exit with status N
 *   live-job raise SIG             kill itself with signal number SIG
 *   live-job sleep SECONDS [TAG…]  sleep (TAG marks the process for pgrep)
 *   live-job limits                print /proc/self/limits
 *   live-job fill PATH MIB         write MIB MiB to PATH
 *
 * The "try" commands print one line, "allowed" or "denied ERRNO-NAME", and
 * exit 0 when the call succeeded, 1 when it failed: the test decides which
 * one it wanted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int
report (int rc)
{
  if (rc >= 0)
    {
      printf ("allowed\n");
      return 0;
    }
  printf ("denied %s\n", strerrorname_np (errno) ? strerrorname_np (errno) : "?");
  return 1;
}

static int
do_copy (const char *src, const char *dst)
{
  char buf[65536];
  ssize_t n;
  int in = open (src, O_RDONLY | O_CLOEXEC);
  int out = in < 0 ? -1 : open (dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

  if (in < 0 || out < 0)
    return report (-1);
  while ((n = read (in, buf, sizeof buf)) > 0)
    if (write (out, buf, n) != n)
      return report (-1);
  if (n < 0 || close (out) < 0)
    return report (-1);
  close (in);
  return report (0);
}

static int
do_write (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if (fd < 0)
    return report (-1);
  if (write (fd, "x\n", 2) != 2)
    return report (-1);
  return report (close (fd));
}

static int
do_mmap_exec (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  void *p;

  if (fd < 0)
    return report (-1);
  p = mmap (NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
  return report (p == MAP_FAILED ? -1 : 0);
}

static int
do_syscall (const char *name)
{
  if (strcmp (name, "socket-inet") == 0)
    return report (socket (AF_INET, SOCK_STREAM, 0));
  if (strcmp (name, "socket-unix") == 0)
    return report (socket (AF_UNIX, SOCK_STREAM, 0));
  if (strcmp (name, "execve") == 0)
    {
      char *argv[] = { (char *) "/usr/bin/true", NULL };
      fflush (stdout);
      execve (argv[0], argv, environ);
      return report (-1);
    }
  if (strcmp (name, "ptrace") == 0)
    return report ((int) ptrace (PTRACE_TRACEME, 0, NULL, NULL));
  if (strcmp (name, "unshare") == 0)
    return report (unshare (CLONE_NEWUSER));
  if (strcmp (name, "mount") == 0)
    return report (mount ("tmpfs", "/tmp", "tmpfs", 0, NULL));
  if (strcmp (name, "clone-newns") == 0)
    {
      /* raw clone with a namespace flag: must be refused, never fork */
      long rc = syscall (SYS_clone, CLONE_NEWNS | SIGCHLD, NULL, NULL, NULL, NULL);
      if (rc == 0)
        _exit (0);
      if (rc > 0)
        waitpid ((pid_t) rc, NULL, 0);
      return report (rc < 0 ? -1 : 0);
    }
  fprintf (stderr, "live-job: unknown syscall %s\n", name);
  return 2;
}

static int
do_fill (const char *path, long mib)
{
  static char block[1 << 20];
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if (fd < 0)
    return report (-1);
  for (long i = 0; i < mib; i++)
    if (write (fd, block, sizeof block) != (ssize_t) sizeof block)
      return report (-1);
  return report (close (fd));
}

int
main (int argc, char **argv)
{
  const char *cmd = argc > 1 ? argv[1] : "";

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (strcmp (cmd, "copy") == 0 && argc == 4)
    return do_copy (argv[2], argv[3]);
  if (strcmp (cmd, "write") == 0 && argc == 3)
    return do_write (argv[2]);
  if (strcmp (cmd, "exec") == 0 && argc >= 3)
    {
      fflush (stdout);
      execv (argv[2], argv + 2);
      return report (-1);
    }
  if (strcmp (cmd, "mmap-exec") == 0 && argc == 3)
    return do_mmap_exec (argv[2]);
  if (strcmp (cmd, "copy-mmap-exec") == 0 && argc == 4)
    {
      FILE *saved = stdout;
      int rc;

      stdout = fopen ("/dev/null", "w");
      rc = do_copy (argv[2], argv[3]);
      fclose (stdout);
      stdout = saved;
      if (rc != 0)
        {
          printf ("copy failed\n");
          return 2;
        }
      return do_mmap_exec (argv[3]);
    }
  if (strcmp (cmd, "syscall") == 0 && argc == 3)
    return do_syscall (argv[2]);
  if (strcmp (cmd, "exists") == 0 && argc == 3)
    {
      struct stat st;
      int rc = stat (argv[2], &st);
      printf ("%s\n", rc == 0 ? "present" : strerrorname_np (errno));
      return rc == 0 ? 0 : 1;
    }
  if (strcmp (cmd, "env") == 0)
    {
      for (char **e = environ; *e != NULL; e++)
        printf ("%s\n", *e);
      return 0;
    }
  if (strcmp (cmd, "exit") == 0 && argc == 3)
    return atoi (argv[2]);
  if (strcmp (cmd, "raise") == 0 && argc == 3)
    {
      signal (atoi (argv[2]), SIG_DFL);
      raise (atoi (argv[2]));
      return 99;
    }
  if (strcmp (cmd, "sleep") == 0 && argc >= 3)
    {
      sleep ((unsigned) atoi (argv[2]));
      return 0;
    }
  if (strcmp (cmd, "limits") == 0)
    {
      char buf[4096];
      ssize_t n;
      int fd = open ("/proc/self/limits", O_RDONLY | O_CLOEXEC);
      while (fd >= 0 && (n = read (fd, buf, sizeof buf)) > 0)
        fwrite (buf, 1, n, stdout);
      return fd >= 0 ? 0 : 1;
    }
  if (strcmp (cmd, "fill") == 0 && argc == 4)
    return do_fill (argv[2], atol (argv[3]));
  fprintf (stderr, "live-job: bad usage\n");
  return 2;
}
