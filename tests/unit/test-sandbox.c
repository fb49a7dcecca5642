/* test-sandbox.c — the sandbox runtime below the CLI, without starting bwrap:
 *
 *  - sbx_open_no_symlinks(): refuses a symlink anywhere in the path (last
 *    component or an ancestor), checks the type, accepts real paths;
 *  - a symlink swapped in after the profile checked the folder: prepare
 *    refuses it (mounts are made from what was opened, never re-resolved);
 *  - the command lookup in the sandbox's view: PATH, /in mapped back, links
 *    followed inside the view (and "not found" when they leave it), static
 *    programs (run under every exec-lock), #! interpreters, other ABIs;
 *  - a dry run and a real prepare from the same state give the same argv
 *    (fd numbers included), and the fd description names every fd;
 *  - the merged-/usr symlinks are only usr/… ones;
 *  - a real spawn as root leaves the caller's signal mask and bind records
 *    as they were (the child shares the caller's memory).
 *
 * Scratch files live in a fresh temporary folder (removed at the end); the
 * files test_resolve makes are used by the lookup tests after it.  The
 * tests that need bwrap, the helper folder or tests/live-static skip when
 * they are missing. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *scratch;

static char *
path_in (const char *name)
{
  return g_build_filename (scratch, name, NULL);
}

static void
make_dir (const char *name)
{
  g_autofree char *p = path_in (name);

  assert_int_equal (g_mkdir_with_parents (p, 0755), 0);
}

static void
make_file (const char *name, const char *text, int mode)
{
  g_autofree char *p = path_in (name);

  assert_true (g_file_set_contents (p, text, -1, NULL));
  assert_int_equal (chmod (p, mode), 0);
}

static void
copy_file (const char *from, const char *name, int mode)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autofree char *p = path_in (name);

  assert_true (g_file_get_contents (from, &data, &len, NULL));
  assert_true (g_file_set_contents (p, data, len, NULL));
  assert_int_equal (chmod (p, mode), 0);
}

static int
setup (void **state)
{
  scratch = g_dir_make_tmp ("sbx-test-sandbox.XXXXXX", NULL);
  return scratch == NULL ? -1 : 0;
}

static int
teardown (void **state)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", scratch);

  if (system (cmd) != 0)
    return -1;
  g_clear_pointer (&scratch, g_free);
  return 0;
}

/* ------------------------------------------------------------ safe opens */

static void
test_open_no_symlinks (void **state)
{
  g_autofree char *real = path_in ("real/sub");
  g_autofree char *file = path_in ("real/file");
  g_autofree char *link = path_in ("link");
  g_autofree char *via_link = path_in ("link/sub");
  g_autofree char *last_link = path_in ("real/sub-link");
  GError *error = NULL;
  int fd;

  make_dir ("real/sub");
  make_file ("real/file", "x", 0644);
  assert_int_equal (symlink ("real", link), 0);
  assert_int_equal (symlink ("sub", last_link), 0);

  fd = sbx_open_no_symlinks (real, S_IFDIR, "input", &error);
  assert_true (fd >= 0);
  assert_true (fcntl (fd, F_GETFD) & FD_CLOEXEC);
  close (fd);

  fd = sbx_open_no_symlinks (via_link, S_IFDIR, "input", &error);
  assert_int_equal (fd, -1);
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_INVALID_PATH));
  assert_non_null (strstr (error->message, "symbolic link"));
  assert_non_null (strstr (error->message, link)); /* names the culprit */
  g_clear_error (&error);

  fd = sbx_open_no_symlinks (last_link, 0, "system path", &error);
  assert_int_equal (fd, -1);
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_INVALID_PATH));
  g_clear_error (&error);

  fd = sbx_open_no_symlinks (file, S_IFDIR, "output", &error);
  assert_int_equal (fd, -1);
  assert_non_null (strstr (error->message, "not a directory"));
  g_clear_error (&error);

  fd = sbx_open_no_symlinks ("relative/path", 0, "system path", &error);
  assert_int_equal (fd, -1);
  g_clear_error (&error);
}

static void
test_usr_symlinks (void **state)
{
  g_autoptr(GPtrArray) links = sbx_host_usr_symlinks ();

  for (guint i = 0; i < links->len; i++)
    {
      const SbxSymlink *link = links->pdata[i];

      assert_true (g_str_has_prefix (link->target, "usr/"));
      assert_null (strstr (link->target, ".."));
      assert_true (link->dest[0] == '/' && strchr (link->dest + 1, '/') == NULL);
    }
}

/* ----------------------------------------------------------- the view */

static SbxMount *
mount_new (const char *host, const char *dest)
{
  SbxMount *m = g_new0 (SbxMount, 1);

  m->fd = -1;
  m->host_path = g_strdup (host);
  m->dest = g_strdup (dest);
  m->role = SBX_MOUNT_SYSTEM;
  return m;
}

/* A view with /usr (and the host's merged-/usr links) and scratch/in at /in. */
static void
view_init (SbxView *view, SbxExecLock lock)
{
  g_autofree char *in = path_in ("in");

  memset (view, 0, sizeof *view);
  view->mounts = g_ptr_array_new_with_free_func (sbx_mount_free);
  g_ptr_array_add (view->mounts, mount_new ("/usr", "/usr"));
  g_ptr_array_add (view->mounts, mount_new (in, "/in"));
  view->symlinks = sbx_host_usr_symlinks ();
  view->workdir = "/in";
  view->path_env = "/usr/bin:/bin";
  view->exec_lock = lock;
}

