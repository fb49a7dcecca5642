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
 *   live-job setid HOW PATH        try to make PATH set-id (HOW: chmod-suid, chmod-sgid,
 *                                  fchmod-suid, open-suid, creat-sgid, tmpfile-suid,
 *                                  tmpfile-fchmod-suid, mknod-suid, mknod-reg, mkdir-sgid,
 *                                  mkfifo, chmod-plain, mkdir-plain, fchmodat2-suid,
 *                                  fchmodat2-plain: the raw syscall 452); PATH must not exist
 *   live-job uring-creat PATH      create PATH with mode 04755 through io_uring
 *                                  (IORING_OP_OPENAT, O_CREAT|O_EXCL): "allowed", or
 *                                  "denied ERRNO" from io_uring_setup or the completion
 *   live-job dgram HOW PATH        send "hello" to the datagram socket PATH from a
 *                                  socketpair(AF_UNIX, SOCK_DGRAM) end (HOW=pair) or a
 *                                  socket(AF_UNIX, SOCK_DGRAM) (HOW=socket)
 *   live-job fds                   print the open fds other than 0-2, or "none"
 *   live-job cat-at0 PATH          print the file at PATH relative to fd 0 (openat(0, PATH))
 *
 * The "try" commands print one line, "allowed" or "denied ERRNO-NAME", and
 * exit 0 when the call succeeded, 1 when it failed: the test decides which
 * one it wanted.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <fcntl.h>
#include <linux/io_uring.h>
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
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* fchmodat2 (Linux 6.6) has number 452 on every architecture; glibc 2.36's
 * headers do not name it. */
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

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

/* A regular file at @path, mode 0755, closed; -1 on failure. */
static int
make_plain (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);

  return fd < 0 ? -1 : close (fd);
}

/* One IORING_OP_OPENAT with O_CREAT and a set-uid mode: the kernel runs it
 * without seccomp ever seeing an open call. */
