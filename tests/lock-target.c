/* lock-target.c — a small dynamically linked program for
 * tests/unit/test-exec-lock.c.  Started with sbx-preload.so, it reports
 * what the exec lock left it able to do.  libc only.
 *
 *   lock-target execve|execveat|fexecve TRUE   try to run TRUE (/bin/true)
 *   lock-target env FD                         what the preload left behind
 *
 * It prints "lock-target: main reached" first: the preload must stop a
 * process before that line when it cannot apply the lock.  A failed exec
 * prints "MODE -1 errno N"; a successful one prints nothing more (TRUE ran).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int
copy_to_memfd (const char *path)
{
  int in = open (path, O_RDONLY | O_CLOEXEC);
  int fd = memfd_create ("lock-target", MFD_CLOEXEC);
  struct stat st;

  if (in < 0 || fd < 0 || fstat (in, &st) != 0
      || sendfile (fd, in, NULL, st.st_size) != st.st_size)
    {
      perror ("lock-target: copy to memfd");
      exit (2);
    }
  close (in);
  return fd;
}

static int
no_new_privs (void)
{
  char line[256];
  int value = -1;
  FILE *f = fopen ("/proc/self/status", "re");

  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    if (sscanf (line, "NoNewPrivs: %d", &value) == 1)
      break;
  if (f != NULL)
    fclose (f);
  return value;
}

int
main (int argc, char **argv)
{
  char *child_argv[] = { (char *) "true", NULL };
  const char *mode = argc > 1 ? argv[1] : "";
  long ret = 0;

  printf ("lock-target: main reached\n");
  fflush (stdout);
  if (argc != 3)
    return 2;
  if (strcmp (mode, "env") == 0)
    {
      int fd = atoi (argv[2]);

      printf ("SBX_LOCK_FD=%s LD_PRELOAD=%s fd=%s nnp=%d\n",
              getenv ("SBX_LOCK_FD") ? "present" : "absent",
              getenv ("LD_PRELOAD") ? "present" : "absent",
              fcntl (fd, F_GETFD) == -1 && errno == EBADF ? "closed" : "open", no_new_privs ());
      return 0;
    }
  if (strcmp (mode, "execve") == 0)
    ret = execve (argv[2], child_argv, environ);
  else if (strcmp (mode, "execveat") == 0)
    ret = syscall (SYS_execveat, AT_FDCWD, argv[2], child_argv, environ, 0);
  else if (strcmp (mode, "fexecve") == 0)
    ret = fexecve (copy_to_memfd (argv[2]), child_argv, environ);
  else
    return 2;
  printf ("%s %ld errno %d\n", mode, ret, errno);
  return 0;
}
