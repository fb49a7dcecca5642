/* sweep.c — the syscall sweep (probes/README.md "Observations"): every
 * number of the native ABI from 0 to SWEEP_MAX-1, called once with every
 * argument -1, and what the kernel answered.  The probe judges nothing:
 * sbx attest evaluates the launch and lock programs on the same numbers and
 * arguments with its own BPF interpreter and compares.
 *
 * Why -1 everywhere: as an fd it is EBADF, as a pointer EFAULT, as flags,
 * sizes, signals and ids it is out of range (EINVAL, ESRCH), so a call that
 * reaches the kernel does nothing; the calls where -1 is harmless anyway
 * (setreuid(-1,-1), personality(0xffffffff) — a query) just succeed.  The
 * exceptions are in a table: calls that end or block the caller run in a
 * child of their own with a watchdog; calls that would touch the whole
 * host even in namespaces of our own (sync) or share our stack (vfork) are
 * not made.  A number that kills or stalls the sweeper unexpectedly is
 * recorded as such, and the sweep goes on with the next one.
 *
 * The control never sweeps the bare host: it first moves into new user,
 * mount, UTS, IPC, network and cgroup namespaces (sethostname and friends
 * then touch only those; without a capability in the host's namespace the
 * host-wide calls answer EPERM); when it cannot, nothing is called. */
#include "config.h"

#include "probe.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One past the highest number swept: covers every number Linux 6.18 has
 * on x86_64 (up to 467) and unassigned numbers above, which the programs
 * answer like any other unknown number. */
#define SWEEP_MAX 512
#define ARG (~0UL)

typedef enum {
  HOW_CALL = 0,   /* in the sweeper itself */
  HOW_CHILD,      /* in a child of its own, with a watchdog: it ends or blocks the caller */
  HOW_FORK,       /* creates a process: the new one leaves at once */
  HOW_SKIP,       /* not called */
} How;

static const struct { long nr; How how; const char *why; } special[] = {
#ifdef SYS_rt_sigreturn
  { SYS_rt_sigreturn, HOW_CHILD, "restores a garbage frame" },
#endif
#ifdef SYS_pause
  { SYS_pause, HOW_CHILD, "blocks" },
#endif
#ifdef SYS_exit
  { SYS_exit, HOW_CHILD, "ends the caller" },
#endif
#ifdef SYS_exit_group
  { SYS_exit_group, HOW_CHILD, "ends the caller" },
#endif
#ifdef SYS_fork
  { SYS_fork, HOW_FORK, "creates a process" },
#endif
#ifdef SYS_vfork
  { SYS_vfork, HOW_SKIP, "the new process would run on the caller's stack" },
#endif
#ifdef SYS_sync
  { SYS_sync, HOW_SKIP, "writes back every file system of the host" },
#endif
#if defined(__x86_64__)
  /* kernel/seccomp.c lets these through every filter (the uprobe
   * trampolines need them): nothing a program says applies */
  { 335, HOW_SKIP, "uretprobe: passed through seccomp by the kernel" },
  { 336, HOW_SKIP, "uprobe: passed through seccomp by the kernel" },
#endif
};

/* One result per number, in memory shared with the sweeper. */
enum { R_NONE, R_RET, R_ERR, R_SIG, R_TIMEOUT, R_SKIP };
typedef struct {
  int state;
  int value;     /* errno, signal number */
  long ret;
} Result;

typedef struct {
  volatile int current;  /* number in progress */
  Result r[SWEEP_MAX];
} Shared;

static How
how_of (long nr, const char **why)
{
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    if (special[i].nr == nr)
      {
        *why = special[i].why;
        return special[i].how;
      }
  *why = NULL;
  return HOW_CALL;
}

static long
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void on_alarm (int sig) { (void) sig; }

/* Runs @nr in a child of its own, at most @ms milliseconds.  The child
 * reports through its exit status: 99 returned, 100+errno failed; a call
 * that ends the caller leaves with its own status (255 for exit(-1)).  A
 * timer interrupts a call that blocks (pause: EINTR when it was let
 * through, the filter's errno at once otherwise). */
static void
call_in_child (long nr, Result *r, int ms)
{
  pid_t pid = probe_fork ();
  if (pid < 0)
    {
      r->state = R_ERR, r->value = errno;
      return;
    }
  if (pid == 0)
    {
      struct sigaction sa;
      struct itimerval it = { { 0, 0 }, { 0, 10 * 1000 } };
      memset (&sa, 0, sizeof sa);
      sa.sa_handler = on_alarm;
      sigaction (SIGALRM, &sa, NULL);
      setitimer (ITIMER_REAL, &it, NULL);
      long ret = syscall (nr, ARG, ARG, ARG, ARG, ARG, ARG);
      int e = errno;
      _exit (ret >= 0 ? 99 : e > 0 && e < 150 ? 100 + e : 98);
    }
  long deadline = now_ms () + ms;
  int status;
  for (;;)
    {
      pid_t w = waitpid (pid, &status, WNOHANG);
      if (w == pid)
        break;
      if (now_ms () >= deadline)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          r->state = R_TIMEOUT;
          return;
        }
      struct timespec ts = { 0, 200 * 1000 };
      nanosleep (&ts, NULL);
    }
  int code = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  if (WIFSIGNALED (status))
    r->state = R_SIG, r->value = WTERMSIG (status);
  else if (code > 100 && code < 250)
    r->state = R_ERR, r->value = code - 100;
  else
    r->state = R_RET, r->ret = code == 99 ? 0 : code;
}