static void
view_clear (SbxView *view)
{
  g_ptr_array_unref (view->mounts);
  g_ptr_array_unref (view->symlinks);
}

static void
expect_resolved (const SbxView *view, const char *name, const char *want)
{
  GError *error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *got = sbx_view_resolve_command (view, name, &host, &error);

  if (got == NULL)
    fail_msg ("%s: %s", name, error->message);
  assert_string_equal (got, want);
  assert_non_null (host);
}

static void
expect_refused (const SbxView *view, const char *name, SbxError code, const char *words)
{
  GError *error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *got = sbx_view_resolve_command (view, name, &host, &error);

  if (got != NULL)
    fail_msg ("%s resolved to %s", name, got);
  if (!g_error_matches (error, SBX_ERROR, code) || strstr (error->message, words) == NULL)
    fail_msg ("%s: code %d, message “%s”; wanted code %d with “%s”", name, error->code,
              error->message, code, words);
  g_clear_error (&error);
}

static void
test_resolve (void **state)
{
  SbxView view;
  g_autofree char *escape = path_in ("in/escape");
  g_autofree char *inner = path_in ("in/inner");
  g_autofree char *abs_true = path_in ("in/abs-true");

  make_dir ("in/sub");
  copy_file ("/usr/bin/true", "in/job", 0755);
  make_file ("in/text", "hello\n", 0755);
  make_file ("in/noexec", "#!/bin/sh\n", 0644);
  make_file ("in/script", "#!/bin/sh -e\nexit 0\n", 0755);
  make_file ("in/script2", "#! /in/script\n", 0755);
  make_file ("in/bad-interp", "#!/home/nowhere/sh\n", 0755);
  make_file ("in/sub/rel", "#!/bin/sh\n", 0755);
  assert_int_equal (symlink ("/etc/passwd", escape), 0);  /* leaves the view */
  assert_int_equal (symlink ("job", inner), 0);          /* stays in it */
  assert_int_equal (symlink ("/usr/bin/true", abs_true), 0);

  view_init (&view, SBX_EXEC_LOCK_PRELOAD);
  expect_resolved (&view, "true", "/usr/bin/true");
  expect_resolved (&view, "/in/job", "/in/job");
  /* A name without a slash is looked up on PATH only, like execvp(). */
  expect_refused (&view, "job", SBX_ERROR_NOT_FOUND, "PATH");
  view_clear (&view);
}

static void
test_resolve_refusals (void **state)
{
  SbxView view;

  view_init (&view, SBX_EXEC_LOCK_PRELOAD);
  expect_refused (&view, "no-such-command-here", SBX_ERROR_NOT_FOUND, "PATH");
  expect_refused (&view, "/in/missing", SBX_ERROR_NOT_FOUND, "not found");
  expect_refused (&view, "/in/escape", SBX_ERROR_NOT_FOUND, "not found");
  expect_refused (&view, "/etc/passwd", SBX_ERROR_NOT_FOUND, "not found");
  expect_refused (&view, "/in/text", SBX_ERROR_NOT_EXECUTABLE, "neither an ELF");
  expect_refused (&view, "/in/noexec", SBX_ERROR_NOT_EXECUTABLE, "not executable");
  expect_refused (&view, "/in/sub", SBX_ERROR_NOT_EXECUTABLE, "directory");
  expect_refused (&view, "/in/bad-interp", SBX_ERROR_NOT_FOUND, "interpreter");
  view_clear (&view);
}

static void
test_resolve_links_and_scripts (void **state)
{
  SbxView view;

  view_init (&view, SBX_EXEC_LOCK_PRELOAD);
  expect_resolved (&view, "/in/inner", "/in/inner");
  expect_resolved (&view, "/in/abs-true", "/in/abs-true");
  expect_resolved (&view, "/in/script", "/in/script");
  expect_resolved (&view, "/in/script2", "/in/script2");   /* script → script → sh */
  expect_resolved (&view, "./job", "./job");               /* from the workdir /in */
  expect_resolved (&view, "sub/../job", "sub/../job");
  expect_resolved (&view, "/bin/sh", "/bin/sh");           /* through /bin → usr/bin */
  view.workdir = "/in/sub";
  expect_resolved (&view, "./rel", "./rel");
  view.path_env = "/usr/bin:";  /* an empty entry is the working directory */
  expect_resolved (&view, "rel", "/in/sub/rel");
  view_clear (&view);
}

static void
test_resolve_static (void **state)
{
  const char *builddir = g_getenv ("top_builddir");
  g_autofree char *static_prog = g_build_filename (builddir != NULL ? builddir : ".",
                                                   "tests", "live-static", NULL);
  SbxView view;

  if (access (static_prog, R_OK) != 0)
    skip ();
  copy_file (static_prog, "in/static", 0755);
  /* the exec gate locks static programs too: every mode runs them */
  view_init (&view, SBX_EXEC_LOCK_ON);
  expect_resolved (&view, "/in/static", "/in/static");
  view.exec_lock = SBX_EXEC_LOCK_OFF;
  expect_resolved (&view, "/in/static", "/in/static");
  view.exec_lock = SBX_EXEC_LOCK_SELF;
  expect_resolved (&view, "/in/static", "/in/static");
  view_clear (&view);
}

