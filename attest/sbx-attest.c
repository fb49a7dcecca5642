/* sbx-attest.c — SbxAttestation: DESIGN §4 as a library call.
 *
 * One run: scratch area and decoys (sbx-scratch.c) → expectations for both
 * runs → the sandbox built by SbxSandbox exactly as `sbx run` builds it
 * (from a copy of the caller's profile pointed at the run's folders, with
 * an environment of its own; sbx_sandbox_prepare + sbx_sandbox_spawn, the
 * job's stdout and stderr on pipes, its exec gate served here) and, at the same time,
 * sbx-probe as the negative control on the host → one poll loop reads both
 * record streams, serves the decoys and counts what reached them →
 * host-side checks → verdicts → the evidence bundle.  The scratch area is
 * removed whatever happens.  Nothing of the caller's is changed: not its
 * profile, not this process's environment, not its fds 0-2.
 *
 * Running the two at once halves the wall time; it is safe because each
 * run has its own input copy, output, tmp and decoys, so nothing one does
 * can be mistaken for the other.
 */
#include "config.h"

#include "sbx-attest-private.h"

#include "catalogue.h"
#include "sbx-plan.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <limits.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The canary variable has a fixed name (a profile can name it in keep=, a
 * weakening the attestation must catch) and a value holding the nonce. */
#define CANARY_ENV SBX_ATTEST_CANARY_ENV
#define secret_env_names sbx_attest_secret_env_names

/* A run of sbx-probe normally takes well under a second; each probe has a
 * budget of 5 s in sbx-probe itself.  This bounds a run that hangs anyway. */
#define RUN_DEADLINE_SECONDS 150
#define STDERR_KEEP 16384

struct _SbxAttestation {
  SbxProfile *profile;
  char *canonical;
  char *sha256;
  char *bwrap;
  char *helper_dir;
  char *input;
  char *output;
  char *tool_name;
  char *tool_version;
  SbxAttestProgressFunc progress;
  gpointer progress_data;
  volatile sig_atomic_t cancelled;
  int wake[2];
  SbxEvidence *evidence;
  SbxAttestStatus status;
};

/* ------------------------------------------------------------- lifecycle */

SbxAttestation *
sbx_attestation_new (SbxProfile *profile)
{
  SbxAttestation *att = g_atomic_rc_box_new0 (SbxAttestation);

  att->profile = sbx_profile_ref (profile);
  att->canonical = sbx_profile_to_canonical (profile);
  att->sha256 = sbx_profile_dup_sha256 (profile);
  sbx_attestation_set_options (att, &(SbxAttestOptions) { NULL });
  att->status = SBX_ATTEST_STATUS_FAILED;
  if (!g_unix_open_pipe (att->wake, FD_CLOEXEC, NULL))
    att->wake[0] = att->wake[1] = -1;
  else
    {
      g_unix_set_fd_nonblocking (att->wake[0], TRUE, NULL);
      g_unix_set_fd_nonblocking (att->wake[1], TRUE, NULL);
    }
  return att;
}

SbxAttestation *
sbx_attestation_ref (SbxAttestation *att)
{
  g_return_val_if_fail (att != NULL, NULL);
  return g_atomic_rc_box_acquire (att);
}

/* Releases what @data (a SbxAttestation) owns; the box itself is g_atomic_rc_box's. */
static void
attestation_clear (gpointer data)
{
  SbxAttestation *att = data;

  sbx_profile_unref (att->profile);
  g_free (att->canonical);
  g_free (att->sha256);
  g_free (att->bwrap);
  g_free (att->helper_dir);
  g_free (att->input);
  g_free (att->output);
  g_free (att->tool_name);
  g_free (att->tool_version);
  if (att->wake[0] >= 0)
    close (att->wake[0]);
  if (att->wake[1] >= 0)
    close (att->wake[1]);
  if (att->evidence != NULL)
    sbx_evidence_unref (att->evidence);
}

void
sbx_attestation_unref (SbxAttestation *att)
{
  if (att != NULL)
    g_atomic_rc_box_release_full (att, attestation_clear);
}

void
sbx_attestation_set_options (SbxAttestation *att, const SbxAttestOptions *o)
{
  const struct {
    char **field;
    const char *value;
  } copies[] = {
    { &att->bwrap, o->bwrap },
    { &att->helper_dir, o->helper_dir },
    { &att->input, o->input },
    { &att->output, o->output },
    { &att->tool_name, o->tool_name != NULL ? o->tool_name : "libsbxprofile" },
    { &att->tool_version, o->tool_version != NULL ? o->tool_version : sbx_version_string () },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (copies); i++)
    {
      char *copy = g_strdup (copies[i].value);

      g_free (*copies[i].field);
      *copies[i].field = copy;
    }
}

void
sbx_attestation_set_progress_func (SbxAttestation *att, SbxAttestProgressFunc func, gpointer user_data)
{
  att->progress = func;
  att->progress_data = user_data;
}

void
sbx_attestation_cancel (SbxAttestation *att)
{
  int saved = errno;

  att->cancelled = 1;
  if (att->wake[1] >= 0 && write (att->wake[1], "x", 1) < 0)
    {
      /* full pipe: a wake-up is already pending */
    }
  errno = saved;
}

SbxEvidence *
sbx_attestation_get_evidence (SbxAttestation *att)
{
  return att->evidence;
}

SbxAttestStatus
sbx_attestation_get_status (SbxAttestation *att)
{
  return att->status;
}

/* ----------------------------------------------------------------- helpers */

/* The folder this program runs from: sbx's own build or install location,
 * which holds the probe and the helpers it was built with.  (transfer full) */
static char *
own_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL ? g_path_get_dirname (exe) : g_strdup (SBX_HELPER_INSTALL_DIR);
}

static gboolean
same_dir (const char *a, const char *b)
{
  g_autofree char *ra = realpath (a, NULL);
  g_autofree char *rb = realpath (b, NULL);

  return ra != NULL && rb != NULL && strcmp (ra, rb) == 0;
}

/* Where the probe and the helpers come from: our own folder, unless the
 * caller (SbxAttestOptions.helper_dir) or $SBX_HELPER_DIR says
 * otherwise — which @overrides records, and which keeps the bundle from
 * being SANDBOX_ATTESTED (tests stage a copy of sbx beside the helpers). */
static char *
find_helper_dir (SbxAttestation *att, GPtrArray *overrides)
{
  g_autofree char *own = own_dir ();
  const char *env = g_getenv ("SBX_HELPER_DIR");

  if (att->helper_dir != NULL)
    {
      if (!same_dir (att->helper_dir, own))
        g_ptr_array_add (overrides, g_strdup_printf ("helper folder set by the caller: %s", att->helper_dir));
      return g_strdup (att->helper_dir);
    }
  if (env != NULL && env[0] != '\0')
    {
      if (!same_dir (env, own))
        g_ptr_array_add (overrides, g_strdup_printf ("SBX_HELPER_DIR=%s", env));
      return g_strdup (env);
    }
  return g_steal_pointer (&own);
}

/* run.tools: every program that took part, by path and sha256, where the
 * helpers came from and what overrode it. */
