/* sbx-attest-private.h — internal model shared by the attestation files
 * (sbx-attest.c, sbx-scratch.c, sbx-venue.c, sbx-evidence.c) and the
 * evidence unit test.  attest/ sees libsbxprofile through sbxprofile.h only.
 *
 * An attestation fills one SbxAttestRecord (what was observed); the
 * evidence writer turns it into the sbxprofile.evidence/1 JSON document
 * (probes/EVIDENCE.md) and signs nothing: the digest is a sha256 over the
 * canonical serialisation, an integrity check, not an authenticity proof.
 */
#pragma once

#include "sbx-attest.h"
#include "sbx-json.h"
#include "sbx-verdict.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SBX_EVIDENCE_SCHEMA "sbxprofile.evidence/1"
/* The probe program, in the helper folder and at SBX_SANDBOX_HELPER_DIR. */
#define SBX_PROBE_NAME "sbx-probe"

/* sbx-attest-error.c: an SBX_ERROR @code whose message is @format's text,
 * ": ", and strerror (@saved_errno). */
void sbx_attest_errno_error (GError **error, SbxError code, int saved_errno,
                             const char *format, ...) G_GNUC_PRINTF (4, 5);

typedef enum {
  SBX_SIDE_SANDBOX,
  SBX_SIDE_CONTROL,
  SBX_N_SIDES,
} SbxSide;

/* One ATTEMPT line of sbx-probe. */
typedef struct {
  char *call;
  char *args;
  char *ret;        /* as the probe printed it; an integer when it parses as one */
  char *errno_name; /* "0" when the call succeeded */
} SbxAttempt;

/* What one run (sandbox or control) said about one probe. */
typedef struct {
  SbxProbeResult result; /* SBX_PROBE_MISSING until a RESULT line arrives */
  char *summary;
  GPtrArray *attempts;   /* SbxAttempt* */
  gint64 duration_ms;    /* since the previous record of the same run */
} SbxProbeSideRecord;

/* A check only the host can make (fixtures unchanged, nonce arrived,
 * nothing reached a decoy); a failed one makes the probe FAIL. */
typedef struct {
  char *check;
  gboolean ok;
  char *detail;
} SbxHostCheck;

typedef struct {
  char *id;
  char *property;
  gboolean required;
  SbxProbeSideRecord side[SBX_N_SIDES];
  GPtrArray *host_checks; /* SbxHostCheck* */
  SbxVerdict verdict;     /* filled by sbx_probe_record_decide() */
  char *verdict_reason;   /* why the observations overruled a run's claim, or NULL */
  gint64 duration_ms;
} SbxProbeRecord;

/* Everything a bundle holds besides what the writer computes itself
 * (summary, final_status, digest). */
typedef struct {
  char *tool_name;
  char *tool_version;
  JsonNode *venue;          /* object (sbx-venue.c) */
  char *started;            /* UTC ISO 8601 */
  char *finished;
  char *profile_name;
  char *profile_source;
  char *profile_canonical;
  char *profile_sha256;
  GStrv profile_overrides;  /* command-line overrides, "--timeout=30" … (in canonical already) */
  GStrv required;           /* probe ids */
  char *exec_lock;          /* "on" | "self" | "off" */
  char *launch_sha256;
  gint64 launch_instructions;
  char *lock_sha256;
  char *launch_bpf_base64;  /* the programs themselves, so that a verifier */
  char *lock_bpf_base64;    /* can hash and read them (nullable) */
  gint64 lock_instructions;
  GStrv argv;               /* the exact bwrap argv, bwrap first */
  JsonNode *run;            /* object: scratch, decoys, exit statuses (nullable) */
  GPtrArray *probes;        /* SbxProbeRecord*, catalogue order */
  GStrv overrides;          /* tools not from sbx's own location ($SBX_HELPER_DIR …):
                             * the bundle is never SANDBOX_ATTESTED (NULL: none) */
} SbxAttestRecord;

/* Loopback decoys of one run; each run gets its own so that what reached
 * them can be told apart (sandbox and control run at the same time). */
typedef struct {
  int tcp_fd;             /* listening, 127.0.0.1:tcp_port */
  int udp_fd;             /* bound, 127.0.0.1:udp_port: echoes each datagram */
  int unix_fd;            /* listening at unix_path */
  int abstract_fd;        /* listening at "\0" abstract_name */
  guint16 tcp_port;
  guint16 udp_port;
  char *unix_path;
  char *abstract_name;
  guint tcp_connections;  /* what reached them */
  guint udp_datagrams;
  guint unix_connections;
  guint abstract_connections;
} SbxDecoys;

