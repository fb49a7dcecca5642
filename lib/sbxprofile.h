/* sbxprofile.h — the one public header of libsbxprofile.
 *
 * libsbxprofile compiles a deny-by-default sandbox profile into two seccomp
 * BPF programs and a bubblewrap (bwrap) argument vector.  The usual pattern:
 *
 *   g_autoptr(GError) error = NULL;
 *   g_autoptr(SbxProfile) profile = sbx_profile_new_from_file ("job.profile", &error);
 *   if (profile == NULL) { report error->message; }
 *   const char *cmd[] = { "/in/job", NULL };
 *   g_autoptr(SbxSandbox) sandbox = sbx_sandbox_new (profile, cmd, &error);
 *   if (sandbox == NULL || !sbx_sandbox_prepare (sandbox, 0, &error)) { ... }
 *   SbxWaitResult end;
 *   if (!sbx_sandbox_run (sandbox, &end, &error)) { ... }  // spawns, supervises, reaps
 *
 * Lower-level pieces are public too: sbx_program_new() compiles the launch or
 * the lock program on its own (bytes, sealed memfd, PFC listing), and
 * sbx_profile_lock_self() installs the lock program on the calling process
 * (for jobs that use exec-lock=self).
 *
 * Ownership: functions named _new, _dup, _to_* and those documented
 * "(transfer full)" give the caller a reference or a copy to free; _get and
 * _peek functions lend ("(transfer none)").  Every object has _ref/_unref,
 * _unref(NULL) is a no-op, and g_autoptr() works on each type.
 *
 * Errors: every fallible call returns FALSE / NULL / -1 and sets a GError in
 * the SBX_ERROR domain with one of the SbxError codes below; messages name
 * the file, line, group and key (profiles) or the path (runtime) at fault.
 * The library never prints and never exits.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

#if defined(SBX_COMPILATION)
#define SBX_PUBLIC __attribute__ ((visibility ("default"))) extern
#else
#define SBX_PUBLIC extern
#endif

/* ------------------------------------------------------------------ errors */

/**
 * SBX_ERROR:
 * The error domain of libsbxprofile.  Since: 0.1
 */
#define SBX_ERROR (sbx_error_quark ())

/**
 * SbxError:
 * @SBX_ERROR_PARSE: the profile is not a valid key file (syntax).
 * @SBX_ERROR_UNKNOWN_GROUP: a group the profile format does not define.
 * @SBX_ERROR_UNKNOWN_KEY: a key the group does not define.
 * @SBX_ERROR_INVALID_VALUE: a value of the wrong type or outside its set
 *   (bad size suffix, unknown syscall, errno, socket family, mode, probe id).
 * @SBX_ERROR_INVALID_PATH: a path that is relative, missing, unreadable,
 *   not a directory, not writable, or reached through a symlink.
 * @SBX_ERROR_OVERLAP: input and output are the same folder or nested.
 * @SBX_ERROR_SECCOMP: a seccomp program could not be built or is too large.
 * @SBX_ERROR_IO: reading or writing a file, memfd or pipe failed.
 * @SBX_ERROR_BWRAP: bwrap is missing, not runnable, or lacks a needed option.
 * @SBX_ERROR_USERNS: the kernel refused a user or mount namespace.
 * @SBX_ERROR_NOT_FOUND: the command does not exist inside the sandbox.
 * @SBX_ERROR_NOT_EXECUTABLE: the command exists but cannot be run as asked
 *   (not executable; another ABI; a #!env line the gate cannot follow).
 * @SBX_ERROR_LOCK: the exec lock or gate could not be installed.
 * @SBX_ERROR_EVIDENCE: an evidence bundle is malformed or does not verify.
 * @SBX_ERROR_ATTEST: attestation could not be carried out.
 * @SBX_ERROR_STDIO: fd 0, 1 or 2 is something a job must not get (a
 *   directory, an O_PATH fd, a listening or datagram socket, a device other
 *   than /dev/null or a terminal, a stdin file the job could write).
 *
 * The closed set of error codes in the %SBX_ERROR domain.  Since: 0.1
 */
typedef enum {
  SBX_ERROR_PARSE,
  SBX_ERROR_UNKNOWN_GROUP,
  SBX_ERROR_UNKNOWN_KEY,
  SBX_ERROR_INVALID_VALUE,
  SBX_ERROR_INVALID_PATH,
  SBX_ERROR_OVERLAP,
  SBX_ERROR_SECCOMP,
  SBX_ERROR_IO,
  SBX_ERROR_BWRAP,
  SBX_ERROR_USERNS,
  SBX_ERROR_NOT_FOUND,
  SBX_ERROR_NOT_EXECUTABLE,
  SBX_ERROR_LOCK,
  SBX_ERROR_EVIDENCE,
  SBX_ERROR_ATTEST,
  SBX_ERROR_STDIO,
} SbxError;

