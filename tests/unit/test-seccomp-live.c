/* test-seccomp-live.c — the compiled programs on the real kernel.
 *
 * Every check forks a child, installs a program there and makes one call
 * with arguments an unfiltered kernel answers differently (a bad fd gives
 * EBADF, a bad pointer EFAULT, bad flags EINVAL).  The profile's errno is
 * asserted with EPERM and again with an EACCES profile — and for EACCES the
 * same call made without a filter must not answer EACCES, so the answer can
 * only come from the filter.
 */
#include "config.h"

#include "sbx-private.h"
#include "sbx-policy.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test-common.h"

/* What one call in a child came to. */
typedef struct {
  gboolean signaled;  /* the child died of a signal (sig) */
  int sig;
  long ret;           /* the call's return value */
  int err;            /* errno when ret == -1, else 0 */
} Outcome;

typedef long (*CallFunc) (gconstpointer data);

static SbxProfile *
profile_from (const char *text)
{
  return test_profile_from (text, "test-seccomp-live");
}

static SbxProgram *
program_from (const char *text, SbxStage stage)
{
  g_autoptr(SbxProfile) profile = profile_from (text);
  g_autoptr(GError) error = NULL;
  SbxProgram *program = sbx_program_new (profile, stage, &error);

  if (program == NULL)
    fail_msg ("program: %s", error->message);
  return program;
}

/* Runs @call in a child, under @program unless it is NULL.  The child makes
 * no call between installing the program and the one under test except
 * write and exit_group. */
static Outcome
run_child (SbxProgram *program, CallFunc call, gconstpointer data)
{
  Outcome out = { 0 };
  long report[2];
  int fds[2], status;
  pid_t pid;

  assert_int_equal (pipe2 (fds, O_CLOEXEC), 0);
  fflush (NULL);
  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS };

      /* cmocka catches these to report a crash; in the child a crash must
       * end the child, not resume the test runner there */
      for (guint i = 0; i < G_N_ELEMENTS (fatal); i++)
        signal (fatal[i], SIG_DFL);
      close (fds[0]);
      if (program != NULL && !sbx_program_install (program, NULL))
        _exit (90);
      errno = 0;
      report[0] = call (data);
      report[1] = report[0] == -1 ? errno : 0;
      if (write (fds[1], report, sizeof report) != sizeof report)
        _exit (91);
      _exit (0);
    }
  close (fds[1]);
  memset (report, 0, sizeof report);
  ssize_t n = read (fds[0], report, sizeof report);
  close (fds[0]);
  assert_int_equal (waitpid (pid, &status, 0), pid);
  if (WIFSIGNALED (status))
    {
      out.signaled = TRUE;
      out.sig = WTERMSIG (status);
      return out;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || n != sizeof report)
    fail_msg ("child failed: status 0x%x", status);
  out.ret = report[0];
  out.err = (int) report[1];
  return out;
}

/* ------------------------------------------------------------ raw calls */

typedef struct {
  int nr;
  long args[6];
} RawCall;

static long
raw_call (gconstpointer data)
{
  const RawCall *c = data;

  return syscall (c->nr, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4], c->args[5]);
}

/* Arguments no kernel accepts.  -1 is a bad fd, a bad pointer and bad
 * flags at once; where -1 would reach work first it is replaced. */
static RawCall
bad_call (const char *name)
{
  RawCall c = { .nr = seccomp_syscall_resolve_name (name), .args = { -1, -1, -1, -1, -1, -1 } };

  /* a length of -1 would make the kernel try a huge allocation first */
  if (g_str_equal (name, "init_module"))
    c.args[1] = 0;
  return c;
}

static int failures;

static void G_GNUC_PRINTF (1, 2)
report_failure (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vprint_error (format, args);
  va_end (args);
  print_error ("\n");
  failures++;
}

static void
expect_errno (const char *what, Outcome out, int expected)
{
  if (out.signaled)
    report_failure ("%s: killed by signal %d, expected errno %d", what, out.sig, expected);
  else if (out.ret != -1 || out.err != expected)
    report_failure ("%s: returned %ld errno %d (%s), expected errno %d (%s)", what, out.ret,
                    out.err, g_strerror (out.err), expected, g_strerror (expected));
}

static void
expect_success (const char *what, Outcome out)
{
  if (out.signaled)
    report_failure ("%s: killed by signal %d", what, out.sig);
  else if (out.ret < 0)
    report_failure ("%s: returned %ld errno %d (%s), expected success", what, out.ret, out.err,
                    g_strerror (out.err));
}

/* The call without a filter must answer something else than @errno_value,
 * or the filtered answer proves nothing. */
static void
expect_control_differs (const char *what, Outcome control, int errno_value)
{
  if (control.signaled || (control.ret == -1 && control.err == errno_value))
    report_failure ("%s: unfiltered it already answers errno %d; the test cannot tell", what,
                    errno_value);
}