static JsonNode *
tools_object (const char *helper_dir, const char *bwrap_requested, const char *bwrap_used,
              const char *const *overrides)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *own = own_dir ();
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *sbx = g_build_filename (own, "sbx", NULL);
  static const char *const helpers[] = { SBX_PROBE_NAME, "sbx-preload.so", "sbx-exec", NULL };

  if (!g_file_test (sbx, G_FILE_TEST_EXISTS))
    {
      g_free (sbx);
      sbx = g_build_filename (SBX_BINDIR, "sbx", NULL);
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "own_dir");
  json_builder_add_string_value (b, own);
  json_builder_set_member_name (b, "helper_dir");
  json_builder_add_string_value (b, helper_dir);
  json_builder_set_member_name (b, "bwrap_requested");
  if (bwrap_requested != NULL)
    json_builder_add_string_value (b, bwrap_requested);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "overrides");
  json_builder_begin_array (b);
  for (gsize i = 0; overrides != NULL && overrides[i] != NULL; i++)
    json_builder_add_string_value (b, overrides[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (int i = -3; i < (int) G_N_ELEMENTS (helpers) - 1; i++)
    {
      g_autofree char *path = i == -3 ? g_strdup (sbx) : i == -2 ? g_strdup (self) : i == -1 ? g_strdup (bwrap_used)
                              : g_build_filename (helper_dir, helpers[i], NULL);
      const char *role = i == -3 ? "sbx" : i == -2 ? "attest" : i == -1 ? "bwrap" : helpers[i];
      g_autofree char *sha = path != NULL ? sbx_file_sha256 (path, NULL) : NULL;

      if (i >= 0 && sha == NULL)
        continue;   /* a helper this build does not have */
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, role);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, path != NULL ? path : "");
      json_builder_set_member_name (b, "sha256");
      if (sha != NULL)
        json_builder_add_string_value (b, sha);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gint64
ns_inode (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/ns/%s", name);
  struct stat st;

  return stat (path, &st) == 0 ? (gint64) st.st_ino : 0;
}

static const char *const ns_names[] = SBX_VERDICT_NS_NAMES;

/* Names PR-ENV-1 may find inside (the library says which). */
static char *
env_allowed (SbxProfile *profile)
{
  g_auto(GStrv) names = sbx_profile_dup_job_env_names (profile);

  return g_strjoinv (";", names);
}

static gboolean
path_related (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);

  if (strcmp (a, b) == 0)
    return TRUE;
  if (la < lb)
    return strncmp (a, b, la) == 0 && b[la] == '/';
  return strncmp (a, b, lb) == 0 && a[lb] == '/';
}

/* The user's home and the current folder (the "project") must not be
 * visible in the sandbox (PR-FS-ESC-1 extra_hidden).  Left out when they
 * sit on, above or below something the sandbox shows on purpose. */
static char *
extra_hidden (SbxProfile *profile)
{
  static const char *const shown[] = { "/in", "/out", "/tmp", "/proc", "/dev", "/run", "/usr", "/etc" };
  g_autofree char *cwd = g_get_current_dir ();
  g_auto(GStrv) system = sbx_profile_dup_system_paths (profile);
  const char *candidates[] = { g_get_home_dir (), cwd };
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *c = candidates[i];
      gboolean skip = c == NULL || c[0] != '/' || strcmp (c, "/") == 0 || strchr (c, ';') != NULL
                      || strchr (c, '\n') != NULL;

      for (gsize j = 0; !skip && j < G_N_ELEMENTS (shown); j++)
        skip = path_related (c, shown[j]);
      for (guint j = 0; !skip && system[j] != NULL; j++)
        skip = path_related (c, system[j]);
      if (!skip && (i == 0 || strcmp (c, candidates[0] != NULL ? candidates[0] : "") != 0))
        g_string_append_printf (out, "%s%s", out->len > 0 ? ";" : "", c);
    }
  return g_string_free (out, FALSE);
}

/* "type:hex" handle of the canary for PR-FS-ESC-2, or NULL. */
static char *
canary_handle (const char *path)
{
  union {
    struct file_handle fh;
    char room[sizeof (struct file_handle) + MAX_HANDLE_SZ];
  } h;
  int mount_id;
  GString *out;

  h.fh.handle_bytes = MAX_HANDLE_SZ;
  if (name_to_handle_at (AT_FDCWD, path, &h.fh, &mount_id, 0) != 0)
    return NULL;
  out = g_string_new (NULL);
  g_string_append_printf (out, "%d:", h.fh.handle_type);
  for (guint i = 0; i < h.fh.handle_bytes; i++)
    g_string_append_printf (out, "%02x", h.fh.f_handle[i]);
  return g_string_free (out, FALSE);
}

static char *
strv_join_semicolon (const char *const *v)
{
  return g_strjoinv (";", (GStrv) (v != NULL ? v : (const char *const[]) { NULL }));
}

static gboolean
write_expectations (SbxProfile *profile, SbxScratch *s, SbxSide side, GError **error)
{
  gboolean sandbox = side == SBX_SIDE_SANDBOX;
  const SbxDecoys *d = &s->decoys[side];
  GString *t = g_string_new (NULL);
  g_autofree char *allowed = env_allowed (profile);
  g_autofree char *hidden = extra_hidden (profile);
  g_autofree char *handle = canary_handle (s->canary_path);
  g_autofree char *secrets = strv_join_semicolon (secret_env_names);
  g_autofree char *fixtures = strv_join_semicolon ((const char *const *) (sandbox ? s->fixtures : s->control_fixtures));
  const char *errno_name = sbx_errno_to_name (sbx_profile_get_errno (profile));
  const SbxRlimit *limits;
  gsize n_limits = 0;
  g_autoptr(GError) local = NULL;
  gboolean ok;

  g_string_append_printf (t, "# sbx attest expectations for the %s run (probes/README.md)\n",
                          sandbox ? "sandbox" : "control");
  g_string_append_printf (t, "mode=%s\n", sandbox ? "sandbox" : "control");
  g_string_append_printf (t, "nonce=%s\n", s->nonce);
  g_string_append_printf (t, "in=%s\n", sandbox ? SBX_SANDBOX_IN : s->in_control);
  g_string_append_printf (t, "out=%s\n", sandbox ? SBX_SANDBOX_OUT : s->out_control);
  g_string_append_printf (t, "tmp=%s\n", sandbox ? SBX_SANDBOX_TMP : s->tmp_control);
  g_string_append_printf (t, "canary_path=%s\n", s->canary_path);
  g_string_append_printf (t, "canary_text=%s\n", s->canary_text);
  if (handle != NULL)
    g_string_append_printf (t, "canary_handle=%s\n", handle);
  g_string_append_printf (t, "canary_env=%s\n", CANARY_ENV);
  g_string_append_printf (t, "secret_env=%s\n", secrets);
  g_string_append_printf (t, "env_allowed=%s\n", allowed);
  /* nothing is planted in a user's input folder */
  g_string_append_printf (t, "planted_symlink=%s\n", sandbox && s->in_is_user ? "" : s->planted_symlink);
  g_string_append_printf (t, "fixtures=%s\n", fixtures);
  g_string_append_printf (t, "extra_hidden=%s\n", hidden);
  g_string_append_printf (t, "tcp_port=%u\nudp_port=%u\n", d->tcp_port, d->udp_port);
  g_string_append_printf (t, "unix_socket=%s\nabstract_socket=%s\n", d->unix_path, d->abstract_name);
  for (gsize i = 0; i < G_N_ELEMENTS (ns_names); i++)
    g_string_append_printf (t, "host_ns_%s=%" G_GINT64_FORMAT "\n", ns_names[i], ns_inode (ns_names[i]));
  g_string_append_printf (t, "host_pid=%ld\n", (long) getpid ());
  /* the sandbox's host_uid= is the job's, known once it is prepared (append_plan) */
  if (!sandbox)
    g_string_append_printf (t, "host_uid=%ld\n", (long) getuid ());
  g_string_append_printf (t, "host_hostname=%s\n", g_get_host_name ());
  g_string_append_printf (t, "errno=%s\n", errno_name != NULL ? errno_name : "EPERM");
  limits = sbx_profile_get_rlimits (profile, &n_limits);
  for (gsize i = 0; i < n_limits; i++)
    {
      const char *key = sbx_verdict_limit_key (limits[i].resource);

      if (key == NULL)
        continue;
      if (limits[i].value == (guint64) RLIM_INFINITY)
        g_string_append_printf (t, "%s=unlimited\n", key);
      else
        g_string_append_printf (t, "%s=%" G_GUINT64_FORMAT "\n", key, limits[i].value);
    }

  ok = g_file_set_contents_full (s->expect_path[side], t->str, t->len, G_FILE_SET_CONTENTS_NONE, 0644, &local);
  g_string_free (t, TRUE);
  if (!ok)
    g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "attest: %s", local->message);
  return ok;
}