SBX_PUBLIC GQuark sbx_error_quark (void);

/**
 * sbx_error_code_to_string:
 * Returns: (transfer none): a stable name for @code ("invalid-value", ...),
 *   or "unknown".  Since: 0.1
 */
SBX_PUBLIC const char *sbx_error_code_to_string (SbxError code);

/**
 * sbx_version_string:
 * Returns: (transfer none): the library version, e.g. "0.1.0".  Since: 0.1
 */
SBX_PUBLIC const char *sbx_version_string (void);

/**
 * sbx_libseccomp_version_dup:
 * Returns: (transfer full): the version of the libseccomp the library runs
 *   with and compiles programs with, "major.minor.micro".  Since: 0.1
 */
SBX_PUBLIC char *sbx_libseccomp_version_dup (void);

/* ----------------------------------------------------------------- profile */

typedef struct _SbxProfile SbxProfile;

/**
 * SbxSeccompMode:
 * @SBX_SECCOMP_ALLOW_LIST: default-deny; only the allow table passes.
 * @SBX_SECCOMP_DENY_LIST: default-allow; only the deny groups are refused.
 * Since: 0.1
 */
typedef enum {
  SBX_SECCOMP_ALLOW_LIST,
  SBX_SECCOMP_DENY_LIST,
} SbxSeccompMode;

/**
 * SbxExecLock:
 * @SBX_EXEC_LOCK_ON: sbx's exec gate: a static helper installs the gate
 *   program (%SBX_STAGE_GATE) before the job's first instruction and sbx,
 *   the supervising parent, lets exactly one exec through: the job's own.
 *   Dynamic and static programs alike.  ("preload", the name of an older
 *   mechanism, is read as "on".)
 * @SBX_EXEC_LOCK_SELF: the job links libsbxprofile and locks itself.
 * @SBX_EXEC_LOCK_OFF: no lock: the job may exec other programs.
 * Since: 0.1
 */
typedef enum {
  SBX_EXEC_LOCK_ON,
  SBX_EXEC_LOCK_SELF,
  SBX_EXEC_LOCK_OFF,
} SbxExecLock;
/* The old name of %SBX_EXEC_LOCK_ON.  Since: 0.1 */
#define SBX_EXEC_LOCK_PRELOAD SBX_EXEC_LOCK_ON

/**
 * SbxRlimit:
 * @resource: a RLIMIT_* constant.
 * @value: soft and hard limit (RLIM_INFINITY for "unlimited").
 * One resource limit sbx sets before it execs bwrap.  Since: 0.1
 */
typedef struct {
  int resource;
  guint64 value;
} SbxRlimit;

/**
 * sbx_profile_new_default:
 * Loads the built-in deny-by-default profile.
 * Returns: (transfer full): a new profile, or %NULL with @error set (only if
 *   the embedded text were broken).  Since: 0.1
 */
SBX_PUBLIC SbxProfile *sbx_profile_new_default (GError **error);

/**
 * sbx_profile_new_from_file:
 * @path: a profile file (GLib key file).
 * Loads and validates @path; reads nothing else of the host (see
 * sbx_profile_check_host()).  Error messages start "PATH:LINE: [group] key:".
 * Returns: (transfer full): a new profile or %NULL.  Since: 0.1
 */
SBX_PUBLIC SbxProfile *sbx_profile_new_from_file (const char *path, GError **error);

/**
 * sbx_profile_new_from_data:
 * @data: profile text.
 * @length: length of @data, or -1 when NUL-terminated.
 * @source_name: (nullable): name used in error messages ("<string>" if %NULL).
 * Loads and validates @data; pure: no host I/O at all (see
 * sbx_profile_check_host()), so it parses any profile text from memory.
 * Returns: (transfer full): a new profile or %NULL.  Since: 0.1
 */
SBX_PUBLIC SbxProfile *sbx_profile_new_from_data (const char *data, gssize length,
                                                  const char *source_name, GError **error);

SBX_PUBLIC SbxProfile *sbx_profile_ref (SbxProfile *profile);
SBX_PUBLIC void sbx_profile_unref (SbxProfile *profile);

/**
 * sbx_profile_get_default_text:
 * Returns: (transfer none): the built-in default profile, with comments that
 *   explain every key.  Since: 0.1
 */
SBX_PUBLIC const char *sbx_profile_get_default_text (void);

/**
 * sbx_profile_to_canonical:
 * The canonical text of @profile: every group and key in a fixed order, values
 * normalised (sizes in bytes, lists sorted where order does not matter), no
 * comments.  Two profiles that mean the same give the same text; evidence
 * bundles hash it.
 * Returns: (transfer full): the text.  Since: 0.1
 */
SBX_PUBLIC char *sbx_profile_to_canonical (SbxProfile *profile);

