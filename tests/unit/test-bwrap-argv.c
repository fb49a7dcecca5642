/* test-bwrap-argv.c — sbx_bwrap_build_args(): the default profile against a
 * golden vector (bpf/golden/default.argv.txt, one element per line;
 * SBX_UPDATE_GOLDEN=1 rewrites it), host-environment scrubbing, the
 * option variants each profile switch causes, and hostile paths.
 *
 * The runtime is fake and fixed: fd numbers, host environment (with a
 * canary variable that must never show up), merged-/usr symlinks. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sbx-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  FD_USR = 3, FD_LDCACHE = 4, FD_ALTERNATIVES = 5,
  FD_IN = 6, FD_OUT = 7, FD_HELPER = 8,
  FD_LAUNCH = 10, FD_GATE = 11, FD_TMP = 12, FD_SHM = 13, FD_PASSWD = 14, FD_GROUP = 15,
};

static const char *const proc_ro[] = { "/proc/sys", "/proc/sysrq-trigger", NULL };
static const char *const proc_masked[] = { "/proc/kcore", "/proc/keys", NULL };

#define CANARY_NAME "SBX_TEST_CANARY_SECRET"
#define CANARY_VALUE "canary-7f3a9c"

static const char *const host_env[] = {
  "LANG=C.UTF-8",
  "PATH=/host/only/bin:/usr/bin",
  "HOME=/root/host-home",
  CANARY_NAME "=" CANARY_VALUE,
  "LD_PRELOAD=/host/evil.so",
  "SBX_LOCK_FD=99",
  "LANG=second-copy-ignored",
  NULL,
};

static const char *const command[] = { "/in/job", "--flag", "value with space", NULL };

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("top_srcdir");
  return dir ? dir : SBX_TOP_SRCDIR;
}

static SbxMount *
mount_new (int fd, const char *host_path, const char *dest, gboolean writable, SbxMountRole role)
{
  SbxMount *m = g_new0 (SbxMount, 1);

  m->fd = fd;
  m->host_path = g_strdup (host_path);
  m->dest = g_strdup (dest);
  m->writable = writable;
  m->role = role;
  return m;
}

static void
mount_free (gpointer data)
{
  SbxMount *m = data;

  g_free (m->host_path);
  g_free (m->dest);
  g_free (m);
}

static SbxSymlink *
symlink_new (const char *dest, const char *target)
{
  SbxSymlink *l = g_new0 (SbxSymlink, 1);

  l->dest = g_strdup (dest);
  l->target = g_strdup (target);
  return l;
}

static void
symlink_free (gpointer data)
{
  SbxSymlink *l = data;

  g_free (l->dest);
  g_free (l->target);
  g_free (l);
}

/* The runtime sbx would build for the default profile, with fixed numbers.
 * Mounts are deliberately listed out of argv order (helper, output and
 * input before the system paths): the builder must order them itself. */
