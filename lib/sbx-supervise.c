/* sbx-supervise.c — starting a prepared sandbox: exec (sbx is replaced by
 * bwrap), spawn (a child does the same), and run (exec, or a small
 * supervisor when the profile sets wall-seconds).
 *
 * bwrap runs with --unshare-pid and --die-with-parent: its first child is
 * pid 1 of the sandbox's pid namespace, and when pid 1 dies the kernel
 * kills every process in that namespace and lets pid 1 be reaped only once
 * they are all gone.  So at the deadline the supervisor SIGKILLs pid 1 and
 * waits for bwrap, which reaps pid 1 and exits: when waitpid() returns,
 * nothing of the sandbox is left.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_DEADLINE 124
#define EXIT_SETUP 125
#define EXIT_LOCK 126

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
  /* The job gets the fds 0-2 of the process that starts it: checked here,
   * at start, so a caller that gives the job other stdio (sbx attest's
   * /dev/null and pipes) is judged by what the job really gets. */
  return sbx_stdio_check (sandbox->as_root ? SBX_ROOT_JOB_ID : getuid (), error);
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

gboolean
sbx_sandbox_exec (SbxSandbox *sandbox, GError **error)
{
  SbxLaunchPlan plan;
  SbxLaunchFailure failure = { 0 };

  if (!check_startable (sandbox, error))
    return FALSE;
  fill_plan (sandbox, &plan);
  sbx_launch_exec (&plan, &failure);
  sbx_launch_failure_to_error (&failure, &sandbox->bwrap, error);
  return FALSE;
}

/* Forks a child that execs bwrap with @child_mask as its signal mask.  A
 * setup failure in the child comes back through a close-on-exec pipe: an
 * empty read means bwrap was exec'd. */
static gboolean
spawn_with_mask (SbxSandbox *sandbox, const sigset_t *child_mask, GPid *pid_out, GError **error)
{
  SbxLaunchPlan plan;
  SbxLaunchFailure failure = { 0 };
  int pipefd[2];
  ssize_t n;
  pid_t pid;

  if (!check_startable (sandbox, error))
    return FALSE;
  fill_plan (sandbox, &plan);
  if (pipe2 (pipefd, O_CLOEXEC) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "pipe");
      return FALSE;
    }
  pid = fork ();
  if (pid < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "fork");
      close (pipefd[0]);
      close (pipefd[1]);
      return FALSE;
    }
  if (pid == 0)
    {
      close (pipefd[0]);
      if (child_mask != NULL)
        sigprocmask (SIG_SETMASK, child_mask, NULL);
      sbx_launch_exec (&plan, &failure);
      while (write (pipefd[1], &failure, sizeof failure) < 0 && errno == EINTR)
        ;
      _exit (failure.code == SBX_ERROR_LOCK ? EXIT_LOCK : EXIT_SETUP);
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
  *pid_out = pid;
  return TRUE;
}

gboolean
sbx_sandbox_spawn (SbxSandbox *sandbox, GPid *pid, GError **error)
{
  g_return_val_if_fail (pid != NULL, FALSE);
  return spawn_with_mask (sandbox, NULL, pid, error);
}

/* ------------------------------------------------------------ supervisor */

/* The first pid listed in /proc/PID/task/PID/children, or 0. */
static pid_t
first_child (pid_t pid)
{
  char path[64];
  char buf[64];
  ssize_t n;
  int fd;

  g_snprintf (path, sizeof path, "/proc/%d/task/%d/children", (int) pid, (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  return (pid_t) atoi (buf);
}

/* Signals for the job go to the job itself (pid 1's child), so it can clean
 * up; before it exists, to bwrap, whose death takes everything down. */
static void
forward_signal (pid_t bwrap, int sig)
{
  pid_t init = first_child (bwrap);
  pid_t job = init > 0 ? first_child (init) : 0;

  if (job > 0 && kill (job, sig) == 0)
    return;
  kill (bwrap, sig);
}

static int
status_to_exit (int status)
{
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return EXIT_SETUP;
}

static gint64
now_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

/* Waits for @pid until @deadline_ms (monotonic), forwarding the signals of
 * @set other than SIGCHLD.  TRUE when it exited (status in @status). */
static gboolean
wait_until (pid_t pid, gint64 deadline_ms, const sigset_t *set, gboolean forward, int *status)
{
  for (;;)
    {
      gint64 left = deadline_ms - now_ms ();
      struct timespec ts;
      siginfo_t info;
      pid_t r = waitpid (pid, status, WNOHANG);
      int sig;

      if (r == pid)
        return TRUE;
      if (r < 0 && errno != EINTR)
        {
          *status = 0;
          return TRUE;
        }
      if (left <= 0)
        return FALSE;
      ts.tv_sec = left / 1000;
      ts.tv_nsec = (left % 1000) * 1000000;
      sig = sigtimedwait (set, &info, &ts);
      if (sig > 0 && sig != SIGCHLD && forward)
        forward_signal (pid, sig);
    }
}

/* Kills the whole sandbox and reaps bwrap. */
static void
kill_sandbox (pid_t bwrap, const sigset_t *set)
{
  pid_t init = first_child (bwrap);
  int status;

  if (init > 0)
    kill (init, SIGKILL);
  else
    kill (bwrap, SIGKILL);
  /* bwrap reaps pid 1, which the kernel lets happen only when every process
   * of the namespace is gone, and then exits. */
  if (wait_until (bwrap, now_ms () + 5000, set, FALSE, &status))
    return;
  kill (bwrap, SIGKILL);
  while (waitpid (bwrap, &status, 0) < 0 && errno == EINTR)
    ;
  /* pid 1 went to init; it was SIGKILLed: wait until it is gone. */
  for (int i = 0; init > 0 && i < 200 && kill (init, 0) == 0; i++)
    g_usleep (10000);
}

gboolean
sbx_sandbox_run (SbxSandbox *sandbox, int *exit_status, GError **error)
{
  guint wall;
  sigset_t set, old;
  struct sigaction dfl, old_chld;
  GPid pid;
  int status = 0;
  gboolean exited;

  g_return_val_if_fail (exit_status != NULL, FALSE);
  if (!check_startable (sandbox, error))
    return FALSE;
  wall = sbx_profile_get_wall_seconds (sandbox->profile);
  if (wall == 0)
    return sbx_sandbox_exec (sandbox, error);

  /* SIGCHLD ignored would reap bwrap behind our back: default while we wait. */
  memset (&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset (&dfl.sa_mask);
  sigaction (SIGCHLD, &dfl, &old_chld);
  sigemptyset (&set);
  sigaddset (&set, SIGCHLD);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGHUP);
  sigprocmask (SIG_BLOCK, &set, &old);
  if (!spawn_with_mask (sandbox, &old, &pid, error))
    {
      sigprocmask (SIG_SETMASK, &old, NULL);
      sigaction (SIGCHLD, &old_chld, NULL);
      return FALSE;
    }
  exited = wait_until (pid, now_ms () + (gint64) wall * 1000, &set, TRUE, &status);
  if (exited)
    *exit_status = status_to_exit (status);
  else
    {
      kill_sandbox (pid, &set);
      *exit_status = EXIT_DEADLINE;
    }
  sigprocmask (SIG_SETMASK, &old, NULL);
  sigaction (SIGCHLD, &old_chld, NULL);
  return TRUE;
}
