/* test-exec-lock.c — sbx-preload.so on a real dynamically linked program
 * (tests/lock-target): with a good lock fd the program runs but cannot
 * execve, execveat or fexecve a memfd, and no trace of the lock is left in
 * its environment; with a bad or missing lock fd it exits 126 before main.
 */
#include "config.h"

#include "sbx-private.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test-common.h"

#define MARKER "lock-target: main reached"

typedef struct {
  int status;   /* waitpid status */
  char *out;    /* stdout and stderr together */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
builddir_path (const char *relative)
{
  const char *top = g_getenv ("top_builddir");

  return g_build_filename (top ? top : ".", relative, NULL);
}

static const char *
true_path (void)
{
  return g_file_test ("/usr/bin/true", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/true" : "/bin/true";
}

/* Runs tests/lock-target with @args under @env (NULL-terminated
 * "NAME=value" list, nothing else inherited), keeping @keep_fd open. */
static Run
run_target (const char *const *args, const char *const *env, int keep_fd)
{
  g_autofree char *target = builddir_path ("tests/lock-target");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  Run run = { 0 };
  int fds[2];
  char buf[4096];
  ssize_t n;
  pid_t pid;

  g_ptr_array_add (argv, target);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  assert_int_equal (pipe2 (fds, O_CLOEXEC), 0);
  fflush (NULL);
  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      int null_fd = open ("/dev/null", O_RDONLY);

      /* stdin is /dev/null: fd 0 is then a known "not a program" */
      dup2 (null_fd, STDIN_FILENO);
      dup2 (fds[1], STDOUT_FILENO);
      dup2 (fds[1], STDERR_FILENO);
      if (keep_fd >= 0)
        fcntl (keep_fd, F_SETFD, 0);
      execve (target, (char **) argv->pdata, (char **) env);
      _exit (127);
    }
  close (fds[1]);
  while ((n = read (fds[0], buf, sizeof buf)) > 0)
    g_string_append_len (out, buf, n);
  close (fds[0]);
  assert_int_equal (waitpid (pid, &run.status, 0), pid);
  run.out = g_string_free (g_steal_pointer (&out), FALSE);
  return run;
}

static int
lock_memfd (const char *profile_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxProgram) program = NULL;
  int fd;

  profile = test_profile_from (profile_text, "test-exec-lock");
  program = sbx_program_new (profile, SBX_STAGE_LOCK, &error);
  assert_non_null (program);
  fd = sbx_program_to_memfd (program, &error);
  assert_true (fd >= 0);
  return fd;
}

/* Runs the target with the preload and SBX_LOCK_FD=@fd (if @fd_text is
 * NULL) or SBX_LOCK_FD=@fd_text (which may be "" to leave it out). */
static Run
run_locked (const char *mode, const char *arg, int fd, const char *fd_text)
{
  g_autofree char *preload = builddir_path (SBX_PRELOAD_NAME);
  g_autofree char *preload_var = g_strdup_printf (SBX_ENV_PRELOAD "=%s", preload);
  g_autofree char *fd_var = fd_text ? g_strdup_printf (SBX_ENV_LOCK_FD "=%s", fd_text)
                                    : g_strdup_printf (SBX_ENV_LOCK_FD "=%d", fd);
  const char *env[] = { preload_var, "PATH=/usr/bin:/bin", NULL, NULL };
  const char *args[] = { mode, arg, NULL };

  if (fd_text == NULL || fd_text[0] != '\0')
    env[2] = fd_var;
  return run_target (args, env, fd);
}

static void
assert_exit (const Run *run, int code)
{
  if (!WIFEXITED (run->status) || WEXITSTATUS (run->status) != code)
    fail_msg ("status 0x%x, expected exit %d; output:\n%s", run->status, code, run->out);
}

static void
test_control_exec_works (void **state)
{
  const char *env[] = { "PATH=/usr/bin:/bin", NULL };

  for (guint i = 0; i < 3; i++)
    {
      const char *modes[] = { "execve", "execveat", "fexecve" };
      const char *args[] = { modes[i], true_path (), NULL };
      g_auto (Run) run = run_target (args, env, -1);

      /* without the lock the exec works: true runs and prints nothing */
      assert_exit (&run, 0);
      assert_string_equal (run.out, MARKER "\n");
    }
}

