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
 *   sbx_sandbox_exec (sandbox, &error);   // only returns on failure
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
 *   (not executable; a static binary under exec-lock=preload).
 * @SBX_ERROR_LOCK: the exec lock could not be installed.
 * @SBX_ERROR_EVIDENCE: an evidence bundle is malformed or does not verify.
 * @SBX_ERROR_ATTEST: attestation could not be carried out.
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
 * @SBX_EXEC_LOCK_PRELOAD: the lock program is installed by sbx's preload
 *   library in the job's process, after its exec.
 * @SBX_EXEC_LOCK_SELF: the job links libsbxprofile and locks itself.
 * @SBX_EXEC_LOCK_OFF: no lock: the job may exec other programs.
 * Since: 0.1
 */
typedef enum {
  SBX_EXEC_LOCK_PRELOAD,
  SBX_EXEC_LOCK_SELF,
  SBX_EXEC_LOCK_OFF,
} SbxExecLock;

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
 * Loads and validates @path.  Error messages start "PATH:LINE: [group] key:".
 * Returns: (transfer full): a new profile or %NULL.  Since: 0.1
 */
SBX_PUBLIC SbxProfile *sbx_profile_new_from_file (const char *path, GError **error);

/**
 * sbx_profile_new_from_data:
 * @data: profile text.
 * @length: length of @data, or -1 when NUL-terminated.
 * @source_name: (nullable): name used in error messages ("<string>" if %NULL).
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
 * @SBX_STAGE_LOCK: the launch program plus execve/execveat denied; installed
 *   inside the job after its exec.
 * Since: 0.1
 */
typedef enum {
  SBX_STAGE_LAUNCH,
  SBX_STAGE_LOCK,
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
 * @dir: (nullable): folder holding sbx-preload.so (and sbx-probe); %NULL uses
 *   $SBX_HELPER_DIR, else the installed location.  Since: 0.1
 */
SBX_PUBLIC void sbx_sandbox_set_helper_dir (SbxSandbox *sandbox, const char *dir);

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
 * SBX_ERROR_NOT_FOUND; static under exec-lock=preload →
 * SBX_ERROR_NOT_EXECUTABLE), opens every mount source safely, writes the
 * programs into memfds and builds the argv.  Nothing is started.
 * Returns: %TRUE or %FALSE with @error set.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_sandbox_prepare (SbxSandbox *sandbox, SbxPrepareFlags flags, GError **error);

/**
 * sbx_sandbox_get_argv:
 * Returns: (transfer none) (array zero-terminated=1): the exact argv that
 *   will be exec'd, bwrap's path first.  Valid after sbx_sandbox_prepare().
 * Since: 0.1
 */
SBX_PUBLIC const char *const *sbx_sandbox_get_argv (SbxSandbox *sandbox);

/**
 * sbx_sandbox_dup_command_line:
 * Returns: (transfer full): the argv, shell-quoted, on one line.  Since: 0.1
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
 * sbx_sandbox_exec:
 * In the calling process: prepares the private noexec /tmp (a mount
 * namespace of its own, with a user namespace when unprivileged), applies the
 * resource limits and execs bwrap.  Only returns on failure.
 * Returns: %FALSE with @error set (SBX_ERROR_USERNS, SBX_ERROR_BWRAP, ...).
 * Since: 0.1
 */
SBX_PUBLIC gboolean sbx_sandbox_exec (SbxSandbox *sandbox, GError **error);

/**
 * sbx_sandbox_spawn:
 * @pid: (out): the child's pid.
 * Like sbx_sandbox_exec() in a forked child; the parent returns once the
 * child has exec'd bwrap.  A setup failure in the child (namespace, mount,
 * limits, exec) is reported here: the child has then exited (125, or 126
 * for the lock) and been reaped, and %FALSE is returned with the child's
 * error.  The child is the caller's to wait for.
 * Returns: %TRUE or %FALSE with @error set.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_sandbox_spawn (SbxSandbox *sandbox, GPid *pid, GError **error);

/**
 * sbx_sandbox_run:
 * Starts the sandbox the way `sbx run` does: when the profile has no
 * wall-seconds this is sbx_sandbox_exec(); otherwise it spawns, forwards
 * SIGINT/SIGTERM/SIGHUP, kills the whole sandbox at the deadline and
 * returns.
 * @exit_status: (out): the job's status (exit code, or 128+signal; 124 when
 *   the deadline killed it).
 * Returns: %TRUE when the job ran, %FALSE with @error set.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_sandbox_run (SbxSandbox *sandbox, int *exit_status, GError **error);

/* ------------------------------------------------------------- attestation */
/* (attestation and evidence API: lib/sbx-attest.c, lib/sbx-evidence.c)
 *
 * `sbx attest` as a library: an SbxAttestation runs sbx-probe inside the
 * sandbox built from a profile and, as a negative control, outside it; the
 * result is an SbxEvidence, the JSON bundle of schema "sbxprofile.evidence/1"
 * (documented in probes/EVIDENCE.md).  The usual pattern:
 *
 *   g_autoptr(SbxAttestation) att = sbx_attestation_new (profile);
 *   sbx_attestation_set_progress_func (att, print_line, NULL);
 *   if (!sbx_attestation_run (att, &error)) { report; exit 125; }
 *   SbxEvidence *ev = sbx_attestation_get_evidence (att);
 *   sbx_evidence_save (ev, "evidence.json", &error);
 *
 * and, anywhere later:
 *
 *   g_autoptr(SbxEvidence) ev = sbx_evidence_new_from_file (path, &error);
 *   if (ev == NULL || !sbx_evidence_verify (ev, profile_or_NULL, &error)) { ... }
 */