#define EACCES_ALLOW "[seccomp]\nerrno=EACCES\n"
#define EACCES_DENY "[seccomp]\nmode=deny-list\nerrno=EACCES\n"

typedef struct {
  const char *text;   /* profile text, NULL = default */
  int errno_value;
  gboolean check_control;
} Variant;

static const Variant variants[] = {
  { NULL, EPERM, FALSE },
  { EACCES_ALLOW, EACCES, TRUE },
  { EACCES_DENY, EACCES, TRUE },
};

/* --------------------------------------------------------- deny groups */

static void
check_group_rules (SbxProgram *program, const Variant *v, SbxStage stage)
{
  for (guint g = 0; g < SBX_N_GROUPS; g++)
    {
      const SbxGroup *group = &sbx_deny_groups[g];

      for (gsize i = 0; i < group->n_rules; i++)
        {
          const SbxRule *rule = &group->rules[i];
          RawCall call = bad_call (rule->name);
          int expected = rule->action == SBX_ACTION_ENOSYS ? ENOSYS : v->errno_value;
          g_autofree char *what = g_strdup_printf ("%s (%s, stage %d, errno %d)", rule->name,
                                                   group->name, stage, v->errno_value);
          Outcome out;

          if (rule->cond.kind != SBX_COND_ALWAYS)
            continue; /* conditional rules have tests of their own below */
          out = run_child (program, raw_call, &call);
          if (group->lock_only && stage != SBX_STAGE_LOCK)
            {
              /* launch must still let bwrap exec the job */
              if (!out.signaled && out.ret == -1 && out.err == v->errno_value)
                report_failure ("%s: denied in the launch stage", what);
              continue;
            }
          expect_errno (what, out, expected);
          if (v->check_control || rule->action == SBX_ACTION_ENOSYS)
            expect_control_differs (what, run_child (NULL, raw_call, &call), expected);
        }
    }
}

static void
test_deny_groups (void **state)
{
  failures = 0;
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
      {
        g_autoptr(SbxProgram) program = program_from (variants[v].text, stage);

        check_group_rules (program, &variants[v], stage);
      }
  assert_int_equal (failures, 0);
}

/* ------------------------------------------------- profile's extra deny */

static void
test_deny_extra (void **state)
{
  static const char text[] = "[seccomp]\nerrno=EACCES\ndeny=getpid;getppid\n";
  static const char text_deny[] = "[seccomp]\nmode=deny-list\nerrno=EACCES\ndeny=getpid;getppid\n";
  RawCall call = { .nr = SYS_getppid };

  failures = 0;
  for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
    {
      g_autoptr(SbxProgram) allow_list = program_from (text, stage);
      g_autoptr(SbxProgram) deny_list = program_from (text_deny, stage);

      expect_errno ("getppid denied (allow-list)", run_child (allow_list, raw_call, &call), EACCES);
      expect_errno ("getppid denied (deny-list)", run_child (deny_list, raw_call, &call), EACCES);
    }
  expect_success ("getppid unfiltered", run_child (NULL, raw_call, &call));
  assert_int_equal (failures, 0);
}

/* ------------------------------------------------------ ordinary calls */

static void *
thread_main (void *arg)
{
  return arg;
}

/* A little of everything an ordinary process does; returns the number of
 * the step that failed, 0 when all worked. */
static long
ordinary_calls (gconstpointer data)
{
  const char *dir = data;
  char path[256], buf[8];
  struct timespec ts;
  pthread_t thread;
  void *thread_ret = NULL;
  int sv[2], fd, status;
  void *map;
  pid_t pid;

  snprintf (path, sizeof path, "%s/file", dir);
  fd = open (path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, "hello", 5) != 5 || lseek (fd, 0, SEEK_SET) != 0
      || read (fd, buf, 5) != 5 || memcmp (buf, "hello", 5) != 0 || close (fd) != 0)
    return 1;
  if (unlink (path) != 0)
    return 2;
  map = mmap (NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED || munmap (map, 1 << 20) != 0)
    return 3;
  /* glibc tries clone3 first; ENOSYS makes it fall back to clone */
  if (pthread_create (&thread, NULL, thread_main, (void *) 7) != 0
      || pthread_join (thread, &thread_ret) != 0 || thread_ret != (void *) 7)
    return 4;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0
      || write (sv[0], "x", 1) != 1 || read (sv[1], buf, 1) != 1)
    return 5;
  close (sv[0]);
  close (sv[1]);
  if (clock_gettime (CLOCK_MONOTONIC, &ts) != 0 || clock_gettime (CLOCK_REALTIME, &ts) != 0)
    return 6;
  pid = fork ();
  if (pid == 0)
    _exit (0);
  if (pid < 0 || waitpid (pid, &status, 0) != pid || !WIFEXITED (status))
    return 7;
  if (personality (0xffffffff) == -1 || personality (PER_LINUX) == -1)
    return 8;
  if (pipe2 (sv, O_CLOEXEC) != 0 || ioctl (sv[0], FIONREAD, &fd) != 0)
    return 9;
  /* the setid group leaves ordinary modes alone */
  snprintf (path, sizeof path, "%s/fifo", dir);
  if (mkfifo (path, 0600) != 0 || chmod (path, 0640) != 0 || unlink (path) != 0)
    return 10;
  snprintf (path, sizeof path, "%s/sub", dir);
  if (mkdir (path, 0755) != 0 || chmod (path, 01777) != 0 || rmdir (path) != 0)
    return 11;
  fd = open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 || fchmod (fd, 0755) != 0 || close (fd) != 0)
    return 12;
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0
      || close (sv[0]) != 0 || close (sv[1]) != 0)
    return 13;
  return 0;
}