static void
test_resolve_other_abi (void **state)
{
  /* An ELF header of a 32-bit i386 program (class 1, machine 3): refused
   * whatever the lock, the filter would kill its first system call. */
  static const guint8 elf32[52] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 0, [16] = 2, 0, 3, 0, 1 };
  g_autofree char *p = path_in ("in/elf32");
  SbxView view;

  assert_true (g_file_set_contents (p, (const char *) elf32, sizeof elf32, NULL));
  assert_int_equal (chmod (p, 0755), 0);
  view_init (&view, SBX_EXEC_LOCK_OFF);
  expect_refused (&view, "/in/elf32", SBX_ERROR_NOT_EXECUTABLE, "architecture");
  view_clear (&view);
}

/* ------------------------------------------------------------- prepare */

static gboolean
have_bwrap (void)
{
  g_autofree char *bwrap = g_find_program_in_path ("bwrap");

  return bwrap != NULL;
}

static SbxProfile *
profile_with_dirs (const char *in, const char *out)
{
  GError *error = NULL;
  SbxProfile *profile = sbx_profile_new_default (&error);

  assert_non_null (profile);
  assert_true (sbx_profile_set_input (profile, in, &error));
  assert_true (sbx_profile_set_output (profile, out, &error));
  return profile;
}

static void
test_swapped_symlink (void **state)
{
  g_autofree char *in = path_in ("swap/in");
  g_autofree char *moved = path_in ("swap/in.real");
  g_autofree char *out = path_in ("swap/out");
  g_autofree char *elsewhere = path_in ("swap/elsewhere");
  const char *cmd[] = { "true", NULL };
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxSandbox) sandbox = NULL;
  GError *error = NULL;

  if (!have_bwrap ())
    skip ();
  make_dir ("swap/in");
  make_dir ("swap/out");
  make_dir ("swap/elsewhere");
  profile = profile_with_dirs (in, out);
  /* After the profile is loaded, the input becomes a symlink elsewhere:
   * prepare's host check refuses it (the O_NOFOLLOW open behind it, for a
   * swap after that check, is test_open_no_symlinks'). */
  assert_int_equal (rename (in, moved), 0);
  assert_int_equal (symlink (elsewhere, in), 0);
  sandbox = sbx_sandbox_new (profile, cmd, &error);
  assert_non_null (sandbox);
  sbx_sandbox_set_helper_dir (sandbox, g_getenv ("SBX_HELPER_DIR"));
  assert_false (sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, &error));
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_INVALID_PATH));
  assert_non_null (strstr (error->message, "is a symlink"));
  assert_non_null (strstr (error->message, in));
  g_clear_error (&error);
}

static GStrv
prepared_argv (SbxProfile *profile, SbxPrepareFlags flags, char **description)
{
  const char *cmd[] = { "true", NULL };
  g_autoptr(SbxSandbox) sandbox = NULL;
  GError *error = NULL;

  sandbox = sbx_sandbox_new (profile, cmd, &error);
  assert_non_null (sandbox);
  sbx_sandbox_set_helper_dir (sandbox, g_getenv ("SBX_HELPER_DIR"));
  if (!sbx_sandbox_prepare (sandbox, flags, &error))
    fail_msg ("prepare: %s", error->message);
  *description = sbx_sandbox_dup_fd_description (sandbox);
  /* Run by root each sandbox has a job uid of its own (so two prepares
   * differ in it): the description names it, masked here as JOB. */
  {
    guint32 uid;

    sbx_sandbox_get_job_ids (sandbox, &uid, NULL);
    if (uid != getuid ())
      {
        g_autofree char *id = g_strdup_printf ("%u", uid);
        g_auto(GStrv) parts = g_strsplit (*description, id, -1);

        assert_true (uid >= 2000000000u && uid < 2134217728u);
        assert_true (g_strv_length (parts) > 1);
        g_free (*description);
        *description = g_strjoinv ("JOB", parts);
      }
  }
  return g_strdupv ((char **) sbx_sandbox_get_argv (sandbox));
}