/**
 * SbxProbeResult:
 * @SBX_PROBE_HOLDS: the run observed the property holding.
 * @SBX_PROBE_VIOLATED: the run observed the property broken.
 * @SBX_PROBE_UNTESTABLE: the host cannot show either (reason in the summary).
 * @SBX_PROBE_ERROR: the probe crashed, was killed or timed out.
 * @SBX_PROBE_MISSING: the run reported nothing for the probe.
 * What one run of sbx-probe said about one probe.  Since: 0.1
 */
typedef enum {
  SBX_PROBE_HOLDS,
  SBX_PROBE_VIOLATED,
  SBX_PROBE_UNTESTABLE,
  SBX_PROBE_ERROR,
  SBX_PROBE_MISSING,
} SbxProbeResult;

/**
 * SbxVerdict:
 * @SBX_VERDICT_PASS: the sandbox run observed the restriction and the control
 *   observed the unrestricted behaviour (and every host-side check held).
 * @SBX_VERDICT_FAIL: the sandbox run observed the property broken, the probe
 *   failed or reported nothing there, or a host-side check failed.
 * @SBX_VERDICT_INCONCLUSIVE: neither: a side was untestable, or the control
 *   could not show the probe able to fail.
 * Since: 0.1
 */
typedef enum {
  SBX_VERDICT_PASS,
  SBX_VERDICT_FAIL,
  SBX_VERDICT_INCONCLUSIVE,
} SbxVerdict;

/**
 * SbxAttestStatus:
 * @SBX_ATTEST_STATUS_ATTESTED: "SANDBOX_ATTESTED": no probe failed and every
 *   required probe passed.
 * @SBX_ATTEST_STATUS_PARTIAL: "SANDBOX_ATTESTATION_PARTIAL": no probe failed,
 *   but a required probe was inconclusive.
 * @SBX_ATTEST_STATUS_FAILED: "SANDBOX_ATTESTATION_FAILED": a probe failed.
 * Since: 0.1
 */
typedef enum {
  SBX_ATTEST_STATUS_ATTESTED,
  SBX_ATTEST_STATUS_PARTIAL,
  SBX_ATTEST_STATUS_FAILED,
} SbxAttestStatus;

/** sbx_probe_result_to_string: Returns: (transfer none): "HOLDS", "VIOLATED", … Since: 0.1 */
SBX_PUBLIC const char *sbx_probe_result_to_string (SbxProbeResult result);
/** sbx_verdict_to_string: Returns: (transfer none): "PASS", "FAIL" or "INCONCLUSIVE". Since: 0.1 */
SBX_PUBLIC const char *sbx_verdict_to_string (SbxVerdict verdict);
/** sbx_attest_status_to_string: Returns: (transfer none): "SANDBOX_ATTESTED", … Since: 0.1 */
SBX_PUBLIC const char *sbx_attest_status_to_string (SbxAttestStatus status);

/**
 * SbxProbeReport:
 * @id: probe id ("PR-NET-1").
 * @property: what a PASS proves, in words.
 * @required: whether the profile requires it for SANDBOX_ATTESTED.
 * @verdict: the verdict.
 * @sandbox_result: what the run inside the sandbox observed.
 * @control_result: what the negative control observed.
 * @sandbox_summary: (nullable): the sandbox run's one-line summary.
 * @control_summary: (nullable): the control's one-line summary.
 * @host_check: (nullable): the first host-side check that failed, in words.
 * @duration_ms: time the sandbox run spent on the probe.
 * One probe's outcome.  Every string is lent by the object that filled the
 * struct and stays valid as long as it.  Since: 0.1
 */
typedef struct {
  const char *id;
  const char *property;
  gboolean required;
  SbxVerdict verdict;
  SbxProbeResult sandbox_result;
  SbxProbeResult control_result;
  const char *sandbox_summary;
  const char *control_summary;
  const char *host_check;
  gint64 duration_ms;
} SbxProbeReport;