static void
test_ordinary_calls (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("sbx-live-XXXXXX", NULL);

  assert_non_null (dir);
  failures = 0;
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
      {
        g_autoptr(SbxProgram) program = program_from (variants[v].text, stage);
        Outcome out = run_child (program, ordinary_calls, dir);

        if (out.signaled || out.ret != 0)
          report_failure ("ordinary calls (variant %u, stage %d): step %ld failed, errno %d, signal %d",
                          v, stage, out.ret, out.err, out.sig);
      }
  rmdir (dir);
  assert_int_equal (failures, 0);
}

/* mq_unlink is in no table: the allow list refuses it, the deny list not. */
static void
test_outside_allow_table (void **state)
{
  RawCall call = bad_call ("mq_unlink");
  Outcome control = run_child (NULL, raw_call, &call);

  failures = 0;
  for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
    {
      g_autoptr(SbxProgram) def = program_from (NULL, stage);
      g_autoptr(SbxProgram) eacces = program_from (EACCES_ALLOW, stage);
      g_autoptr(SbxProgram) deny_list = program_from (EACCES_DENY, stage);
      Outcome out = run_child (deny_list, raw_call, &call);

      expect_errno ("mq_unlink (default)", run_child (def, raw_call, &call), EPERM);
      expect_errno ("mq_unlink (EACCES)", run_child (eacces, raw_call, &call), EACCES);
      if (out.signaled || out.ret != control.ret || out.err != control.err)
        report_failure ("mq_unlink (deny-list): errno %d, unfiltered %d", out.err, control.err);
    }
  expect_control_differs ("mq_unlink", control, EACCES);
  assert_int_equal (failures, 0);
}

/* ------------------------------------------------------- conditionals */

static void
expect_call (SbxProgram *program, const char *what, RawCall call, int expected)
{
  if (expected == 0)
    expect_success (what, run_child (program, raw_call, &call));
  else
    expect_errno (what, run_child (program, raw_call, &call), expected);
}

/* A clone that succeeds must not run the test's code twice. */
static long
clone_call (gconstpointer data)
{
  const unsigned long *flags = data;
  long pid = syscall (SYS_clone, *flags, 0, 0, 0, 0);

  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid (pid, NULL, __WALL);
  return pid;
}

static void
test_clone_flags (void **state)
{
  static const unsigned long new_flags[] = {
    CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
  };
  unsigned long plain = SIGCHLD;

  failures = 0;
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autoptr(SbxProgram) program = program_from (variants[v].text, SBX_STAGE_LAUNCH);

      for (guint i = 0; i < G_N_ELEMENTS (new_flags); i++)
        {
          unsigned long flags = new_flags[i] | SIGCHLD;
          g_autofree char *what = g_strdup_printf ("clone(0x%lx) variant %u", flags, v);

          expect_errno (what, run_child (program, clone_call, &flags), variants[v].errno_value);
        }
      expect_success ("plain fork through clone", run_child (program, clone_call, &plain));
    }
  assert_int_equal (failures, 0);
}

static void
test_ioctl_tiocsti (void **state)
{
  RawCall sti = { SYS_ioctl, { -1, TIOCSTI, 0 } };
  RawCall sti_high = { SYS_ioctl, { -1, (long) ((1UL << 32) | TIOCSTI), 0 } };
  RawCall linux_ = { SYS_ioctl, { -1, TIOCLINUX, 0 } };
  RawCall other = { SYS_ioctl, { -1, TIOCSTI + 1, 0 } };

  failures = 0;
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autoptr(SbxProgram) program = program_from (variants[v].text, SBX_STAGE_LAUNCH);
      int e = variants[v].errno_value;

      expect_call (program, "ioctl TIOCSTI", sti, e);
      expect_call (program, "ioctl TIOCSTI with upper 32 bits set", sti_high, e);
      expect_call (program, "ioctl TIOCLINUX", linux_, e);
      /* a neighbouring request reaches the kernel: bad fd */
      expect_call (program, "ioctl TIOCSTI+1", other, EBADF);
    }
  expect_call (NULL, "ioctl TIOCSTI unfiltered", sti_high, EBADF);
  assert_int_equal (failures, 0);
}