/**
 * sbx_profile_dup_sha256:
 * Returns: (transfer full): lower-case hex sha256 of the canonical text.
 * Since: 0.1
 */
SBX_PUBLIC char *sbx_profile_dup_sha256 (SbxProfile *profile);

/**
 * sbx_profile_set_input:
 * @host_path: (nullable): absolute host folder shown read-only at /in, or %NULL.
 * Overrides [filesystem] input (the CLI's --in).  Validates like the key does:
 * absolute, existing, readable directory, no overlap with the output.
 * Returns: %TRUE, or %FALSE with @error set and the profile unchanged.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_profile_set_input (SbxProfile *profile, const char *host_path, GError **error);

/**
 * sbx_profile_set_output:
 * Like sbx_profile_set_input() for [filesystem] output (a writable directory,
 * shown at /out).  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_profile_set_output (SbxProfile *profile, const char *host_path, GError **error);

/**
 * sbx_profile_set_value:
 * @group: a group of the format, e.g. "limits".
 * @key: a scalar key of @group, e.g. "wall-seconds" (not input or output:
 *   see sbx_profile_set_input()).
 * @value: the value as it would be written in a profile, unescaped.
 * @origin: (nullable): what gave the value, e.g. "--timeout"; messages read
 *   "ORIGIN: [group] key: …", and the change is recorded as "ORIGIN=VALUE"
 *   (sbx_profile_dup_overrides()).
 * Overrides one key with exactly the checks and messages of the profile
 * parser.  Returns: %TRUE, or %FALSE with @error set.  Since: 0.2
 */
SBX_PUBLIC gboolean sbx_profile_set_value (SbxProfile *profile, const char *group, const char *key,
                                           const char *value, const char *origin, GError **error);

/**
 * sbx_profile_add_env:
 * @spec: "NAME" (pass the host's NAME, as [environment] keep) or
 *   "NAME=value" (set it, as [environment] set); replaces what the profile
 *   said of NAME.
 * @origin: (nullable): as for sbx_profile_set_value().
 * Returns: %TRUE, or %FALSE with @error set.  Since: 0.2
 */
SBX_PUBLIC gboolean sbx_profile_add_env (SbxProfile *profile, const char *spec, const char *origin,
                                         GError **error);

/**
 * sbx_profile_add_read_only:
 * @host_path: an absolute host file or folder without symlinks.
 * @sandbox_path: (nullable): where the sandbox sees it (default: @host_path);
 *   not at, above or below /in, /out, /tmp, /proc, /dev, /run/sbx.
 * @origin: (nullable): as for sbx_profile_set_value().
 * Adds an entry to [filesystem] read-only: one more read-only bind, opened
 * by fd like every mount source.  Returns: %TRUE, or %FALSE with @error set.
 * Since: 0.2
 */
SBX_PUBLIC gboolean sbx_profile_add_read_only (SbxProfile *profile, const char *host_path,
                                               const char *sandbox_path, const char *origin,
                                               GError **error);

/**
 * sbx_profile_check_file:
 * @path: a profile file.
 * @problems: (out) (optional) (transfer full): every problem found, one
 *   "FILE:LINE: [group] key: …; expected …" message each, in file order (not
 *   only the first, as sbx_profile_new_from_file() reports), the host
 *   check's (sbx_profile_check_host()) among them; empty when valid.
 * @warnings: (out) (optional) (transfer full): the
 *   settings `sbx attest` will not attest, naming the probes that will FAIL,
 *   and kept variables whose names look like credentials.
 * Returns: %TRUE when the profile is valid.  Since: 0.2
 */
SBX_PUBLIC gboolean sbx_profile_check_file (const char *path, char ***problems, char ***warnings);

/**
 * sbx_profile_check_host:
 * @profile: a profile.
 * Checks the host paths @profile names against this host: [filesystem]
 * input an existing readable folder, output an existing writable folder,
 * every system and read-only path an existing file or folder, none with a
 * symlink in it, input and output not one folder under two names.
 *
 * Loading a profile (sbx_profile_new_from_file(), _new_from_data(),
 * _new_default()) never looks at the host: it checks only what the text
 * says (absolute, no "." or "..", not "/", input and output apart by path),
 * so a profile from elsewhere, such as an evidence bundle's, loads where
 * its folders do not exist.  sbx_sandbox_prepare() calls this first;
 * call it yourself to report host problems early (sbx_profile_check_file()
 * does).  The setters sbx_profile_set_input(), _set_output() and
 * _add_read_only() check their own path at once.
 *
 * Returns: %TRUE, or %FALSE with @error set to %SBX_ERROR_INVALID_PATH or
 *   %SBX_ERROR_OVERLAP and the message loading used to give:
 *   "SOURCE:LINE: [filesystem] key: …; expected …" (for a path given to a
 *   setter, "[filesystem] key: …", or "ORIGIN: …").  The first problem only;
 *   @profile is not changed.  Since: 0.2
 */
