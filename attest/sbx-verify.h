/* sbx-verify.h — `sbx verify`: checks a signed evidence envelope read-only.
 *
 * One function per step (sbx-verify.c), run in order; a step that finds
 * something wrong records a failure naming itself ("signature: …",
 * "policy: [venue] caller=non-root: …") and the later steps still run, so
 * every failed check is listed.  Only steps whose input could not be read at
 * all (not JSON, not an envelope, not a statement, another predicate type,
 * members missing) stop the steps that need that input.
 *
 * The verdict is VERIFIED only when no step failed, a signature by one of
 * the given keys verified (without a key nobody vouched for the bundle) and
 * a profile was given to check the bundle against ("profile not checked"
 * otherwise).
 */
#pragma once

#include "sbx-dsse.h"
#include "sbx-venue-policy.h"

#include "sbxprofile.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *keys;              /* SbxKey* (public) the verifier trusts; may be empty */
  const char *challenge;        /* nullable: the nonce the verifier chose */
  gint64 max_age_seconds;       /* 0: unchecked */
  const SbxVenuePolicy *policy; /* nullable */
  SbxProfile *profile;          /* nullable */
  GDateTime *now;               /* nullable: the current time */
} SbxVerifyOptions;

typedef struct {
  gboolean verified;
  GPtrArray *failures;   /* char*: "<step>: <what>" */
  GPtrArray *notes;      /* char*: what was not checked, and why */
  char *envelope_sha256; /* of the file's bytes; NULL when unreadable */
  char *signer_keyid;    /* nullable */
  char *signer_name;     /* nullable */
  GHashTable *verdicts;  /* probe id → verdict text, from the signed predicate */
  char *final_status;    /* nullable */
  guint n_probes;
} SbxVerifyResult;

void sbx_verify_result_init (SbxVerifyResult *result);
void sbx_verify_result_clear (SbxVerifyResult *result);

/* Verifies the envelope file @path (bounded read: regular files of at most
 * SBX_BUNDLE_MAX_SIZE).  Never fails as a call: everything is in @result. */
void sbx_verify_file (const char *path, const SbxVerifyOptions *options, SbxVerifyResult *result);
/* The same for envelope text in memory. */
void sbx_verify_data (const char *data, gsize length, const SbxVerifyOptions *options, SbxVerifyResult *result);

G_END_DECLS