/* The environment both runs start from: ours plus the canary and the
 * secret-looking variables (the sandbox's keep= picks from it, the control
 * inherits all of it).  This process's own environment is left alone. */
static GStrv
run_environment (const char *nonce)
{
  g_autofree char *canary = g_strdup_printf ("sbx-canary-%s", nonce);
  g_autofree char *secret = g_strdup_printf ("sbx-decoy-secret-%s", nonce);
  GStrv envp = g_get_environ ();

  envp = g_environ_setenv (envp, CANARY_ENV, canary, TRUE);
  for (gsize i = 0; secret_env_names[i] != NULL; i++)
    envp = g_environ_setenv (envp, secret_env_names[i], secret, TRUE);
  return envp;
}

/* --------------------------------------------------------------- children */

typedef struct {
  pid_t pid;
  gboolean own_group;   /* the control: kill the whole process group */
  int out_fd;
  int err_fd;
  GString *line;        /* unfinished stdout line */
  GString *err;         /* stderr, the first STDERR_KEEP bytes */
  gboolean err_truncated;
  gboolean exited;
  int status;
  guint records;
  guint unparsed;
  gint64 last_record_us;
} Child;

static void
child_init (Child *c)
{
  memset (c, 0, sizeof *c);
  c->pid = -1;
  c->out_fd = c->err_fd = -1;
  c->line = g_string_new (NULL);
  c->err = g_string_new (NULL);
}

static void
child_clear (Child *c)
{
  if (c->out_fd >= 0)
    close (c->out_fd);
  if (c->err_fd >= 0)
    close (c->err_fd);
  g_string_free (c->line, TRUE);
  g_string_free (c->err, TRUE);
}

/* TRUE when it had to be killed. */
static gboolean
child_kill_and_reap (Child *c)
{
  if (c->pid <= 0 || c->exited)
    return FALSE;
  kill (c->own_group ? -c->pid : c->pid, SIGKILL);
  while (waitpid (c->pid, &c->status, 0) < 0 && errno == EINTR)
    ;
  c->exited = TRUE;
  return TRUE;
}

static void
child_reap (Child *c)
{
  if (c->pid <= 0 || c->exited)
    return;
  while (waitpid (c->pid, &c->status, 0) < 0)
    if (errno != EINTR)
      {
        c->status = 0;
        break;
      }
  c->exited = TRUE;
}

static char *
status_words (const Child *c)
{
  if (!c->exited)
    return g_strdup ("not started");
  if (WIFEXITED (c->status))
    return g_strdup_printf ("exit %d", WEXITSTATUS (c->status));
  if (WIFSIGNALED (c->status))
    return g_strdup_printf ("killed by signal %d", WTERMSIG (c->status));
  return g_strdup_printf ("status 0x%x", c->status);
}

static gboolean
open_pipes (int out[2], int err[2], GError **error)
{
  if (!g_unix_open_pipe (out, FD_CLOEXEC, NULL))
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: pipe");
      return FALSE;
    }
  if (!g_unix_open_pipe (err, FD_CLOEXEC, NULL))
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: pipe");
      close (out[0]);
      close (out[1]);
      return FALSE;
    }
  return TRUE;
}

/* In a forked child: stdin from /dev/null, stdout and stderr to the pipes. */
static void
child_stdio (int out_w, int err_w)
{
  int null = open ("/dev/null", O_RDONLY | O_CLOEXEC);

  if (null < 0 || dup2 (null, 0) < 0 || dup2 (out_w, 1) < 0 || dup2 (err_w, 2) < 0)
    _exit (125);
}

/* The sandbox run: sbx_sandbox_spawn(), the path of `sbx run`, with the
 * job's stdin on /dev/null and stdout/stderr on our pipes (the library
 * sets them up in its own child).  A set-up failure is reported by spawn.
 * The caller serves the exec gate (serve()). */
static gboolean
spawn_sandbox (SbxSandbox *sandbox, Child *c, GError **error)
{
  int out[2], err[2], null;
  GPid pid = -1;
  gboolean ok;

  if (!open_pipes (out, err, error))
    return FALSE;
  null = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: /dev/null");
      close (out[0]), close (out[1]), close (err[0]), close (err[1]);
      return FALSE;
    }
  sbx_sandbox_set_stdio (sandbox, null, out[1], err[1]);
  ok = sbx_sandbox_spawn (sandbox, &pid, error);
  close (null);
  close (out[1]);
  close (err[1]);
  if (!ok)
    {
      close (out[0]);
      close (err[0]);
      return FALSE;
    }
  c->pid = pid;
  c->out_fd = out[0];
  c->err_fd = err[0];
  return TRUE;
}

/* The control: sbx-probe on the host, as this user, in a process group of
 * its own so that it and its probe children can be killed together. */