/* The scratch area: a private folder below the temporary directory. */
typedef struct {
  char *root;
  char *in;               /* the sandbox's input: scratch fixtures or the user's folder */
  gboolean in_is_user;
  char *out;              /* the sandbox's output */
  gboolean out_is_user;
  char *in_control;       /* the control's own copy of the fixtures */
  char *out_control;      /* a path that does not exist (PR-FS-OUT-OK's control) */
  char *tmp_control;
  char *canary_path;      /* outside every mount */
  char *canary_text;
  char *nonce;            /* 32 hex */
  char *planted_symlink;  /* name in `in` / `in_control` pointing at canary_path */
  GStrv fixtures;         /* names read by PR-FS-RO-IN in the sandbox's input */
  GStrv control_fixtures;
  char *expect_path[SBX_N_SIDES];
  SbxDecoys decoys[SBX_N_SIDES];
} SbxScratch;

/* sbx-scratch.c.  @user_in / @user_out (nullable) replace the generated
 * input / output folder of the sandbox run; the user's input is only read. */
SbxScratch *sbx_scratch_new (const char *user_in, const char *user_out, GError **error);
/* Closes the decoys and removes the whole scratch folder (never the user's
 * folders).  NULL is a no-op. */
void sbx_scratch_free (SbxScratch *scratch);
/* Removes @path and everything below it, making folders writable as
 * needed; does not follow symlinks.  Returns FALSE with errno on failure. */
gboolean sbx_remove_tree (const char *path);
/* A text listing of the top-level entries of @dir: name, type, mode, size,
 * mtime and the sha256 of regular files (at most @max_files hashed).  Two
 * listings are equal iff nothing visible changed.  (transfer full) */
char *sbx_dir_snapshot (const char *dir, guint max_files, GError **error);
/* The first line that differs between two snapshots, for messages. */
char *sbx_snapshot_first_difference (const char *before, const char *after);

/* sbx-evidence.c */
SbxAttestRecord *sbx_attest_record_new (void);
void sbx_attest_record_free (SbxAttestRecord *record);
SbxProbeRecord *sbx_probe_record_new (const char *id, const char *property, gboolean required);
void sbx_probe_record_free (SbxProbeRecord *record);
void sbx_probe_record_add_host_check (SbxProbeRecord *record, const char *check,
                                                   gboolean ok, const char *detail);
/* The verdict of @record from its observations, results and host checks
 * (sbx-verdict.h, the rules the verifier applies again). */
void sbx_probe_record_decide (SbxProbeRecord *record, const SbxVerdictContext *ctx);
void sbx_probe_record_to_report (const SbxProbeRecord *record, SbxProbeReport *report);
/* ATTESTED iff no probe FAILs and every required one PASSes; any FAIL →
 * FAILED; else PARTIAL. */
SbxAttestStatus sbx_attest_status_decide (GPtrArray *probes);
/* SANDBOX_ATTESTED becomes PARTIAL when any tool was overridden. */
SbxAttestStatus sbx_attest_status_cap (SbxAttestStatus status, guint n_overrides);
gboolean sbx_probe_result_from_string (const char *text, SbxProbeResult *result);

/* The final status of @n verdicts, @required[i] telling whether probe i
 * is required (pure; the writer and the verifier share it). */
SbxAttestStatus sbx_attest_status_decide_from (guint n, const SbxVerdict *verdicts, const gboolean *required);
/* The members every bundle (and predicate) must carry. */
extern const SbxJsonMember sbx_evidence_members[];
extern const gsize sbx_evidence_n_members;
/* Builds the bundle (digest included).  (transfer full) */
SbxEvidence *sbx_evidence_new_from_record (const SbxAttestRecord *record);
/* The canonical serialisation of @node (objects with sorted member names,
 * no whitespace); at the top level of an object, @skip_member (nullable) is
 * left out.  (transfer full) */
char *sbx_json_canonical (JsonNode *node, const char *skip_member);
/* sha256 (lower-case hex) of the canonical serialisation of @root without
 * its "digest" member.  (transfer full) */
char *sbx_evidence_compute_digest (JsonNode *root);
/* The bundle's document.  (transfer none) */
JsonNode *sbx_evidence_peek_root (SbxEvidence *evidence);
/* sha256 of the argv as bundles record it: each element followed by a NUL. */
char *sbx_argv_sha256 (const char *const *argv);

/* sbx-venue.c: kernel, ids, bwrap facts, userns mode, Landlock ABI,
 * virtualisation guess, hostname.  (transfer full) */
JsonNode *sbx_venue_collect (const char *bwrap_path);
char *sbx_utc_now_iso8601 (void);
char *sbx_file_sha256 (const char *path, GError **error);

/* sbx-profile-diff.c: "[group] key: A_NAME “x”, B_NAME “y”; …" for every
 * key two canonical profile texts disagree on, or NULL when none (or one
 * does not parse), for `sbx verify --profile`.  (transfer full) */
char *sbx_profile_diff_canonical (const char *a_text, const char *b_text, const char *a_name,
                                  const char *b_name);

G_END_DECLS