static void
test_dry_run_same_argv (void **state)
{
  g_autofree char *in = path_in ("dry/in");
  g_autofree char *out = path_in ("dry/out");
  g_autoptr(SbxProfile) profile = NULL;
  g_auto(GStrv) dry = NULL;
  g_auto(GStrv) real = NULL;
  g_autofree char *dry_desc = NULL;
  g_autofree char *real_desc = NULL;

  if (!have_bwrap () || g_getenv ("SBX_HELPER_DIR") == NULL)
    skip ();
  make_dir ("dry/in");
  make_dir ("dry/out");
  profile = profile_with_dirs (in, out);
  dry = prepared_argv (profile, SBX_PREPARE_DRY_RUN, &dry_desc);
  real = prepared_argv (profile, SBX_PREPARE_NONE, &real_desc);
  assert_int_equal (g_strv_length (dry), g_strv_length (real));
  for (guint i = 0; dry[i] != NULL; i++)
    assert_string_equal (dry[i], real[i]);
  assert_string_equal (dry_desc, real_desc);
  /* Every fd the argv names has its line. */
  for (guint i = 0; dry[i] != NULL && dry[i + 1] != NULL; i++)
    if (strcmp (dry[i], "--ro-bind-fd") == 0 || strcmp (dry[i], "--bind-fd") == 0
        || strcmp (dry[i], "--seccomp") == 0 || strcmp (dry[i], "--ro-bind-data") == 0)
      {
        g_autofree char *line = g_strdup_printf ("fd %s: ", dry[i + 1]);

        if (strstr (dry_desc, line) == NULL)
          fail_msg ("no “%s” in:\n%s", line, dry_desc);
      }
  assert_non_null (strstr (dry_desc, "noexec,nosuid,nodev tmpfs of 64M"));
}

/* What each mount is for is a role, not a display string: every role has
 * its name (what --dry-run and errors say, unchanged), the plan gives each
 * mount its role, and the helpers sbx cannot run without are named, with
 * their own error code, when the helper folder lacks them. */
static void
test_mount_roles (void **state)
{
  static const char *const names[SBX_N_MOUNT_ROLES] = {
    [SBX_MOUNT_SYSTEM] = "system path",     [SBX_MOUNT_READ_ONLY] = "read-only path",
    [SBX_MOUNT_INPUT] = "input",            [SBX_MOUNT_OUTPUT] = "output",
    [SBX_MOUNT_INIT] = "sandbox init",      [SBX_MOUNT_EXEC_HELPER] = "exec gate helper",
    [SBX_MOUNT_HELPER] = "helper",
  };
  static const struct { const char *dest; SbxMountRole role; } planned[] = {
    { "/usr", SBX_MOUNT_SYSTEM },          { "/opt/extra", SBX_MOUNT_READ_ONLY },
    { "/in", SBX_MOUNT_INPUT },            { "/out", SBX_MOUNT_OUTPUT },
    { "/run/sbx/sbx-init", SBX_MOUNT_INIT }, { "/run/sbx/sbx-exec", SBX_MOUNT_EXEC_HELPER },
    { "/run/sbx/extra", SBX_MOUNT_HELPER },
  };
  const char *cmd[] = { "true", NULL };
  const char *helpers = g_getenv ("SBX_HELPER_DIR");
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *desc = NULL;
  g_autofree char *in = path_in ("roles/in");
  g_autofree char *out = path_in ("roles/out");
  g_autofree char *bare = path_in ("roles/bare");
  g_autofree char *init_only = path_in ("roles/init-only");

  for (guint r = 0; r < SBX_N_MOUNT_ROLES; r++)
    {
      assert_string_equal (sbx_mount_roles[r].name, names[r]);
      /* /in and /out must be folders when opened (a swap after the host check) */
      assert_int_equal (sbx_mount_roles[r].type,
                        r == SBX_MOUNT_INPUT || r == SBX_MOUNT_OUTPUT ? S_IFDIR : 0);
      assert_int_equal (sbx_mount_roles[r].missing != NULL,
                        r == SBX_MOUNT_INIT || r == SBX_MOUNT_EXEC_HELPER);
    }
  assert_int_equal (sbx_helpers[0].role, SBX_MOUNT_INIT);
  assert_int_equal (sbx_helpers[1].role, SBX_MOUNT_EXEC_HELPER);

  if (!have_bwrap () || helpers == NULL)
    {
      print_message ("SKIP: the plan needs bwrap and SBX_HELPER_DIR\n");
      skip ();
    }
  make_dir ("roles/in");
  make_dir ("roles/out");
  make_dir ("roles/bare");
  make_dir ("roles/init-only");
  profile = profile_with_dirs (in, out);
  assert_true (sbx_profile_add_read_only (profile, "/usr/bin", "/opt/extra", NULL, &error));
  sandbox = sbx_sandbox_new (profile, cmd, &error);
  sbx_sandbox_set_helper_dir (sandbox, helpers);
  assert_true (sbx_sandbox_add_ro_file (sandbox, "/usr/bin/true", "extra", &error));
  if (!sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, &error))
    fail_msg ("prepare: %s", error->message);
  desc = sbx_sandbox_dup_fd_description (sandbox);
  for (gsize p = 0; p < G_N_ELEMENTS (planned); p++)
    {
      const SbxMount *found = NULL;
      g_autofree char *line = g_strdup_printf (" at %s (%s", planned[p].dest, names[planned[p].role]);

      for (guint i = 0; i < sandbox->runtime.mounts->len; i++)
        if (strcmp (((SbxMount *) sandbox->runtime.mounts->pdata[i])->dest, planned[p].dest) == 0)
          found = sandbox->runtime.mounts->pdata[i];
      if (found == NULL || found->role != planned[p].role)
        fail_msg ("%s: no mount, or not as %s", planned[p].dest, names[planned[p].role]);
      if (strstr (desc, line) == NULL)
        fail_msg ("no “%s” in:\n%s", line, desc);
    }
  g_clear_pointer (&sandbox, sbx_sandbox_unref);

  /* no sbx-init, then no sbx-exec: each named, with its code */
  {
    g_autofree char *src = g_build_filename (helpers, SBX_INIT_NAME, NULL);
    g_autofree char *dst = g_build_filename (init_only, SBX_INIT_NAME, NULL);
    g_autofree char *bytes = NULL;
    gsize len = 0;
    g_autofree char *want_init = g_strdup_printf ("the sandbox's pid 1 helper “%s/" SBX_INIT_NAME
                                                  "” is missing (build sbx, or set SBX_HELPER_DIR): %s",
                                                  bare, g_strerror (ENOENT));
    g_autofree char *want_exec = g_strdup_printf ("the exec gate's helper “%s/" SBX_EXEC_HELPER_NAME
                                                  "” is missing (build sbx, set SBX_HELPER_DIR, or "
                                                  "use exec-lock=self or off): %s",
                                                  init_only, g_strerror (ENOENT));

    assert_true (g_file_get_contents (src, &bytes, &len, NULL));
    assert_true (g_file_set_contents (dst, bytes, len, NULL));
    sandbox = sbx_sandbox_new (profile, cmd, &error);
    sbx_sandbox_set_helper_dir (sandbox, bare);
    assert_false (sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, &error));
    assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_BWRAP));
    assert_string_equal (error->message, want_init);
    g_clear_error (&error);
    g_clear_pointer (&sandbox, sbx_sandbox_unref);
    sandbox = sbx_sandbox_new (profile, cmd, &error);
    sbx_sandbox_set_helper_dir (sandbox, init_only);
    assert_false (sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, &error));
    assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_LOCK));
    assert_string_equal (error->message, want_exec);
  }
}