static SbxRuntime *
runtime_new (void)
{
  SbxRuntime *rt = g_new0 (SbxRuntime, 1);

  rt->bind_fd_supported = TRUE;
  rt->launch_fd = FD_LAUNCH;
  rt->gate_fd = FD_GATE;
  rt->tmp_fd = FD_TMP;
  rt->tmp_path = "/dev/shm/tmp";
  rt->shm_fd = FD_SHM;
  rt->shm_path = "/dev/shm/shm";
  rt->passwd_fd = FD_PASSWD;
  rt->group_fd = FD_GROUP;
  rt->proc_ro = proc_ro;
  rt->proc_masked = proc_masked;
  rt->init = "/run/sbx/sbx-init";
  rt->mounts = g_ptr_array_new_with_free_func (mount_free);
  g_ptr_array_add (rt->mounts, mount_new (FD_HELPER, "/opt/sbx/libexec/sbx-exec",
                                          "/run/sbx/sbx-exec", FALSE, SBX_MOUNT_EXEC_HELPER));
  g_ptr_array_add (rt->mounts, mount_new (FD_OUT, "/home/u/out", "/out", TRUE, SBX_MOUNT_OUTPUT));
  g_ptr_array_add (rt->mounts, mount_new (FD_IN, "/home/u/in", "/in", FALSE, SBX_MOUNT_INPUT));
  g_ptr_array_add (rt->mounts, mount_new (FD_ALTERNATIVES, "/etc/alternatives",
                                          "/etc/alternatives", FALSE, SBX_MOUNT_SYSTEM));
  g_ptr_array_add (rt->mounts, mount_new (FD_LDCACHE, "/etc/ld.so.cache", "/etc/ld.so.cache",
                                          FALSE, SBX_MOUNT_SYSTEM));
  g_ptr_array_add (rt->mounts, mount_new (FD_USR, "/usr", "/usr", FALSE, SBX_MOUNT_SYSTEM));
  rt->symlinks = g_ptr_array_new_with_free_func (symlink_free);
  g_ptr_array_add (rt->symlinks, symlink_new ("/bin", "usr/bin"));
  g_ptr_array_add (rt->symlinks, symlink_new ("/lib", "usr/lib"));
  g_ptr_array_add (rt->symlinks, symlink_new ("/lib64", "usr/lib64"));
  g_ptr_array_add (rt->symlinks, symlink_new ("/sbin", "usr/sbin"));
  rt->host_env = host_env;
  rt->command = command;
  return rt;
}

static void
runtime_free (SbxRuntime *rt)
{
  g_ptr_array_unref (rt->mounts);
  g_ptr_array_unref (rt->symlinks);
  g_free (rt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxRuntime, runtime_free)

/* The default profile with an output set (so the workdir is /out): the
 * output folder's path does not appear in the vector (it goes by fd). */
static SbxProfile *
profile_new (const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SbxProfile *profile;

  text = g_strconcat (sbx_profile_get_default_text (), "\n", extra ? extra : "", NULL);
  /* extra may repeat a group of the default text but not a key: strip the
   * keys it sets from the default first. */
  if (extra != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (sbx_profile_get_default_text (), "\n", -1);
      g_auto(GStrv) extra_lines = g_strsplit (extra, "\n", -1);
      g_autoptr(GString) s = g_string_new (NULL);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          gboolean drop = FALSE;
          for (guint j = 0; extra_lines[j] != NULL && !drop; j++)
            {
              const char *eq = strchr (extra_lines[j], '=');
              drop = eq != NULL && strncmp (lines[i], extra_lines[j], eq - extra_lines[j] + 1) == 0;
            }
          if (!drop)
            g_string_append_printf (s, "%s\n", lines[i]);
        }
      g_string_append (s, extra);
      g_free (text);
      text = g_string_free (g_steal_pointer (&s), FALSE);
    }
  profile = sbx_profile_new_from_data (text, -1, "test", &error);
  if (profile == NULL)
    fail_msg ("%s", error->message);
  if (!sbx_profile_set_output (profile, g_get_tmp_dir (), &error))
    fail_msg ("%s", error->message);
  return profile;
}

static GPtrArray *
build (SbxProfile *profile, const SbxRuntime *rt)
{
  GPtrArray *args = sbx_bwrap_build_args (profile, rt);

  assert_non_null (args);
  /* NULL-terminated, and no NULL before the end. */
  assert_true (args->len >= 1);
  assert_null (args->pdata[args->len - 1]);
  for (guint i = 0; i + 1 < args->len; i++)
    assert_non_null (args->pdata[i]);
  return args;
}

/* Index of the first occurrence of the sequence @seq (NULL-terminated) in
 * @args, or -1. */
static int
find_seq (GPtrArray *args, const char *const *seq)
{
  for (guint i = 0; i + 1 < args->len; i++)
    {
      guint j = 0;
      while (seq[j] != NULL && i + j + 1 < args->len && strcmp (args->pdata[i + j], seq[j]) == 0)
        j++;
      if (seq[j] == NULL)
        return i;
    }
  return -1;
}