static gboolean
spawn_control (const char *probe, const char *expect, const char *cwd, char *const *envp, Child *c,
               GError **error)
{
  int out[2], err[2];

  if (!open_pipes (out, err, error))
    return FALSE;
  c->pid = fork ();
  if (c->pid < 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: fork");
      close (out[0]), close (out[1]), close (err[0]), close (err[1]);
      return FALSE;
    }
  if (c->pid == 0)
    {
      char *const argv[] = { (char *) SBX_PROBE_NAME, (char *) "--expect", (char *) expect, NULL };

      setpgid (0, 0);
      child_stdio (out[1], err[1]);
      signal (SIGPIPE, SIG_DFL);
      if (chdir (cwd) != 0)
        _exit (125);
      execve (probe, argv, envp);
      dprintf (2, "sbx: cannot run the control %s: %s\n", probe, g_strerror (errno));
      _exit (127);
    }
  setpgid (c->pid, c->pid);
  c->own_group = TRUE;
  close (out[1]);
  close (err[1]);
  c->out_fd = out[0];
  c->err_fd = err[0];
  return TRUE;
}

/* ------------------------------------------------------------------ state */

typedef struct {
  SbxAttestation *att;
  SbxProfile *job;        /* a copy of att->profile, at the run's folders */
  GStrv envp;             /* the environment of both runs */
  SbxScratch *scratch;
  GPtrArray *probes;      /* SbxProbeRecord*, catalogue order */
  gboolean *reported;     /* progress emitted for probes[i] */
  Child child[SBX_N_SIDES];
  GArray *conns;          /* accepted TCP decoy connections: { fd, side } */
  gint64 started_us;
  SbxSandbox *sandbox;    /* the sandbox run's, while it runs: serve its exec gate */
  SbxVerdictContext verdict_ctx; /* what the verdict rules need (sbx-verdict.h) */
} Run;

typedef struct {
  int fd;
  SbxSide side;
} Conn;

/* The name of @id's host-side check in the catalogue, or NULL. */
static const char *
host_check_name (const char *id)
{
  const SbxProbeInfo *info = sbx_probe_catalogue_find (id);

  return info != NULL ? info->host_check : NULL;
}

/* Probes whose verdict also rests on a host-side check made after both runs:
 * they are reported at the end. */
static gboolean
has_host_check (const char *id)
{
  return host_check_name (id) != NULL || sbx_plan_check_name (id) != NULL;
}

static SbxProbeRecord *
find_probe (Run *run, const char *id, guint *index)
{
  for (guint i = 0; i < run->probes->len; i++)
    {
      SbxProbeRecord *r = g_ptr_array_index (run->probes, i);

      if (strcmp (r->id, id) == 0)
        {
          *index = i;
          return r;
        }
    }
  return NULL;
}

static void
report (Run *run, guint index)
{
  SbxProbeRecord *r = g_ptr_array_index (run->probes, index);
  SbxProbeReport rep;

  if (run->reported[index])
    return;
  run->reported[index] = TRUE;
  sbx_probe_record_decide (r, &run->verdict_ctx);
  if (run->att->progress != NULL)
    {
      sbx_probe_record_to_report (r, &rep);
      run->att->progress (&rep, run->att->progress_data);
    }
}

/* One stdout line of a run: an ATTEMPT or RESULT record (probes/README.md). */
static void
handle_line (Run *run, SbxSide side, const char *line)
{
  Child *c = &run->child[side];
  g_auto(GStrv) f = g_strsplit (line, "\t", 6);
  guint n = g_strv_length (f), index;
  SbxProbeRecord *r;
  SbxProbeResult result;
  gint64 now = g_get_monotonic_time ();

  if (n >= 2 && (r = find_probe (run, f[1], &index)) != NULL)
    {
      SbxProbeSideRecord *sr = &r->side[side];

      if (strcmp (f[0], "ATTEMPT") == 0 && n == 6 && sr->result == SBX_PROBE_MISSING)
        {
          SbxAttempt *a = g_new0 (SbxAttempt, 1);

          a->call = g_strdup (f[2]);
          a->args = g_strdup (f[3]);
          a->ret = g_strdup (f[4]);
          a->errno_name = g_strdup (f[5]);
          g_ptr_array_add (sr->attempts, a);
          c->records++;
          return;
        }
      if (strcmp (f[0], "RESULT") == 0 && n >= 3 && sr->result == SBX_PROBE_MISSING
          && sbx_probe_result_from_string (f[2], &result) && result != SBX_PROBE_MISSING)
        {
          sr->result = result;
          sr->summary = n >= 4 ? g_strjoinv ("\t", f + 3) : g_strdup ("");
          sr->duration_ms = (now - (c->last_record_us != 0 ? c->last_record_us : run->started_us)) / 1000;
          c->last_record_us = now;
          c->records++;
          if (side == SBX_SIDE_SANDBOX)
            r->duration_ms = sr->duration_ms;
          if (r->side[SBX_SIDE_SANDBOX].result != SBX_PROBE_MISSING
              && r->side[SBX_SIDE_CONTROL].result != SBX_PROBE_MISSING && !has_host_check (r->id))
            report (run, index);
          return;
        }
    }
  c->unparsed++;
}

/* Reads what is there; FALSE at end of file. */
static gboolean
read_stdout (Run *run, SbxSide side)
{
  Child *c = &run->child[side];
  char buf[8192];
  ssize_t n = read (c->out_fd, buf, sizeof buf);
  char *nl;

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return TRUE;
  if (n <= 0)
    {
      if (c->line->len > 0)
        handle_line (run, side, c->line->str);
      g_string_truncate (c->line, 0);
      return FALSE;
    }
  g_string_append_len (c->line, buf, n);
  while ((nl = memchr (c->line->str, '\n', c->line->len)) != NULL)
    {
      *nl = '\0';
      handle_line (run, side, c->line->str);
      g_string_erase (c->line, 0, nl - c->line->str + 1);
    }
  return TRUE;
}

static gboolean
read_stderr (Child *c)
{
  char buf[4096];
  ssize_t n = read (c->err_fd, buf, sizeof buf);

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return TRUE;
  if (n <= 0)
    return FALSE;
  if (c->err->len < STDERR_KEEP)
    g_string_append_len (c->err, buf, MIN ((gsize) n, STDERR_KEEP - c->err->len));
  else
    c->err_truncated = TRUE;
  return TRUE;
}

/* A decoy fd is readable: count, and answer like the probes expect
 * (TCP and UDP echo what arrives; Unix listeners just accept and close). */
static void
serve_decoy (Run *run, SbxSide side, int fd)
{
  SbxDecoys *d = &run->scratch->decoys[side];

  if (fd == d->udp_fd)
    {
      char buf[512];
      struct sockaddr_storage from;
      socklen_t len = sizeof from;
      ssize_t n;

      while ((n = recvfrom (fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *) &from, &len)) >= 0)
        {
          d->udp_datagrams++;
          sendto (fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *) &from, len);
          len = sizeof from;
        }
      return;
    }
  for (;;)
    {
      int conn = accept4 (fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

      if (conn < 0)
        return;
      if (fd == d->tcp_fd)
        {
          Conn cn = { conn, side };

          d->tcp_connections++;
          g_array_append_val (run->conns, cn);
        }
      else
        {
          if (fd == d->unix_fd)
            d->unix_connections++;
          else
            d->abstract_connections++;
          close (conn);
        }
    }
}