/* The generated /etc/passwd and /etc/group (sbx-etc.c): the job's ids
 * named "sbx", the overflow ids as nobody/nogroup only when they differ,
 * a home that would break the line replaced by "/", and a sealed memfd. */
static void
test_etc_texts (void **state)
{
  SbxEtcIds root = { 2000000000u, 2000000000u, 65534, 65534 };
  SbxEtcIds nobody = { 65534, 65534, 65534, 65534 };
  g_autofree char *p1 = sbx_etc_passwd_text (&root, "/tmp");
  g_autofree char *g1 = sbx_etc_group_text (&root);
  g_autofree char *p2 = sbx_etc_passwd_text (&nobody, "/out");
  g_autofree char *g2 = sbx_etc_group_text (&nobody);
  g_autofree char *p3 = sbx_etc_passwd_text (&nobody, "/x:0:0::/root:/bin/sh\nroot");
  g_autofree char *p4 = sbx_etc_passwd_text (&nobody, NULL);
  g_autoptr(GError) error = NULL;
  char buf[128] = { 0 };
  int fd;

  assert_string_equal (p1, "sbx:x:2000000000:2000000000:sbx job:/tmp:/bin/sh\n"
                       "nobody:x:65534:65534:unmapped owner:/nonexistent:/usr/sbin/nologin\n");
  assert_string_equal (g1, "sbx:x:2000000000:\nnogroup:x:65534:\n");
  assert_string_equal (p2, "sbx:x:65534:65534:sbx job:/out:/bin/sh\n");
  assert_string_equal (g2, "sbx:x:65534:\n");
  assert_string_equal (p3, "sbx:x:65534:65534:sbx job:/:/bin/sh\n");
  assert_string_equal (p4, p3);

  fd = sbx_etc_memfd ("test-passwd", p1, &error);
  assert_true (fd >= 0);
  assert_int_equal (read (fd, buf, sizeof buf - 1), strlen (p1));
  assert_string_equal (buf, p1);
  assert_int_equal (write (fd, "x", 1), -1); /* sealed */
  close (fd);
}

/* sbx_sandbox_add_ro_file() cannot take a helper's place in /run/sbx:
 * every name of the helper table is refused, an ordinary one is not. */
static void
test_add_ro_file_helper_names (void **state)
{
  const char *cmd[] = { "true", NULL };
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (NULL);
  g_autoptr(SbxSandbox) sandbox = NULL;
  GError *error = NULL;

  assert_non_null (profile);
  sandbox = sbx_sandbox_new (profile, cmd, &error);
  assert_non_null (sandbox);
  for (guint i = 0; i < SBX_N_HELPERS; i++)
    {
      assert_false (sbx_sandbox_add_ro_file (sandbox, "/bin/true", sbx_helpers[i].name, &error));
      assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_INVALID_PATH));
      g_clear_error (&error);
    }
  assert_false (sbx_sandbox_add_ro_file (sandbox, "/bin/true", "sbx-init", &error));
  g_clear_error (&error);
  assert_false (sbx_sandbox_add_ro_file (sandbox, "/bin/true", "sbx-exec", &error));
  g_clear_error (&error);
  assert_true (sbx_sandbox_add_ro_file (sandbox, "/bin/true", "probe", &error));
}

/* bwrap's options from its .rodata (sbx_bwrap_features_from_rodata): a
 * name counts when a NUL-terminated string ends with it (a linker may
 * store a literal as the tail of a longer one), not inside a help
 * line, not without its NUL; and the real bwrap here has them all. */
