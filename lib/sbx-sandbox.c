/* sbx-sandbox.c — SbxSandbox: a profile, a command, and everything opened
 * to start them under bwrap.
 *
 * sbx_sandbox_prepare() does all the checking and opening that can fail in
 * a way the user can act on, before anything is started: it finds bwrap,
 * resolves the command in the sandbox's view (sbx-elf.c), opens every mount
 * source without following symlinks (sbx-host.c), writes the programs into
 * sealed memfds, reserves the fd of the /tmp tmpfs and builds the argv
 * (sbx-bwrap.c).  A dry run does the same but puts /dev/null placeholders
 * where the memfds and the tmpfs go: fds are allocated lowest-first, so the
 * same sequence of opens gives the same numbers, and the argv and the fd
 * description of a dry run are those of a real run from the same state.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

SbxSandbox *
sbx_sandbox_new (SbxProfile *profile, const char *const *command, GError **error)
{
  g_autoptr(SbxSandbox) sandbox = NULL;
  gsize total;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (command == NULL || command[0] == NULL || command[0][0] == '\0')
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_FOUND, "no command given");
      return NULL;
    }
  sandbox = g_atomic_rc_box_new0 (SbxSandbox);
  sandbox->profile = sbx_profile_ref (profile);
  sandbox->command = g_strdupv ((char **) command);
  sandbox->extra_files = g_ptr_array_new_with_free_func (sbx_mount_free);
  sandbox->owned_fds = g_array_new (FALSE, FALSE, sizeof (int));
  sandbox->inherit_fds = g_array_new (FALSE, FALSE, sizeof (int));
  sandbox->runtime.launch_fd = sandbox->runtime.gate_fd = sandbox->runtime.tmp_fd = -1;
  sandbox->runtime.shm_fd = sandbox->runtime.passwd_fd = sandbox->runtime.group_fd = -1;
  sandbox->args_fd = -1;
  sandbox->stdio[0] = sandbox->stdio[1] = sandbox->stdio[2] = -1;
  sandbox->pidfd = -1;

  sandbox->launch = sbx_program_new (profile, SBX_STAGE_LAUNCH, error);
  if (sandbox->launch == NULL)
    return NULL;
  /* exec-lock=on: the gate program; otherwise the lock program is what a
   * job under exec-lock=self installs (and what --lock-bpf shows). */
  sandbox->lock = sbx_program_new (profile, profile->exec_lock == SBX_EXEC_LOCK_ON
                                   ? SBX_STAGE_GATE : SBX_STAGE_LOCK, error);
  if (sandbox->lock == NULL)
    return NULL;

  /* The kernel caps the instructions of all filters a process carries. */
  total = sbx_program_get_n_instructions (sandbox->launch);
  if (profile->exec_lock != SBX_EXEC_LOCK_OFF)
    total += sbx_program_get_n_instructions (sandbox->lock);
  if (total > SBX_PROGRAMS_MAX_TOTAL_INSNS)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_SECCOMP,
                   "the launch and lock programs have %zu instructions together; the kernel takes "
                   "at most %d: deny fewer syscalls by argument", total, SBX_PROGRAMS_MAX_TOTAL_INSNS);
      return NULL;
    }
  return g_steal_pointer (&sandbox);
}

SbxSandbox *
sbx_sandbox_ref (SbxSandbox *sandbox)
{
  g_return_val_if_fail (sandbox != NULL, NULL);
  return g_atomic_rc_box_acquire (sandbox);
}

/* Releases what @data (a SbxSandbox) owns; the box itself is g_atomic_rc_box's. */
static void
sandbox_clear (gpointer data)
{
  SbxSandbox *sandbox = data;

  if (sandbox->pidfd >= 0)
    close (sandbox->pidfd);
  g_clear_pointer (&sandbox->gate, sbx_gate_free);
  sbx_program_unref (sandbox->gate_program);
  for (guint i = 0; i < sandbox->owned_fds->len; i++)
    close (g_array_index (sandbox->owned_fds, int, i));
  g_array_unref (sandbox->owned_fds);
  g_array_unref (sandbox->inherit_fds);
  g_clear_pointer (&sandbox->runtime.mounts, g_ptr_array_unref);
  g_clear_pointer (&sandbox->runtime.symlinks, g_ptr_array_unref);
  g_clear_pointer (&sandbox->argv, g_ptr_array_unref);
  g_clear_pointer (&sandbox->redacted_argv, g_ptr_array_unref);
  g_clear_pointer (&sandbox->steps, g_array_unref);
  g_strfreev (sandbox->envp);
  g_strfreev (sandbox->resolved_command);
  g_free (sandbox->command_host_path);
  g_free (sandbox->tmp_point);
  g_free (sandbox->tmp_dir);
  g_free (sandbox->shm_dir);
  g_clear_pointer (&sandbox->binds, g_array_unref);
  g_clear_pointer (&sandbox->proc_ro, g_ptr_array_unref);
  g_clear_pointer (&sandbox->proc_masked, g_ptr_array_unref);
  sbx_bwrap_info_clear (&sandbox->bwrap);
  g_ptr_array_unref (sandbox->extra_files);
  g_free (sandbox->bwrap_requested);
  g_free (sandbox->helper_dir);
  g_strfreev (sandbox->host_env);
  g_strfreev (sandbox->command);
  sbx_program_unref (sandbox->launch);
  sbx_program_unref (sandbox->lock);
  sbx_profile_unref (sandbox->profile);
}

void
sbx_sandbox_unref (SbxSandbox *sandbox)
{
  if (sandbox != NULL)
    g_atomic_rc_box_release_full (sandbox, sandbox_clear);
}

void
sbx_sandbox_set_bwrap (SbxSandbox *sandbox, const char *path)
{
  g_return_if_fail (sandbox != NULL && !sandbox->prepared);
  g_free (sandbox->bwrap_requested);
  sandbox->bwrap_requested = g_strdup (path);
}

