/* sbx-verdict.h — the verdict rules: a probe's raw observations (its
 * ATTEMPT records, both runs), the host checks and the profile's context →
 * the verdict and the reason.  Pure: no I/O, no clock, no globals.
 *
 * `sbx attest` decides every probe with sbx_verdict_compute() when it
 * writes the bundle, and `sbx verify` calls it again on the observations
 * the bundle records: a recorded verdict that differs is a forgery (or a
 * bug), named with the probe.
 *
 * The probes decide nothing that is believed on its word.  Each
 * observation is judged by the rule of its probe and call (a table in
 * sbx-verdict.c): it shows the restriction holding ("held"), shows it
 * broken ("weak"), or decides nothing ("note": fixtures, set-up, legs the
 * host cannot attribute).  From those:
 *   - a run with a weak observation VIOLATED the property, whatever its
 *     RESULT line claims;
 *   - a sandbox run that claims HOLDS needs at least one held observation
 *     (else UNTESTABLE: nothing shows it);
 *   - a control run that claims VIOLATED needs at least one weak
 *     observation (else UNTESTABLE: nothing shows the probe can fail);
 *   - a claim of VIOLATED, ERROR or MISSING is never softened.
 * Then the rule of the plan (probes/EVIDENCE.md, "Verdicts"): PASS = the
 * sandbox HOLDS, the control VIOLATED and every host check passed; FAIL =
 * the sandbox VIOLATED, ERROR or MISSING, or a host check failed;
 * INCONCLUSIVE otherwise. */
#pragma once

#include "sbx-attest.h"

G_BEGIN_DECLS

/* One ATTEMPT record as both runs print it and bundles keep it. */
typedef struct {
  const char *call;
  const char *args;
  const char *ret;        /* as text: "-1", "3", "lo", "killed by SIGSYS" */
  const char *errno_name; /* "0" when the call worked */
} SbxObservation;

/* The order of SbxVerdictContext.host_ns. */
#define SBX_VERDICT_NS_NAMES { "net", "pid", "ipc", "uts", "mnt", "user", "cgroup" }
#define SBX_VERDICT_N_NS 7

/* The resource limits PR-RLIMIT-1 reads: the probe's expectations key
 * and the label of the line in /proc/self/limits. */
typedef struct {
  int resource;           /* RLIMIT_CPU … */
  const char *key;        /* "limit_cpu" */
  const char *label;      /* "Max cpu time" */
} SbxVerdictLimit;
#define SBX_VERDICT_N_LIMITS 6
extern const SbxVerdictLimit sbx_verdict_limits[SBX_VERDICT_N_LIMITS];
/* The expectations key of @resource, or NULL. */
const char *sbx_verdict_limit_key (int resource);

/* What the rules need besides the observations. */
typedef struct {
  char *errno_name;       /* [seccomp] errno= of the profile, "EPERM" */
  GStrv env_allowed;      /* names a job may have: keep, set, PWD */
  gint64 host_ns[SBX_VERDICT_N_NS]; /* the host's namespace inodes, 0: unknown */
  /* the profile's limits, in the order of sbx_verdict_limits */
  gboolean limit_set[SBX_VERDICT_N_LIMITS];
  guint64 limit[SBX_VERDICT_N_LIMITS];   /* RLIM_INFINITY: unlimited */
  /* the uid each run has on the host, -1 unknown: [0] the job's (the
   * plan's, sbx_sandbox_get_job_ids(); a bundle's run.job.host_uid), [1]
   * sbx attest's (venue.uid).  The kernel exempts uid 0 from RLIMIT_NPROC. */
  gint64 host_uid[2];
} SbxVerdictContext;

/* Fills @ctx from the canonical profile text (the bundle's
 * profile.canonical; parsed from memory, nothing else read); host_ns is
 * left 0 and host_uid -1 for the caller. */
void sbx_verdict_context_init (SbxVerdictContext *ctx, const char *canonical);
void sbx_verdict_context_clear (SbxVerdictContext *ctx);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SbxVerdictContext, sbx_verdict_context_clear)

typedef struct {
  const char *id;
  SbxProbeResult claim[2];         /* what each run's RESULT said: [0] sandbox, [1] control */
  const SbxObservation *obs[2];
  gsize n_obs[2];
  gboolean host_checks_ok;
} SbxVerdictInput;

typedef struct {
  SbxProbeResult result[2];        /* each run, as its observations show it */
  SbxVerdict verdict;
  char *reason;                    /* why, when not PASS or when a claim was overruled; nullable */
} SbxVerdictOutput;

void sbx_verdict_compute (const SbxVerdictInput *in, const SbxVerdictContext *ctx, SbxVerdictOutput *out);
void sbx_verdict_output_clear (SbxVerdictOutput *out);

/* The rule of the plan alone, on the two runs' results. */
SbxVerdict sbx_verdict_decide (SbxProbeResult sandbox, SbxProbeResult control, gboolean host_checks_ok);

G_END_DECLS