static void
sweeper (Shared *sh, long from)
{
  pid_t me = (pid_t) syscall (SYS_getpid);
  setsid ();      /* no controlling terminal: vhangup and TIOC* touch nothing */
  for (long nr = from; nr < SWEEP_MAX; nr++)
    {
      Result *r = &sh->r[nr];
      const char *why;
      sh->current = (int) nr;
      switch (how_of (nr, &why))
        {
        case HOW_SKIP:
          r->state = R_SKIP;
          break;
        case HOW_CHILD:
          call_in_child (nr, r, 100);
          break;
        case HOW_FORK:
        case HOW_CALL:
          {
            long ret = syscall (nr, ARG, ARG, ARG, ARG, ARG, ARG);
            int e = errno;
            if (ret == 0 && (pid_t) syscall (SYS_getpid) != me)
              syscall (SYS_exit_group, 0);
            if (ret > 0 && how_of (nr, &why) == HOW_FORK)
              waitpid ((pid_t) ret, NULL, 0);
            if (ret < 0)
              r->state = R_ERR, r->value = e;
            else
              r->state = R_RET, r->ret = ret;
            break;
          }
        }
    }
  sh->current = SWEEP_MAX;
}

/* Control only: new namespaces for the sweeper, so that nothing it calls
 * can touch the host; then, like the job, no capability and no_new_privs,
 * so the kernel's own answers (EPERM of a capability check) are those the
 * job would get without a filter.  0, or -1 with errno. */
static int
fresh_namespaces (void)
{
  struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct none[2];

  memset (none, 0, sizeof none);
  if (unshare (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET
               | CLONE_NEWCGROUP) < 0)
    return -1;
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return -1;
  return (int) syscall (SYS_capset, &head, none);
}

static void
words (const Result *r, char *buf, size_t size)
{
  switch (r->state)
    {
    case R_RET: snprintf (buf, size, "=%ld", r->ret); break;
    case R_ERR: snprintf (buf, size, "%s", probe_errno_name (r->value)); break;
    case R_SIG: snprintf (buf, size, "%s", probe_signal_name (r->value)); break;
    case R_TIMEOUT: snprintf (buf, size, "timeout"); break;
    case R_SKIP: snprintf (buf, size, "skip"); break;
    default: snprintf (buf, size, "none"); break;
    }
}

/* ATTEMPT id sweep "N-M every argument -1" "N:WORD N+1:WORD …" 0
 * WORD: an errno name, "=RET" (returned), a signal name (killed), "timeout",
 * "skip" (not called).  In the control, "namespaces" first records the
 * unshare of the fresh namespaces. */
void
observe_syscalls (const char *id)
{
  Shared *sh = mmap (NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (sh == MAP_FAILED)
    {
      probe_attempt (id, "sweep", "mmap of the result table", -1, errno);
      return;
    }
  memset (sh, 0, sizeof *sh);
  int control = expect_control ();
  long from = 0;
  while (from < SWEEP_MAX)
    {
      sh->current = (int) from;
      pid_t pid = probe_fork ();
      if (pid < 0)
        {
          probe_attempt (id, "sweep", "fork of the sweeper", -1, errno);
          break;
        }
      if (pid == 0)
        {
          if (control && fresh_namespaces () < 0)
            _exit (99);
          sweeper (sh, from);
          _exit (0);
        }
      /* watchdog: a number may take 300 ms at most */
      int status = 0, last = -1;
      long since = now_ms ();
      for (;;)
        {
          pid_t w = waitpid (pid, &status, WNOHANG);
          if (w == pid)
            break;
          if (sh->current != last)
            last = sh->current, since = now_ms ();
          else if (now_ms () - since > 300)
            {
              kill (pid, SIGKILL);
              waitpid (pid, &status, 0);
              status = -1;
              break;
            }
          struct timespec ts = { 0, 300 * 1000 };
          nanosleep (&ts, NULL);
        }
      if (control && from == 0)
        probe_attempt (id, "namespaces", "unshare user,mnt,uts,ipc,net,cgroup for the control sweep",
                       WIFEXITED (status) && WEXITSTATUS (status) == 99 ? -1 : 0, EPERM);
      if (control && WIFEXITED (status) && WEXITSTATUS (status) == 99)
        {
          for (long nr = 0; nr < SWEEP_MAX; nr++)
            sh->r[nr].state = R_SKIP;
          break;
        }
      int cur = sh->current;
      if (cur >= SWEEP_MAX)
        break;
      /* the sweeper died or stalled on @cur */
      if (status == -1)
        sh->r[cur].state = R_TIMEOUT;
      else if (WIFSIGNALED (status))
        sh->r[cur].state = R_SIG, sh->r[cur].value = WTERMSIG (status);
      else
        sh->r[cur].state = R_RET, sh->r[cur].ret = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
      from = cur + 1;
    }
  for (int base = 0; base < SWEEP_MAX; base += 64)
    {
      char args[64], ret[3000];
      size_t len = 0;
      snprintf (args, sizeof args, "%d-%d every argument -1", base, base + 63);
      for (int nr = base; nr < base + 64 && nr < SWEEP_MAX; nr++)
        {
          char w[32];
          words (&sh->r[nr], w, sizeof w);
          len += (size_t) snprintf (ret + len, sizeof ret - len, "%s%d:%s", len ? " " : "", nr, w);
        }
      probe_attempt_text (id, "sweep", args, ret, 0);
    }
  munmap (sh, sizeof *sh);
}