void
sbx_sandbox_set_helper_dir (SbxSandbox *sandbox, const char *dir)
{
  g_return_if_fail (sandbox != NULL && !sandbox->prepared);
  g_free (sandbox->helper_dir);
  sandbox->helper_dir = g_strdup (dir);
}

void
sbx_sandbox_set_environment (SbxSandbox *sandbox, const char *const *envp)
{
  g_return_if_fail (sandbox != NULL && !sandbox->prepared);
  g_strfreev (sandbox->host_env);
  sandbox->host_env = g_strdupv ((GStrv) envp);
}

void
sbx_sandbox_set_stdio (SbxSandbox *sandbox, int stdin_fd, int stdout_fd, int stderr_fd)
{
  g_return_if_fail (sandbox != NULL && sandbox->pid == 0);
  sandbox->stdio[0] = stdin_fd;
  sandbox->stdio[1] = stdout_fd;
  sandbox->stdio[2] = stderr_fd;
}

void
sbx_sandbox_set_explain (SbxSandbox *sandbox, gboolean explain)
{
  g_return_if_fail (sandbox != NULL && !sandbox->prepared);
  sandbox->explain = explain;
}

void
sbx_sandbox_set_event_func (SbxSandbox *sandbox, SbxEventFunc func, gpointer user_data)
{
  g_return_if_fail (sandbox != NULL);
  sandbox->event_func = func;
  sandbox->event_data = user_data;
  if (sandbox->gate != NULL)
    sbx_gate_set_event_func (sandbox->gate, func, user_data);
}

const SbxMountRoleInfo sbx_mount_roles[SBX_N_MOUNT_ROLES] = {
  [SBX_MOUNT_SYSTEM] = { .name = "system path" },
  [SBX_MOUNT_READ_ONLY] = { .name = "read-only path" },
  [SBX_MOUNT_INPUT] = { .name = "input", .type = S_IFDIR },
  [SBX_MOUNT_OUTPUT] = { .name = "output", .type = S_IFDIR },
  [SBX_MOUNT_INIT] = { .name = "sandbox init", .missing = "the sandbox's pid 1 helper",
                       .missing_code = SBX_ERROR_BWRAP,
                       .missing_hint = "build sbx, or set SBX_HELPER_DIR" },
  [SBX_MOUNT_EXEC_HELPER] = { .name = "exec gate helper", .missing = "the exec gate's helper",
                              .missing_code = SBX_ERROR_LOCK,
                              .missing_hint = "build sbx, set SBX_HELPER_DIR, or use "
                                              "exec-lock=self or off" },
  [SBX_MOUNT_HELPER] = { .name = "helper" },
};

const SbxHelper sbx_helpers[SBX_N_HELPERS] = {
  { SBX_INIT_NAME, SBX_MOUNT_INIT, FALSE },
  { SBX_EXEC_HELPER_NAME, SBX_MOUNT_EXEC_HELPER, TRUE },
};