static void
test_bwrap_features (void **state)
{
  static const struct {
    const char *what;
    const char *data;
    gsize size;
    gboolean bind_fd, disable_userns;
  } cases[] = {
#define BLOB(s) s, sizeof s - 1
    { "all four, apart", BLOB ("x\0--ro-bind-fd\0--bind-fd\0--disable-userns\0--assert-userns-disabled\0"),
      TRUE, TRUE },
    { "names only as the tails of longer strings",
      BLOB ("--ro-bind-fd\0x--bind-fd\0--assert-userns-disabled\0no--disable-userns\0"), TRUE, TRUE },
    { "no --assert-userns-disabled", BLOB ("--ro-bind-fd\0--bind-fd\0--disable-userns\0"), TRUE, FALSE },
    { "no --ro-bind-fd (--bind-fd alone)", BLOB ("--bind-fd\0--disable-userns\0--assert-userns-disabled\0"),
      FALSE, TRUE },
    { "names inside help lines", BLOB ("  --ro-bind-fd FD DEST\n  --bind-fd FD DEST\n  --disable-userns "
                                       "x\n  --assert-userns-disabled y\0"), FALSE, FALSE },
    { "names followed by more text", BLOB ("--ro-bind-fdx\0--bind-fdx\0--disable-usernsx\0"
                                           "--assert-userns-disabledx\0"), FALSE, FALSE },
    { "last name without its NUL", BLOB ("--ro-bind-fd\0--bind-fd\0--disable-userns\0--assert-userns-disabled"),
      TRUE, FALSE },
    { "empty", "", 0, FALSE, FALSE },
#undef BLOB
  };
  SbxBwrapInfo info;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      memset (&info, 0, sizeof info);
      sbx_bwrap_features_from_rodata (&info, (const guint8 *) cases[i].data, cases[i].size);
      if (info.bind_fd != cases[i].bind_fd || info.disable_userns != cases[i].disable_userns)
        fail_msg ("%s: bind_fd %d disable_userns %d, want %d %d", cases[i].what, info.bind_fd,
                  info.disable_userns, cases[i].bind_fd, cases[i].disable_userns);
    }
  if (!have_bwrap ())
    return;
  if (!sbx_bwrap_info_find (NULL, &info, &error))
    fail_msg ("the installed bwrap: %s", error->message);
  assert_true (info.bind_fd);
  assert_true (info.disable_userns);
  sbx_bwrap_info_clear (&info);
}

/* The same read from a file in chunks (sbx_bwrap_features_from_fd): the
 * answer must not depend on where a chunk ends.  Blobs with the names at
 * every offset around the 4 KiB chunk ends, after strings longer than a
 * chunk, with and without their NUL, must give what the in-memory scan
 * gives, and the in-memory scan what the blob was built to say. */
static void
test_bwrap_features_from_fd (void **state)
{
  static const char *const names[] = {
    "--ro-bind-fd", "--bind-fd", "--disable-userns", "--assert-userns-disabled",
  };
  g_autofree char *path = path_in ("features.bin");
  GRand *rand = g_rand_new_with_seed (20261201);
  int checked = 0;

  for (int round = 0; round < 400; round++)
    {
      g_autoptr(GByteArray) blob = g_byte_array_new ();
      gboolean want[G_N_ELEMENTS (names)] = { FALSE };
      SbxBwrapInfo from_memory = { 0 }, from_fd = { 0 };
      guint pad = 4096 - 40 + (guint) round % 80;  /* a name ends around a chunk end */
      int fd;

      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        {
          /* filler before it: a string longer than a chunk, or short ones */
          gsize fill = g_rand_boolean (rand) ? (gsize) (5000 + g_rand_int_range (rand, 0, 100)) : pad;

          for (gsize k = 0; k < fill; k++)
            g_byte_array_append (blob, (const guint8 *) (g_rand_int_range (rand, 0, 50) == 0 ? "" : "x"), 1);
          g_byte_array_append (blob, (const guint8 *) names[i], strlen (names[i]));
          if (g_rand_int_range (rand, 0, 4) != 0)
            {
              g_byte_array_append (blob, (const guint8 *) "", 1);
              want[i] = TRUE;
            }
          else
            g_byte_array_append (blob, (const guint8 *) "y", 1);
        }
      sbx_bwrap_features_from_rodata (&from_memory, blob->data, blob->len);
      assert_int_equal (from_memory.bind_fd, want[0] && want[1]);
      assert_int_equal (from_memory.disable_userns, want[2] && want[3]);
      assert_true (g_file_set_contents (path, (const char *) blob->data, blob->len, NULL));
      fd = open (path, O_RDONLY | O_CLOEXEC);
      assert_true (fd >= 0);
      assert_true (sbx_bwrap_features_from_fd (&from_fd, fd, 7, blob->len - 7)
                   || blob->len <= 7);
      /* from offset 7: the first filler loses 7 bytes, no name does */
      if (from_fd.bind_fd != from_memory.bind_fd || from_fd.disable_userns != from_memory.disable_userns)
        fail_msg ("round %d (%u bytes): from the fd %d %d, in memory %d %d", round, blob->len,
                  from_fd.bind_fd, from_fd.disable_userns, from_memory.bind_fd, from_memory.disable_userns);
      /* past the end of the file: a read error, not an answer */
      assert_false (sbx_bwrap_features_from_fd (&from_fd, fd, 0, (guint64) blob->len + 1));
      close (fd);
      checked++;
    }
  g_rand_free (rand);
  assert_int_equal (checked, 400);
}

