/* sbx-supervise.c — starting a prepared sandbox and supervising it: spawn
 * (a child execs bwrap; the parent takes the exec gate), wait (serve the
 * gate, enforce the deadline, reap bwrap, say why the job ended) and run
 * (both).  The caller always stays the job's supervising parent: the exec
 * gate (sbx-gate.c) needs one.
 *
 * Nothing process-wide is touched: no signal disposition or mask of the
 * caller, no environment, no fds but the sandbox's own.  The child gets
 * the stdio fds the caller chose and an empty signal mask.
 *
 * bwrap runs with --unshare-pid and --die-with-parent: its first child is
 * pid 1 of the sandbox's pid namespace, and when pid 1 dies the kernel
 * kills every process in that namespace and lets pid 1 be reaped only once
 * they are all gone.  So at the deadline the supervisor SIGKILLs pid 1 and
 * waits for bwrap, which reaps pid 1 and exits: when bwrap is reaped,
 * nothing of the sandbox is left.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static gboolean
check_startable (SbxSandbox *sandbox, GError **error)
{
  g_return_val_if_fail (sandbox != NULL, FALSE);
  if (!sandbox->prepared || sandbox->argv == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "the sandbox is not prepared");
      return FALSE;
    }
  if (sandbox->dry_run)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "a sandbox prepared for a dry run cannot start");
      return FALSE;
    }
  if (sandbox->pid != 0)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "the sandbox has already been started");
      return FALSE;
    }
  /* The job gets the fds sbx_sandbox_set_stdio() chose, else the caller's
   * own 0-2: checked here, at start, so a caller that gives the job other
   * stdio (sbx attest's /dev/null and pipes) is judged by what the job
   * really gets. */
  {
    int fds[3];

    for (int i = 0; i < 3; i++)
      fds[i] = sandbox->stdio[i] >= 0 ? sandbox->stdio[i] : i;
    return sbx_stdio_check (fds, sandbox->as_root ? sandbox->job_id : getuid (), error);
  }
}

static void
fill_plan (SbxSandbox *sandbox, SbxLaunchPlan *plan)
{
  memset (plan, 0, sizeof *plan);
  sbx_sandbox_fill_launch_plan (sandbox, plan);
  plan->inherit_fds = (const int *) (void *) sandbox->inherit_fds->data;
  plan->n_inherit_fds = sandbox->inherit_fds->len;
  plan->rlimits = sbx_profile_get_rlimits (sandbox->profile, &plan->n_rlimits);
  plan->bwrap = sandbox->bwrap.path;
  plan->argv = (char *const *) sandbox->argv->pdata;
  plan->envp = sandbox->envp;
}

/* In the child: the caller's chosen stdio on 0-2 (async-signal-safe).  Each
 * chosen fd is first copied above 2, so a choice that is itself 0-2 is not
 * overwritten before it is used. */
static gboolean
child_stdio (const int stdio[3])
{
  int copies[3];

  for (int i = 0; i < 3; i++)
    {
      copies[i] = stdio[i] >= 0 ? fcntl (stdio[i], F_DUPFD_CLOEXEC, 3) : -1;
      if (stdio[i] >= 0 && copies[i] < 0)
        return FALSE;
    }
  for (int i = 0; i < 3; i++)
    if (copies[i] >= 0 && dup2 (copies[i], i) < 0)
      return FALSE;
  return TRUE;
}

/* What the child that execs bwrap needs.  It runs in the caller's memory
 * (spawn_bwrap): it reads these and writes only its own stack, @failure and
 * the bind copies in @plan. */
typedef struct
{
  const SbxLaunchPlan *plan;
  const int *stdio;
  int pipe_read, pipe_write;  /* the failure report: the parent's end, ours */
  SbxLaunchFailure *failure;
} SpawnChild;

/* The signals this process catches, from the kernel's own SigCgt line
 * (bit N-1 for signal N): one read instead of a sigaction() query per
 * signal, which cost 64 system calls (~60 us, benchmark B1) at every
 * start.  In the spawn child "thread-self" is the child, whose handlers
 * are its own copy of the caller's as of clone(): no other thread can
 * change them under us.  FALSE when /proc cannot say. */
static gboolean
caught_signals (guint64 *mask)
{
  char buf[2048];  /* SigCgt is within the first 1.2 KiB of status */
  const char *p;

  if (sbx_read_small ("/proc/thread-self/status", buf, sizeof buf) < 0)
    return FALSE;
  p = strstr (buf, "\nSigCgt:");
  if (p == NULL)
    return FALSE;
  for (p += strlen ("\nSigCgt:"); *p == ' ' || *p == '\t'; p++)
    ;
  *mask = 0;
  for (int digits = 0; digits < 16; digits++, p++)
    {
      const char *hex = "0123456789abcdef";
      const char *at = *p != '\0' ? strchr (hex, *p) : NULL;

      if (at == NULL)
        return FALSE;
      *mask = (*mask << 4) | (guint64) (at - hex);
    }
  return *p == '\n';
}