/* TRUE when @name is one of sbx_helpers[]. */
static gboolean
is_helper_name (const char *name)
{
  for (guint i = 0; i < SBX_N_HELPERS; i++)
    if (strcmp (name, sbx_helpers[i].name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
sbx_sandbox_add_ro_file (SbxSandbox *sandbox, const char *host_path, const char *name,
                         GError **error)
{
  SbxMount *mount;

  g_return_val_if_fail (sandbox != NULL && !sandbox->prepared, FALSE);
  g_return_val_if_fail (host_path != NULL && name != NULL, FALSE);

  if (name[0] == '\0' || strchr (name, '/') != NULL || strcmp (name, ".") == 0
      || strcmp (name, "..") == 0 || is_helper_name (name))
    {
      g_autoptr(GString) taken = g_string_new (NULL);

      for (guint i = 0; i < SBX_N_HELPERS; i++)
        g_string_append_printf (taken, "%s“%s”", i + 1 < SBX_N_HELPERS ? ", " : " or ",
                                sbx_helpers[i].name);
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH,
                   "“%s” is not a plain file name for " SBX_SANDBOX_HELPER_DIR "/ (no “/”, not "
                   "“.”, “..”%s)", name, taken->str);
      return FALSE;
    }
  for (guint i = 0; i < sandbox->extra_files->len; i++)
    if (strcmp (((SbxMount *) sandbox->extra_files->pdata[i])->dest + strlen (SBX_SANDBOX_HELPER_DIR "/"),
                name) == 0)
      {
        g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH, SBX_SANDBOX_HELPER_DIR "/%s is "
                     "already taken", name);
        return FALSE;
      }
  mount = g_new0 (SbxMount, 1);
  mount->fd = -1;
  mount->host_path = g_strdup (host_path);
  mount->dest = g_build_filename (SBX_SANDBOX_HELPER_DIR, name, NULL);
  mount->role = SBX_MOUNT_HELPER;
  g_ptr_array_add (sandbox->extra_files, mount);
  return TRUE;
}

/* ---------------------------------------------------------------- prepare */

static void
add_mount (GPtrArray *mounts, const char *host, const char *dest, gboolean writable,
           SbxMountRole role)
{
  SbxMount *m = g_new0 (SbxMount, 1);

  m->fd = -1;
  m->host_path = g_strdup (host);
  m->dest = g_strdup (dest);
  m->writable = writable;
  m->role = role;
  g_ptr_array_add (mounts, m);
}

static gboolean
is_within (const char *path, const char *dir)
{
  gsize len = strlen (dir);

  return strncmp (path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* The mounts of the argv, in the order their fds are opened. */
static GPtrArray *
plan_mounts (SbxSandbox *sandbox, const char *helper_dir)
{
  SbxProfile *profile = sandbox->profile;
  GPtrArray *mounts = g_ptr_array_new_with_free_func (sbx_mount_free);

  for (guint i = 0; i < profile->system->len; i++)
    add_mount (mounts, profile->system->pdata[i], profile->system->pdata[i], FALSE,
               SBX_MOUNT_SYSTEM);
  /* After the system paths: one may sit inside them (a venv under /usr). */
  for (guint i = 0; i < profile->read_only->len; i++)
    {
      const SbxReadOnlyPath *ro = profile->read_only->pdata[i];

      add_mount (mounts, ro->host, ro->dest, FALSE, SBX_MOUNT_READ_ONLY);
    }
  if (profile->input != NULL)
    add_mount (mounts, profile->input, SBX_SANDBOX_IN, profile->input_writable, SBX_MOUNT_INPUT);
  if (profile->output != NULL)
    add_mount (mounts, profile->output, SBX_SANDBOX_OUT, TRUE, SBX_MOUNT_OUTPUT);
  for (guint i = 0; i < SBX_N_HELPERS; i++)
    if (!sbx_helpers[i].gate_only || sandbox->gate_program != NULL)
      {
        g_autofree char *host = g_build_filename (helper_dir, sbx_helpers[i].name, NULL);
        g_autofree char *dest = g_strconcat (SBX_SANDBOX_HELPER_DIR "/", sbx_helpers[i].name, NULL);

        add_mount (mounts, host, dest, FALSE, sbx_helpers[i].role);
      }
  for (guint i = 0; i < sandbox->extra_files->len; i++)
    {
      const SbxMount *extra = sandbox->extra_files->pdata[i];

      add_mount (mounts, extra->host_path, extra->dest, FALSE, extra->role);
    }
  return mounts;
}

/* The host's merged-/usr symlinks whose target the sandbox can see. */
static GPtrArray *
plan_symlinks (GPtrArray *mounts)
{
  GPtrArray *links = sbx_host_usr_symlinks ();

  for (guint i = links->len; i > 0; i--)
    {
      const SbxSymlink *link = links->pdata[i - 1];
      g_autofree char *abs_target = g_strconcat ("/", link->target, NULL);
      gboolean visible = FALSE;

      for (guint j = 0; j < mounts->len && !visible; j++)
        visible = is_within (abs_target, ((SbxMount *) mounts->pdata[j])->dest);
      if (!visible)
        g_ptr_array_remove_index (links, i - 1);
    }
  return links;
}

/* PATH as the job will have it: [environment] set wins over keep. */
static const char *
sandbox_path_env (SbxProfile *profile)
{
  const char *value = NULL;

  for (guint i = 0; i < profile->env_keep->len; i++)
    if (strcmp (profile->env_keep->pdata[i], "PATH") == 0)
      value = g_getenv ("PATH");
  for (guint i = 0; i < profile->env_set->len; i++)
    if (g_str_has_prefix (profile->env_set->pdata[i], "PATH="))
      value = (const char *) profile->env_set->pdata[i] + 5;
  return value;
}

static void
own_fd (SbxSandbox *sandbox, int fd, gboolean inherit)
{
  g_array_append_val (sandbox->owned_fds, fd);
  if (inherit)
    g_array_append_val (sandbox->inherit_fds, fd);
}

static int
open_placeholder (GError **error)
{
  int fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    sbx_set_errno_error (error, SBX_ERROR_IO, errno, "cannot open /dev/null");
  return fd;
}

static gboolean
open_mounts (SbxSandbox *sandbox, GError **error)
{
  GPtrArray *mounts = sandbox->runtime.mounts;

  for (guint i = 0; i < mounts->len; i++)
    {
      SbxMount *m = mounts->pdata[i];
      const SbxMountRoleInfo *role = &sbx_mount_roles[m->role];
      mode_t want = role->type;

      /* only files go below the helper folder */
      if (want == 0 && g_str_has_prefix (m->dest, SBX_SANDBOX_HELPER_DIR "/"))
        want = S_IFREG;
      if (role->missing != NULL && access (m->host_path, R_OK) != 0)
        {
          sbx_set_errno_error (error, role->missing_code, errno, "%s “%s” is missing (%s)",
                               role->missing, m->host_path, role->missing_hint);
          return FALSE;
        }
      m->fd = sbx_open_no_symlinks (m->host_path, want, role->name, error);
      if (m->fd < 0)
        return FALSE;
      own_fd (sandbox, m->fd, sandbox->runtime.bind_fd_supported);
    }
  return TRUE;
}

/* The gate's socketpair (real run) or two placeholders (dry run), in
 * the same order, so the argv names the same fd numbers. */
static gboolean
open_gate (SbxSandbox *sandbox, GError **error)
{
  if (sandbox->dry_run)
    {
      int ours = open_placeholder (error);
      int theirs = ours < 0 ? -1 : open_placeholder (error);

      if (ours >= 0)
        own_fd (sandbox, ours, FALSE);
      if (theirs < 0)
        return FALSE;
      own_fd (sandbox, theirs, FALSE);
      sandbox->runtime.gate_fd = theirs;
      return TRUE;
    }
  sandbox->gate = sbx_gate_new (sandbox->profile, sandbox->explain ? SBX_COMPILE_EXPLAIN : 0, error);
  if (sandbox->gate == NULL)
    return FALSE;
  sbx_gate_set_event_func (sandbox->gate, sandbox->event_func, sandbox->event_data);
  sandbox->runtime.gate_fd = sbx_gate_get_child_fd (sandbox->gate);
  g_array_append_val (sandbox->inherit_fds, sandbox->runtime.gate_fd);
  return TRUE;
}

/* --explain: both programs notify every refusal; the exec helper installs
 * the second one (the gate under exec-lock=on, else the launch program
 * again) so that sbx holds a listener. */
static gboolean
choose_programs (SbxSandbox *sandbox, GError **error)
{
  SbxProfile *profile = sandbox->profile;
  SbxStage second = profile->exec_lock == SBX_EXEC_LOCK_ON ? SBX_STAGE_GATE : SBX_STAGE_LAUNCH;

  if (!sandbox->explain)
    {
      if (profile->exec_lock == SBX_EXEC_LOCK_ON)
        sandbox->gate_program = sbx_program_ref (sandbox->lock);
      return TRUE;
    }
  g_clear_pointer (&sandbox->launch, sbx_program_unref);
  sandbox->launch = sbx_program_new_with_flags (profile, SBX_STAGE_LAUNCH, SBX_COMPILE_EXPLAIN, error);
  if (sandbox->launch == NULL)
    return FALSE;
  sandbox->gate_program = sbx_program_new_with_flags (profile, second, SBX_COMPILE_EXPLAIN, error);
  return sandbox->gate_program != NULL;
}

static int
program_fd (SbxSandbox *sandbox, SbxProgram *program, GError **error)
{
  int fd = sandbox->dry_run ? open_placeholder (error) : sbx_program_to_memfd (program, error);

  if (fd >= 0)
    own_fd (sandbox, fd, TRUE);
  return fd;
}

/* HOME as the job will have it, from [environment] set; NULL if unset. */
static const char *
sandbox_home (SbxProfile *profile)
{
  const char *value = NULL;

  for (guint i = 0; i < profile->env_set->len; i++)
    if (g_str_has_prefix (profile->env_set->pdata[i], "HOME="))
      value = (const char *) profile->env_set->pdata[i] + 5;
  return value;
}

/* The generated /etc/passwd and /etc/group (sbx-etc.c), for the uid and
 * gid bwrap maps the job to: its caller's, which as root is the
 * sandbox's own job_id (sbx-jobuid.c). */
static gboolean
open_etc (SbxSandbox *sandbox, GError **error)
{
  SbxEtcIds ids;
  g_autofree char *passwd = NULL;
  g_autofree char *group = NULL;
  SbxRuntime *rt = &sandbox->runtime;

  sbx_etc_ids_init (&ids, sandbox->as_root ? sandbox->job_id : getuid (),
                    sandbox->as_root ? sandbox->job_id : getgid ());
  passwd = sbx_etc_passwd_text (&ids, sandbox_home (sandbox->profile));
  group = sbx_etc_group_text (&ids);
  rt->passwd_fd = sandbox->dry_run ? open_placeholder (error) : sbx_etc_memfd ("sbx-passwd", passwd, error);
  if (rt->passwd_fd < 0)
    return FALSE;
  own_fd (sandbox, rt->passwd_fd, TRUE);
  rt->group_fd = sandbox->dry_run ? open_placeholder (error) : sbx_etc_memfd ("sbx-group", group, error);
  if (rt->group_fd < 0)
    return FALSE;
  own_fd (sandbox, rt->group_fd, TRUE);
  return TRUE;
}

/* Where sbx mounts the tmpfs in its own namespace: a directory whose
 * covering hides no mount source and not bwrap itself (bwrap finds a bind
 * fd's object again through its path). */
static char *
choose_tmp_point (SbxSandbox *sandbox, GError **error)
{
  static const char *const points[] = { "/dev/shm", "/var/tmp", "/mnt", "/tmp" };

  for (gsize i = 0; i < G_N_ELEMENTS (points); i++)
    {
      struct stat st;
      gboolean hides = is_within (sandbox->bwrap.path, points[i]);

      if (lstat (points[i], &st) != 0 || !S_ISDIR (st.st_mode))
        continue;
      for (guint j = 0; j < sandbox->runtime.mounts->len && !hides; j++)
        hides = is_within (((SbxMount *) sandbox->runtime.mounts->pdata[j])->host_path, points[i]);
      if (!hides)
        return g_strdup (points[i]);
    }
  g_set_error (error, SBX_ERROR, SBX_ERROR_IO,
               "no place to mount the private /tmp: each of /dev/shm, /var/tmp, /mnt and /tmp is "
               "missing or holds a mount source or bwrap");
  return NULL;
}

/* [limits] open-files binds bwrap too: it must leave room above the
 * highest fd sbx hands bwrap, or bwrap fails before the job exists and its
 * failure looks like the job's. */
static gboolean
check_open_files (SbxSandbox *sandbox, GError **error)
{
  guint64 limit = sandbox->profile->limits[SBX_LIMIT_OPEN_FILES].value;
  int highest = 2;

  for (guint i = 0; i < sandbox->owned_fds->len; i++)
    highest = MAX (highest, g_array_index (sandbox->owned_fds, int, i));
  if (limit == RLIM_INFINITY || limit >= (guint64) highest + 1 + SBX_BWRAP_OWN_FDS)
    return TRUE;
  g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE,
               "[limits] open-files=%" G_GUINT64_FORMAT " is too small for this sandbox: sbx hands "
               "bwrap fds up to %d and bwrap needs about %d more for its set-up; set at least %d",
               limit, highest, SBX_BWRAP_OWN_FDS, highest + 1 + SBX_BWRAP_OWN_FDS);
  return FALSE;
}

/* A workdir under /in or /out is a host folder: it must exist there, or
 * bwrap's chdir fails after everything else was set up. */
static gboolean
check_workdir (SbxSandbox *sandbox, GError **error)
{
  const char *workdir = sandbox->profile->workdir;
  GPtrArray *mounts = sandbox->runtime.mounts;

  if (workdir == NULL)
    return TRUE;
  for (guint i = 0; i < mounts->len; i++)
    {
      const SbxMount *m = mounts->pdata[i];
      g_autofree char *host = NULL;
      struct stat st;

      if ((strcmp (m->dest, SBX_SANDBOX_IN) != 0 && strcmp (m->dest, SBX_SANDBOX_OUT) != 0)
          || !is_within (workdir, m->dest))
        continue;
      host = g_strconcat (m->host_path, workdir + strlen (m->dest), NULL);
      if (stat (host, &st) == 0 && S_ISDIR (st.st_mode))
        return TRUE;
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH,
                   "[filesystem] workdir=%s: %s (%s on the host) %s", workdir,
                   workdir, host, stat (host, &st) == 0 ? "is not a folder" : "does not exist");
      return FALSE;
    }
  return TRUE;
}

/* Docker's default masks over /proc, as far as this kernel has the paths
 * (bwrap aborts on a missing one). */
static const char *const proc_ro_all[] = {
  "/proc/bus", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};
static const char *const proc_masked_all[] = {
  "/proc/kcore", "/proc/keys", "/proc/sched_debug", "/proc/timer_list", NULL,
};
/* The entries of @all that exist, NULL-terminated (strings borrowed). */
static GPtrArray *
present_paths (const char *const *all)
{
  GPtrArray *present = g_ptr_array_new ();

  for (gsize i = 0; all[i] != NULL; i++)
    if (access (all[i], F_OK) == 0)
      g_ptr_array_add (present, (gpointer) all[i]);
  g_ptr_array_add (present, NULL);
  return present;
}

/* The job's environment: [environment] keep (from sbx's own), then set.
 * bwrap gets exactly this and nothing of sbx's own, so no process of the
 * sandbox can show the rest (--clearenv/--setenv say the same again for
 * the job). */
static GStrv
job_environ (SbxProfile *profile, const char *const *host_env)
{
  GStrv env = g_new0 (char *, 1);

  for (guint i = 0; i < profile->env_keep->len; i++)
    {
      const char *name = profile->env_keep->pdata[i];
      const char *value = g_environ_getenv ((char **) host_env, name);

      if (value != NULL)
        env = g_environ_setenv (env, name, value, TRUE);
    }
  for (guint i = 0; i < profile->env_set->len; i++)
    {
      const char *entry = profile->env_set->pdata[i];
      const char *eq = strchr (entry, '=');
      g_autofree char *name = g_strndup (entry, eq - entry);

      env = g_environ_setenv (env, name, eq + 1, TRUE);
    }
  return env;
}

/* Whether bwrap, running as the job's uid, finds by @path exactly the
 * object sbx opened: every folder above it belongs to root, no one else
 * may change it (no group or other write, which an ACL granting write
 * shows too), and anyone may search it.  Only root could then swap a
 * component between our open and bwrap's bind. */
static gboolean
path_fixed_for_job (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  for (;;)
    {
      struct stat st;

      if (lstat (dir, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != 0
          || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 || (st.st_mode & S_IXOTH) == 0)
        return FALSE;
      if (!sbx_path_up (dir))
        return TRUE;
    }
}

/* What the exec'ing process binds again under tmp_point (sbx-jobuid.c):
 * as root /in and /out (idmapped) and every other fd mount whose path the
 * job's uid could not walk to, or someone but root could change
 * (path_fixed_for_job(): /usr and the installed helpers need no clone),
 * otherwise /out alone (for noexec). */
static void
plan_binds (SbxSandbox *sandbox)
{
  GPtrArray *mounts = sandbox->runtime.mounts;

  sandbox->binds = g_array_new (FALSE, TRUE, sizeof (SbxLaunchBind));
  for (guint i = 0; i < mounts->len; i++)
    {
      SbxMount *m = mounts->pdata[i];
      gboolean is_out = strcmp (m->dest, SBX_SANDBOX_OUT) == 0;
      gboolean is_in = strcmp (m->dest, SBX_SANDBOX_IN) == 0;
      SbxLaunchBind b = { 0 };
      struct stat st;

      if (m->fd < 0 || (!sandbox->as_root && !is_out))
        continue;
      if (sandbox->as_root && !is_in && !is_out && path_fixed_for_job (m->host_path))
        continue;
      b.fd = m->fd;
      b.host_path = m->host_path;
      g_snprintf (b.name, sizeof b.name, "m%u", i);
      b.is_dir = sandbox->dry_run ? TRUE : fstat (m->fd, &st) == 0 && S_ISDIR (st.st_mode);
      b.is_out = is_out;
      b.idmap = is_in || is_out;
      b.attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
      if (is_out)
        b.attr |= MOUNT_ATTR_NOEXEC;
      else if (!(is_in && sandbox->profile->input_writable))
        b.attr |= MOUNT_ATTR_RDONLY;
      b.tree = -1;
      g_array_append_val (sandbox->binds, b);
      /* Without --bind-fd bwrap binds this path: the re-homed mount. */
      if (!sandbox->runtime.bind_fd_supported)
        m->bind_path = g_build_filename (sandbox->tmp_point, b.name, NULL);
    }
}

/* nr_inodes of the tmpfs: one per 4 KiB of its size, at least 4096. */
static guint64
tmp_inodes (guint64 size)
{
  return MAX (size / 4096, 4096);
}

void
sbx_sandbox_fill_launch_plan (SbxSandbox *sandbox, SbxLaunchPlan *plan)
{
  plan->tmp_point = sandbox->tmp_point;
  plan->tmp_size = sandbox->profile->tmp_size;
  plan->tmp_inodes = tmp_inodes (sandbox->profile->tmp_size);
  plan->tmp_fd = sandbox->runtime.tmp_fd;
  plan->shm_fd = sandbox->runtime.shm_fd;
  plan->job_id = sandbox->as_root ? sandbox->job_id : 0;
  plan->no_new_privs = !sandbox->bwrap.setuid;
  plan->binds = sandbox->binds != NULL ? (SbxLaunchBind *) (void *) sandbox->binds->data : NULL;
  plan->n_binds = sandbox->binds != NULL ? sandbox->binds->len : 0;
}

static void
strv_array_extend (GPtrArray *a, GPtrArray *from)
{
  for (guint i = 0; i < from->len && from->pdata[i] != NULL; i++)
    g_ptr_array_add (a, g_strdup (from->pdata[i]));
}

/* "BWRAP OPTION… -- COMMAND…", NULL-terminated.  (transfer full) */
static GPtrArray *
bwrap_argv (const char *bwrap, GPtrArray *options, GPtrArray *command)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (bwrap));
  strv_array_extend (argv, options);
  g_ptr_array_add (argv, g_strdup ("--"));
  strv_array_extend (argv, command);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* bwrap's options go NUL-separated into the sealed --args memfd, so no
 * value (a kept variable's above all) shows in bwrap's /proc/PID/cmdline;
 * the exec'd argv is "bwrap --args FD -- COMMAND…" (bwrap reads and closes
 * FD, and takes the command from its own argv only).  The redacted argv
 * is the same options spelled out, kept values replaced. */
static gboolean
build_argv (SbxSandbox *sandbox, GError **error)
{
  const int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
  SbxRuntime *rt = &sandbox->runtime;
  g_autoptr(GPtrArray) options = NULL;
  g_autoptr(GPtrArray) from_memfd = NULL;
  g_autoptr(GPtrArray) command = sbx_bwrap_build_command (rt);
  g_autoptr(GString) blob = g_string_new (NULL);

  sandbox->steps = sbx_steps_build (sandbox->profile, rt);
  options = sbx_steps_to_args (sandbox->steps, FALSE);
  for (guint i = 0; i < options->len && options->pdata[i] != NULL; i++)
    g_string_append_len (blob, options->pdata[i], strlen (options->pdata[i]) + 1);
  if (write (sandbox->args_fd, blob->str, blob->len) != (gssize) blob->len
      || fcntl (sandbox->args_fd, F_ADD_SEALS, seals) != 0
      || lseek (sandbox->args_fd, 0, SEEK_SET) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "cannot fill the memfd of bwrap's arguments");
      return FALSE;
    }

  from_memfd = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (from_memfd, g_strdup ("--args"));
  g_ptr_array_add (from_memfd, g_strdup_printf ("%d", sandbox->args_fd));
  sandbox->argv = bwrap_argv (sandbox->bwrap.path, from_memfd, command);
  return TRUE;
}