static void
test_personality (void **state)
{
  RawCall query = { SYS_personality, { 0xffffffffL } };
  RawCall linux_ = { SYS_personality, { PER_LINUX } };
  RawCall linux32 = { SYS_personality, { PER_LINUX32 } };
  RawCall implies_exec = { SYS_personality, { (long) ((1UL << 32) | READ_IMPLIES_EXEC) } };

  failures = 0;
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autoptr(SbxProgram) program = program_from (variants[v].text, SBX_STAGE_LAUNCH);
      int e = variants[v].errno_value;

      expect_call (program, "personality(0xffffffff)", query, 0);
      expect_call (program, "personality(0)", linux_, 0);
      expect_call (program, "personality(PER_LINUX32)", linux32, e);
      expect_call (program, "personality(READ_IMPLIES_EXEC | 1<<32)", implies_exec, e);
    }
  expect_call (NULL, "personality(PER_LINUX32) unfiltered", linux32, 0);
  assert_int_equal (failures, 0);
}

static void
test_socket_families (void **state)
{
  RawCall unix_ = { SYS_socket, { AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0 } };
  RawCall inet = { SYS_socket, { AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0 } };
  RawCall netlink = { SYS_socket, { AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0 } };
  static int pair[2];
  RawCall pair_inet = { SYS_socketpair, { AF_INET, SOCK_STREAM, 0, (long) pair } };
  RawCall connect_ = bad_call ("connect");
  static const char *const with_unix[] = {
    "[network]\nsocket-families=unix;netlink\n[seccomp]\nerrno=EACCES\n",
    "[network]\nsocket-families=unix;netlink\n[seccomp]\nmode=deny-list\nerrno=EACCES\n",
  };

  failures = 0;
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autoptr(SbxProgram) program = program_from (variants[v].text, SBX_STAGE_LAUNCH);
      int e = variants[v].errno_value;

      expect_call (program, "socket(AF_UNIX) without families", unix_, e);
      expect_call (program, "socket(AF_INET) without families", inet, e);
      expect_call (program, "socketpair(AF_INET)", pair_inet, e);
    }
  for (guint i = 0; i < G_N_ELEMENTS (with_unix); i++)
    {
      g_autoptr(SbxProgram) program = program_from (with_unix[i], SBX_STAGE_LAUNCH);

      expect_call (program, "socket(AF_UNIX) allowed family", unix_, 0);
      expect_call (program, "socket(AF_NETLINK) allowed family", netlink, 0);
      expect_call (program, "socket(AF_INET) other family", inet, EACCES);
      expect_call (program, "connect still denied", connect_, EACCES);
    }
  expect_call (NULL, "socketpair(AF_INET) unfiltered", pair_inet, EOPNOTSUPP);
  assert_int_equal (failures, 0);
}

/* More families than a table rule holds: all of them pass, others not. */
static void
test_many_socket_families (void **state)
{
  static const char *const texts[] = {
    "[network]\nsocket-families=unix;inet;inet6;netlink;packet;vsock\n[seccomp]\nerrno=EACCES\n",
    "[network]\nsocket-families=unix;inet;inet6;netlink;packet;vsock\n[seccomp]\nmode=deny-list\nerrno=EACCES\n",
  };
  RawCall inet6 = { SYS_socket, { AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0 } };
  RawCall vsock_bad_type = { SYS_socket, { AF_VSOCK, -1, 0 } };
  RawCall bluetooth = { SYS_socket, { AF_BLUETOOTH, -1, 0 } };
  RawCall high = { SYS_socket, { 1000, -1, 0 } };

  failures = 0;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(SbxProgram) program = program_from (texts[i], SBX_STAGE_LAUNCH);
      Outcome vsock = run_child (program, raw_call, &vsock_bad_type);

      expect_call (program, "socket(AF_INET6) allowed", inet6, 0);
      /* reaches the kernel, which refuses the bad type its own way */
      if (vsock.signaled || vsock.err == EACCES || vsock.ret != -1)
        report_failure ("socket(AF_VSOCK, -1) should reach the kernel: errno %d", vsock.err);
      expect_call (program, "socket(AF_BLUETOOTH) not listed", bluetooth, EACCES);
      expect_call (program, "socket(1000) not listed", high, EACCES);
    }
  assert_int_equal (failures, 0);
}

/* ------------------------------------------------------ set-id files */

/* Paths under a folder that does not exist: the kernel answers ENOENT to
 * every call below, so the profile's errno can only be the filter's. */
#define NOWHERE "/nonexistent-sbx-test/x"
#define HIGH ((long) (1UL << 32)) /* upper half of an argument: the kernel ignores it */

typedef struct {
  const char *what;
  RawCall call;
  gboolean refused;   /* by the setid group; else it reaches the kernel */
  int kernel_errno;   /* what the kernel answers; 0: ENOENT */
} SetidCase;

