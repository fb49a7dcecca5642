/* gate-job.c — hostile jobs for tests/60-live-exec-gate.sh, which builds
 * them with the host's C compiler (one file, one mode per -D):
 *
 *   -DGATE_PREINIT     a .preinit_array entry tries to exec
 *   -DGATE_IFUNC       an IFUNC resolver tries to exec (runs during the
 *                      loader's relocation, before any constructor)
 *   -DGATE_NEEDED_LIB  a shared library whose constructor tries to exec
 *                      (linked as a DT_NEEDED dependency from /in, rpath /in)
 *   -DGATE_INTERP      a static program used as PT_INTERP (/in/myinterp),
 *                      libc-free (-nostdlib): it tries to exec instead of
 *                      loading anything
 *   (none)             main: with "static", tries to exec; with "listener",
 *                      tries to take the exec gate over; with "fds", lists
 *                      its fds ≥ 3 that are sockets or seccomp listeners
 *
 * Every attempt execs /usr/bin/echo ESCAPED-<where> (so an escape shows on
 * stdout) through a raw syscall (no libc state needed that early) and, when
 * the exec returns, prints "<where>: refused errno=N".  main prints
 * "main reached".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

static long
raw3 (long n, long a, long b, long c)
{
#if defined(__x86_64__)
  long ret;

  __asm__ volatile ("syscall" : "=a" (ret) : "a" (n), "D" (a), "S" (b), "d" (c) : "rcx", "r11", "memory");
  return ret;
#else
  long ret = syscall (n, a, b, c);

  return ret < 0 ? -errno : ret;
#endif
}

static unsigned long
len (const char *s)
{
  unsigned long n = 0;

  while (s[n] != '\0')
    n++;
  return n;
}

static void
say (const char *s)
{
  raw3 (SYS_write, 1, (long) s, (long) len (s));
}

static void
say_number (long value)
{
  char buf[24];
  int i = sizeof buf;

  buf[--i] = '\0';
  if (value < 0)
    value = -value;
  do
    buf[--i] = '0' + value % 10;
  while ((value /= 10) != 0 && i > 0);
  say (buf + i);
}

static void
try_exec (const char *where, const char *marker)
{
  char *const argv[] = { (char *) "echo", (char *) marker, 0 };
  char *const envp[] = { 0 };
  long rc = raw3 (SYS_execve, (long) "/usr/bin/echo", (long) argv, (long) envp);

  say (where);
  say (": refused errno=");
  say_number (rc);
  say ("\n");
}

#if defined(GATE_NEEDED_LIB)

__attribute__ ((constructor)) static void
needed_constructor (void)
{
  try_exec ("needed", "ESCAPED-needed");
}

int
gate_needed_symbol (void)
{
  return 42;
}

#elif defined(GATE_INTERP)

/* Built -static -nostdlib: the kernel maps it as the program interpreter
 * next to the program, where libc's own start-up would not work. */
void
_start (void)
{
  try_exec ("interp", "ESCAPED-interp");
  raw3 (SYS_exit_group, 0, 0, 0);
  for (;;)
    ;
}

#else

#if defined(GATE_PREINIT)
static void
preinit (void)
{
  try_exec ("preinit", "ESCAPED-preinit");
}
__attribute__ ((section (".preinit_array"), used)) static void (*preinit_entry) (void) = preinit;
#endif

#if defined(GATE_IFUNC)
static int
answer_impl (void)
{
  return 42;
}

static void *
answer_resolver (void)
{
  try_exec ("ifunc", "ESCAPED-ifunc");
  return (void *) answer_impl;
}
int answer (void) __attribute__ ((ifunc ("answer_resolver")));
#endif

#if defined(GATE_NEEDED)
int gate_needed_symbol (void);
#endif

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A second SECCOMP_FILTER_FLAG_NEW_LISTENER: the gate's listener must be
 * the only one.  Then a USER_NOTIF filter of the job's own without a
 * listener: its exec must still be refused. */
static int
take_over (void)
{
  struct sock_filter allow[] = { BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
  struct sock_filter notify_exec[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { 1, allow };
  long fd = syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);

  if (fd >= 0)
    printf ("listener: second listener granted (fd %ld)\n", fd);
  else
    printf ("listener: refused %s\n", strerrorname_np (errno));
  prog.len = 4;
  prog.filter = notify_exec;
  if (syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
    printf ("own notify filter: refused %s\n", strerrorname_np (errno));
  fflush (stdout);
  try_exec ("own-notify", "ESCAPED-own-notify");
  return 0;
}

/* fds ≥ 3 that lead back to sbx: sockets and seccomp listeners. */
static int
list_fds (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *e;
  int found = 0;

  while (dir != NULL && (e = readdir (dir)) != NULL)
    {
      char path[300], target[300];
      ssize_t n;

      if (atoi (e->d_name) < 3 || atoi (e->d_name) == dirfd (dir))
        continue;
      snprintf (path, sizeof path, "/proc/self/fd/%s", e->d_name);
      n = readlink (path, target, sizeof target - 1);
      if (n <= 0)
        continue;
      target[n] = '\0';
      if (strncmp (target, "socket:", 7) == 0 || strstr (target, "seccomp") != NULL)
        {
          printf ("fd %s: %s\n", e->d_name, target);
          found++;
        }
    }
  printf ("gate fds: %d\n", found);
  return 0;
}

int
main (int argc, char **argv)
{
#if defined(GATE_IFUNC)
  if (answer () != 42)
    return 3;
#endif
#if defined(GATE_NEEDED)
  if (gate_needed_symbol () != 42)
    return 3;
#endif
  say ("main reached\n");
  if (argc > 1 && strcmp (argv[1], "static") == 0)
    try_exec ("static", "ESCAPED-static");
  else if (argc > 1 && strcmp (argv[1], "listener") == 0)
    return take_over ();
  else if (argc > 1 && strcmp (argv[1], "fds") == 0)
    return list_fds ();
  return 0;
}

#endif