/* The argv as shown (--dry-run, evidence): built when first asked for,
 * from the steps prepare made; `sbx run` never asks, and building it cost
 * every start a second pass over the steps. */
static GPtrArray *
redacted_argv (SbxSandbox *sandbox)
{
  if (sandbox->redacted_argv == NULL && sandbox->argv != NULL)
    {
      g_autoptr(GPtrArray) shown = sbx_steps_to_args (sandbox->steps, TRUE);
      g_autoptr(GPtrArray) command = sbx_bwrap_build_command (&sandbox->runtime);

      sandbox->redacted_argv = bwrap_argv (sandbox->bwrap.path, shown, command);
    }
  return sandbox->redacted_argv;
}

/* The host uid and gid of a job root runs (sbx-sandbox-private.h): sbx's
 * pid and a per-process counter, so no two sandboxes alive at the same time
 * share an RLIMIT_NPROC count. */
static guint32
root_job_id (void)
{
  static gint counter;
  guint32 slot = (guint32) g_atomic_int_add (&counter, 1) & ((1u << SBX_ROOT_JOB_ID_SLOT_BITS) - 1);

  return SBX_ROOT_JOB_ID_BASE + (((guint32) getpid () << SBX_ROOT_JOB_ID_SLOT_BITS) | slot);
}

