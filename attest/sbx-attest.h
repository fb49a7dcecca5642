/* sbx-attest.h — the attest program's API (attest/): `sbx attest` and
 * `sbx verify` as calls.  Not part of libsbxprofile: attestation links the
 * library through its public header (lib/sbxprofile.h) like any other
 * user, and json-glib is needed here only (DESIGN §1).
 */
#pragma once

#include "sbxprofile.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------- attestation */
/* (attest/sbx-attest.c, attest/sbx-evidence.c)
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
const char *sbx_probe_result_to_string (SbxProbeResult result);
/** sbx_verdict_to_string: Returns: (transfer none): "PASS", "FAIL" or "INCONCLUSIVE". Since: 0.1 */
const char *sbx_verdict_to_string (SbxVerdict verdict);
/** sbx_attest_status_to_string: Returns: (transfer none): "SANDBOX_ATTESTED", … Since: 0.1 */
const char *sbx_attest_status_to_string (SbxAttestStatus status);

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
 * @host_check_detail: (nullable): what that check found.
 * @duration_ms: time the sandbox run spent on the probe.
 * @verdict_reason: (nullable): why the observations overruled what a run
 *   claimed (sbx-verdict.h), e.g. a sandbox run claiming HOLDS whose
 *   observation shows the property broken.
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
  const char *host_check_detail;
  const char *verdict_reason;
} SbxProbeReport;

/**
 * sbx_probe_report_dup_reason:
 * @report: a probe's outcome.
 * Why a probe did not PASS, in one line: the first difference or failed
 * host check, the sandbox run's summary, or why the control could not
 * show the probe can fail.  NULL for a PASS.  Returns: (transfer full)
 * (nullable).  Since: 0.1
 */
char *sbx_probe_report_dup_reason (const SbxProbeReport *report);

typedef struct _SbxEvidence SbxEvidence;

/**
 * sbx_evidence_new_from_data:
 * @data: the JSON text of a bundle.
 * @length: length of @data, or -1 when NUL-terminated.
 * Parses a bundle; nothing is checked beyond JSON syntax and an object at the
 * top (see sbx_evidence_verify()).
 * Returns: (transfer full): the bundle or %NULL (SBX_ERROR_EVIDENCE).  Since: 0.1
 */
SbxEvidence *sbx_evidence_new_from_data (const char *data, gssize length, GError **error);

/**
 * sbx_evidence_new_from_file:
 * Reads and parses @path (read-only).
 * Returns: (transfer full): the bundle, or %NULL (SBX_ERROR_IO when @path
 *   cannot be read, SBX_ERROR_EVIDENCE when it is not JSON).  Since: 0.1
 */
SbxEvidence *sbx_evidence_new_from_file (const char *path, GError **error);

SbxEvidence *sbx_evidence_ref (SbxEvidence *evidence);
void sbx_evidence_unref (SbxEvidence *evidence);

/**
 * sbx_evidence_to_data:
 * @length: (out) (optional): length of the text.
 * Returns: (transfer full): the bundle as indented JSON, ending in a newline.
 * Since: 0.1
 */
char *sbx_evidence_to_data (SbxEvidence *evidence, gsize *length);

/**
 * sbx_evidence_save:
 * Writes sbx_evidence_to_data() to @path (replaced atomically, mode 0644).
 * Returns: %TRUE, or %FALSE with SBX_ERROR_IO.  Since: 0.1
 */
gboolean sbx_evidence_save (SbxEvidence *evidence, const char *path, GError **error);

/**
 * sbx_evidence_dup_digest:
 * Returns: (transfer full): the sha256 (lower-case hex) recomputed over the
 *   canonical serialisation of everything but the "digest" member.  Since: 0.1
 */
char *sbx_evidence_dup_digest (SbxEvidence *evidence);

/**
 * sbx_evidence_get_final_status:
 * Returns: (transfer none) (nullable): the recorded "final_status" text, or
 *   %NULL when absent or not a string.  Unverified.  Since: 0.1
 */
const char *sbx_evidence_get_final_status (SbxEvidence *evidence);

/**
 * sbx_evidence_dup_overrides:
 * @evidence: a bundle.
 * The tools of the run that did not come from sbx's own location
 * ($SBX_HELPER_DIR …), "; "-separated; such a bundle is never
 * SANDBOX_ATTESTED.  Returns: (transfer full) (nullable): NULL when none.
 * Since: 0.1
 */