/* An accepted TCP connection is readable: echo; FALSE when it is done. */
static gboolean
serve_conn (int fd)
{
  char buf[512];
  ssize_t n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return TRUE;
  if (n <= 0)
    return FALSE;
  send (fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
  return TRUE;
}

/* Serves both runs until both have closed stdout and stderr, the deadline
 * passes or the attestation is cancelled.  FALSE (with @error) for the last
 * two. */
static gboolean
serve (Run *run, gint64 deadline_us, GError **error)
{
  enum { MAX_FDS = 64 };

  for (;;)
    {
      struct pollfd pfd[MAX_FDS];
      int kind[MAX_FDS];  /* 0 wake, 1 stdout, 2 stderr, 3 decoy, 4 conn */
      int side_of[MAX_FDS];
      int n = 0, timeout_ms, r;
      gboolean open_streams = FALSE;
      gint64 now = g_get_monotonic_time ();

      if (run->att->cancelled)
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_ATTEST, "attestation cancelled");
          return FALSE;
        }
      if (now >= deadline_us)
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_ATTEST,
                       "attest: the probe runs did not finish within %d s", RUN_DEADLINE_SECONDS);
          return FALSE;
        }
#define ADD(f, k, s) (pfd[n].fd = (f), pfd[n].events = POLLIN, pfd[n].revents = 0, kind[n] = (k), side_of[n] = (s), n++)
      if (run->att->wake[0] >= 0)
        ADD (run->att->wake[0], 0, 0);
      if (run->sandbox != NULL && sbx_sandbox_get_gate_fd (run->sandbox) >= 0)
        ADD (sbx_sandbox_get_gate_fd (run->sandbox), 5, 0);
      for (int s = 0; s < SBX_N_SIDES; s++)
        {
          Child *c = &run->child[s];
          SbxDecoys *d = &run->scratch->decoys[s];

          if (c->out_fd >= 0)
            ADD (c->out_fd, 1, s), open_streams = TRUE;
          if (c->err_fd >= 0)
            ADD (c->err_fd, 2, s), open_streams = TRUE;
          ADD (d->tcp_fd, 3, s);
          ADD (d->udp_fd, 3, s);
          ADD (d->unix_fd, 3, s);
          ADD (d->abstract_fd, 3, s);
        }
      for (guint i = 0; i < run->conns->len && n < MAX_FDS; i++)
        ADD (g_array_index (run->conns, Conn, i).fd, 4, g_array_index (run->conns, Conn, i).side);
#undef ADD
      if (!open_streams)
        return TRUE;

      timeout_ms = (int) MIN ((deadline_us - now) / 1000 + 1, 1000);
      r = poll (pfd, n, timeout_ms);
      if (r < 0 && errno != EINTR)
        {
          sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: poll");
          return FALSE;
        }
      for (int i = 0; r > 0 && i < n; i++)
        {
          Child *c = &run->child[side_of[i]];

          if (pfd[i].revents == 0)
            continue;
          switch (kind[i])
            {
            case 0:
              {
                char buf[16];

                while (read (pfd[i].fd, buf, sizeof buf) > 0)
                  ;
                break;
              }
            case 1:
              if (!read_stdout (run, side_of[i]))
                {
                  close (c->out_fd);
                  c->out_fd = -1;
                }
              break;
            case 2:
              if (!read_stderr (c))
                {
                  close (c->err_fd);
                  c->err_fd = -1;
                }
              break;
            case 3:
              serve_decoy (run, side_of[i], pfd[i].fd);
              break;
            case 5:
              /* the probes' exec attempts wait for the gate's answer */
              if (!sbx_sandbox_dispatch (run->sandbox, error))
                return FALSE;
              break;
            case 4:
              if (!serve_conn (pfd[i].fd))
                for (guint j = 0; j < run->conns->len; j++)
                  if (g_array_index (run->conns, Conn, j).fd == pfd[i].fd)
                    {
                      close (pfd[i].fd);
                      g_array_remove_index_fast (run->conns, j);
                      break;
                    }
              break;
            }
        }
    }
}

/* ------------------------------------------------------------ host checks */

static void
host_checks (Run *run, const char *before, const char *after)
{
  SbxScratch *s = run->scratch;
  guint index;
  SbxProbeRecord *r;
  const SbxDecoys *ds = &s->decoys[SBX_SIDE_SANDBOX];

  if ((r = find_probe (run, "PR-FS-RO-IN", &index)) != NULL)
    {
      g_autofree char *detail = NULL;
      gboolean same = before != NULL && after != NULL && strcmp (before, after) == 0;

      if (same)
        detail = g_strdup_printf ("%s: every top-level entry unchanged (type, mode, size, mtime, sha256)", s->in);
      else if (before != NULL && after != NULL)
        {
          g_autofree char *diff = sbx_snapshot_first_difference (before, after);

          detail = g_strdup_printf ("%s changed: %s", s->in, diff);
        }
      else
        detail = g_strdup_printf ("%s could not be listed", s->in);
      sbx_probe_record_add_host_check (r, host_check_name ("PR-FS-RO-IN"), same, detail);
    }
  if ((r = find_probe (run, "PR-FS-OUT-OK", &index)) != NULL)
    {
      g_autofree char *path = g_build_filename (s->out, "sbx-nonce.txt", NULL);
      g_autofree char *content = NULL;
      g_autofree char *want = g_strdup_printf ("%s\n", s->nonce);
      g_autofree char *detail = NULL;
      gboolean ok = g_file_get_contents (path, &content, NULL, NULL) && strcmp (content, want) == 0;

      detail = g_strdup_printf ("%s %s", path, ok ? "holds the run's nonce" : content != NULL ? "holds something else" : "is absent");
      sbx_probe_record_add_host_check (r, host_check_name ("PR-FS-OUT-OK"), ok, detail);
      /* in a user's folder, take back what this run wrote */
      if (ok && s->out_is_user)
        unlink (path);
    }
  if ((r = find_probe (run, "PR-NET-2", &index)) != NULL)
    {
      g_autofree char *detail = g_strdup_printf ("TCP 127.0.0.1:%u: %u connections, UDP 127.0.0.1:%u: %u datagrams",
                                                 ds->tcp_port, ds->tcp_connections, ds->udp_port, ds->udp_datagrams);

      sbx_probe_record_add_host_check (r, host_check_name ("PR-NET-2"),
                                       ds->tcp_connections == 0 && ds->udp_datagrams == 0, detail);
    }
  if ((r = find_probe (run, "PR-SOCK-DOCKER", &index)) != NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%s: %u connections, @%s: %u connections", ds->unix_path,
                                                 ds->unix_connections, ds->abstract_name, ds->abstract_connections);

      sbx_probe_record_add_host_check (r, host_check_name ("PR-SOCK-DOCKER"),
                                       ds->unix_connections == 0 && ds->abstract_connections == 0, detail);
    }
}

/* ------------------------------------------------------- the plan check */

/* The run's salt for the variables' digests: 128 random bits, hex. */
static char *
random_salt (void)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; i < 4; i++)
    g_string_append_printf (out, "%08x", g_random_int ());
  return g_string_free (out, FALSE);
}

/* Appends what the sandbox run needs of the plan to its expectations file:
 * the salt, shm= when a mount is planned at /dev/shm, and the plan itself
 * as "#plan" lines for whoever reads the file.  The file is already bound
 * into the sandbox by its inode, so it is appended to, never replaced. */