gboolean
sbx_sandbox_prepare (SbxSandbox *sandbox, SbxPrepareFlags flags, GError **error)
{
  SbxProfile *profile;
  SbxRuntime *rt;
  g_autofree char *helper_dir = NULL;
  g_autofree char *resolved = NULL;
  SbxView view;

  g_return_val_if_fail (sandbox != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (sandbox->prepared)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "the sandbox is already prepared");
      return FALSE;
    }
  sandbox->prepared = TRUE;
  sandbox->dry_run = (flags & SBX_PREPARE_DRY_RUN) != 0;
  sandbox->as_root = geteuid () == 0;
  if (sandbox->as_root)
    sandbox->job_id = root_job_id ();
  profile = sandbox->profile;
  rt = &sandbox->runtime;

  /* Loading looked at nothing on the host: its paths are checked here. */
  if (!sbx_profile_check_host (profile, error))
    return FALSE;
  if (!sbx_bwrap_info_find (sandbox->bwrap_requested, &sandbox->bwrap, error))
    return FALSE;
  rt->bind_fd_supported = sandbox->bwrap.bind_fd;
  if (!choose_programs (sandbox, error))
    return FALSE;

  helper_dir = sandbox->helper_dir != NULL ? g_strdup (sandbox->helper_dir) : sbx_helper_dir_find ();
  rt->mounts = plan_mounts (sandbox, helper_dir);
  rt->symlinks = plan_symlinks (rt->mounts);

  if (!check_workdir (sandbox, error))
    return FALSE;
  view.mounts = rt->mounts;
  view.symlinks = rt->symlinks;
  view.workdir = profile->workdir;
  view.path_env = sandbox_path_env (profile);
  view.exec_lock = profile->exec_lock;
  resolved = sbx_view_resolve_command (&view, sandbox->command[0], &sandbox->command_host_path,
                                       error);
  if (resolved == NULL)
    return FALSE;
  sandbox->resolved_command = g_strdupv (sandbox->command);
  g_free (sandbox->resolved_command[0]);
  sandbox->resolved_command[0] = g_steal_pointer (&resolved);
  if (profile->exec_lock == SBX_EXEC_LOCK_ON
      && !sbx_view_expand_env_script (&view, &sandbox->resolved_command, error))
    return FALSE;

  /* From here on the order of opens is the order of fd numbers. */
  if (!open_mounts (sandbox, error))
    return FALSE;
  rt->launch_fd = program_fd (sandbox, sandbox->launch, error);
  if (rt->launch_fd < 0)
    return FALSE;
  if (sandbox->gate_program != NULL && !open_gate (sandbox, error))
    return FALSE;
  rt->tmp_fd = open_placeholder (error);
  if (rt->tmp_fd < 0)
    return FALSE;
  own_fd (sandbox, rt->tmp_fd, FALSE);
  rt->shm_fd = open_placeholder (error);
  if (rt->shm_fd < 0)
    return FALSE;
  own_fd (sandbox, rt->shm_fd, FALSE);
  if (!open_etc (sandbox, error))
    return FALSE;
  /* a dry run makes the real one too: nothing runs from it, and its
   * content can be read back through the argv's --args FD */
  sandbox->args_fd = memfd_create ("sbx-bwrap-args", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (sandbox->args_fd < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "memfd_create for bwrap's arguments");
      return FALSE;
    }
  own_fd (sandbox, sandbox->args_fd, TRUE);
  if (!check_open_files (sandbox, error))
    return FALSE;
  sandbox->tmp_point = choose_tmp_point (sandbox, error);
  if (sandbox->tmp_point == NULL)
    return FALSE;
  sandbox->tmp_dir = g_build_filename (sandbox->tmp_point, "tmp", NULL);
  sandbox->shm_dir = g_build_filename (sandbox->tmp_point, "shm", NULL);
  rt->tmp_path = sandbox->tmp_dir;
  rt->shm_path = sandbox->shm_dir;
  plan_binds (sandbox);
  sandbox->proc_ro = present_paths (proc_ro_all);
  sandbox->proc_masked = present_paths (proc_masked_all);
  rt->proc_ro = (const char *const *) sandbox->proc_ro->pdata;
  rt->proc_masked = (const char *const *) sandbox->proc_masked->pdata;
  rt->host_env = (const char *const *) (sandbox->host_env != NULL ? sandbox->host_env : environ);
  rt->init = SBX_SANDBOX_HELPER_DIR "/" SBX_INIT_NAME;
  rt->command = (const char *const *) sandbox->resolved_command;

  if (!build_argv (sandbox, error))
    return FALSE;
  sandbox->envp = job_environ (profile, rt->host_env);
  return TRUE;
}