static void
do_nothing (int sig)
{
  (void) sig;
}

/* The spawn child's signal reset (sbx_launch_reset_signals(), which reads
 * the caught set from /proc/thread-self/status): in a forked child with
 * handlers on SIGUSR1, SIGTERM and SIGRTMIN+3 (signals 10, 15, 37: low,
 * mid and high bits of the mask), SIGPIPE and SIGUSR2 ignored, each
 * handler is back to SIG_DFL, SIGPIPE too, SIGUSR2 stays ignored and
 * SIGHUP (never caught) is untouched. */
static void
test_spawn_resets_signals (void **state)
{
  const int caught[] = { SIGUSR1, SIGTERM, SIGRTMIN + 3 };
  struct sigaction on = { .sa_handler = do_nothing };
  pid_t pid;
  int status;

  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      struct sigaction now;
      int bad = 0;

      for (gsize i = 0; i < G_N_ELEMENTS (caught); i++)
        sigaction (caught[i], &on, NULL);
      signal (SIGPIPE, SIG_IGN);
      signal (SIGUSR2, SIG_IGN);
      sbx_launch_reset_signals ();
      for (gsize i = 0; i < G_N_ELEMENTS (caught); i++)
        if (sigaction (caught[i], NULL, &now) != 0 || now.sa_handler != SIG_DFL)
          bad |= 1 << i;
      if (sigaction (SIGPIPE, NULL, &now) != 0 || now.sa_handler != SIG_DFL)
        bad |= 8;
      if (sigaction (SIGUSR2, NULL, &now) != 0 || now.sa_handler != SIG_IGN)
        bad |= 16;
      if (sigaction (SIGHUP, NULL, &now) != 0 || now.sa_handler != SIG_DFL)
        bad |= 32;
      _exit (bad);
    }
  assert_int_equal (waitpid (pid, &status, 0), pid);
  assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) != 0)
    fail_msg ("after the reset: %s%s%s%s%s%s", WEXITSTATUS (status) & 1 ? "SIGUSR1 still caught; " : "",
              WEXITSTATUS (status) & 2 ? "SIGTERM still caught; " : "",
              WEXITSTATUS (status) & 4 ? "SIGRTMIN+3 still caught; " : "",
              WEXITSTATUS (status) & 8 ? "SIGPIPE not default; " : "",
              WEXITSTATUS (status) & 16 ? "SIGUSR2 no longer ignored; " : "",
              WEXITSTATUS (status) & 32 ? "SIGHUP changed" : "");
}

/* sbx_sandbox_spawn() starts bwrap from a child that shares the caller's
 * memory (sbx-supervise.c, CLONE_VM | CLONE_VFORK): whatever that child
 * does must stay its own.  After a real run as root (the path that clones
 * and idmaps /in and /out in the child): the caller's signal mask is the
 * one it had, the sandbox's bind records are untouched (the child wrote
 * its copy), the fds handed to bwrap are closed in the caller once spawn
 * returns, and the job ran. */
static void
test_spawn_leaves_caller (void **state)
{
  g_autofree char *in = path_in ("spawn/in");
  g_autofree char *out = path_in ("spawn/out");
  const char *const command[] = { "/bin/sh", "-c", "echo x > /out/f", NULL };
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *out_file = path_in ("spawn/out/f");
  g_autoptr(GArray) handed = NULL;
  g_autofree char *line = NULL;
  const char *const *shown;
  SbxWaitResult result;
  sigset_t mine, before, after;
  int devnull;

  if (geteuid () != 0 || !have_bwrap () || g_getenv ("SBX_HELPER_DIR") == NULL)
    {
      print_message ("SKIP: needs root (the path that clones the binds), bwrap and SBX_HELPER_DIR\n");
      skip ();
    }
  make_dir ("spawn/in");
  make_dir ("spawn/out");
  profile = profile_with_dirs (in, out);
  sandbox = sbx_sandbox_new (profile, command, &error);
  assert_non_null (sandbox);
  assert_true (sbx_sandbox_prepare (sandbox, SBX_PREPARE_NONE, &error));
  assert_true (sandbox->binds->len > 0);
  devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
  assert_true (devnull >= 0);
  sbx_sandbox_set_stdio (sandbox, devnull, devnull, devnull);

  handed = g_array_copy (sandbox->owned_fds);
  assert_true (handed->len > 3);

  sigemptyset (&mine);
  sigaddset (&mine, SIGUSR2);
  assert_int_equal (pthread_sigmask (SIG_BLOCK, &mine, &before), 0);
  assert_int_equal (pthread_sigmask (SIG_BLOCK, NULL, &before), 0);
  if (!sbx_sandbox_spawn (sandbox, NULL, &error))
    fail_msg ("spawn: %s", error->message);
  assert_int_equal (pthread_sigmask (SIG_BLOCK, NULL, &after), 0);
  /* bwrap has its copies: the caller's are closed before the job ends */
  for (guint i = 0; i < handed->len; i++)
    {
      int fd = g_array_index (handed, int, i);

      if (fcntl (fd, F_GETFD) >= 0 || errno != EBADF)
        fail_msg ("fd %d, handed to bwrap, is still open in the caller after spawn", fd);
    }
  if (!sbx_sandbox_wait (sandbox, 0, -1, &result, &error))
    fail_msg ("wait: %s", error->message);
  pthread_sigmask (SIG_UNBLOCK, &mine, NULL);
  close (devnull);

  for (int sig = 1; sig < NSIG; sig++)
    if (sigismember (&before, sig) != sigismember (&after, sig))
      fail_msg ("signal %d: blocked %d before spawn, %d after", sig, sigismember (&before, sig),
                sigismember (&after, sig));
  for (guint i = 0; i < sandbox->binds->len; i++)
    {
      const SbxLaunchBind *b = &g_array_index (sandbox->binds, SbxLaunchBind, i);

      if (b->tree != -1 || b->idmapped)
        fail_msg ("the child wrote the caller's record of %s (tree %d, idmapped %d)", b->host_path,
                  b->tree, b->idmapped);
    }
  assert_int_equal (result.cause, SBX_END_EXITED);
  assert_int_equal (result.wait_status, 0);
  assert_true (g_file_get_contents (out_file, &written, NULL, NULL));
  assert_string_equal (written, "x\n");
  /* the argv as shown is built when first asked for: still there after
   * the run, its fds closed, and the same as the command line */
  shown = sbx_sandbox_get_redacted_argv (sandbox);
  assert_non_null (shown);
  assert_string_equal (shown[0], sandbox->bwrap.path);
  assert_true (g_strv_contains (shown, "--unshare-all") && g_strv_contains (shown, "/bin/sh"));
  line = sbx_sandbox_dup_command_line (sandbox);
  assert_true (g_str_has_prefix (line, sandbox->bwrap.path));
  assert_non_null (strstr (line, " --unshare-all "));
}