SBX_PUBLIC gboolean sbx_profile_check_host (SbxProfile *profile, GError **error);

/**
 * sbx_profile_dup_overrides:
 * Returns: (transfer full): the changes made with an origin since loading,
 *   "ORIGIN=VALUE" each, in order; an empty vector when none.  Since: 0.2
 */
SBX_PUBLIC char **sbx_profile_dup_overrides (SbxProfile *profile);

/** sbx_profile_get_name: Returns: (transfer none): [sandbox] name. Since: 0.1 */
SBX_PUBLIC const char *sbx_profile_get_name (SbxProfile *profile);
/** sbx_profile_get_source: Returns: (transfer none): file name or "<default>". Since: 0.1 */
SBX_PUBLIC const char *sbx_profile_get_source (SbxProfile *profile);
/** sbx_profile_get_input: Returns: (transfer none) (nullable): host input folder. Since: 0.1 */
SBX_PUBLIC const char *sbx_profile_get_input (SbxProfile *profile);
/** sbx_profile_get_output: Returns: (transfer none) (nullable): host output folder. Since: 0.1 */
SBX_PUBLIC const char *sbx_profile_get_output (SbxProfile *profile);
/** sbx_profile_get_exec_lock: Returns: [seccomp] exec-lock. Since: 0.1 */
SBX_PUBLIC SbxExecLock sbx_profile_get_exec_lock (SbxProfile *profile);
/** sbx_profile_get_seccomp_mode: Returns: [seccomp] mode. Since: 0.1 */
SBX_PUBLIC SbxSeccompMode sbx_profile_get_seccomp_mode (SbxProfile *profile);
/** sbx_profile_get_errno: Returns: [seccomp] errno as a number (EPERM = 1). Since: 0.1 */
SBX_PUBLIC int sbx_profile_get_errno (SbxProfile *profile);
/** sbx_profile_get_wall_seconds: Returns: [limits] wall-seconds, 0 = none. Since: 0.1 */
SBX_PUBLIC guint sbx_profile_get_wall_seconds (SbxProfile *profile);

/**
 * sbx_errno_to_name:
 * @value: an errno number.
 * Returns: (transfer none) (nullable): its name as [seccomp] errno spells it
 *   ("EPERM"), or %NULL when the profile format does not know it.  Since: 0.1
 */
SBX_PUBLIC const char *sbx_errno_to_name (int value);

/**
 * sbx_profile_copy:
 * An independent copy of @profile: changing the copy's input or output
 * (sbx_profile_set_input()) leaves @profile as it is.  The copy keeps
 * @profile's source name.
 * Returns: (transfer full): the copy.  Since: 0.1
 */
SBX_PUBLIC SbxProfile *sbx_profile_copy (SbxProfile *profile);

/**
 * sbx_profile_dup_system_paths:
 * Returns: (transfer full) (array zero-terminated=1): [filesystem] system,
 *   the host paths shown read-only at the same path.  Since: 0.1
 */
SBX_PUBLIC GStrv sbx_profile_dup_system_paths (SbxProfile *profile);

/**
 * sbx_profile_dup_job_env_names:
 * The names a job started from @profile may find in its environment: those
 * of [environment] keep and set, PWD (bwrap sets it; the exec gate adds
 * nothing).  Anything else there leaked in.
 * Returns: (transfer full) (array zero-terminated=1): the names.  Since: 0.1
 */
SBX_PUBLIC GStrv sbx_profile_dup_job_env_names (SbxProfile *profile);

/**
 * sbx_profile_get_rlimits:
 * @n_rlimits: (out): number of entries.
 * Returns: (transfer none) (array length=n_rlimits): the setrlimit pairs of
 *   [limits], in a fixed order.  Since: 0.1
 */
SBX_PUBLIC const SbxRlimit *sbx_profile_get_rlimits (SbxProfile *profile, gsize *n_rlimits);

/**
 * sbx_profile_get_required_probes:
 * Returns: (transfer none) (array zero-terminated=1): probe ids that must PASS
 *   for SANDBOX_ATTESTED ([attest] required).  Since: 0.1
 */
SBX_PUBLIC const char *const *sbx_profile_get_required_probes (SbxProfile *profile);

/* ----------------------------------------------------------------- programs */

/**
 * SbxStage:
 * @SBX_STAGE_LAUNCH: handed to bwrap (--seccomp); still allows execve.
 * @SBX_STAGE_LOCK: the launch program plus execve/execveat denied with the
 *   profile's errno: what a job under exec-lock=self installs on itself.
 * @SBX_STAGE_GATE: the launch program plus execve/execveat answering
 *   SECCOMP_RET_USER_NOTIF: sbx's exec gate (exec-lock=on).  sbx's static
 *   helper installs it with a listener before the job's first instruction;
 *   sbx lets the helper's one exec continue and refuses every later one.
 *   Without a listener (sbx gone) the kernel answers ENOSYS.  Since: 0.2
 * Since: 0.1
 */