static void
check_exec_denied (const char *profile_text, int expected_errno)
{
  static const char *const modes[] = { "execve", "execveat", "fexecve" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      int fd = lock_memfd (profile_text);
      g_auto (Run) run = run_locked (modes[i], true_path (), fd, NULL);
      g_autofree char *want = g_strdup_printf (MARKER "\n%s -1 errno %d\n", modes[i], expected_errno);

      close (fd);
      assert_exit (&run, 0);
      assert_string_equal (run.out, want);
    }
}

static void
test_exec_denied (void **state)
{
  check_exec_denied (NULL, EPERM);
  check_exec_denied ("[seccomp]\nerrno=EACCES\n", EACCES);
  check_exec_denied ("[seccomp]\nmode=deny-list\nerrno=EACCES\n", EACCES);
}

static void
test_environment_scrubbed (void **state)
{
  int fd = lock_memfd (NULL);
  g_autofree char *fd_text = g_strdup_printf ("%d", fd);
  g_auto (Run) run = run_locked ("env", fd_text, fd, NULL);

  close (fd);
  assert_exit (&run, 0);
  assert_string_equal (run.out, MARKER "\nSBX_LOCK_FD=absent LD_PRELOAD=absent fd=closed nnp=1\n");
}

static void
assert_refused (Run *run, const char *what)
{
  if (!WIFEXITED (run->status) || WEXITSTATUS (run->status) != 126)
    fail_msg ("%s: status 0x%x, expected exit 126; output:\n%s", what, run->status, run->out);
  if (strstr (run->out, MARKER) != NULL)
    fail_msg ("%s: main ran unlocked:\n%s", what, run->out);
  if (!g_str_has_prefix (run->out, "sbx-preload: "))
    fail_msg ("%s: no sbx-preload message:\n%s", what, run->out);
}

/* A memfd holding @data, not CLOEXEC-cleared yet (run_target does it). */
static int
memfd_with (const void *data, gsize length)
{
  int fd = memfd_create ("not-a-program", MFD_CLOEXEC);

  assert_true (fd >= 0);
  assert_int_equal (write (fd, data, length), (ssize_t) length);
  return fd;
}

static void
test_bad_lock_fd (void **state)
{
  static const guint8 zeros[16] = { 0 };
  int text_fd = memfd_with ("hello", 5);
  int zero_fd = memfd_with (zeros, sizeof zeros);
  int empty_fd = memfd_with ("", 0);
  const char *true_ = true_path ();

  {
    g_auto (Run) run = run_locked ("execve", true_, -1, "");
    assert_refused (&run, "SBX_LOCK_FD missing");
  }
  {
    g_auto (Run) run = run_locked ("execve", true_, -1, "77");
    assert_refused (&run, "SBX_LOCK_FD closed");
  }
  {
    g_auto (Run) run = run_locked ("execve", true_, -1, "3x");
    assert_refused (&run, "SBX_LOCK_FD not a number");
  }
  {
    g_auto (Run) run = run_locked ("execve", true_, text_fd, NULL);
    assert_refused (&run, "lock fd holds text");
  }
  {
    /* a multiple of 8, but "ret 0"-less garbage the kernel must refuse */
    g_auto (Run) run = run_locked ("execve", true_, zero_fd, NULL);
    assert_refused (&run, "lock fd holds no valid program");
  }
  {
    g_auto (Run) run = run_locked ("execve", true_, empty_fd, NULL);
    assert_refused (&run, "lock fd empty");
  }
  {
    g_auto (Run) run = run_locked ("execve", true_, -1, "0");
    assert_refused (&run, "lock fd is /dev/null, not a program");
  }
  close (text_fd);
  close (zero_fd);
  close (empty_fd);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_control_exec_works),
    cmocka_unit_test (test_exec_denied),
    cmocka_unit_test (test_environment_scrubbed),
    cmocka_unit_test (test_bad_lock_fd),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