static gboolean
append_plan (const char *path, const SbxPlan *plan, const char *salt, GError **error)
{
  g_autoptr(GPtrArray) lines = sbx_plan_to_lines (plan);
  GString *t = g_string_new (NULL);
  gboolean shm = FALSE;
  int fd;
  gssize w;
  gboolean ok;

  for (guint i = 0; i < plan->mounts->len; i++)
    shm = shm || strcmp (((SbxPlanMount *) plan->mounts->pdata[i])->point, "/dev/shm") == 0;
  g_string_append_printf (t, "env_salt=%s\n", salt);
  /* the uid the kernel sees for the job on the host (never 0 for root's) */
  g_string_append_printf (t, "host_uid=%" G_GINT64_FORMAT "\n", plan->job_uid);
  if (shm)
    g_string_append (t, "shm=/dev/shm\n");
  g_string_append (t, "# the plan sbx attest compares the observations with (digests, never values)\n");
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (t, "#plan %s\n", (char *) lines->pdata[i]);
  fd = open (path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
  w = fd >= 0 ? write (fd, t->str, t->len) : -1;
  ok = w == (gssize) t->len;
  if (!ok)
    sbx_attest_errno_error (error, SBX_ERROR_IO, w >= 0 ? EIO : errno, "attest: %s", path);
  if (fd >= 0)
    close (fd);
  g_string_free (t, TRUE);
  return ok;
}

static GPtrArray *
seen_of (Run *run, SbxSide side)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < run->probes->len; i++)
    {
      SbxProbeRecord *r = g_ptr_array_index (run->probes, i);
      GPtrArray *attempts = r->side[side].attempts;

      for (guint k = 0; attempts != NULL && k < attempts->len; k++)
        {
          const SbxAttempt *a = g_ptr_array_index (attempts, k);
          SbxPlanSeen *seen = g_new0 (SbxPlanSeen, 1);

          *seen = (SbxPlanSeen) { r->id, a->call, a->args, a->ret, a->errno_name };
          g_ptr_array_add (out, seen);
        }
    }
  return out;
}

/* The comparison of the observed sandbox with the plan, recorded as a host
 * check of every probe it concerns (a failed one makes the probe FAIL, with
 * the differences as its detail). */
static void
plan_checks (Run *run, const SbxPlan *plan, SbxSandbox *sandbox, SbxProfile *profile, guint *n_unattributed)
{
  g_autoptr(GPtrArray) sandbox_seen = seen_of (run, SBX_SIDE_SANDBOX);
  g_autoptr(GPtrArray) control_seen = seen_of (run, SBX_SIDE_CONTROL);
  SbxExecLock lock = sbx_profile_get_exec_lock (profile);
  gboolean locked = lock != SBX_EXEC_LOCK_SELF && lock != SBX_EXEC_LOCK_OFF;
  SbxPlanProgram programs[2];
  SbxPlanSeccomp sc = { programs, 0, sbx_profile_get_errno (profile), (guint32) seccomp_arch_native () };
  g_autoptr(GPtrArray) diffs = NULL;

  /* newest first: the lock (installed in the job) over the launch program */
  for (int st = locked ? SBX_STAGE_LOCK : SBX_STAGE_LAUNCH; st >= SBX_STAGE_LAUNCH; st--)
    {
      SbxProgram *p = sbx_sandbox_get_program (sandbox, st);

      if (p == NULL)
        continue;
      programs[sc.n_programs].bytes = sbx_program_get_bytes (p, &programs[sc.n_programs].length);
      programs[sc.n_programs].name = st == SBX_STAGE_LOCK ? "lock" : "launch";
      sc.n_programs++;
    }
  diffs = sbx_plan_compare (plan, &sc, plan->n_argv_filters + (locked ? 1 : 0), sandbox_seen, control_seen,
                            n_unattributed);
  for (guint i = 0; i < run->probes->len; i++)
    {
      SbxProbeRecord *r = g_ptr_array_index (run->probes, i);
      const char *check = sbx_plan_check_name (r->id);
      GString *detail;
      guint n = 0;

      if (check == NULL)
        continue;
      detail = g_string_new (NULL);
      for (guint k = 0; k < diffs->len; k++)
        {
          const SbxPlanDiff *d = diffs->pdata[k];

          if (strcmp (d->probe, r->id) != 0)
            continue;
          if (n++ < 24)
            g_string_append_printf (detail, "%s%s", detail->len > 0 ? "; " : "", d->text);
        }
      if (n > 24)
        g_string_append_printf (detail, "; … and %u more", n - 24);
      if (n == 0 && strcmp (r->id, "PR-SECCOMP-1") == 0)
        g_string_append_printf (detail, "every swept syscall number answered as the programs say "
                                "(%u answered like the unfiltered kernel: not attributable); "
                                "filter count as planned", *n_unattributed);
      else if (n == 0)
        g_string_append (detail, "as planned");
      sbx_probe_record_add_host_check (r, check, n == 0, detail->str);
      g_string_free (detail, TRUE);
    }
}

/* ------------------------------------------------------------- the bundle */

/* run.job: who the plan makes the job, for the verifier to judge the
 * identity and limit readings again (probes/EVIDENCE.md). */
static JsonNode *
job_object (const SbxPlan *plan)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (o, "host_uid", plan->job_uid);
  json_object_set_int_member (o, "host_gid", plan->job_gid);
  json_object_set_int_member (o, "uid", sbx_plan_id_in (plan, FALSE));
  json_object_set_int_member (o, "gid", sbx_plan_id_in (plan, TRUE));
  json_object_set_boolean_member (o, "userns_nested", plan->userns_nested);
  json_node_take_object (node, o);
  return node;
}

/* A run's decoys and what reached them (run.sandbox.decoys). */
static JsonNode *
decoys_node (const SbxDecoys *d)
{
  const struct {
    const char *name;
    gint64 value;
  } numbers[] = {
    { "tcp_port", d->tcp_port }, { "tcp_connections", d->tcp_connections },
    { "udp_port", d->udp_port }, { "udp_datagrams", d->udp_datagrams },
    { "unix_connections", d->unix_connections }, { "abstract_connections", d->abstract_connections },
  };
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    json_object_set_int_member (o, numbers[i].name, numbers[i].value);
  json_object_set_string_member (o, "unix_socket", d->unix_path);
  json_object_set_string_member (o, "abstract_socket", d->abstract_name);
  json_node_take_object (node, o);
  return node;
}

/* Opens member @name, an object {"path": @path, "from": "user" or
 * "scratch"}, for the caller to add to and end. */
static void
begin_folder (JsonBuilder *b, const char *name, const char *path, gboolean is_user)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, is_user ? "user" : "scratch");
}