typedef enum {
  SBX_STAGE_LAUNCH,
  SBX_STAGE_LOCK,
  SBX_STAGE_GATE,
} SbxStage;

typedef struct _SbxProgram SbxProgram;

/** Instruction limits the kernel and bwrap impose (DESIGN §2). */
#define SBX_PROGRAM_MAX_INSNS 4096
#define SBX_PROGRAMS_MAX_TOTAL_INSNS 32768

/**
 * sbx_program_new:
 * Compiles one stage of @profile into a classic BPF program for the native
 * ABI (other ABIs are killed).  Deterministic: the same profile gives the same
 * bytes.
 * Returns: (transfer full): the program or %NULL (SBX_ERROR_SECCOMP).  Since: 0.1
 */
SBX_PUBLIC SbxProgram *sbx_program_new (SbxProfile *profile, SbxStage stage, GError **error);
SBX_PUBLIC SbxProgram *sbx_program_ref (SbxProgram *program);
SBX_PUBLIC void sbx_program_unref (SbxProgram *program);

/** sbx_program_get_stage: Returns: the stage @program was compiled for. Since: 0.1 */
SBX_PUBLIC SbxStage sbx_program_get_stage (SbxProgram *program);

/** sbx_stage_to_string: Returns: (transfer none): "launch", "lock" or "gate". Since: 0.2 */
SBX_PUBLIC const char *sbx_stage_to_string (SbxStage stage);

/** sbx_exec_lock_to_string: Returns: (transfer none): the [seccomp] exec-lock name of @lock
 * ("on", "self" or "off"; "unknown" for any other value). Since: 0.2 */
SBX_PUBLIC const char *sbx_exec_lock_to_string (SbxExecLock lock);

/**
 * sbx_program_get_bytes:
 * @length: (out): size in bytes, a multiple of 8.
 * Returns: (transfer none): the struct sock_filter array.  Since: 0.1
 */
SBX_PUBLIC const guint8 *sbx_program_get_bytes (SbxProgram *program, gsize *length);

/** sbx_program_get_n_instructions: Returns: number of BPF instructions. Since: 0.1 */
SBX_PUBLIC gsize sbx_program_get_n_instructions (SbxProgram *program);

/**
 * sbx_program_dup_sha256:
 * Returns: (transfer full): lower-case hex sha256 of the bytes.  Since: 0.1
 */
SBX_PUBLIC char *sbx_program_dup_sha256 (SbxProgram *program);

/**
 * sbx_program_to_pfc:
 * Returns: (transfer full): libseccomp's PFC listing of the program, a stable
 *   readable text for review and golden tests, or %NULL.  Since: 0.1
 */
SBX_PUBLIC char *sbx_program_to_pfc (SbxProgram *program, GError **error);

/**
 * sbx_program_to_memfd:
 * Writes the bytes into a new sealed memfd, positioned at offset 0, with
 * FD_CLOEXEC set.
 * Returns: the fd (transfer full: the caller closes it), or -1.  Since: 0.1
 */
SBX_PUBLIC int sbx_program_to_memfd (SbxProgram *program, GError **error);

/**
 * sbx_program_install:
 * Sets no_new_privs and installs @program on the calling process, on all its
 * threads (SECCOMP_FILTER_FLAG_TSYNC).  Irreversible.
 * Returns: %TRUE, or %FALSE with SBX_ERROR_LOCK.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_program_install (SbxProgram *program, GError **error);

/**
 * sbx_profile_lock_self:
 * Compiles the lock stage of @profile and installs it on the caller: what a
 * job started under exec-lock=self calls first thing in main().
 * Returns: %TRUE, or %FALSE with @error set.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_profile_lock_self (SbxProfile *profile, GError **error);

/* ----------------------------------------------------------------- sandbox */

typedef struct _SbxSandbox SbxSandbox;

/* Fixed paths inside every sandbox: the input and output folders, the
 * private noexec tmpfs, and the folder of sbx_sandbox_add_ro_file(). */
#define SBX_SANDBOX_IN "/in"
#define SBX_SANDBOX_OUT "/out"
#define SBX_SANDBOX_TMP "/tmp"
#define SBX_SANDBOX_HELPER_DIR "/run/sbx"

/**
 * sbx_helper_dir_dup_default:
 * The folder sbx's helpers (sbx-preload.so, sbx-probe, sbx-attest) are taken
 * from when no sbx_sandbox_set_helper_dir() says otherwise: $SBX_HELPER_DIR
 * if set, else the folder of the running program when it holds
 * sbx-preload.so (a build tree), else the installed location.
 * Returns: (transfer full): the folder.  Since: 0.1
 */
SBX_PUBLIC char *sbx_helper_dir_dup_default (void);