static int
do_uring_creat (const char *path)
{
  struct io_uring_params p;
  struct io_uring_sqe *sqes;
  struct io_uring_cqe *cqe;
  char *sq, *cq;
  size_t sq_size, cq_size;
  unsigned *tail, idx;
  int ring, res;

  memset (&p, 0, sizeof p);
  ring = (int) syscall (SYS_io_uring_setup, 4, &p);
  if (ring < 0)
    return report (-1);
  sq_size = p.sq_off.array + p.sq_entries * sizeof (unsigned);
  cq_size = p.cq_off.cqes + p.cq_entries * sizeof (struct io_uring_cqe);
  if (p.features & IORING_FEAT_SINGLE_MMAP)
    sq_size = cq_size = sq_size > cq_size ? sq_size : cq_size;
  sq = mmap (NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
             IORING_OFF_SQ_RING);
  cq = (p.features & IORING_FEAT_SINGLE_MMAP) ? sq
       : mmap (NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
               IORING_OFF_CQ_RING);
  sqes = mmap (NULL, p.sq_entries * sizeof *sqes, PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
  if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
    return report (-1);
  tail = (unsigned *) (sq + p.sq_off.tail);
  idx = *tail & *(unsigned *) (sq + p.sq_off.ring_mask);
  memset (&sqes[idx], 0, sizeof sqes[idx]);
  sqes[idx].opcode = IORING_OP_OPENAT;
  sqes[idx].fd = AT_FDCWD;
  sqes[idx].addr = (unsigned long) path;
  sqes[idx].len = 04755;   /* the mode */
  sqes[idx].open_flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
  ((unsigned *) (sq + p.sq_off.array))[idx] = idx;
  __atomic_store_n (tail, *tail + 1, __ATOMIC_RELEASE);
  if (syscall (SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
    return report (-1);
  cqe = &((struct io_uring_cqe *) (cq + p.cq_off.cqes))
          [*(unsigned *) (cq + p.cq_off.head) & *(unsigned *) (cq + p.cq_off.ring_mask)];
  res = cqe->res;
  if (res < 0)
    {
      errno = -res;
      return report (-1);
    }
  close (res);
  return report (0);
}

static int
do_setid (const char *how, const char *path)
{
  char dir_buf[4096];
  char *dir;
  int fd;

  snprintf (dir_buf, sizeof dir_buf, "%s", path);
  dir = dirname (dir_buf);
  if (strcmp (how, "chmod-suid") == 0 || strcmp (how, "chmod-sgid") == 0 || strcmp (how, "chmod-plain") == 0)
    {
      mode_t mode = how[6] == 's' ? (how[7] == 'u' ? 04755 : 02755) : 0700;

      if (make_plain (path) < 0)
        return report (-1);
      return report (chmod (path, mode));
    }
  if (strcmp (how, "fchmodat2-suid") == 0 || strcmp (how, "fchmodat2-plain") == 0)
    {
      if (make_plain (path) < 0)
        return report (-1);
      return report ((int) syscall (SYS_fchmodat2, AT_FDCWD, path,
                                    how[10] == 's' ? 04755 : 0644, 0));
    }
  if (strcmp (how, "fchmod-suid") == 0)
    {
      fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
      return report (fd < 0 ? -1 : fchmod (fd, 04755));
    }
  if (strcmp (how, "open-suid") == 0)
    return report (open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 04755));
  if (strcmp (how, "creat-sgid") == 0)
    return report (creat (path, 02755));
  if (strcmp (how, "tmpfile-suid") == 0 || strcmp (how, "tmpfile-fchmod-suid") == 0)
    {
      /* an unnamed file made set-uid, then given a name in @dir */
      char proc[64];
      int suid_now = strcmp (how, "tmpfile-suid") == 0;

      fd = open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, suid_now ? 04755 : 0755);
      if (fd < 0 || (!suid_now && fchmod (fd, 04755) < 0))
        return report (-1);
      snprintf (proc, sizeof proc, "/proc/self/fd/%d", fd);
      return report (linkat (AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW));
    }
  if (strcmp (how, "mknod-suid") == 0)
    return report (mknod (path, S_IFREG | 04755, 0));
  if (strcmp (how, "mknod-reg") == 0)
    return report (mknod (path, S_IFREG | 0644, 0));
  if (strcmp (how, "mkfifo") == 0)
    return report (mkfifo (path, 0644));
  if (strcmp (how, "mkdir-sgid") == 0)
    return report (mkdir (path, 02755));
  if (strcmp (how, "mkdir-plain") == 0)
    return report (mkdir (path, 0755));
  fprintf (stderr, "live-job: unknown setid way %s\n", how);
  return 2;
}

static int
do_dgram (const char *how, const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int sv[2];

  snprintf (addr.sun_path, sizeof addr.sun_path, "%s", path);
  if (strcmp (how, "pair") == 0)
    {
      if (socketpair (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
        return report (-1);
    }
  else if (strcmp (how, "socket") == 0)
    {
      sv[0] = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (sv[0] < 0)
        return report (-1);
    }
  else
    {
      fprintf (stderr, "live-job: unknown dgram way %s\n", how);
      return 2;
    }
  return report ((int) sendto (sv[0], "hello", 5, 0, (struct sockaddr *) &addr, sizeof addr));
}

/* Every open fd but 0-2 and the one reading /proc/self/fd. */
static int
do_fds (void)
{
  DIR *d = opendir ("/proc/self/fd");
  struct dirent *e;
  int n = 0;

  if (d == NULL)
    return report (-1);
  while ((e = readdir (d)) != NULL)
    {
      int fd = atoi (e->d_name);
      char target[256] = "";
      char link[64];

      if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd (d))
        continue;
      snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
      if (readlink (link, target, sizeof target - 1) < 0)
        snprintf (target, sizeof target, "?");
      printf ("fd %d: %s\n", fd, target);
      n++;
    }
  closedir (d);
  if (n == 0)
    printf ("none\n");
  return 0;
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
  if (strcmp (cmd, "setid") == 0 && argc == 4)
    return do_setid (argv[2], argv[3]);
  if (strcmp (cmd, "uring-creat") == 0 && argc == 3)
    return do_uring_creat (argv[2]);
  if (strcmp (cmd, "dgram") == 0 && argc == 4)
    return do_dgram (argv[2], argv[3]);
  if (strcmp (cmd, "fds") == 0)
    return do_fds ();
  if (strcmp (cmd, "cat-at0") == 0 && argc == 3)
    {
      char buf[4096];
      ssize_t n;
      int fd = openat (0, argv[2], O_RDONLY | O_CLOEXEC);

      if (fd < 0)
        return report (-1);
      while ((n = read (fd, buf, sizeof buf)) > 0)
        fwrite (buf, 1, (size_t) n, stdout);
      return 0;
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