typedef struct _SbxEvidence SbxEvidence;

/**
 * sbx_evidence_new_from_data:
 * @data: the JSON text of a bundle.
 * @length: length of @data, or -1 when NUL-terminated.
 * Parses a bundle; nothing is checked beyond JSON syntax and an object at the
 * top (see sbx_evidence_verify()).
 * Returns: (transfer full): the bundle or %NULL (SBX_ERROR_EVIDENCE).  Since: 0.1
 */
SBX_PUBLIC SbxEvidence *sbx_evidence_new_from_data (const char *data, gssize length, GError **error);

/**
 * sbx_evidence_new_from_file:
 * Reads and parses @path (read-only).
 * Returns: (transfer full): the bundle, or %NULL (SBX_ERROR_IO when @path
 *   cannot be read, SBX_ERROR_EVIDENCE when it is not JSON).  Since: 0.1
 */
SBX_PUBLIC SbxEvidence *sbx_evidence_new_from_file (const char *path, GError **error);

SBX_PUBLIC SbxEvidence *sbx_evidence_ref (SbxEvidence *evidence);
SBX_PUBLIC void sbx_evidence_unref (SbxEvidence *evidence);

/**
 * sbx_evidence_to_data:
 * @length: (out) (optional): length of the text.
 * Returns: (transfer full): the bundle as indented JSON, ending in a newline.
 * Since: 0.1
 */
SBX_PUBLIC char *sbx_evidence_to_data (SbxEvidence *evidence, gsize *length);

/**
 * sbx_evidence_save:
 * Writes sbx_evidence_to_data() to @path (replaced atomically, mode 0644).
 * Returns: %TRUE, or %FALSE with SBX_ERROR_IO.  Since: 0.1
 */
SBX_PUBLIC gboolean sbx_evidence_save (SbxEvidence *evidence, const char *path, GError **error);

/**
 * sbx_evidence_dup_digest:
 * Returns: (transfer full): the sha256 (lower-case hex) recomputed over the
 *   canonical serialisation of everything but the "digest" member.  Since: 0.1
 */
SBX_PUBLIC char *sbx_evidence_dup_digest (SbxEvidence *evidence);

/**
 * sbx_evidence_get_final_status:
 * Returns: (transfer none) (nullable): the recorded "final_status" text, or
 *   %NULL when absent or not a string.  Unverified.  Since: 0.1
 */
SBX_PUBLIC const char *sbx_evidence_get_final_status (SbxEvidence *evidence);

/**
 * sbx_evidence_get_n_probes:
 * Returns: the number of entries of "probes" (0 when malformed).  Since: 0.1
 */
SBX_PUBLIC guint sbx_evidence_get_n_probes (SbxEvidence *evidence);

/**
 * sbx_evidence_get_probe:
 * @index: 0 … sbx_evidence_get_n_probes() - 1.
 * @report: (out caller-allocates): filled with strings lent by @evidence.
 * Returns: %FALSE when the entry is missing or malformed.  Unverified.
 * Since: 0.1
 */
SBX_PUBLIC gboolean sbx_evidence_get_probe (SbxEvidence *evidence, guint index, SbxProbeReport *report);

/**
 * sbx_evidence_verify:
 * @profile: (nullable): when given, the profile the bundle must be about.
 * Read-only checks, in this order, stopping at the first that does not hold:
 * the schema string; the digest (recomputed); the required members and their
 * types; the recorded profile text hashes to the recorded sha256 (and, with
 * @profile, that sha256 equals sbx_profile_dup_sha256(@profile)); the argv
 * hash; every verdict, the summary and final_status follow from the recorded
 * results; every required probe (of @profile, else of the bundle) is present,
 * PASS, with a control that detected (VIOLATED); final_status is
 * SANDBOX_ATTESTED.
 * Returns: %TRUE, or %FALSE with SBX_ERROR_EVIDENCE naming what failed.
 * Since: 0.1
 */
SBX_PUBLIC gboolean sbx_evidence_verify (SbxEvidence *evidence, SbxProfile *profile, GError **error);

typedef struct _SbxAttestation SbxAttestation;

/**
 * SbxAttestProgressFunc:
 * @report: one probe's outcome, lent for the duration of the call.
 * Called once per probe, in the order the probes complete.  Since: 0.1
 */
typedef void (*SbxAttestProgressFunc) (const SbxProbeReport *report, gpointer user_data);

/**
 * sbx_attestation_new:
 * Keeps a reference to @profile and records its canonical text and sha256
 * now: the bundle describes the profile as given, before sbx_attestation_run()
 * points its input and output at the scratch area.
 * Returns: (transfer full): a new attestation.  Since: 0.1
 */