/**
 * SbxPrepareFlags:
 * @SBX_PREPARE_NONE: prepare for a real start.
 * @SBX_PREPARE_DRY_RUN: only what --dry-run needs: resolve, open mount
 *   sources, build the argv; create no memfd, namespace or mount.
 * Since: 0.1
 */
typedef enum {
  SBX_PREPARE_NONE = 0,
  SBX_PREPARE_DRY_RUN = 1 << 0,
} SbxPrepareFlags;

/**
 * sbx_sandbox_new:
 * @command: (array zero-terminated=1): the job's argv; argv[0] is resolved
 *   as the sandbox will see it (PATH of the profile, /in and /out mapped
 *   back to their host folders).
 * Compiles both programs of @profile and keeps a reference to it.
 * Returns: (transfer full): the sandbox or %NULL.  Since: 0.1
 */
SBX_PUBLIC SbxSandbox *sbx_sandbox_new (SbxProfile *profile, const char *const *command, GError **error);
SBX_PUBLIC SbxSandbox *sbx_sandbox_ref (SbxSandbox *sandbox);
SBX_PUBLIC void sbx_sandbox_unref (SbxSandbox *sandbox);

/**
 * sbx_sandbox_set_bwrap:
 * @path: (nullable): the bwrap to run; %NULL searches PATH.  Since: 0.1
 */
SBX_PUBLIC void sbx_sandbox_set_bwrap (SbxSandbox *sandbox, const char *path);

/**
 * sbx_sandbox_set_helper_dir:
 * @dir: (nullable): folder holding sbx-exec (and sbx-probe); %NULL uses
 *   $SBX_HELPER_DIR, else the installed location.  Since: 0.1
 */
SBX_PUBLIC void sbx_sandbox_set_helper_dir (SbxSandbox *sandbox, const char *dir);

/**
 * sbx_sandbox_set_environment:
 * @envp: (nullable) (array zero-terminated=1): the host environment the
 *   sandbox starts from: [environment] keep picks its values from it and
 *   bwrap runs with it.  %NULL (the default): environ at
 *   sbx_sandbox_prepare().  Copied; call before sbx_sandbox_prepare().
 * Since: 0.1
 */
SBX_PUBLIC void sbx_sandbox_set_environment (SbxSandbox *sandbox, const char *const *envp);

/**
 * sbx_sandbox_add_ro_file:
 * @host_path: an absolute host file.
 * @name: a plain file name; the file appears read-only at /run/sbx/@name.
 * For sbx's own helpers (the probe program and its expectations).
 * Returns: %TRUE, or %FALSE if @name is not a plain name.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_sandbox_add_ro_file (SbxSandbox *sandbox, const char *host_path,
                                             const char *name, GError **error);

/**
 * sbx_sandbox_prepare:
 * Finds bwrap and its features, resolves the command (not found →
 * SBX_ERROR_NOT_FOUND; not runnable → SBX_ERROR_NOT_EXECUTABLE; under
 * exec-lock=on a "#!/usr/bin/env NAME" script becomes NAME run directly),
 * opens every mount source safely, writes the launch program into a memfd,
 * makes the exec gate's socket and builds the argv.  Nothing is started.
 * Returns: %TRUE or %FALSE with @error set.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_sandbox_prepare (SbxSandbox *sandbox, SbxPrepareFlags flags, GError **error);

/**
 * sbx_sandbox_get_argv:
 * Returns: (transfer none) (array zero-terminated=1): the exact argv that
 *   will be exec'd: bwrap's path, "--args", FD, "--" and the command.  FD
 *   is a sealed memfd (also in a dry run) holding bwrap's options,
 *   NUL-separated, so no value, a kept variable's above all, shows in
 *   bwrap's /proc/PID/cmdline.  Valid after sbx_sandbox_prepare().
 * Since: 0.1 (the --args form since 0.2)
 */
SBX_PUBLIC const char *const *sbx_sandbox_get_argv (SbxSandbox *sandbox);

/**
 * sbx_sandbox_get_job_ids:
 * @uid: (out) (optional): the host uid the job runs as
 * @gid: (out) (optional): the host gid the job runs as
 * The ids the kernel sees for the job (and bwrap) on the host: the caller's
 * real ids, or, when the caller is root, an unprivileged id of this
 * sandbox's own, distinct from every other sandbox's alive at the same
 * time (never 0).  Valid after sbx_sandbox_prepare().  Since: 0.2
 */
SBX_PUBLIC void sbx_sandbox_get_job_ids (SbxSandbox *sandbox, guint32 *uid, guint32 *gid);

/**
 * sbx_sandbox_get_redacted_argv:
 * Returns: (transfer none) (array zero-terminated=1): the argv as bwrap
 *   reads it, for showing and recording: bwrap's path, the options of the
 *   --args memfd, "--" and the command, with the value of each variable
 *   taken from the host ([environment] keep) replaced by "<kept>".  Valid
 *   after sbx_sandbox_prepare().
 * Since: 0.2
 */
