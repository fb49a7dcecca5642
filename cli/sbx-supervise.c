/* sbx-supervise.c — `sbx run` after the sandbox is prepared: start it, stay
 * its supervising parent (the exec gate answers through us), forward
 * SIGINT/SIGTERM/SIGHUP to the job, print the refusals the gate reports and
 * why the job ended, and turn all that into sbx's exit status (sbx(1)
 * EXIT STATUS: the exit-status policy lives here, not in the library). */
#include "config.h"

#include "sbx-cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void
print_refusal (const SbxEvent *event, gpointer user_data)
{
  if (event->kind == SBX_EVENT_REFUSED)
    sbx_cli_message ("refused %s: %s", event->call, event->rule);
}

/* "1G", "64M", "4096" … */
static char *
format_bytes (guint64 bytes)
{
  static const char units[] = "KMGT";
  int unit = -1;

  while (bytes != 0 && unit < 3 && bytes % 1024 == 0)
    {
      bytes /= 1024;
      unit++;
    }
  if (unit < 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
  return g_strdup_printf ("%" G_GUINT64_FORMAT "%c", bytes, units[unit]);
}

/* One line naming the limit that ended the job, and its value. */
static void
print_end (const SbxWaitResult *result)
{
  g_autofree char *size = NULL;

  switch (result->cause)
    {
    case SBX_END_WALL_SECONDS:
      sbx_cli_message ("the job ran out of time: wall-seconds=%" G_GUINT64_FORMAT " ([limits] "
                       "wall-seconds); the sandbox was killed", result->limit);
      break;
    case SBX_END_CPU_SECONDS:
      sbx_cli_message ("the kernel killed the job at its CPU limit: cpu-seconds=%" G_GUINT64_FORMAT
                       " ([limits] cpu-seconds; %" G_GINT64_FORMAT ".%03d s of CPU used)",
                       result->limit, result->cpu_ms / 1000, (int) (result->cpu_ms % 1000));
      break;
    case SBX_END_FILE_SIZE:
      size = format_bytes (result->limit);
      sbx_cli_message ("the kernel killed the job for writing past its file-size limit: "
                       "file-size=%s ([limits] file-size)", size);
      break;
    case SBX_END_EXITED:
    case SBX_END_WOKEN:
    default:
      break;
    }
}

static int
exit_status (const SbxWaitResult *result)
{
  if (result->cause == SBX_END_WALL_SECONDS)
    return SBX_EXIT_DEADLINE;
  if (WIFEXITED (result->wait_status))
    return WEXITSTATUS (result->wait_status);   /* the job's; 128+N for its signal N */
  if (WIFSIGNALED (result->wait_status))
    return 128 + WTERMSIG (result->wait_status); /* bwrap itself was killed */
  return SBX_EXIT_SETUP;
}

/* Forwards what the signalfd holds to the job. */
static void
forward_signals (SbxSandbox *sandbox, int sfd)
{
  struct signalfd_siginfo info;

  while (read (sfd, &info, sizeof info) == (ssize_t) sizeof info)
    sbx_sandbox_signal (sandbox, (int) info.ssi_signo);
}

int
sbx_cli_supervise (SbxSandbox *sandbox, SbxProfile *profile, gboolean quiet, gboolean explain)
{
  g_autoptr(GError) error = NULL;
  SbxWaitResult result = { 0 };
  guint wall = sbx_profile_get_wall_seconds (profile);
  gint64 deadline;
  sigset_t set, old;
  int sfd;

  if (!quiet || explain)
    sbx_sandbox_set_event_func (sandbox, print_refusal, NULL);
  /* Blocked here and read from a signalfd; the child gets an empty mask. */
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGHUP);
  sigprocmask (SIG_BLOCK, &set, &old);
  sfd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    {
      sbx_cli_message ("signalfd: %s", g_strerror (errno));
      return SBX_EXIT_SETUP;
    }
  fflush (stdout);
  if (!sbx_sandbox_spawn (sandbox, NULL, &error))
    {
      close (sfd);
      return sbx_cli_fail (error);
    }
  deadline = wall > 0 ? g_get_monotonic_time () + (gint64) wall * G_USEC_PER_SEC : 0;
  do
    {
      if (!sbx_sandbox_wait (sandbox, deadline, sfd, &result, &error))
        {
          sbx_sandbox_kill (sandbox);
          close (sfd);
          return sbx_cli_fail (error);
        }
      if (result.cause == SBX_END_WOKEN)
        forward_signals (sandbox, sfd);
    }
  while (result.cause == SBX_END_WOKEN);
  close (sfd);
  sigprocmask (SIG_SETMASK, &old, NULL);
  if (!quiet)
    print_end (&result);
  return exit_status (&result);
}