/* Puts every caught signal back to SIG_DFL, and SIGPIPE too (the caller
 * may ignore it; the job must not inherit that).  Other ignored signals
 * stay ignored, as exec keeps them. */
void
sbx_launch_reset_signals (void)
{
  struct sigaction dfl = { .sa_handler = SIG_DFL };
  guint64 caught;

  if (caught_signals (&caught))
    {
      for (int sig = 1; sig < NSIG && sig <= 64; sig++)
        if (sig == SIGPIPE || (caught & ((guint64) 1 << (sig - 1))) != 0)
          sigaction (sig, &dfl, NULL);
      return;
    }
  for (int sig = 1; sig < NSIG; sig++)
    {
      struct sigaction old;

      if (sig == SIGPIPE
          || (sigaction (sig, NULL, &old) == 0 && old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN))
        sigaction (sig, &dfl, NULL);
    }
}

/* Runs on a stack of its own in the caller's memory, with the caller's
 * thread stopped (CLONE_VM | CLONE_VFORK), up to execve(bwrap) or _exit:
 * so no handler of the caller's may run here (each caught signal goes back
 * to its default, then the mask is emptied), no allocation, no GLib, and
 * the credential calls are the raw system calls (sbx-jobuid.c), not
 * glibc's, which would act on every thread of the caller. */
static int
spawn_child (void *data)
{
  SpawnChild *c = data;
  sigset_t none;

  sbx_launch_reset_signals ();
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  close (c->pipe_read);
  if (!child_stdio (c->stdio))
    {
      c->failure->code = SBX_ERROR_IO;
      c->failure->saved_errno = errno;
      g_strlcpy (c->failure->step, "dup2 of the job's stdio", sizeof c->failure->step);
    }
  else
    sbx_launch_exec (c->plan, c->failure);
  while (write (c->pipe_write, c->failure, sizeof *c->failure) < 0 && errno == EINTR)
    ;
  return 125; /* the exit status: clone()'s child ends with what it returns */
}

/* The child that execs bwrap, started like posix_spawn() starts one: it
 * shares the caller's memory and the caller's thread waits until it has
 * exec'd or exited (CLONE_VM | CLONE_VFORK), so no page table is copied
 * and no page of the caller's copied on write, which fork() spends most of
 * sbx's start-up cost on (benchmark B1).  The caller's signals are all
 * blocked around clone(), so none is taken in the child before it resets
 * the handlers.  A setup failure comes back through a close-on-exec pipe:
 * an empty read means bwrap was exec'd.
 *
 * The child's stack is a heap block: it needs about 7 KiB (10 KiB under
 * ASan).  Sanitizer builds fork instead: ASan cannot follow a child onto
 * a stack of our own and says so on the job's stderr (google/sanitizers
 * issue 189); so do builds with -DSBX_SPAWN_WITH_FORK, for tools that
 * cannot either (valgrind: tests/bench/sbx-order.sh). */
#define SPAWN_STACK_SIZE (64 * 1024)
#if defined(__SANITIZE_ADDRESS__) || defined(SBX_SPAWN_WITH_FORK)
#define SPAWN_SHARES_MEMORY 0
#else
#define SPAWN_SHARES_MEMORY 1
#endif

static pid_t
start_child (SpawnChild *child)
{
  sigset_t all, saved;
  pid_t pid;
  int saved_errno;
#if SPAWN_SHARES_MEMORY
  g_autofree char *stack = g_malloc (SPAWN_STACK_SIZE);
  /* the top, 16-byte aligned as the ABI wants a stack */
  char *top = (char *) ((guintptr) (stack + SPAWN_STACK_SIZE) & ~(guintptr) 15);
#endif

  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &saved);
#if SPAWN_SHARES_MEMORY
  pid = clone (spawn_child, top, CLONE_VM | CLONE_VFORK | SIGCHLD, child);
#else
  pid = fork ();
  if (pid == 0)
    _exit (spawn_child (child));
#endif
  saved_errno = errno;
  pthread_sigmask (SIG_SETMASK, &saved, NULL);
  errno = saved_errno;
  return pid;
}