SBX_PUBLIC const char *const *sbx_sandbox_get_redacted_argv (SbxSandbox *sandbox);

/**
 * sbx_sandbox_dup_command_line:
 * Returns: (transfer full): the redacted argv
 *   (sbx_sandbox_get_redacted_argv()), shell-quoted, on one line.
 *   Since: 0.1
 */
SBX_PUBLIC char *sbx_sandbox_dup_command_line (SbxSandbox *sandbox);

/**
 * sbx_sandbox_dup_fd_description:
 * Returns: (transfer full): one line per fd the argv names: what it carries
 *   ("fd 5: launch seccomp program, 123 instructions", "fd 6: /home/u/in,
 *   read-only at /in", "fd 7: noexec tmpfs of 64M, at /tmp").  Since: 0.1
 */
SBX_PUBLIC char *sbx_sandbox_dup_fd_description (SbxSandbox *sandbox);

/**
 * sbx_sandbox_get_program:
 * Returns: (transfer none): the compiled program of @stage.  Since: 0.1
 */
SBX_PUBLIC SbxProgram *sbx_sandbox_get_program (SbxSandbox *sandbox, SbxStage stage);

/**
 * SbxEventKind:
 * @SBX_EVENT_REFUSED: the sandbox refused a call: an exec after the job's
 *   own (exec gate), or, under sbx_sandbox_set_explain(), any call the
 *   profile refuses.
 * Since: 0.2
 */
typedef enum {
  SBX_EVENT_REFUSED,
} SbxEventKind;

/**
 * SbxEvent:
 * @kind: what happened.
 * @call: the call with its decoded arguments: "execve(\"/usr/bin/sort\")",
 *   "socket(AF_INET6, SOCK_DGRAM, 0)".  A path is read from the caller's
 *   memory for this text only: the caller may have changed it.
 * @rule: the profile rule that refused it: "exec lock ([seccomp] exec-lock,
 *   see sbx(1))", "[network] socket-families".
 * @errno_value: what the job got (the profile's errno).
 * Strings are lent for the duration of the callback.  Each distinct
 * (@call, @rule) is reported once per run.  Since: 0.2
 */
typedef struct {
  SbxEventKind kind;
  const char *call;
  const char *rule;
  int errno_value;
} SbxEvent;

/**
 * SbxEventFunc:
 * Called from sbx_sandbox_wait() / sbx_sandbox_dispatch().  The library
 * never prints: this is how a front end reports refusals.  Since: 0.2
 */
typedef void (*SbxEventFunc) (const SbxEvent *event, gpointer user_data);

/**
 * sbx_sandbox_set_event_func:
 * @func: (nullable): called for each refusal the gate sees.  Since: 0.2
 */
SBX_PUBLIC void sbx_sandbox_set_event_func (SbxSandbox *sandbox, SbxEventFunc func, gpointer user_data);

/**
 * sbx_sandbox_set_explain:
 * Before sbx_sandbox_prepare(): compile both programs so that every call
 * the profile refuses with its errno goes to the supervisor, which answers
 * the same errno and reports it (SBX_EVENT_REFUSED with the rule).  The
 * job sees the same answers; each refusal costs a round trip.  Since: 0.2
 */
SBX_PUBLIC void sbx_sandbox_set_explain (SbxSandbox *sandbox, gboolean explain);

/**
 * sbx_sandbox_set_stdio:
 * The fds the job gets as its stdin, stdout and stderr (borrowed: they
 * must stay open until sbx_sandbox_spawn() returns); -1 keeps the caller's
 * own.  Since: 0.2
 */
SBX_PUBLIC void sbx_sandbox_set_stdio (SbxSandbox *sandbox, int stdin_fd, int stdout_fd, int stderr_fd);

/**
 * sbx_sandbox_spawn:
 * @pid: (out) (optional): bwrap's pid.
 * Starts the sandbox in a child: prepares the private noexec /tmp (a mount
 * namespace of its own, with a user namespace when unprivileged), applies
 * the resource limits and execs bwrap.  Under exec-lock=on it returns once
 * the exec gate is in place (the helper handed over its listener); the
 * caller is then the job's supervisor: it must serve the gate, with
 * sbx_sandbox_wait() or with sbx_sandbox_get_gate_fd() and
 * sbx_sandbox_dispatch() in a loop of its own, or the job's execs wait
 * forever.  A setup failure in the child (namespace, mount, limits, exec,
 * the gate) is reported here and the child has been reaped.  First the fds
 * the job gets as 0-2 (sbx_sandbox_set_stdio(), else the caller's own) are
 * checked (as by run): a pipe, a regular file (on stdin, one the job's uid
 * neither owns nor may write), /dev/null, a terminal or a connected stream
 * socket pass; anything else is SBX_ERROR_STDIO, naming the fd and what it
 * is.  Once bwrap runs, the sandbox closes its own copies of the fds it
 * handed to bwrap (the argv's fd numbers then name nothing in the caller).
 * Returns: %TRUE or %FALSE with @error set (SBX_ERROR_STDIO,
 *   SBX_ERROR_USERNS, SBX_ERROR_BWRAP, SBX_ERROR_LOCK, ...).  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_sandbox_spawn (SbxSandbox *sandbox, GPid *pid, GError **error);

/**
 * sbx_sandbox_get_gate_fd:
 * Returns: the exec gate's fd to poll for POLLIN (then call
 *   sbx_sandbox_dispatch()), or -1 when the sandbox has no gate.
 *   (transfer none)  Since: 0.2
 */
