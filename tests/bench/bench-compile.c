/* bench-compile — in-process cost of compiling a profile (B2 of `make bench`).
 *
 *   bench-compile compile [N]    (default 2000 iterations)
 *   bench-compile custom [N]     (default 1000)
 *   bench-compile prepare [N]    (default 300)
 *   bench-compile rlimits
 *
 * compile: per iteration, the default profile is parsed from its embedded
 *   text (sbx_profile_new_default) and its host paths checked
 *   (sbx_profile_check_host, as sbx run does), the launch and the lock programs are
 *   compiled (sbx_program_new) and the bwrap argv is built
 *   (sbx_bwrap_build_args) from a fixed runtime like the one `sbx run` opens
 *   (fds of the system paths, the two program memfds, the /tmp fd, the
 *   preload).  Each part is timed with CLOCK_MONOTONIC; the medians, min and
 *   max over the iterations are printed in µs.  The default profile's
 *   programs come precompiled with the library (bpf/sbx-precompiled.c), so
 *   this is the path every default `sbx run` takes.
 * custom: the same with a profile that is the default but for
 *   "[seccomp] errno=EACCES": no precompiled program matches, so both are
 *   compiled with libseccomp on the first iteration and read back from the
 *   program cache ($XDG_CACHE_HOME/sbxprofile) after — what a repeated run
 *   of a non-default profile pays (run.sh points the cache at a fresh
 *   folder; an unwritable one measures the compile every time).
 * prepare: the public path up to the exec, minus the exec:
 *   sbx_sandbox_new (parses nothing: compiles both programs) +
 *   sbx_sandbox_prepare (SBX_PREPARE_DRY_RUN) (bwrap lookup and features,
 *   command resolution, mount sources opened, argv), on a profile parsed
 *   once — for attribution, not a target.
 * rlimits: prints the default profile's "RESOURCE=VALUE" pairs, one a line,
 *   so the raw-bwrap baseline of B1 can apply the same limits.
 *
 * Output: key=value lines.  Exit 1 when a call fails.
 */
#include "config.h"

#include "sbx-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern char **environ;

static double
now_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
stats (const char *name, double *v, int n)
{
  qsort (v, n, sizeof *v, cmp_double);
  printf ("%s_median_us=%.2f\n%s_min_us=%.2f\n%s_max_us=%.2f\n", name,
          (n % 2) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, name, v[0], name, v[n - 1]);
}

static int
fail (const char *what, GError *error)
{
  fprintf (stderr, "bench-compile: %s: %s\n", what, error ? error->message : "failed");
  return 1;
}

static void
free_mount (gpointer p)
{
  SbxMount *m = p;
  g_free (m->host_path);
  g_free (m->dest);
  g_free (m);
}

static void
free_symlink (gpointer p)
{
  SbxSymlink *s = p;
  g_free (s->dest);
  g_free (s->target);
  g_free (s);
}