static gboolean
spawn_bwrap (SbxSandbox *sandbox, GError **error)
{
  SbxLaunchPlan plan;
  SbxLaunchFailure failure = { 0 };
  SpawnChild child = { &plan, sandbox->stdio, -1, -1, &failure };
  g_autofree SbxLaunchBind *binds = NULL;
  int pipefd[2];
  ssize_t n;
  pid_t pid;

  fill_plan (sandbox, &plan);
  /* The child writes what it made of each bind (sbx-jobuid.c); in the
   * caller's memory that must be a copy of its own. */
  binds = g_memdup2 (plan.binds, plan.n_binds * sizeof *plan.binds);
  plan.binds = binds;
  if (pipe2 (pipefd, O_CLOEXEC) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "pipe");
      return FALSE;
    }
  child.pipe_read = pipefd[0];
  child.pipe_write = pipefd[1];
  pid = start_child (&child);
  if (pid < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "clone");
      close (pipefd[0]);
      close (pipefd[1]);
      return FALSE;
    }
  close (pipefd[1]);
  do
    n = read (pipefd[0], &failure, sizeof failure);
  while (n < 0 && errno == EINTR);
  close (pipefd[0]);
  if (n == (ssize_t) sizeof failure)
    {
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      failure.step[sizeof failure.step - 1] = '\0';
      sbx_launch_failure_to_error (&failure, &sandbox->bwrap, error);
      return FALSE;
    }
  sandbox->pid = pid;
  sandbox->pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
  return TRUE;
}

static void
reap (SbxSandbox *sandbox, int *status, struct rusage *usage)
{
  memset (usage, 0, sizeof *usage);
  *status = 0;
  while (wait4 (sandbox->pid, status, 0, usage) < 0 && errno == EINTR)
    ;
  sandbox->reaped = TRUE;
}

/* bwrap has its own copies of the mount sources, memfds and placeholders
 * by now, and a sandbox starts once: closing ours here, while bwrap sets
 * up on another core, keeps their release (a memfd's pages, a seccomp
 * program's memory) off the path from the job's end to sbx's exit
 * (benchmark B1). */
static void
release_bwrap_fds (SbxSandbox *sandbox)
{
  for (guint i = 0; i < sandbox->owned_fds->len; i++)
    close (g_array_index (sandbox->owned_fds, int, i));
  g_array_set_size (sandbox->owned_fds, 0);
  g_array_set_size (sandbox->inherit_fds, 0);
}

gboolean
sbx_sandbox_spawn (SbxSandbox *sandbox, GPid *pid, GError **error)
{
  if (!check_startable (sandbox, error))
    return FALSE;
  if (sandbox->gate != NULL && !sbx_gate_queue_program (sandbox->gate, sandbox->gate_program, error))
    return FALSE;
  if (!spawn_bwrap (sandbox, error))
    return FALSE;
  if (sandbox->gate != NULL)
    {
      sbx_gate_close_child_end (sandbox->gate);
      if (!sbx_gate_take_listener (sandbox->gate, error))
        {
          int status;
          struct rusage usage;

          /* bwrap or the helper said why on stderr; the sandbox is over */
          sbx_sandbox_kill (sandbox);
          reap (sandbox, &status, &usage);
          return FALSE;
        }
    }
  release_bwrap_fds (sandbox);
  if (pid != NULL)
    *pid = sandbox->pid;
  return TRUE;
}

int
sbx_sandbox_get_gate_fd (SbxSandbox *sandbox)
{
  g_return_val_if_fail (sandbox != NULL, -1);
  return sandbox->gate != NULL ? sbx_gate_get_listener (sandbox->gate) : -1;
}

gboolean
sbx_sandbox_dispatch (SbxSandbox *sandbox, GError **error)
{
  g_return_val_if_fail (sandbox != NULL, FALSE);
  return sandbox->gate == NULL || sbx_gate_dispatch (sandbox->gate, error);
}

/* ------------------------------------------------------------ supervisor */

/* The first pid listed in /proc/PID/task/PID/children, or 0. */
static pid_t
first_child (pid_t pid)
{
  char path[64];
  char buf[64];

  g_snprintf (path, sizeof path, "/proc/%d/task/%d/children", (int) pid, (int) pid);
  if (sbx_read_small (path, buf, sizeof buf) <= 0)
    return 0;
  return (pid_t) atoi (buf);
}

/* The job: the process whose exec the gate let through; without a gate,
 * pid 1's child. 0 before it exists. */
static pid_t
job_pid (SbxSandbox *sandbox)
{
  pid_t init;

  if (sandbox->gate != NULL && sbx_gate_get_job_pid (sandbox->gate) > 0)
    return sbx_gate_get_job_pid (sandbox->gate);
  init = first_child (sandbox->pid);
  return init > 0 ? first_child (init) : 0;
}