/* As root the exec'ing child clones (open_tree) what bwrap, as the job's
 * uid, might not find again by path as sbx opened it; a path below
 * folders only root may change is bound by path (plan_binds()).  Here:
 * /usr and /etc/ld.so.cache go by path, a folder below /tmp (anyone may
 * write there) and /in and /out are cloned. */
static void
test_root_binds_cloned (void **state)
{
  g_autofree char *lib = path_in ("rehome/lib");
  g_autofree char *in = path_in ("rehome/in");
  g_autofree char *out = path_in ("rehome/out");
  g_autofree char *text = NULL;
  const char *cmd[] = { "true", NULL };
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxSandbox) sandbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) cloned = g_hash_table_new (g_str_hash, g_str_equal);

  if (geteuid () != 0 || !have_bwrap () || g_getenv ("SBX_HELPER_DIR") == NULL)
    {
      print_message ("SKIP: needs root (only root clones mount sources), bwrap and SBX_HELPER_DIR\n");
      skip ();
    }
  make_dir ("rehome/lib");
  make_dir ("rehome/in");
  make_dir ("rehome/out");
  text = g_strdup_printf ("[filesystem]\nsystem=/usr;/etc/ld.so.cache;%s\ninput=%s\noutput=%s\n", lib, in, out);
  profile = sbx_profile_new_from_data (text, -1, "test-sandbox", &error);
  if (profile == NULL)
    fail_msg ("profile: %s", error->message);
  sandbox = sbx_sandbox_new (profile, cmd, &error);
  assert_non_null (sandbox);
  sbx_sandbox_set_helper_dir (sandbox, g_getenv ("SBX_HELPER_DIR"));
  if (!sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, &error))
    fail_msg ("prepare: %s", error->message);
  for (guint i = 0; i < sandbox->binds->len; i++)
    g_hash_table_add (cloned, (gpointer) g_array_index (sandbox->binds, SbxLaunchBind, i).host_path);
  assert_false (g_hash_table_contains (cloned, "/usr"));
  assert_false (g_hash_table_contains (cloned, "/etc/ld.so.cache"));
  assert_true (g_hash_table_contains (cloned, lib));
  assert_true (g_hash_table_contains (cloned, in));
  assert_true (g_hash_table_contains (cloned, out));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_add_ro_file_helper_names),
    cmocka_unit_test (test_open_no_symlinks),
    cmocka_unit_test (test_usr_symlinks),
    cmocka_unit_test (test_resolve),
    cmocka_unit_test (test_resolve_refusals),
    cmocka_unit_test (test_resolve_links_and_scripts),
    cmocka_unit_test (test_resolve_static),
    cmocka_unit_test (test_resolve_other_abi),
    cmocka_unit_test (test_swapped_symlink),
    cmocka_unit_test (test_dry_run_same_argv),
    cmocka_unit_test (test_mount_roles),
    cmocka_unit_test (test_etc_texts),
    cmocka_unit_test (test_bwrap_features),
    cmocka_unit_test (test_bwrap_features_from_fd),
    cmocka_unit_test (test_spawn_resets_signals),
    cmocka_unit_test (test_spawn_leaves_caller),
    cmocka_unit_test (test_root_binds_cloned),
  };

  return cmocka_run_group_tests (tests, setup, teardown);
}
