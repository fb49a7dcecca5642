/* sbx-envelope.h — what `sbx attest` writes: the evidence as the predicate
 * of an in-toto Statement v1, in a DSSE envelope signed with ed25519 keys.
 *
 * The predicate (type SBX_PREDICATE_TYPE) is the evidence document of
 * probes/EVIDENCE.md without its "schema" and "digest" members (the
 * signature replaces the digest), plus
 *   "time"       when the statement was made, UTC ISO 8601 (self-reported:
 *                the challenge is what proves freshness);
 *   "challenge"  the verifier's nonce (`--challenge`), or null;
 * and the subjects name, by sha256, the profile's canonical text and every
 * binary that took part (sbx, sbx-attest, sbx-probe, the helpers, bwrap).
 */
#pragma once

#include "sbx-dsse.h"
#include "sbx-statement.h"

G_BEGIN_DECLS

/* (transfer full) The envelope: the predicate made from @evidence_root
 * (copied), @time (nullable: now), @challenge (nullable), the statement over
 * @subjects (SbxSubject*), signed with each of @sign_keys (SbxKey*,
 * private; NULL or empty: unsigned). */
JsonNode *sbx_attest_envelope_new (JsonNode *evidence_root, GPtrArray *subjects, const char *time,
                                   const char *challenge, GPtrArray *sign_keys, GError **error);

/* (transfer full) SbxKey* (private) loaded from each of @paths; NULL with
 * @error naming the file when one is not an unencrypted ed25519 PKCS#8 PEM. */
GPtrArray *sbx_sign_keys_load (const char *const *paths, GError **error);

/* (transfer full) SbxSubject* of an attestation: "profile" (the canonical
 * text's sha256) and every program of run.tools.files by its role: "sbx",
 * "sbx-attest", "bwrap", "sbx-probe" and the helpers.  NULL with @error when
 * one could not be hashed. */
GPtrArray *sbx_attest_subjects (JsonNode *evidence_root, GError **error);

/* Whether @challenge is usable as a nonce: 1 to 256 printable ASCII
 * characters, no spaces. */
gboolean sbx_challenge_valid (const char *challenge);

/* (transfer full) @envelope as indented JSON text ending in a newline. */
char *sbx_envelope_to_data (JsonNode *envelope, gsize *length);

G_END_DECLS