static void
setid_cases (GArray *cases)
{
  const SetidCase list[] = {
    { "chmod 04755", { SYS_chmod, { (long) NOWHERE, 04755 } }, TRUE },
    { "chmod 02755", { SYS_chmod, { (long) NOWHERE, 02755 } }, TRUE },
    { "chmod 01777 (sticky)", { SYS_chmod, { (long) NOWHERE, 01777 } }, FALSE },
    { "chmod 0755 | 1<<32", { SYS_chmod, { (long) NOWHERE, HIGH | 0755 } }, FALSE },
    { "chmod 04755 | 1<<32", { SYS_chmod, { (long) NOWHERE, HIGH | 04755 } }, TRUE },
    { "fchmod(-1, 06755)", { SYS_fchmod, { -1, 06755 } }, TRUE, EBADF },
    { "fchmod(-1, 0755)", { SYS_fchmod, { -1, 0755 } }, FALSE, EBADF },
    { "fchmodat 04700", { SYS_fchmodat, { AT_FDCWD, (long) NOWHERE, 04700 } }, TRUE },
    { "fchmodat 0700", { SYS_fchmodat, { AT_FDCWD, (long) NOWHERE, 0700 } }, FALSE },
    { "creat 04755", { SYS_creat, { (long) NOWHERE, 04755 } }, TRUE },
    { "creat 0644", { SYS_creat, { (long) NOWHERE, 0644 } }, FALSE },
    { "open O_CREAT 02755", { SYS_open, { (long) NOWHERE, O_CREAT | O_WRONLY, 02755 } }, TRUE },
    { "open O_CREAT 0644", { SYS_open, { (long) NOWHERE, O_CREAT | O_WRONLY, 0644 } }, FALSE },
    { "open 04755 without O_CREAT (mode unused)", { SYS_open, { (long) NOWHERE, O_RDONLY, 04755 } }, FALSE },
    { "openat O_CREAT|O_EXCL 04755", { SYS_openat, { AT_FDCWD, (long) NOWHERE, O_CREAT | O_EXCL | O_RDWR, 04755 } }, TRUE },
    { "openat O_CREAT 0600", { SYS_openat, { AT_FDCWD, (long) NOWHERE, O_CREAT | O_RDWR, 0600 } }, FALSE },
    { "openat O_TMPFILE 04755", { SYS_openat, { AT_FDCWD, (long) "/nonexistent-sbx-test", O_TMPFILE | O_RDWR, 04755 } }, TRUE },
    { "openat O_TMPFILE 0600", { SYS_openat, { AT_FDCWD, (long) "/nonexistent-sbx-test", O_TMPFILE | O_RDWR, 0600 } }, FALSE },
    { "mkdir 02755", { SYS_mkdir, { (long) NOWHERE, 02755 } }, TRUE },
    { "mkdir 0755", { SYS_mkdir, { (long) NOWHERE, 0755 } }, FALSE },
    { "mkdirat 04755", { SYS_mkdirat, { AT_FDCWD, (long) NOWHERE, 04755 } }, TRUE },
    { "mkdirat 01777", { SYS_mkdirat, { AT_FDCWD, (long) NOWHERE, 01777 } }, FALSE },
    { "mknod S_IFIFO (mkfifo)", { SYS_mknod, { (long) NOWHERE, S_IFIFO | 0600, 0 } }, FALSE },
    { "mknod S_IFREG|04755", { SYS_mknod, { (long) NOWHERE, S_IFREG | 04755, 0 } }, TRUE },
    { "mknod type 0 (regular)", { SYS_mknod, { (long) NOWHERE, 0644, 0 } }, TRUE },
    { "mknod S_IFCHR", { SYS_mknod, { (long) NOWHERE, S_IFCHR | 0600, makedev (1, 3) } }, TRUE },
    { "mknod S_IFIFO|S_ISUID", { SYS_mknod, { (long) NOWHERE, S_IFIFO | S_ISUID | 0600, 0 } }, TRUE },
    { "mknodat S_IFIFO (mkfifo)", { SYS_mknodat, { AT_FDCWD, (long) NOWHERE, S_IFIFO | 0600, 0 } }, FALSE },
    { "mknodat S_IFBLK", { SYS_mknodat, { AT_FDCWD, (long) NOWHERE, S_IFBLK | 0600, makedev (8, 0) } }, TRUE },
    { "mknodat S_IFSOCK", { SYS_mknodat, { AT_FDCWD, (long) NOWHERE, S_IFSOCK | 0600, 0 } }, TRUE },
  };

  g_array_append_vals (cases, list, G_N_ELEMENTS (list));
}