void
sbx_sandbox_signal (SbxSandbox *sandbox, int sig)
{
  pid_t job;

  g_return_if_fail (sandbox != NULL);
  if (sandbox->pid <= 0 || sandbox->reaped)
    return;
  /* Signals for the job go to the job itself, so it can clean up; before
   * it exists, to bwrap, whose death takes everything down. */
  job = job_pid (sandbox);
  if (job > 0 && kill (job, sig) == 0)
    return;
  kill (sandbox->pid, sig);
}

/* The job's user + system time from /proc/PID/stat (fields 14 and 15,
 * after the command name), kept when it grew.  RLIMIT_CPU is per process
 * and the job is reaped inside the sandbox, out of our rusage: sampling is
 * how sbx can tell a CPU-limit kill from another SIGKILL. */
#define SAMPLE_INTERVAL_US (200 * 1000)

static void
sample_job_cpu (SbxSandbox *sandbox)
{
  char path[64], buf[1024];
  unsigned long long utime = 0, stime = 0;
  pid_t job = job_pid (sandbox);
  const char *p;

  if (job <= 0)
    return;
  g_snprintf (path, sizeof path, "/proc/%d/stat", (int) job);
  if (sbx_read_small (path, buf, sizeof buf) <= 0)
    return;
  p = strrchr (buf, ')');
  /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
  if (p != NULL && sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                           &utime, &stime) == 2)
    sandbox->job_cpu_ms = MAX (sandbox->job_cpu_ms,
                               (gint64) ((utime + stime) * 1000 / (unsigned long long) sysconf (_SC_CLK_TCK)));
}

static gboolean
has_cpu_limit (SbxSandbox *sandbox)
{
  gsize n;
  const SbxRlimit *limits = sbx_profile_get_rlimits (sandbox->profile, &n);

  for (gsize i = 0; i < n; i++)
    if (limits[i].resource == RLIMIT_CPU && limits[i].value != RLIM_INFINITY)
      return TRUE;
  return FALSE;
}

