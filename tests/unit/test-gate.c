/* test-gate.c — sbx's half of the exec gate (lib/sbx-gate.c) against a real
 * seccomp listener, without bwrap.
 *
 * A forked victim installs a filter that notifies execve, with
 * SECCOMP_FILTER_FLAG_NEW_LISTENER, and hands the listener to the gate over
 * the gate's socket, as exec/sbx-exec does.  Then:
 *
 *   - a child of the victim execs /bin/true: the gate's first exec, let
 *     through (CONTINUE), nothing reported;
 *   - the victim execs a path that does not exist: refused with the
 *     profile's errno (EPERM), and reported once with that path (control:
 *     reporting works);
 *   - the victim execs another path; the test receives that notification
 *     itself, kills and reaps the victim, and only then lets the gate answer
 *     it (sbx_gate_answer).  The path read from /proc/PID/mem can no longer
 *     be the caller's (the pid may even be someone else's by now), so the
 *     SECCOMP_IOCTL_NOTIF_ID_VALID re-check after the read must drop the
 *     report: nothing more is reported.  This is the race the re-check
 *     guards, made deterministic by splitting receive and answer.
 */
#include "config.h"

#include "sbx-private.h"
#include "sbx-sandbox-private.h"
#include "sbx-scm-rights.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test-common.h"

#define ALIVE_PATH "/sbx-test-gate/answered-while-alive"
#define DEAD_PATH "/sbx-test-gate/answered-after-death"

static void
collect (const SbxEvent *event, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup (event->call));
}

/* The forked victim: never returns; its exit status says what went wrong. */
__attribute__ ((noreturn)) static void
victim (int sock)
{
  struct sock_filter filter[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned) seccomp_syscall_resolve_name ("execve"), 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { .len = G_N_ELEMENTS (filter), .filter = filter };
  char *const argv[] = { (char *) "x", NULL };
  int listener, status;
  pid_t helper;

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    _exit (20);
  listener = (int) syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                            SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
  if (listener < 0)
    _exit (21);
  if (sbx_scm_send_fd (sock, listener) != 1)
    _exit (22);
  close (listener);
  close (sock);
  /* the first exec: the gate lets it through */
  helper = fork ();
  if (helper == 0)
    {
      execl ("/bin/true", "true", (char *) NULL);
      _exit (127);
    }
  if (helper < 0 || waitpid (helper, &status, 0) != helper || !WIFEXITED (status)
      || WEXITSTATUS (status) != 0)
    _exit (23);
  /* answered while we are alive: the profile's errno */
  if (execv (ALIVE_PATH, argv) != -1 || errno != EPERM)
    _exit (24);
  /* the test kills us while this one waits */
  execv (DEAD_PATH, argv);
  _exit (25);
}

/* Waits (10 s at most) until the listener has a notification; fails the
 * test with the victim's exit status when it ended instead. */
static void
await_notification (SbxGate *gate, pid_t victim_pid)
{
  struct pollfd p = { .fd = sbx_gate_get_listener (gate), .events = POLLIN };
  int status;

  if (poll (&p, 1, 10000) == 1 && (p.revents & POLLIN))
    return;
  kill (victim_pid, SIGKILL);
  waitpid (victim_pid, &status, 0);
  fail_msg ("no notification from the victim (its status: %s %d)",
            WIFEXITED (status) ? "exit" : "signal",
            WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
}

static void
test_answer_after_caller_died_reports_nothing (void **state)
{
  g_autoptr(SbxProfile) profile = test_profile_from (NULL, "test-gate");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxGate) gate = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  struct seccomp_notif_sizes sizes;
  g_autofree struct seccomp_notif *req = NULL;
  int status;
  pid_t pid;

  gate = sbx_gate_new (profile, 0, &error);
  g_assert_no_error (error);
  sbx_gate_set_event_func (gate, collect, events);
  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    victim (sbx_gate_get_child_fd (gate));
  sbx_gate_close_child_end (gate);
  if (!sbx_gate_take_listener (gate, &error))
    fail_msg ("take_listener: %s", error->message);

  /* the first exec continues, unreported */
  await_notification (gate, pid);
  assert_true (sbx_gate_dispatch (gate, &error));
  assert_int_equal (events->len, 0);
  /* control: a refusal answered while its caller lives is reported */
  await_notification (gate, pid);
  assert_true (sbx_gate_dispatch (gate, &error));
  assert_int_equal (events->len, 1);
  assert_string_equal (g_ptr_array_index (events, 0), "execve(\"" ALIVE_PATH "\")");

  /* the race, made deterministic: receive, the caller dies, then answer */
  assert_int_equal (syscall (SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes), 0);
  req = g_malloc0 (MAX (sizeof *req, sizes.seccomp_notif));
  await_notification (gate, pid);
  assert_int_equal (ioctl (sbx_gate_get_listener (gate), SECCOMP_IOCTL_NOTIF_RECV, req), 0);
  assert_int_equal (req->pid, pid);
  assert_int_equal (kill (pid, SIGKILL), 0);
  assert_int_equal (waitpid (pid, &status, 0), pid);
  assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  assert_true (sbx_gate_answer (gate, req, &error));
  g_assert_no_error (error);
  if (events->len != 1)
    fail_msg ("a notification whose caller is gone was reported: %s",
              (const char *) g_ptr_array_index (events, events->len - 1));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_answer_after_caller_died_reports_nothing),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