#define FIND(args, ...) find_seq ((args), (const char *const[]) { __VA_ARGS__, NULL })

static int
count_arg (GPtrArray *args, const char *arg)
{
  int n = 0;
  for (guint i = 0; i + 1 < args->len; i++)
    n += strcmp (args->pdata[i], arg) == 0;
  return n;
}

/* Index of "--" that separates options and command. */
static int
separator (GPtrArray *args)
{
  int idx = FIND (args, "--");
  assert_true (idx > 0);
  return idx;
}

/* ---------------------------------------------------------------- golden */

static char *
to_lines (GPtrArray *args)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i + 1 < args->len; i++)
    {
      /* One element per line only works without newlines. */
      assert_null (strchr (args->pdata[i], '\n'));
      g_string_append_printf (s, "%s\n", (const char *) args->pdata[i]);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_golden_default (void **state)
{
  g_autoptr(SbxProfile) profile = profile_new (NULL);
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(GPtrArray) args = build (profile, rt);
  g_autoptr(GPtrArray) again = build (profile, rt);
  g_autofree char *text = to_lines (args);
  g_autofree char *text2 = to_lines (again);
  g_autofree char *golden_path = g_build_filename (srcdir (), "bpf", "golden", "default.argv.txt",
                                                   NULL);
  g_autofree char *golden = NULL;
  g_autoptr(GError) error = NULL;

  /* Deterministic. */
  assert_string_equal (text, text2);

  if (g_strcmp0 (g_getenv ("SBX_UPDATE_GOLDEN"), "1") == 0)
    {
      if (!g_file_set_contents (golden_path, text, -1, &error))
        fail_msg ("%s", error->message);
      fprintf (stderr, "updated %s\n", golden_path);
    }
  if (!g_file_get_contents (golden_path, &golden, NULL, &error))
    fail_msg ("%s (SBX_UPDATE_GOLDEN=1 creates it)", error->message);
  if (strcmp (golden, text) != 0)
    fail_msg ("argv differs from %s (review, then SBX_UPDATE_GOLDEN=1 to accept):\n%s",
              golden_path, text);
}

/* Structure the golden file encodes, spelled out so a careless update of
 * the golden copy still fails here. */
static void
test_default_structure (void **state)
{
  g_autoptr(SbxProfile) profile = profile_new (NULL);
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(GPtrArray) args = build (profile, rt);
  int sep = separator (args);
  int clearenv = FIND (args, "--clearenv");
  int usr = FIND (args, "--ro-bind-fd", "3", "/usr");
  int proc = FIND (args, "--proc", "/proc");
  int in = FIND (args, "--ro-bind-fd", "6", "/in");
  int out = FIND (args, "--bind-fd", "7", "/out");
  int tmp = FIND (args, "--bind-fd", "12", "/tmp");
  int helper = FIND (args, "--ro-bind-fd", "8", "/run/sbx/sbx-exec");
  int chdir_ = FIND (args, "--chdir", "/out");
  int shm = FIND (args, "--bind-fd", "13", "/dev/shm");
  int dev_ro = FIND (args, "--remount-ro", "/dev");
  int seccomp = FIND (args, "--seccomp", "10");
  int remount = FIND (args, "--remount-ro", "/");

  assert_int_equal (FIND (args, "--unshare-all", "--unshare-user", "--disable-userns",
                          "--assert-userns-disabled", "--die-with-parent", "--new-session",
                          "--as-pid-1", "--cap-drop", "ALL", "--hostname", "sbx", "--clearenv"),
                    0);
  assert_int_equal (count_arg (args, "--share-net"), 0);
  /* every --setenv comes after --clearenv and before the first mount */
  for (guint i = 0; i + 1 < args->len; i++)
    if (strcmp (args->pdata[i], "--setenv") == 0)
      {
        assert_true ((int) i > clearenv);
        assert_true ((int) i < usr);
      }
  assert_true (FIND (args, "--ro-bind-fd", "5", "/etc/alternatives") < usr);
  assert_true (FIND (args, "--ro-bind-fd", "4", "/etc/ld.so.cache") < usr);
  assert_true (usr < FIND (args, "--symlink", "usr/bin", "/bin"));
  assert_true (FIND (args, "--symlink", "usr/sbin", "/sbin") < proc);
  /* the generated user database over every system path, before /proc */
  assert_int_equal (FIND (args, "--ro-bind-data", "14", "/etc/passwd", "--ro-bind-data", "15",
                          "/etc/group", "--proc", "/proc"), proc - 6);
  assert_true (usr < proc - 6);
  assert_true (proc < FIND (args, "--dev", "/dev"));
  /* Docker's masks right after the new /proc, only the paths given */
  assert_int_equal (FIND (args, "--ro-bind", "/proc/sys", "/proc/sys", "--ro-bind",
                          "/proc/sysrq-trigger", "/proc/sysrq-trigger", "--ro-bind", "/dev/null",
                          "/proc/kcore", "--ro-bind", "/dev/null", "/proc/keys", "--dev", "/dev"),
                    proc + 2);
  /* /dev/shm on the new /dev, then /dev read-only (not recursively) */
  assert_int_equal (FIND (args, "--dev", "/dev") + 2, shm);
  assert_int_equal (shm + 3, dev_ro);
  assert_true (dev_ro < in);
  assert_true (in < out && out < tmp && tmp < helper && helper < chdir_);
  assert_true (chdir_ < seccomp && seccomp < remount && remount + 2 == sep);
  /* after "--": pid 1 (sbx-init), the exec gate's helper with its socket
   * fd, then the command, untouched */
  assert_int_equal (args->len - 1 - (sep + 1), 6);
  assert_string_equal (args->pdata[sep + 1], "/run/sbx/sbx-init");
  assert_string_equal (args->pdata[sep + 2], "/run/sbx/sbx-exec");
  assert_string_equal (args->pdata[sep + 3], "11");
  assert_string_equal (args->pdata[sep + 4], "/in/job");
  assert_string_equal (args->pdata[sep + 5], "--flag");
  assert_string_equal (args->pdata[sep + 6], "value with space");
  /* nothing of the old LD_PRELOAD lock */
  assert_int_equal (count_arg (args, "LD_PRELOAD"), 0);
  assert_int_equal (count_arg (args, "SBX_LOCK_FD"), 0);
}

/* ----------------------------------------------------------- environment */

static void
test_env_scrubbed (void **state)
{
  g_autoptr(SbxProfile) profile = profile_new ("[environment]\nkeep=LANG;TZ;HOME;NOT_SET_ON_HOST\n");
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(GPtrArray) args = build (profile, rt);
  int sep = separator (args);

  for (guint i = 0; i + 1 < args->len; i++)
    {
      const char *a = args->pdata[i];
      assert_null (strstr (a, CANARY_NAME));
      assert_null (strstr (a, CANARY_VALUE));
      assert_null (strstr (a, "/host/only/bin"));
      assert_null (strstr (a, "/host/evil.so"));
      assert_string_not_equal (a, "99");
    }
  /* kept: the first host value wins; absent ones are not invented */
  assert_true (FIND (args, "--setenv", "LANG", "C.UTF-8") > 0);
  assert_int_equal (FIND (args, "--setenv", "LANG", "second-copy-ignored"), -1);
  assert_int_equal (count_arg (args, "TZ"), 0);
  assert_int_equal (count_arg (args, "NOT_SET_ON_HOST"), 0);
  /* keep then set: set's HOME comes later, so it wins inside */
  assert_true (FIND (args, "--setenv", "HOME", "/root/host-home")
               < FIND (args, "--setenv", "HOME", "/tmp"));
  assert_true (FIND (args, "--setenv", "PATH", "/usr/bin:/bin") > 0);
  /* the exec gate passes nothing through the environment */
  assert_int_equal (count_arg (args, "LD_PRELOAD"), 0);
  assert_int_equal (count_arg (args, "SBX_LOCK_FD"), 0);
  assert_true (FIND (args, "--setenv", "PATH") < sep);

  /* no host environment at all: only set */
  rt->host_env = NULL;
  {
    g_autoptr(GPtrArray) bare = build (profile, rt);
    assert_int_equal (count_arg (bare, "--setenv"), 2);
  }
}

/* The steps say what each one is: kept variables are marked (and only
 * their values are redacted), binds carry their kind, and the argv is
 * exactly the steps rendered. */
static void
test_steps (void **state)
{
  g_autoptr(SbxProfile) profile = profile_new ("[environment]\nkeep=LANG;HOME\nset=HOME=/tmp;X=C.UTF-8\n");
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(GArray) steps = sbx_steps_build (profile, rt);
  g_autoptr(GPtrArray) plain = sbx_steps_to_args (steps, FALSE);
  g_autoptr(GPtrArray) shown = sbx_steps_to_args (steps, TRUE);
  g_autoptr(GPtrArray) options = sbx_bwrap_build_options (profile, rt);
  guint n_kept = 0, n_set = 0, n_masks = 0, n_tmpfs = 0, n_mounts = 0, n_seccomp = 0;

  (void) state;
  for (guint i = 0; i < steps->len; i++)
    {
      const SbxStep *step = &g_array_index (steps, SbxStep, i);

      if (step->kind == SBX_STEP_SETENV)
        {
          n_kept += step->kept;
          n_set += !step->kept;
          assert_true (step->kept == (strcmp (step->name, "LANG") == 0
                                      || (strcmp (step->name, "HOME") == 0
                                          && strcmp (step->value, "/root/host-home") == 0)));
        }
      if (step->kind == SBX_STEP_BIND)
        {
          n_masks += step->bind == SBX_BIND_PROC_MASK;
          n_tmpfs += step->bind == SBX_BIND_TMPFS;
          n_mounts += step->bind == SBX_BIND_MOUNT;
          assert_true ((step->bind == SBX_BIND_MOUNT) == (step->mount != NULL));
          assert_true ((step->fd >= 0) != (step->source != NULL));
        }
      n_seccomp += step->kind == SBX_STEP_SECCOMP;
    }
  assert_int_equal (n_kept, 2);
  assert_int_equal (n_set, 2);  /* HOME and X: set= replaces the default */
  assert_int_equal (n_masks, 2);
  assert_int_equal (n_tmpfs, 2);  /* /tmp and /dev/shm */
  assert_int_equal (n_mounts, rt->mounts->len);
  assert_int_equal (n_seccomp, 1);

  /* the same vector, but for the kept values */
  assert_int_equal (plain->len, options->len);
  assert_int_equal (shown->len, plain->len);
  for (guint i = 0; i + 1 < plain->len; i++)
    {
      assert_string_equal (plain->pdata[i], options->pdata[i]);
      if (strcmp (plain->pdata[i], shown->pdata[i]) != 0)
        {
          assert_true (i >= 2);
          assert_string_equal (shown->pdata[i - 2], "--setenv");
          assert_string_equal (shown->pdata[i], "<kept>");
          assert_true (strcmp (shown->pdata[i - 1], "LANG") == 0 || strcmp (shown->pdata[i - 1], "HOME") == 0);
        }
    }
  assert_int_equal (FIND (shown, "--setenv", "LANG", "<kept>") >= 0, TRUE);
  assert_int_equal (FIND (shown, "--setenv", "X", "C.UTF-8") >= 0, TRUE);
  assert_int_equal (FIND (shown, "--setenv", "HOME", "/tmp") >= 0, TRUE);
}

static void
test_set_values_verbatim (void **state)
{
  g_autoptr(SbxProfile) profile = profile_new ("[environment]\nset=A=x y;B=;C=-c;D=a=b;E=1\\;2\n");
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(GPtrArray) args = build (profile, rt);

  assert_true (FIND (args, "--setenv", "A", "x y", "--setenv", "B", "", "--setenv", "C", "-c",
                     "--setenv", "D", "a=b", "--setenv", "E", "1;2")
               > 0);
}

/* -------------------------------------------------------------- variants */

static void
test_exec_lock_variants (void **state)
{
  g_autoptr(SbxRuntime) rt = runtime_new ();

  {
    g_autoptr(SbxProfile) off = profile_new ("[seccomp]\nexec-lock=off\n");
    g_autoptr(GPtrArray) args = build (off, rt);
    assert_int_equal (count_arg (args, "LD_PRELOAD"), 0);
    assert_int_equal (count_arg (args, "SBX_LOCK_FD"), 0);
    assert_true (FIND (args, "--seccomp", "10") > 0);
  }
  {
    /* no gate fd: the command is run without the helper */
    g_autoptr(SbxProfile) on = profile_new (NULL);
    g_autoptr(GPtrArray) args = NULL;
    int gate_fd = rt->gate_fd;

    rt->gate_fd = -1;
    args = build (on, rt);
    assert_string_equal (args->pdata[separator (args) + 1], "/run/sbx/sbx-init");
    assert_string_equal (args->pdata[separator (args) + 2], "/in/job");
    rt->gate_fd = gate_fd;
  }
  {
    g_autoptr(SbxProfile) self = profile_new ("[seccomp]\nexec-lock=self\n");
    g_autoptr(GPtrArray) args = build (self, rt);
    assert_int_equal (count_arg (args, "LD_PRELOAD"), 0);
    assert_int_equal (count_arg (args, "SBX_LOCK_FD"), 0);
  }
  {
    /* "preload", the old name of "on": no variables, the gate instead */
    g_autoptr(SbxProfile) preload = profile_new ("[seccomp]\nexec-lock=preload\n");
    g_autoptr(GPtrArray) args = NULL;
    rt->launch_fd = -1;
    args = build (preload, rt);
    assert_string_equal (args->pdata[separator (args) + 2], "/run/sbx/sbx-exec");
    assert_int_equal (count_arg (args, "LD_PRELOAD"), 0);
    assert_int_equal (count_arg (args, "SBX_LOCK_FD"), 0);
    assert_int_equal (count_arg (args, "--seccomp"), 0);
  }
}

static void
test_network_host (void **state)
{
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(SbxProfile) host = profile_new ("[network]\nmode=host\n");
  g_autoptr(GPtrArray) args = build (host, rt);

  assert_int_equal (count_arg (args, "--share-net"), 1);
  assert_true (FIND (args, "--cap-drop", "ALL", "--share-net", "--hostname", "sbx") > 0);
}

static void
test_input_rw (void **state)
{
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(SbxProfile) rw = profile_new ("[filesystem]\ninput-mode=rw\n");
  g_autoptr(SbxProfile) ro = profile_new (NULL);
  g_autoptr(GPtrArray) rw_args = build (rw, rt);
  g_autoptr(GPtrArray) ro_args = NULL;

  assert_true (FIND (rw_args, "--bind-fd", "6", "/in") > 0);
  assert_int_equal (FIND (rw_args, "--ro-bind-fd", "6", "/in"), -1);

  /* the model decides /in even if the runtime claims it writable */
  ((SbxMount *) rt->mounts->pdata[2])->writable = TRUE;
  ro_args = build (ro, rt);
  assert_true (FIND (ro_args, "--ro-bind-fd", "6", "/in") > 0);
}

static void
test_workdir (void **state)
{
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(SbxProfile) p = profile_new ("[filesystem]\nworkdir=/tmp/work\n");
  g_autoptr(GPtrArray) args = build (p, rt);

  assert_true (FIND (args, "--chdir", "/tmp/work") > 0);
  assert_int_equal (count_arg (args, "--chdir"), 1);
}

/* --------------------------------------------------------- hostile paths */

static void
test_hostile_paths (void **state)
{
  static const char *const evil_command[] = { "-rf", "a\nb", "--", " lead", NULL };
  g_autoptr(SbxProfile) profile = profile_new (NULL);
  g_autoptr(SbxRuntime) rt = runtime_new ();
  g_autoptr(GPtrArray) args = NULL;
  int sep;

  rt->bind_fd_supported = FALSE;
  rt->tmp_path = "/dev/shm/sbx tmp";
  g_ptr_array_set_size (rt->mounts, 0);
  g_ptr_array_add (rt->mounts, mount_new (3, "/usr", "/usr", FALSE, SBX_MOUNT_SYSTEM));
  g_ptr_array_add (rt->mounts, mount_new (6, "/home/u/my input\nfolder", "/in", FALSE, SBX_MOUNT_INPUT));
  g_ptr_array_add (rt->mounts, mount_new (7, "--bind", "/out", TRUE, SBX_MOUNT_OUTPUT));
  g_ptr_array_add (rt->mounts, mount_new (8, "-/x y/sbx-exec", "/run/sbx/sbx-exec",
                                          FALSE, SBX_MOUNT_EXEC_HELPER));
  rt->gate_fd = -1;
  rt->command = evil_command;
  args = build (profile, rt);
  sep = separator (args);

  /* without --bind-fd: host paths, each one element */
  assert_int_equal (count_arg (args, "--ro-bind-fd"), 0);
  assert_int_equal (count_arg (args, "--bind-fd"), 0);
  assert_true (FIND (args, "--ro-bind", "/usr", "/usr") > 0);
  assert_true (FIND (args, "--ro-bind", "/home/u/my input\nfolder", "/in") > 0);
  assert_true (FIND (args, "--bind", "--bind", "/out") > 0);
  assert_true (FIND (args, "--bind", "/dev/shm/sbx tmp", "/tmp") > 0);
  assert_true (FIND (args, "--ro-bind", "-/x y/sbx-exec", "/run/sbx/sbx-exec") > 0);
  /* the first "--" is the separator: sbx-init, then the command verbatim */
  assert_int_equal (args->len - 1 - (sep + 1), 5);
  assert_string_equal (args->pdata[sep + 1], "/run/sbx/sbx-init");
  for (guint i = 0; evil_command[i] != NULL; i++)
    assert_string_equal (args->pdata[sep + 2 + i], evil_command[i]);
  assert_true (FIND (args, "--remount-ro", "/", "--") + 2 == sep);

  /* an fd < 0 also falls back to the path, per mount */
  rt->bind_fd_supported = TRUE;
  ((SbxMount *) rt->mounts->pdata[1])->fd = -1;
  {
    g_autoptr(GPtrArray) mixed = build (profile, rt);
    assert_true (FIND (mixed, "--ro-bind", "/home/u/my input\nfolder", "/in") > 0);
    assert_true (FIND (mixed, "--ro-bind-fd", "3", "/usr") > 0);
    assert_true (FIND (mixed, "--bind-fd", "12", "/tmp") > 0);
  }

  /* no prepared tmpfs at all: bwrap's sized tmpfs */
  rt->tmp_fd = -1;
  rt->tmp_path = NULL;
  {
    g_autoptr(GPtrArray) notmp = build (profile, rt);
    assert_true (FIND (notmp, "--size", "67108864", "--tmpfs", "/tmp") > 0);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_golden_default),
    cmocka_unit_test (test_default_structure),
    cmocka_unit_test (test_env_scrubbed),
    cmocka_unit_test (test_steps),
    cmocka_unit_test (test_set_values_verbatim),
    cmocka_unit_test (test_exec_lock_variants),
    cmocka_unit_test (test_network_host),
    cmocka_unit_test (test_input_rw),
    cmocka_unit_test (test_workdir),
    cmocka_unit_test (test_hostile_paths),
  };

  return cmocka_run_group_tests_name ("bwrap argv", tests, NULL, NULL);
}