/* TRUE once bwrap has exited (it is then still to be reaped). */
static gboolean
bwrap_exited (SbxSandbox *sandbox, int timeout_ms)
{
  siginfo_t info;

  if (sandbox->pidfd >= 0)
    {
      struct pollfd pfd = { sandbox->pidfd, POLLIN, 0 };

      return poll (&pfd, 1, timeout_ms) > 0;
    }
  memset (&info, 0, sizeof info);
  if (waitid (P_PID, sandbox->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0)
    return TRUE;
  if (timeout_ms > 0)
    g_usleep (MIN (timeout_ms, 10) * 1000);
  return FALSE;
}

void
sbx_sandbox_kill (SbxSandbox *sandbox)
{
  pid_t init;

  g_return_if_fail (sandbox != NULL);
  if (sandbox->pid <= 0 || sandbox->reaped)
    return;
  init = first_child (sandbox->pid);
  if (init > 0)
    kill (init, SIGKILL);
  else
    kill (sandbox->pid, SIGKILL);
  /* bwrap reaps pid 1, which the kernel lets happen only when every process
   * of the namespace is gone, and then exits. */
  for (int i = 0; i < 500 && !bwrap_exited (sandbox, 10); i++)
    ;
  kill (sandbox->pid, SIGKILL);
  /* pid 1 went to init if bwrap died first; it was SIGKILLed: wait until
   * it is gone. */
  for (int i = 0; init > 0 && i < 200 && kill (init, 0) == 0; i++)
    g_usleep (10000);
}

/* Which limit ended the job, from its status and the CPU it used. */
static void
attribute_end (SbxSandbox *sandbox, SbxWaitResult *result)
{
  const SbxRlimit *limits;
  gsize n;
  int code;

  result->cause = SBX_END_EXITED;
  if (!WIFEXITED (result->wait_status))
    return;
  /* bwrap exits 128+N when the job died of signal N */
  code = WEXITSTATUS (result->wait_status);
  limits = sbx_profile_get_rlimits (sandbox->profile, &n);
  for (gsize i = 0; i < n; i++)
    {
      if (limits[i].value == RLIM_INFINITY)
        continue;
      if (limits[i].resource == RLIMIT_FSIZE && code == 128 + SIGXFSZ)
        result->cause = SBX_END_FILE_SIZE;
      /* the job's last sample is at most one tick (200 ms) old */
      else if (limits[i].resource == RLIMIT_CPU
               && (code == 128 + SIGXCPU || code == 128 + SIGKILL)
               && MAX (result->cpu_ms, sandbox->job_cpu_ms) + 300 >= (gint64) limits[i].value * 1000)
        result->cause = SBX_END_CPU_SECONDS;
      else
        continue;
      result->limit = limits[i].value;
      return;
    }
}

static gint64
usage_ms (const struct rusage *usage)
{
  return ((gint64) usage->ru_utime.tv_sec + usage->ru_stime.tv_sec) * 1000
         + (usage->ru_utime.tv_usec + usage->ru_stime.tv_usec) / 1000;
}

gboolean
sbx_sandbox_wait (SbxSandbox *sandbox, gint64 deadline_us, int wake_fd, SbxWaitResult *result,
                  GError **error)
{
  struct rusage usage;
  gboolean cpu_limit;
  gint64 next_sample;

  g_return_val_if_fail (sandbox != NULL && result != NULL, FALSE);
  memset (result, 0, sizeof *result);
  if (sandbox->pid <= 0 || sandbox->reaped)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "the sandbox is not running");
      return FALSE;
    }
  cpu_limit = has_cpu_limit (sandbox);
  next_sample = g_get_monotonic_time () + SAMPLE_INTERVAL_US;
  for (;;)
    {
      struct pollfd pfd[3];
      int n = 0, gate_fd = sandbox->gate_hung_up ? -1 : sbx_sandbox_get_gate_fd (sandbox);
      int timeout = -1, r;

      if (deadline_us > 0)
        {
          gint64 left = deadline_us - g_get_monotonic_time ();

          if (left <= 0)
            {
              sbx_sandbox_kill (sandbox);
              reap (sandbox, &result->wait_status, &usage);
              result->cause = SBX_END_WALL_SECONDS;
              result->limit = sbx_profile_get_wall_seconds (sandbox->profile);
              result->cpu_ms = usage_ms (&usage);
              return TRUE;
            }
          timeout = (int) MIN ((left + 999) / 1000, 60000);
        }
      if (sandbox->pidfd < 0 && (timeout < 0 || timeout > 20))
        timeout = 20; /* no pidfd (old kernel): look now and then */
      /* Every 200 ms, however often the gate wakes us: a job ends by
       * RLIMIT_CPU only after a second of CPU, and a short job needs no
       * sample (each costs a few /proc reads at every start, B1). */
      if (cpu_limit)
        {
          gint64 now = g_get_monotonic_time ();

          if (now >= next_sample)
            {
              sample_job_cpu (sandbox);
              next_sample = now + SAMPLE_INTERVAL_US;
            }
          if (timeout < 0 || timeout > (next_sample - now + 999) / 1000)
            timeout = (int) ((next_sample - now + 999) / 1000);
        }
      if (sandbox->pidfd >= 0)
        pfd[n++] = (struct pollfd) { sandbox->pidfd, POLLIN, 0 };
      if (gate_fd >= 0)
        pfd[n++] = (struct pollfd) { gate_fd, POLLIN, 0 };
      if (wake_fd >= 0)
        pfd[n++] = (struct pollfd) { wake_fd, POLLIN, 0 };
      r = poll (pfd, n, timeout);
      if (r < 0 && errno != EINTR)
        {
          sbx_set_errno_error (error, SBX_ERROR_IO, errno, "poll");
          return FALSE;
        }
      for (int i = 0; r > 0 && i < n; i++)
        {
          if (pfd[i].fd == gate_fd && (pfd[i].revents & POLLIN)
              && !sbx_sandbox_dispatch (sandbox, error))
            return FALSE;
          /* every process under the gate is gone: nothing more to answer */
          if (pfd[i].fd == gate_fd && !(pfd[i].revents & POLLIN)
              && (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL)))
            sandbox->gate_hung_up = TRUE;
          if (pfd[i].fd == wake_fd && pfd[i].revents != 0)
            {
              result->cause = SBX_END_WOKEN;
              return TRUE;
            }
        }
      if (bwrap_exited (sandbox, 0))
        break;
    }
  reap (sandbox, &result->wait_status, &usage);
  result->cpu_ms = MAX (usage_ms (&usage), sandbox->job_cpu_ms);
  attribute_end (sandbox, result);
  return TRUE;
}

gboolean
sbx_sandbox_run (SbxSandbox *sandbox, SbxWaitResult *result, GError **error)
{
  guint wall;

  g_return_val_if_fail (result != NULL, FALSE);
  if (!sbx_sandbox_spawn (sandbox, NULL, error))
    return FALSE;
  wall = sbx_profile_get_wall_seconds (sandbox->profile);
  return sbx_sandbox_wait (sandbox, wall > 0 ? g_get_monotonic_time () + (gint64) wall * G_USEC_PER_SEC : 0,
                           -1, result, error);
}