char *sbx_evidence_dup_overrides (SbxEvidence *evidence);

/**
 * sbx_evidence_get_n_probes:
 * Returns: the number of entries of "probes" (0 when malformed).  Since: 0.1
 */
guint sbx_evidence_get_n_probes (SbxEvidence *evidence);

/**
 * sbx_evidence_get_probe:
 * @index: 0 … sbx_evidence_get_n_probes() - 1.
 * @report: (out caller-allocates): filled with strings lent by @evidence.
 * Returns: %FALSE when the entry is missing or malformed.  Unverified.
 * Since: 0.1
 */
gboolean sbx_evidence_get_probe (SbxEvidence *evidence, guint index, SbxProbeReport *report);

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
gboolean sbx_evidence_verify (SbxEvidence *evidence, SbxProfile *profile, GError **error);

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
SbxAttestation *sbx_attestation_new (SbxProfile *profile);
SbxAttestation *sbx_attestation_ref (SbxAttestation *attestation);
void sbx_attestation_unref (SbxAttestation *attestation);

/**
 * SbxAttestOptions:
 * @bwrap: (nullable): bwrap to use; %NULL searches PATH.
 * @helper_dir: (nullable): folder holding sbx-probe and sbx-exec; %NULL uses
 *   $SBX_HELPER_DIR, else the folder of the running program when it holds
 *   sbx-exec, else the installed location.
 * @input: (nullable): a host folder to show at /in instead of the generated
 *   fixtures (the CLI's --in).  It is only read: nothing is planted in it (so
 *   the planted-symlink leg of PR-FS-ESC-2 runs in the control only), and its
 *   top-level regular files are hashed before and after the sandbox run.
 *   %NULL: the profile's input if it names one, else fixtures in the scratch
 *   area.
 * @output: (nullable): a host folder to show at /out (the CLI's --out).  The
 *   sandbox run writes sbx-nonce.txt there; once the host has checked it, it
 *   is removed again (when it holds this run's nonce).  %NULL: the profile's
 *   output if it names one, else the scratch area.
 * @tool_name: (nullable): name of the program recorded in the bundle
 *   ("tool"); %NULL: "libsbxprofile".
 * @tool_version: (nullable): its version; %NULL: sbx_version_string().
 * How an attestation runs, besides its profile; fill with designated
 * initialisers, the members left out are %NULL.  Since: 0.2 (one setter per
 * member before)
 */
typedef struct {
  const char *bwrap, *helper_dir;       /* the programs */
  const char *input, *output;           /* the folders */
  const char *tool_name, *tool_version; /* who records the bundle */
} SbxAttestOptions;

/**
 * sbx_attestation_set_options:
 * Copies every member of @options (transfer none) into @attestation; a %NULL
 * member restores its default.  Since: 0.2
 */
void sbx_attestation_set_options (SbxAttestation *attestation, const SbxAttestOptions *options);

/**
 * sbx_attestation_set_progress_func:
 * @func: (nullable): called per probe from sbx_attestation_run().
 * The library never prints; this is how a front end shows progress.
 * Since: 0.1
 */
void sbx_attestation_set_progress_func (SbxAttestation *attestation,
                                                   SbxAttestProgressFunc func, gpointer user_data);

/**
 * sbx_attestation_cancel:
 * Asks a running sbx_attestation_run() to stop: it kills both probe runs,
 * removes the scratch area and fails with SBX_ERROR_ATTEST.  Async-signal-
 * safe: meant to be called from a SIGINT/SIGTERM handler.  Since: 0.1
 */
void sbx_attestation_cancel (SbxAttestation *attestation);

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
gboolean sbx_attestation_run (SbxAttestation *attestation, GError **error);

/**
 * sbx_attestation_get_evidence:
 * Returns: (transfer none) (nullable): the bundle of the last successful
 *   sbx_attestation_run(), or %NULL.  Since: 0.1
 */
SbxEvidence *sbx_attestation_get_evidence (SbxAttestation *attestation);

/**
 * sbx_attestation_get_status:
 * Returns: the final status of the last successful sbx_attestation_run()
 *   (SBX_ATTEST_STATUS_FAILED before one).  Since: 0.1
 */
SbxAttestStatus sbx_attestation_get_status (SbxAttestation *attestation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxEvidence, sbx_evidence_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxAttestation, sbx_attestation_unref)

G_END_DECLS