static void
test_setid (void **state)
{
  g_autoptr(GArray) cases = g_array_new (FALSE, FALSE, sizeof (SetidCase));
  int fchmodat2_nr = seccomp_syscall_resolve_name ("fchmodat2");

  setid_cases (cases);
  failures = 0;
  for (guint i = 0; i < cases->len; i++)
    {
      const SetidCase *c = &g_array_index (cases, SetidCase, i);
      Outcome control = run_child (NULL, raw_call, &c->call);
      int kernel = c->kernel_errno ? c->kernel_errno : ENOENT;

      /* the control: the kernel's own answer is ENOENT or EBADF, never an
       * errno a profile uses */
      expect_errno (c->what, control, kernel);
      for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
        for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
          {
            g_autoptr(SbxProgram) program = program_from (variants[v].text, stage);
            g_autofree char *what = g_strdup_printf ("%s (variant %u, stage %d)", c->what, v, stage);

            expect_errno (what, run_child (program, raw_call, &c->call),
                          c->refused ? variants[v].errno_value : kernel);
          }
    }
  /* fchmodat2 (Linux 6.6): where libseccomp knows it, both modes refuse
   * only set-id modes, as for fchmodat; where it does not, the prologue
   * answers ENOSYS. */
  if (fchmodat2_nr < 0)
    print_message ("note: this libseccomp does not know fchmodat2\n");
  else
    {
      RawCall setid = { fchmodat2_nr, { AT_FDCWD, (long) NOWHERE, 04755, 0 } };
      RawCall plain = { fchmodat2_nr, { AT_FDCWD, (long) NOWHERE, 0755, 0 } };
      Outcome control = run_child (NULL, raw_call, &plain);
      g_autoptr(SbxProgram) deny = program_from (EACCES_DENY, SBX_STAGE_LAUNCH);
      g_autoptr(SbxProgram) allow = program_from (EACCES_ALLOW, SBX_STAGE_LAUNCH);

      expect_errno ("fchmodat2 04755 (deny-list)", run_child (deny, raw_call, &setid), EACCES);
      expect_errno ("fchmodat2 04755 (allow-list)", run_child (allow, raw_call, &setid), EACCES);
      if (control.ret == -1 && control.err == ENOSYS)
        print_message ("note: this kernel has no fchmodat2\n");
      else
        {
          expect_errno ("fchmodat2 0755 unfiltered", control, ENOENT);
          expect_errno ("fchmodat2 0755 (deny-list)", run_child (deny, raw_call, &plain), ENOENT);
          expect_errno ("fchmodat2 0755 (allow-list)", run_child (allow, raw_call, &plain), ENOENT);
        }
    }
  assert_int_equal (failures, 0);
}

/* openat2's mode is in a struct: ENOSYS in every mode and stage, so libc
 * falls back to openat, which the filter can read. */
static void
test_openat2_enosys (void **state)
{
  RawCall call = { SYS_openat2, { AT_FDCWD, (long) NOWHERE, -1, 24 } };

  failures = 0;
  expect_control_differs ("openat2", run_child (NULL, raw_call, &call), ENOSYS);
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
      {
        g_autoptr(SbxProgram) program = program_from (variants[v].text, stage);

        expect_call (program, "openat2", call, ENOSYS);
      }
  assert_int_equal (failures, 0);
}

/* socketpair: AF_UNIX stream and seqpacket only, whatever the flags; with
 * socket-families=unix, socket(AF_UNIX) the same.  A bad pointer for the
 * pair makes the kernel answer EFAULT where the filter lets a call by. */