SBX_PUBLIC int sbx_sandbox_get_gate_fd (SbxSandbox *sandbox);

/**
 * sbx_sandbox_dispatch:
 * Answers one pending request of the exec gate: the job's own exec
 * continues, every later exec (and, under explain, every refused call) gets
 * the profile's errno and an event.
 * Returns: %TRUE, or %FALSE with SBX_ERROR_LOCK.  Since: 0.2
 */
SBX_PUBLIC gboolean sbx_sandbox_dispatch (SbxSandbox *sandbox, GError **error);

/**
 * SbxEndCause:
 * @SBX_END_EXITED: the job ended on its own (or by a signal nobody here
 *   can attribute to a limit).
 * @SBX_END_WOKEN: not ended: sbx_sandbox_wait() returned because its
 *   wake fd became readable.
 * @SBX_END_WALL_SECONDS: the deadline passed; the whole sandbox was killed.
 * @SBX_END_CPU_SECONDS: killed by the kernel for [limits] cpu-seconds
 *   (SIGKILL or SIGXCPU, with at least that much CPU time used).
 * @SBX_END_FILE_SIZE: killed by SIGXFSZ: a write went past [limits] file-size.
 * Since: 0.2
 */
typedef enum {
  SBX_END_EXITED,
  SBX_END_WOKEN,
  SBX_END_WALL_SECONDS,
  SBX_END_CPU_SECONDS,
  SBX_END_FILE_SIZE,
} SbxEndCause;

/**
 * SbxWaitResult:
 * @cause: why sbx_sandbox_wait() returned.
 * @wait_status: bwrap's waitpid() status (bwrap exits with the job's exit
 *   code, or 128+N when the job died of signal N); 0 when woken.
 * @limit: the value of the limit named by @cause (seconds or bytes).
 * @cpu_ms: CPU time (user + system) sbx could account for: bwrap's own
 *   rusage, or the job's, sampled while it ran, when larger.
 * Since: 0.2
 */
typedef struct {
  SbxEndCause cause;
  int wait_status;
  guint64 limit;
  gint64 cpu_ms;
} SbxWaitResult;

/**
 * sbx_sandbox_wait:
 * @deadline_us: g_get_monotonic_time() value at which the whole sandbox is
 *   killed (%SBX_END_WALL_SECONDS), or 0 for none.
 * @wake_fd: an fd that ends the wait early when readable (e.g. a signalfd,
 *   to forward signals with sbx_sandbox_signal()), or -1.
 * @result: (out caller-allocates): why it returned.
 * Serves the exec gate while bwrap runs, reaps bwrap and says why the job
 * ended.  Touches no signal disposition or mask.
 * Returns: %TRUE, or %FALSE with @error set.  Since: 0.2
 */
SBX_PUBLIC gboolean sbx_sandbox_wait (SbxSandbox *sandbox, gint64 deadline_us, int wake_fd,
                                      SbxWaitResult *result, GError **error);

/**
 * sbx_sandbox_signal:
 * Sends @sig to the job (before it exists, to bwrap, whose death takes the
 * sandbox down).  Since: 0.2
 */
SBX_PUBLIC void sbx_sandbox_signal (SbxSandbox *sandbox, int sig);

/**
 * sbx_sandbox_kill:
 * Kills the whole sandbox and reaps bwrap.  Since: 0.2
 */
SBX_PUBLIC void sbx_sandbox_kill (SbxSandbox *sandbox);

/**
 * sbx_sandbox_run:
 * sbx_sandbox_spawn(), then sbx_sandbox_wait() with the profile's
 * wall-seconds as the deadline and no wake fd.  The caller always stays
 * the supervising parent (the exec gate needs one).
 * @result: (out caller-allocates): why the job ended.
 * Returns: %TRUE when the job ran, %FALSE with @error set.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_sandbox_run (SbxSandbox *sandbox, SbxWaitResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxProfile, sbx_profile_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxProgram, sbx_program_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxSandbox, sbx_sandbox_unref)

G_END_DECLS