SBX_PUBLIC SbxAttestation *sbx_attestation_new (SbxProfile *profile);
SBX_PUBLIC SbxAttestation *sbx_attestation_ref (SbxAttestation *attestation);
SBX_PUBLIC void sbx_attestation_unref (SbxAttestation *attestation);

/** sbx_attestation_set_bwrap: @path: (nullable): bwrap to use; %NULL searches PATH. Since: 0.1 */
SBX_PUBLIC void sbx_attestation_set_bwrap (SbxAttestation *attestation, const char *path);

/**
 * sbx_attestation_set_helper_dir:
 * @dir: (nullable): folder holding sbx-probe and sbx-preload.so; %NULL uses
 *   $SBX_HELPER_DIR, else the folder of the running program when it holds
 *   sbx-preload.so, else the installed location.  Since: 0.1
 */
SBX_PUBLIC void sbx_attestation_set_helper_dir (SbxAttestation *attestation, const char *dir);

/**
 * sbx_attestation_set_input:
 * @host_dir: (nullable): a host folder to show at /in instead of the
 *   generated fixtures (the CLI's --in).  It is only read: nothing is planted
 *   in it (so the planted-symlink leg of PR-FS-ESC-2 runs in the control
 *   only), and its top-level regular files are hashed before and after the
 *   sandbox run.  %NULL: the profile's input if it names one, else fixtures
 *   in the scratch area.  Since: 0.1
 */
SBX_PUBLIC void sbx_attestation_set_input (SbxAttestation *attestation, const char *host_dir);

/**
 * sbx_attestation_set_output:
 * @host_dir: (nullable): a host folder to show at /out (the CLI's --out).
 *   The sandbox run writes sbx-nonce.txt there; once the host has checked it,
 *   it is removed again (when it holds this run's nonce).  %NULL: the
 *   profile's output if it names one, else the scratch area.  Since: 0.1
 */
SBX_PUBLIC void sbx_attestation_set_output (SbxAttestation *attestation, const char *host_dir);

/**
 * sbx_attestation_set_tool:
 * Name and version of the program recorded in the bundle ("tool").
 * Default: "libsbxprofile" and sbx_version_string().  Since: 0.1
 */
SBX_PUBLIC void sbx_attestation_set_tool (SbxAttestation *attestation, const char *name, const char *version);

/**
 * sbx_attestation_set_progress_func:
 * @func: (nullable): called per probe from sbx_attestation_run().
 * The library never prints; this is how a front end shows progress.
 * Since: 0.1
 */
SBX_PUBLIC void sbx_attestation_set_progress_func (SbxAttestation *attestation,
                                                   SbxAttestProgressFunc func, gpointer user_data);

/**
 * sbx_attestation_cancel:
 * Asks a running sbx_attestation_run() to stop: it kills both probe runs,
 * removes the scratch area and fails with SBX_ERROR_ATTEST.  Async-signal-
 * safe: meant to be called from a SIGINT/SIGTERM handler.  Since: 0.1
 */
SBX_PUBLIC void sbx_attestation_cancel (SbxAttestation *attestation);

/**
 * sbx_attestation_run:
 * Prepares a scratch area (a private folder below the temporary directory:
 * fixtures, a planted symlink, a canary secret outside every mount, decoy
 * TCP/UDP/Unix listeners on loopback), sets the canary and secret-looking
 * variables in this process's environment for the duration of the run, runs
 * sbx-probe inside the sandbox (the same SbxSandbox path as `sbx run`) and,
 * at the same time, as the negative control outside it, serves the decoys,
 * makes the host-side checks, builds the evidence and removes the scratch
 * area, whatever happens.  Call it from a single-threaded program: it
 * changes environ and forks.
 * Returns: %TRUE when the attestation was carried out — whatever its status,
 *   see sbx_attestation_get_evidence() — or %FALSE with @error set when it
 *   could not be (SBX_ERROR_ATTEST, SBX_ERROR_IO, SBX_ERROR_BWRAP, ...).
 * Since: 0.1
 */
SBX_PUBLIC gboolean sbx_attestation_run (SbxAttestation *attestation, GError **error);

/**
 * sbx_attestation_get_evidence:
 * Returns: (transfer none) (nullable): the bundle of the last successful
 *   sbx_attestation_run(), or %NULL.  Since: 0.1
 */
SBX_PUBLIC SbxEvidence *sbx_attestation_get_evidence (SbxAttestation *attestation);

/**
 * sbx_attestation_get_status:
 * Returns: the final status of the last successful sbx_attestation_run()
 *   (SBX_ATTEST_STATUS_FAILED before one).  Since: 0.1
 */
SBX_PUBLIC SbxAttestStatus sbx_attestation_get_status (SbxAttestation *attestation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxProfile, sbx_profile_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxProgram, sbx_program_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxSandbox, sbx_sandbox_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxEvidence, sbx_evidence_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxAttestation, sbx_attestation_unref)

G_END_DECLS