static JsonNode *
run_object (Run *run, const char *helper_dir, gint64 duration_ms)
{
  SbxScratch *s = run->scratch;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  static const char *const side_names[] = { "sandbox", "control" };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scratch");
  json_builder_add_string_value (b, s->root);
  json_builder_set_member_name (b, "helper_dir");
  json_builder_add_string_value (b, helper_dir);
  begin_folder (b, "input", s->in, s->in_is_user);
  json_builder_set_member_name (b, "fixtures");
  json_builder_begin_array (b);
  for (gsize i = 0; s->fixtures[i] != NULL; i++)
    json_builder_add_string_value (b, s->fixtures[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  begin_folder (b, "output", s->out, s->out_is_user);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "nonce");
  json_builder_add_string_value (b, s->nonce);
  json_builder_set_member_name (b, "canary_path");
  json_builder_add_string_value (b, s->canary_path);
  json_builder_set_member_name (b, "canary_env");
  json_builder_add_string_value (b, CANARY_ENV);
  json_builder_set_member_name (b, "secret_env");
  json_builder_begin_array (b);
  for (gsize i = 0; secret_env_names[i] != NULL; i++)
    json_builder_add_string_value (b, secret_env_names[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "planted_symlink");
  json_builder_add_string_value (b, s->in_is_user ? "" : s->planted_symlink);
  json_builder_set_member_name (b, "host");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  for (gsize i = 0; i < G_N_ELEMENTS (ns_names); i++)
    {
      g_autofree char *name = g_strdup_printf ("ns_%s", ns_names[i]);

      json_builder_set_member_name (b, name);
      json_builder_add_int_value (b, ns_inode (ns_names[i]));
    }
  json_builder_end_object (b);
  for (int side = 0; side < SBX_N_SIDES; side++)
    {
      const Child *c = &run->child[side];
      const SbxDecoys *d = &s->decoys[side];
      g_autofree char *status = status_words (c);

      json_builder_set_member_name (b, side_names[side]);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "exit");
      json_builder_add_string_value (b, status);
      json_builder_set_member_name (b, "records");
      json_builder_add_int_value (b, c->records);
      json_builder_set_member_name (b, "unparsed_lines");
      json_builder_add_int_value (b, c->unparsed);
      json_builder_set_member_name (b, "stderr");
      if (g_utf8_validate (c->err->str, c->err->len, NULL))
        json_builder_add_string_value (b, c->err->str);
      else
        {
          g_autofree char *valid = g_utf8_make_valid (c->err->str, c->err->len);

          json_builder_add_string_value (b, valid);
        }
      json_builder_set_member_name (b, "stderr_truncated");
      json_builder_add_boolean_value (b, c->err_truncated);
      json_builder_set_member_name (b, "decoys");
      json_builder_add_value (b, decoys_node (d));
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_int_value (b, duration_ms);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* -------------------------------------------------------------------- run */

/* The profile the runs use: a copy of the caller's with its input and
 * output pointed at the folders of this run. */
static SbxProfile *
job_profile (SbxProfile *profile, SbxScratch *s, GError **error)
{
  g_autoptr(SbxProfile) job = sbx_profile_copy (profile);

  /* clear first, so that the overlap check only sees the new pair */
  if (!sbx_profile_set_input (job, NULL, error) || !sbx_profile_set_output (job, NULL, error)
      || !sbx_profile_set_input (job, s->in, error) || !sbx_profile_set_output (job, s->out, error))
    return NULL;
  return g_steal_pointer (&job);
}

static gboolean
attest_with (SbxAttestation *att, Run *run, const char *helper_dir, const char *const *overrides,
             GError **error)
{
  SbxProfile *profile = run->job;
  SbxScratch *s = run->scratch;
  g_autofree char *probe = g_build_filename (helper_dir, SBX_PROBE_NAME, NULL);
  const char *const command[] = { SBX_SANDBOX_HELPER_DIR "/" SBX_PROBE_NAME, "--expect",
                                  SBX_SANDBOX_HELPER_DIR "/expect", NULL };
  g_autoptr(SbxSandbox) sandbox = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) snap_error = NULL;
  g_autofree char *salt = NULL;
  g_autoptr(SbxPlanFacts) facts = NULL;
  g_autoptr(SbxPlan) plan = NULL;
  guint n_unattributed = 0;
  SbxAttestRecord *record;
  const char *const *argv;
  gint64 deadline_us;
  guint wall;

  if (access (probe, X_OK) != 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_ATTEST, errno,
                              "attest: the probe program %s is not there (set SBX_HELPER_DIR?)", probe);
      return FALSE;
    }
  if (!write_expectations (profile, s, SBX_SIDE_SANDBOX, error)
      || !write_expectations (profile, s, SBX_SIDE_CONTROL, error))
    return FALSE;

  sandbox = sbx_sandbox_new (profile, command, error);
  if (sandbox == NULL)
    return FALSE;
  sbx_sandbox_set_bwrap (sandbox, att->bwrap);
  sbx_sandbox_set_helper_dir (sandbox, helper_dir);
  sbx_sandbox_set_environment (sandbox, (const char *const *) run->envp);
  if (!sbx_sandbox_add_ro_file (sandbox, probe, SBX_PROBE_NAME, error)
      || !sbx_sandbox_add_ro_file (sandbox, s->expect_path[SBX_SIDE_SANDBOX], "expect", error)
      || !sbx_sandbox_prepare (sandbox, SBX_PREPARE_NONE, error))
    return FALSE;
  argv = sbx_sandbox_get_argv (sandbox);

  /* the plan: the argv as bwrap carries it out (its --args memfd read
   * back), with the host's facts */
  salt = random_salt ();
  facts = sbx_plan_facts_collect (argv);
  plan = sbx_plan_new (argv, facts, salt);
  {
    guint32 job_uid, job_gid;

    sbx_sandbox_get_job_ids (sandbox, &job_uid, &job_gid);
    plan->job_uid = job_uid;
    plan->job_gid = job_gid;
    run->verdict_ctx.host_uid[SBX_SIDE_SANDBOX] = job_uid;
  }
  if (!append_plan (s->expect_path[SBX_SIDE_SANDBOX], plan, salt, error))
    return FALSE;

  before = sbx_dir_snapshot (s->in, 256, &snap_error);
  if (before == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&snap_error));
      return FALSE;
    }

  record = sbx_attest_record_new ();
  record->started = sbx_utc_now_iso8601 ();
  run->started_us = g_get_monotonic_time ();
  wall = sbx_profile_get_wall_seconds (profile);
  deadline_us = run->started_us + (gint64) (wall > 0 && wall < RUN_DEADLINE_SECONDS ? wall : RUN_DEADLINE_SECONDS) * G_USEC_PER_SEC;

  run->sandbox = sandbox;
  if (!spawn_sandbox (sandbox, &run->child[SBX_SIDE_SANDBOX], error)
      || !spawn_control (probe, s->expect_path[SBX_SIDE_CONTROL], s->tmp_control, run->envp,
                            &run->child[SBX_SIDE_CONTROL], error))
    {
      sbx_attest_record_free (record);
      return FALSE;
    }
  /* while they start: what only takes a moment here */
  record->venue = sbx_venue_collect (argv != NULL ? argv[0] : NULL);

  if (!serve (run, deadline_us, error))
    {
      sbx_attest_record_free (record);
      return FALSE;
    }
  for (int side = 0; side < SBX_N_SIDES; side++)
    child_reap (&run->child[side]);

  /* a run that printed nothing at all never started: that is a setup
   * failure, not evidence */
  for (int side = 0; side < SBX_N_SIDES; side++)
    {
      Child *c = &run->child[side];

      if (c->records == 0)
        {
          g_autofree char *status = status_words (c);

          g_set_error (error, SBX_ERROR, SBX_ERROR_ATTEST, "attest: the %s run reported nothing (%s)%s%s",
                       side == SBX_SIDE_SANDBOX ? "sandbox" : "control", status,
                       c->err->len > 0 ? ": " : "", g_strstrip (c->err->str));
          sbx_attest_record_free (record);
          return FALSE;
        }
    }

  after = sbx_dir_snapshot (s->in, 256, NULL);
  host_checks (run, before, after);
  plan_checks (run, plan, sandbox, profile, &n_unattributed);
  for (guint i = 0; i < run->probes->len; i++)
    report (run, i);

  record->finished = sbx_utc_now_iso8601 ();
  record->tool_name = g_strdup (att->tool_name);
  record->tool_version = g_strdup (att->tool_version);
  record->profile_name = g_strdup (sbx_profile_get_name (profile));
  record->profile_source = g_strdup (sbx_profile_get_source (profile));
  record->profile_canonical = g_strdup (att->canonical);
  record->profile_sha256 = g_strdup (att->sha256);
  record->profile_overrides = sbx_profile_dup_overrides (profile);
  record->required = g_strdupv ((GStrv) sbx_profile_get_required_probes (profile));
  record->exec_lock = g_strdup (sbx_exec_lock_to_string (sbx_profile_get_exec_lock (profile)));
  for (int st = SBX_STAGE_LAUNCH; st <= SBX_STAGE_LOCK; st++)
    {
      SbxProgram *program = sbx_sandbox_get_program (sandbox, st);
      char *sha = program != NULL ? sbx_program_dup_sha256 (program) : g_strdup ("");
      gint64 insns = program != NULL ? (gint64) sbx_program_get_n_instructions (program) : 0;
      gsize len = 0;
      const guint8 *bytes = program != NULL ? sbx_program_get_bytes (program, &len) : NULL;
      char *bpf = g_base64_encode (bytes, len);

      if (st == SBX_STAGE_LAUNCH)
        record->launch_sha256 = sha, record->launch_instructions = insns, record->launch_bpf_base64 = bpf;
      else
        record->lock_sha256 = sha, record->lock_instructions = insns, record->lock_bpf_base64 = bpf;
    }
  /* bwrap's options spelled out, a kept variable's value redacted: the
   * bundle never carries it (its digest in the plan is salted) */
  record->argv = g_strdupv ((GStrv) sbx_sandbox_get_redacted_argv (sandbox));
  record->run = run_object (run, helper_dir, (g_get_monotonic_time () - run->started_us) / 1000);
  {
    g_autoptr(GPtrArray) lines = sbx_plan_to_lines (plan);
    JsonArray *a = json_array_new ();

    for (guint i = 0; i < lines->len; i++)
      json_array_add_string_element (a, lines->pdata[i]);
    json_object_set_array_member (json_node_get_object (record->run), "plan", a);
    json_object_set_member (json_node_get_object (record->run), "job", job_object (plan));
    json_object_set_int_member (json_node_get_object (record->run), "syscalls_not_attributable", n_unattributed);
    json_object_set_member (json_node_get_object (record->run), "tools",
                            tools_object (helper_dir, att->bwrap, argv != NULL ? argv[0] : NULL, overrides));
  }
  record->overrides = g_strdupv ((GStrv) overrides);
  g_ptr_array_extend_and_steal (record->probes, g_steal_pointer (&run->probes));
  run->probes = g_ptr_array_new ();

  att->status = sbx_attest_status_cap (sbx_attest_status_decide (record->probes),
                                       record->overrides != NULL ? g_strv_length (record->overrides) : 0);
  if (att->evidence != NULL)
    sbx_evidence_unref (att->evidence);
  att->evidence = sbx_evidence_new_from_record (record);
  sbx_attest_record_free (record);
  return TRUE;
}