static int
bench_compile (int n, gboolean custom)
{
  static const char custom_text[] = "[seccomp]\nerrno=EACCES\n";
  static const char *const command[] = { "/usr/bin/true", NULL };
  static const char *const links[][2] = {
    { "/bin", "usr/bin" }, { "/lib", "usr/lib" }, { "/lib64", "usr/lib64" }, { "/sbin", "usr/sbin" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) model = custom ? sbx_profile_new_from_data (custom_text, -1, "custom", &error)
                                        : sbx_profile_new_default (&error);
  double *t_parse = g_new (double, n), *t_launch = g_new (double, n);
  double *t_lock = g_new (double, n), *t_argv = g_new (double, n), *t_total = g_new (double, n);
  SbxRuntime rt = { 0 };
  gsize argc = 0;
  int fd = 3;

  if (model == NULL)
    return fail ("default profile", error);
  /* The runtime `sbx run` would hand the argv builder: fd numbers only. */
  rt.bind_fd_supported = TRUE;
  rt.launch_fd = fd++;
  rt.gate_fd = fd++;
  rt.mounts = g_ptr_array_new_with_free_func (free_mount);
  for (guint i = 0; i < model->system->len; i++)
    {
      SbxMount *m = g_new0 (SbxMount, 1);
      m->fd = fd++;
      m->host_path = g_strdup (model->system->pdata[i]);
      m->dest = g_strdup (model->system->pdata[i]);
      m->role = SBX_MOUNT_SYSTEM;
      g_ptr_array_add (rt.mounts, m);
    }
  {
    SbxMount *m = g_new0 (SbxMount, 1);
    m->fd = fd++;
    m->host_path = g_strdup ("/usr/libexec/sbxprofile/" SBX_EXEC_HELPER_NAME);
    m->dest = g_strdup (SBX_SANDBOX_HELPER_DIR "/" SBX_EXEC_HELPER_NAME);
    m->role = SBX_MOUNT_EXEC_HELPER;
    g_ptr_array_add (rt.mounts, m);
  }
  rt.tmp_fd = fd++;
  rt.tmp_path = "/dev/shm";
  rt.symlinks = g_ptr_array_new_with_free_func (free_symlink);
  for (gsize i = 0; i < G_N_ELEMENTS (links); i++)
    {
      SbxSymlink *s = g_new0 (SbxSymlink, 1);
      s->dest = g_strdup (links[i][0]);
      s->target = g_strdup (links[i][1]);
      g_ptr_array_add (rt.symlinks, s);
    }
  rt.host_env = (const char *const *) environ;
  rt.command = command;

  for (int i = 0; i < n; i++)
    {
      double t0 = now_us ();
      g_autoptr(SbxProfile) profile = custom ? sbx_profile_new_from_data (custom_text, -1, "custom", &error)
                                             : sbx_profile_new_default (&error);
      /* with the host check, as sbx run loads a profile (and as loading
       * alone did before it became pure): the figure stays comparable */
      gboolean host_ok = profile != NULL && sbx_profile_check_host (profile, &error);
      double t1 = now_us ();
      g_autoptr(SbxProgram) launch = host_ok ? sbx_program_new (profile, SBX_STAGE_LAUNCH, &error) : NULL;
      double t2 = now_us ();
      g_autoptr(SbxProgram) lock = launch ? sbx_program_new (profile, SBX_STAGE_LOCK, &error) : NULL;
      double t3 = now_us ();
      g_autoptr(GPtrArray) argv = lock ? sbx_bwrap_build_args (profile, &rt) : NULL;
      double t4 = now_us ();

      if (argv == NULL)
        return fail ("compile", error);
      argc = argv->len - 1;
      t_parse[i] = t1 - t0;
      t_launch[i] = t2 - t1;
      t_lock[i] = t3 - t2;
      t_argv[i] = t4 - t3;
      t_total[i] = t4 - t0;
    }
  printf ("iterations=%d\nargv_elements=%zu\n", n, argc);
  stats ("total", t_total, n);
  stats ("parse", t_parse, n);
  stats ("launch", t_launch, n);
  stats ("lock", t_lock, n);
  stats ("argv", t_argv, n);
  g_ptr_array_unref (rt.mounts);
  g_ptr_array_unref (rt.symlinks);
  return 0;
}

static int
bench_prepare (int n)
{
  static const char *const command[] = { "/bin/true", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  double *t_new = g_new (double, n), *t_prep = g_new (double, n), *t_total = g_new (double, n);

  if (profile == NULL)
    return fail ("default profile", error);
  for (int i = 0; i < n; i++)
    {
      double t0 = now_us ();
      g_autoptr(SbxSandbox) sandbox = sbx_sandbox_new (profile, command, &error);
      double t1 = now_us ();
      gboolean ok = sandbox && sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, &error);
      double t2 = now_us ();

      if (!ok)
        return fail ("sandbox", error);
      t_new[i] = t1 - t0;
      t_prep[i] = t2 - t1;
      t_total[i] = t2 - t0;
    }
  printf ("iterations=%d\n", n);
  stats ("total", t_total, n);
  stats ("new", t_new, n);
  stats ("prepare", t_prep, n);
  return 0;
}

static int
print_rlimits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  const SbxRlimit *rl;
  gsize n = 0;

  if (profile == NULL)
    return fail ("default profile", error);
  rl = sbx_profile_get_rlimits (profile, &n);
  for (gsize i = 0; i < n; i++)
    printf ("%d=%" G_GUINT64_FORMAT "\n", rl[i].resource, rl[i].value);
  return 0;
}

int
main (int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "compile";
  int n = argc > 2 ? atoi (argv[2]) : 0;

  if (strcmp (mode, "compile") == 0)
    return bench_compile (n > 0 ? n : 2000, FALSE);
  if (strcmp (mode, "custom") == 0)
    return bench_compile (n > 0 ? n : 1000, TRUE);
  if (strcmp (mode, "prepare") == 0)
    return bench_prepare (n > 0 ? n : 300);
  if (strcmp (mode, "rlimits") == 0)
    return print_rlimits ();
  fprintf (stderr, "usage: bench-compile compile|custom|prepare [N] | rlimits\n");
  return 2;
}