static void
test_datagrams (void **state)
{
  static const struct {
    const char *what;
    long domain, type;
    gboolean refused;
  } pairs[] = {
    { "AF_UNIX SOCK_STREAM", AF_UNIX, SOCK_STREAM, FALSE },
    { "AF_UNIX SOCK_STREAM|SOCK_CLOEXEC", AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, FALSE },
    { "AF_UNIX SOCK_SEQPACKET|SOCK_NONBLOCK", AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, FALSE },
    { "AF_UNIX SOCK_STREAM | 1<<32", AF_UNIX, HIGH | SOCK_STREAM, FALSE },
    { "AF_UNIX SOCK_DGRAM", AF_UNIX, SOCK_DGRAM, TRUE },
    { "AF_UNIX SOCK_DGRAM|SOCK_CLOEXEC", AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, TRUE },
    { "AF_UNIX SOCK_RAW (a datagram for AF_UNIX)", AF_UNIX, SOCK_RAW, TRUE },
    { "AF_UNIX SOCK_DGRAM | 1<<32", AF_UNIX, HIGH | SOCK_DGRAM, TRUE },
    { "AF_INET SOCK_STREAM", AF_INET, SOCK_STREAM, TRUE },
  };
  static const char *const unix_only[] = {
    "[network]\nsocket-families=unix\n[seccomp]\nerrno=EACCES\n",
    "[network]\nsocket-families=unix\n[seccomp]\nmode=deny-list\nerrno=EACCES\n",
    "[network]\nsocket-families=unix;inet\n[seccomp]\nerrno=EACCES\n",
    "[network]\nsocket-families=unix;inet\n[seccomp]\nmode=deny-list\nerrno=EACCES\n",
  };

  failures = 0;
  for (guint p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      RawCall pair = { SYS_socketpair, { pairs[p].domain, pairs[p].type, 0, -1 } };
      Outcome control = run_child (NULL, raw_call, &pair);

      if (pairs[p].domain == AF_UNIX)
        expect_errno (pairs[p].what, control, EFAULT); /* unfiltered: reaches the pointer */
      for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
        for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
          {
            g_autoptr(SbxProgram) program = program_from (variants[v].text, stage);
            g_autofree char *what = g_strdup_printf ("socketpair(%s) (variant %u, stage %d)",
                                                     pairs[p].what, v, stage);

            expect_call (program, what, pair, pairs[p].refused ? variants[v].errno_value : EFAULT);
          }
    }
  for (guint i = 0; i < G_N_ELEMENTS (unix_only); i++)
    {
      g_autoptr(SbxProgram) program = program_from (unix_only[i], SBX_STAGE_LAUNCH);
      gboolean with_inet = strstr (unix_only[i], "inet") != NULL;
      RawCall stream = { SYS_socket, { AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0 } };
      RawCall seqpacket = { SYS_socket, { AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0 } };
      RawCall dgram = { SYS_socket, { AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0 } };
      RawCall raw = { SYS_socket, { AF_UNIX, SOCK_RAW | SOCK_CLOEXEC, 0 } };
      RawCall dgram_high = { SYS_socket, { AF_UNIX, HIGH | SOCK_DGRAM, 0 } };
      RawCall inet_dgram = { SYS_socket, { AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0 } };

      expect_call (program, "socket(AF_UNIX, SOCK_STREAM)", stream, 0);
      expect_call (program, "socket(AF_UNIX, SOCK_SEQPACKET)", seqpacket, 0);
      expect_call (program, "socket(AF_UNIX, SOCK_DGRAM)", dgram, EACCES);
      expect_call (program, "socket(AF_UNIX, SOCK_RAW)", raw, EACCES);
      expect_call (program, "socket(AF_UNIX, SOCK_DGRAM | 1<<32)", dgram_high, EACCES);
      /* only AF_UNIX loses its datagrams: the rule is about socket paths */
      expect_call (program, "socket(AF_INET, SOCK_DGRAM)", inet_dgram, with_inet ? 0 : EACCES);
    }
  /* controls: unfiltered, a datagram socket of each kind is made */
  expect_call (NULL, "socket(AF_UNIX, SOCK_DGRAM) unfiltered", (RawCall){ SYS_socket, { AF_UNIX, SOCK_DGRAM, 0 } }, 0);
  expect_call (NULL, "socket(AF_UNIX, SOCK_RAW) unfiltered", (RawCall){ SYS_socket, { AF_UNIX, SOCK_RAW, 0 } }, 0);
  assert_int_equal (failures, 0);
}

/* ---------------------------------------------- ENOSYS and other ABIs */

static void
test_enosys (void **state)
{
  RawCall clone3 = { SYS_clone3, { 0, 0 } };
  RawCall newer = bad_call ("getpid");
  Outcome control;

  newer.nr = sbx_seccomp_max_known_syscall () + 1;
  control = run_child (NULL, raw_call, &newer);
  failures = 0;
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
      {
        g_autoptr(SbxProgram) program = program_from (variants[v].text, stage);
        g_autofree char *what = g_strdup_printf ("syscall %d (newer than libseccomp)", newer.nr);

        expect_call (program, "clone3", clone3, ENOSYS);
        expect_call (program, what, newer, ENOSYS);
      }
  expect_control_differs ("clone3", run_child (NULL, raw_call, &clone3), ENOSYS);
  if (control.ret == -1 && control.err == ENOSYS)
    print_message ("note: this kernel lacks syscall %d too; its ENOSYS shows less\n", newer.nr);
  assert_int_equal (failures, 0);
}

static void
test_x32_killed (void **state)
{
  RawCall x32 = { .nr = SYS_getpid | 0x40000000 };
  Outcome control = run_child (NULL, raw_call, &x32);

  print_message ("x32 getpid unfiltered: ret %ld errno %d signal %d\n", control.ret, control.err,
                 control.sig);
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
      {
        g_autoptr(SbxProgram) program = program_from (variants[v].text, stage);
        Outcome out = run_child (program, raw_call, &x32);

        assert_true (out.signaled);
        assert_int_equal (out.sig, SIGSYS);
      }
}

/* getpid through the i386 entry (eax 20). */
static long
int80_getpid (gconstpointer data)
{
  long ret = 20;

  __asm__ volatile ("int $0x80" : "+a"(ret) : : "memory");
  return ret;
}

static void
test_i386_killed (void **state)
{
  Outcome control = run_child (NULL, int80_getpid, NULL);

  if (control.signaled)
    {
      print_message ("SKIP: int $0x80 dies of signal %d here even without a filter: "
                     "this host cannot run the i386 ABI, so the kill cannot be shown\n",
                     control.sig);
      skip ();
    }
  for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
    {
      g_autoptr(SbxProgram) program = program_from (NULL, stage);
      Outcome out = run_child (program, int80_getpid, NULL);

      assert_true (out.signaled);
      assert_int_equal (out.sig, SIGSYS);
    }
}