gboolean
sbx_attestation_run (SbxAttestation *att, GError **error)
{
  const char *const *required = sbx_profile_get_required_probes (att->profile);
  const char *user_in = att->input != NULL ? att->input : sbx_profile_get_input (att->profile);
  const char *user_out = att->output != NULL ? att->output : sbx_profile_get_output (att->profile);
  g_autoptr(GPtrArray) overrides = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *helper_dir = find_helper_dir (att, overrides);
  g_autofree char *in_copy = g_strdup (user_in);
  g_autofree char *out_copy = g_strdup (user_out);
  Run run;
  gboolean ok = FALSE;

  memset (&run, 0, sizeof run);
  run.att = att;
  for (int side = 0; side < SBX_N_SIDES; side++)
    child_init (&run.child[side]);
  run.conns = g_array_new (FALSE, FALSE, sizeof (Conn));
  run.probes = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_probe_record_free);
  for (guint i = 0; i < sbx_probe_catalogue_size; i++)
    {
      const SbxProbeInfo *info = &sbx_probe_catalogue[i];

      g_ptr_array_add (run.probes, sbx_probe_record_new (info->id, info->property,
                                                         required != NULL && g_strv_contains (required, info->id)));
    }
  run.reported = g_new0 (gboolean, run.probes->len + 1);

  if (att->cancelled)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_ATTEST, "attestation cancelled");
      goto out;
    }
  run.scratch = sbx_scratch_new (in_copy, out_copy, error);
  if (run.scratch == NULL)
    goto out;
  run.envp = run_environment (run.scratch->nonce);
  run.job = job_profile (att->profile, run.scratch, error);
  if (run.job == NULL)
    goto out;
  {
    /* the rules the verifier applies again, from the same facts: the
     * profile's text and the host's namespaces the bundle records */
    sbx_verdict_context_init (&run.verdict_ctx, att->canonical);
    for (gsize i = 0; i < SBX_VERDICT_N_NS; i++)
      run.verdict_ctx.host_ns[i] = ns_inode (ns_names[i]);
    run.verdict_ctx.host_uid[SBX_SIDE_CONTROL] = getuid ();
  }
  g_ptr_array_add (overrides, NULL);
  ok = attest_with (att, &run, helper_dir, (const char *const *) overrides->pdata, error);

out:
  for (int side = 0; side < SBX_N_SIDES; side++)
    {
      /* sbx-probe's probe children die with it (PR_SET_PDEATHSIG), so
       * killing the dispatcher leaves nothing behind. */
      child_kill_and_reap (&run.child[side]);
      child_clear (&run.child[side]);
    }
  for (guint i = 0; i < run.conns->len; i++)
    close (g_array_index (run.conns, Conn, i).fd);
  g_array_unref (run.conns);
  if (run.job != NULL)
    sbx_profile_unref (run.job);
  g_strfreev (run.envp);
  sbx_scratch_free (run.scratch);
  g_ptr_array_unref (run.probes);
  g_free (run.reported);
  sbx_verdict_context_clear (&run.verdict_ctx);
  return ok;
}