/* --------------------------------------------------------------- getters */

const char *const *
sbx_sandbox_get_argv (SbxSandbox *sandbox)
{
  g_return_val_if_fail (sandbox != NULL, NULL);
  if (sandbox->argv == NULL)
    return NULL;
  return (const char *const *) sandbox->argv->pdata;
}

void
sbx_sandbox_get_job_ids (SbxSandbox *sandbox, guint32 *uid, guint32 *gid)
{
  g_return_if_fail (sandbox != NULL);
  if (uid != NULL)
    *uid = sandbox->as_root ? sandbox->job_id : (guint32) getuid ();
  if (gid != NULL)
    *gid = sandbox->as_root ? sandbox->job_id : (guint32) getgid ();
}

const char *const *
sbx_sandbox_get_redacted_argv (SbxSandbox *sandbox)
{
  GPtrArray *argv;

  g_return_val_if_fail (sandbox != NULL, NULL);
  argv = redacted_argv (sandbox);
  return argv != NULL ? (const char *const *) argv->pdata : NULL;
}

SbxProgram *
sbx_sandbox_get_program (SbxSandbox *sandbox, SbxStage stage)
{
  g_return_val_if_fail (sandbox != NULL, NULL);
  return stage == SBX_STAGE_LOCK ? sandbox->lock : sandbox->launch;
}