/* ------------------------------------------------- bytes and limits */

static void
test_deterministic_and_limits (void **state)
{
  gsize total = 0;

  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    for (SbxStage stage = SBX_STAGE_LAUNCH; stage <= SBX_STAGE_LOCK; stage++)
      {
        /* two fresh compiles: the default profile would otherwise come
         * from the precompiled table both times and be compared with itself */
        g_autoptr(SbxProfile) profile = profile_from (variants[v].text);
        g_autoptr(SbxProgram) a = sbx_program_new_compiled (profile, stage, NULL);
        g_autoptr(SbxProgram) b = sbx_program_new_compiled (profile, stage, NULL);
        gsize len_a, len_b;
        const guint8 *bytes_a;
        const guint8 *bytes_b;

        assert_non_null (a);
        assert_non_null (b);
        assert_false (sbx_program_is_precompiled (a) || sbx_program_is_precompiled (b));
        bytes_a = sbx_program_get_bytes (a, &len_a);
        bytes_b = sbx_program_get_bytes (b, &len_b);

        assert_int_equal (len_a, len_b);
        assert_memory_equal (bytes_a, bytes_b, len_a);
        assert_int_equal (len_a % 8, 0);
        assert_int_equal (sbx_program_get_n_instructions (a), len_a / 8);
        assert_true (sbx_program_get_n_instructions (a) <= SBX_PROGRAM_MAX_INSNS);
        assert_int_equal (sbx_program_get_stage (a), stage);
        if (v == 0)
          {
            print_message ("default %s program: %zu instructions\n",
                           stage == SBX_STAGE_LAUNCH ? "launch" : "lock",
                           sbx_program_get_n_instructions (a));
            total += sbx_program_get_n_instructions (a);
          }
      }
  assert_true (total <= SBX_PROGRAMS_MAX_TOTAL_INSNS);
}

static void
test_memfd (void **state)
{
  g_autoptr(SbxProgram) program = program_from (NULL, SBX_STAGE_LOCK);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = sbx_program_dup_sha256 (program);
  g_autofree guint8 *copy = NULL;
  const guint8 *bytes;
  gsize length;
  int fd;

  bytes = sbx_program_get_bytes (program, &length);
  fd = sbx_program_to_memfd (program, &error);
  assert_true (fd >= 0);
  assert_int_equal (lseek (fd, 0, SEEK_CUR), 0);
  assert_true (fcntl (fd, F_GETFD) & FD_CLOEXEC);
  assert_int_equal (fcntl (fd, F_GET_SEALS),
                    F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
  copy = g_malloc (length + 1);
  assert_int_equal (read (fd, copy, length + 1), length);
  assert_memory_equal (copy, bytes, length);
  assert_int_equal (write (fd, "x", 1), -1);
  assert_int_equal (errno, EPERM);
  assert_int_equal (ftruncate (fd, 0), -1);
  close (fd);
  assert_int_equal (strlen (sha), 64);
}

static void
test_lock_self (void **state)
{
  RawCall execve_ = bad_call ("execve");
  Outcome out;

  /* sbx_profile_lock_self in a child, then execve must be refused */
  fflush (NULL);
  pid_t pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      g_autoptr(SbxProfile) profile = profile_from (EACCES_ALLOW);

      if (!sbx_profile_lock_self (profile, NULL))
        _exit (90);
      errno = 0;
      _exit (raw_call (&execve_) == -1 && errno == EACCES ? 0 : 91);
    }
  int status;
  assert_int_equal (waitpid (pid, &status, 0), pid);
  assert_true (WIFEXITED (status));
  assert_int_equal (WEXITSTATUS (status), 0);
  out = run_child (NULL, raw_call, &execve_);
  assert_int_equal (out.err, EFAULT);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_deny_groups),
    cmocka_unit_test (test_deny_extra),
    cmocka_unit_test (test_ordinary_calls),
    cmocka_unit_test (test_outside_allow_table),
    cmocka_unit_test (test_clone_flags),
    cmocka_unit_test (test_ioctl_tiocsti),
    cmocka_unit_test (test_personality),
    cmocka_unit_test (test_socket_families),
    cmocka_unit_test (test_many_socket_families),
    cmocka_unit_test (test_setid),
    cmocka_unit_test (test_openat2_enosys),
    cmocka_unit_test (test_datagrams),
    cmocka_unit_test (test_enosys),
    cmocka_unit_test (test_x32_killed),
    cmocka_unit_test (test_i386_killed),
    cmocka_unit_test (test_deterministic_and_limits),
    cmocka_unit_test (test_memfd),
    cmocka_unit_test (test_lock_self),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