/* A word the shell reads back unchanged: as is when it is plain, else in
 * single quotes. */
static void
append_quoted (GString *out, const char *arg)
{
  static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "_-./:=@%+,";

  if (arg[0] != '\0' && strspn (arg, plain) == strlen (arg))
    {
      g_string_append (out, arg);
      return;
    }
  g_string_append_c (out, '\'');
  for (const char *p = arg; *p != '\0'; p++)
    if (*p == '\'')
      g_string_append (out, "'\\''");
    else
      g_string_append_c (out, *p);
  g_string_append_c (out, '\'');
}

char *
sbx_sandbox_dup_command_line (SbxSandbox *sandbox)
{
  GPtrArray *argv;
  GString *out;

  g_return_val_if_fail (sandbox != NULL, NULL);
  argv = redacted_argv (sandbox);
  g_return_val_if_fail (argv != NULL, NULL);
  out = g_string_new (NULL);
  for (guint i = 0; i < argv->len && argv->pdata[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      append_quoted (out, argv->pdata[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
describe_program (SbxProgram *program)
{
  g_autofree char *sha = sbx_program_dup_sha256 (program);

  return g_strdup_printf ("%s seccomp program, %zu instructions, sha256 %.16s…",
                          sbx_stage_to_string (sbx_program_get_stage (program)),
                          sbx_program_get_n_instructions (program), sha);
}

static void
describe_mount (GString *out, SbxSandbox *sandbox, const SbxMount *m, gboolean writable)
{
  gboolean in_out = strcmp (m->dest, SBX_SANDBOX_IN) == 0 || strcmp (m->dest, SBX_SANDBOX_OUT) == 0;

  g_string_append_printf (out, "%s, %s%s at %s (%s", m->host_path,
                          writable ? "writable" : "read-only",
                          strcmp (m->dest, SBX_SANDBOX_OUT) == 0 ? ", noexec,nosuid,nodev" : "",
                          m->dest, sbx_mount_roles[m->role].name);
  if (sandbox->as_root && in_out)
    g_string_append_printf (out, "; idmapped: its owner is the job's uid %u", sandbox->job_id);
  if (m->bind_path != NULL)
    g_string_append_printf (out, "; re-homed by sbx at %s", m->bind_path);
  g_string_append (out, ")\n");
}

static void
describe_tmp (GString *out, SbxSandbox *sandbox, const char *dest)
{
  g_autofree char *size = sbx_format_size (sandbox->profile->tmp_size);

  g_string_append_printf (out, "noexec,nosuid,nodev tmpfs of %s and %" G_GUINT64_FORMAT " inodes "
                          "for /tmp and /dev/shm together, writable at %s (mounted by sbx on %s in "
                          "a mount namespace of its own)\n", size,
                          tmp_inodes (sandbox->profile->tmp_size), dest, sandbox->tmp_point);
}

/* "fd N: …" or "no fd, --ro-bind PATH: …", what a bind step mounts. */
static GString *
describe_bind (SbxSandbox *sandbox, const SbxStep *step)
{
  GString *text = g_string_new (NULL);

  if (step->fd >= 0)
    g_string_append_printf (text, "fd %d: ", step->fd);
  else
    g_string_append_printf (text, "no fd, %s %s: ", step->writable ? "--bind" : "--ro-bind",
                            step->source);
  if (step->bind == SBX_BIND_TMPFS)
    describe_tmp (text, sandbox, step->dest);
  else if (step->mount != NULL)
    describe_mount (text, sandbox, step->mount, step->writable);
  else
    g_string_append_printf (text, "%s at %s\n", step->writable ? "writable" : "read-only", step->dest);
  return text;
}

typedef struct {
  int fd;        /* -1: a path bind */
  char *text;
} FdLine;

static int
compare_fd_lines (gconstpointer a, gconstpointer b)
{
  const FdLine *x = a, *y = b;
  guint ux = (guint) x->fd, uy = (guint) y->fd; /* -1 sorts last */

  return (ux > uy) - (ux < uy);
}

static void
add_line (GArray *lines, int fd, GString *text)
{
  FdLine line = { fd, g_string_free (text, FALSE) };

  g_array_append_val (lines, line);
}

char *
sbx_sandbox_dup_fd_description (SbxSandbox *sandbox)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (FdLine));

  g_return_val_if_fail (sandbox != NULL && sandbox->steps != NULL, NULL);

  /* Each step that names an fd, or binds a host path, then sorted by fd
   * number. */
  for (guint i = 0; i < sandbox->steps->len; i++)
    {
      const SbxStep *step = &g_array_index (sandbox->steps, SbxStep, i);

      if (step->kind == SBX_STEP_BIND)
        add_line (lines, step->fd, describe_bind (sandbox, step));
      else if (step->kind == SBX_STEP_DATA)
        {
          GString *text = g_string_new (NULL);

          g_string_append_printf (text, "fd %d: generated by sbx, read-only at %s (names the "
                                  "job's uid and gid as \"sbx\"; nothing of the host's file)\n",
                                  step->fd, step->dest);
          add_line (lines, step->fd, text);
        }
      else if (step->kind == SBX_STEP_SECCOMP)
        {
          g_autofree char *what = describe_program (sandbox->launch);
          GString *text = g_string_new (NULL);

          g_string_append_printf (text, "fd %d: %s (--seccomp: bwrap installs it right before it "
                                  "execs the job)\n", step->fd, what);
          add_line (lines, step->fd, text);
        }
    }
  if (sandbox->runtime.gate_fd >= 0 && sandbox->gate_program != NULL)
    {
      g_autofree char *what = describe_program (sandbox->gate_program);
      GString *text = g_string_new (NULL);

      g_string_append_printf (text, "fd %d: the exec gate's socket: sbx sends the %s to "
                              SBX_SANDBOX_HELPER_DIR "/" SBX_EXEC_HELPER_NAME ", which installs it "
                              "before the job's first instruction and hands its listener back; sbx "
                              "lets the job's own exec through and refuses every later one\n",
                              sandbox->runtime.gate_fd, what);
      add_line (lines, sandbox->runtime.gate_fd, text);
    }
  {
    GString *text = g_string_new (NULL);

    g_string_append_printf (text, "fd %d: bwrap's options, NUL-separated (sbx execs “bwrap --args %d "
                            "-- COMMAND…”, so no value shows in ps; the command line shown spells them "
                            "out, a kept variable's value as " SBX_KEPT_REDACTED ")\n",
                            sandbox->args_fd, sandbox->args_fd);
    add_line (lines, sandbox->args_fd, text);
  }
  g_array_sort (lines, compare_fd_lines);
  g_string_append (out, "fd 0, 1, 2: sbx's own stdin, stdout and stderr, passed on to the job; "
                   "every other fd of sbx is closed for bwrap\n");
  if (sandbox->as_root)
    g_string_append_printf (out, "note: sbx runs as root, so bwrap and the job run as uid and gid "
                            "%u (this sandbox's own, never host uid 0); /in and /out are idmapped onto it\n",
                            sandbox->job_id);
  for (guint i = 0; i < lines->len; i++)
    {
      g_string_append (out, g_array_index (lines, FdLine, i).text);
      g_free (g_array_index (lines, FdLine, i).text);
    }
  if (!sandbox->bwrap.bind_fd)
    g_string_append_printf (out, "note: bwrap “%s” has no --bind-fd: mount sources are passed by "
                            "path (each checked free of symlinks)\n", sandbox->bwrap.path);
  if (sandbox->bwrap.setuid)
    g_string_append_printf (out, "note: bwrap “%s” is installed setuid root\n", sandbox->bwrap.path);
  return g_string_free (out, FALSE);
}
