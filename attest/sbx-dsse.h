/* sbx-dsse.h — DSSE envelopes signed with ed25519 (OpenSSL libcrypto).
 *
 * The envelope is the one of https://github.com/secure-systems-lab/dsse
 * (envelope.md, protocol.md):
 *
 *   { "payloadType": "<type>", "payload": "<base64 body>",
 *     "signatures": [ { "keyid": "<hex>", "sig": "<base64>" } ] }
 *
 * and each signature is over the pre-authentication encoding
 *
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 *
 * with LEN the decimal byte count.  Keys are ed25519 in PEM: the private key
 * as PKCS#8 (`openssl genpkey -algorithm ed25519 -out KEY.pem`), the public
 * key as SubjectPublicKeyInfo (`openssl pkey -in KEY.pem -pubout`).  A
 * keyid is the sha256, in lower-case hex, of the public key's DER
 * SubjectPublicKeyInfo: `openssl pkey -pubin -in PUB.pem -outform DER |
 * sha256sum` gives the same.  The keyid is a hint only: verification tries
 * the signature against the key it names and never trusts it by itself.
 *
 * No crypto of our own: signing and verifying are EVP_DigestSign /
 * EVP_DigestVerify with a NULL digest (ed25519 is a one-shot scheme).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SBX_DSSE_INTOTO_PAYLOAD_TYPE "application/vnd.in-toto+json"

typedef struct _SbxKey SbxKey;

/* (transfer full) The PAE bytes of @payload_type and @body. */
GBytes *sbx_dsse_pae (const char *payload_type, const guint8 *body, gsize body_len);

/* (transfer full) An ed25519 private key from a PKCS#8 PEM file; NULL with
 * @error naming @path and what is wrong (unreadable, not PEM, not ed25519). */
SbxKey *sbx_key_load_private (const char *path, GError **error);
/* (transfer full) An ed25519 public key from a PEM file: a public key
 * (SubjectPublicKeyInfo) or, for convenience, a private key whose public
 * half is used. */
SbxKey *sbx_key_load_public (const char *path, GError **error);
/* (transfer full) The same from PEM text in memory; @name for messages. */
SbxKey *sbx_key_new_public_from_pem (const char *pem, gsize len, const char *name, GError **error);
SbxKey *sbx_key_new_private_from_pem (const char *pem, gsize len, const char *name, GError **error);
void sbx_key_free (SbxKey *key);
/* (transfer none) sha256 of the DER SubjectPublicKeyInfo, lower-case hex. */
const char *sbx_key_get_keyid (const SbxKey *key);
/* (transfer none) The file or name the key was loaded from. */
const char *sbx_key_get_name (const SbxKey *key);
/* (transfer full) The public key as SubjectPublicKeyInfo PEM text. */
char *sbx_key_dup_public_pem (const SbxKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxKey, sbx_key_free)

/* (transfer full) A DSSE envelope over @body: one signature per key of
 * @keys (SbxKey*, private; may be NULL or empty for an unsigned envelope,
 * which no verifier accepts).  NULL with @error when signing fails. */
JsonNode *sbx_dsse_envelope_new (const char *payload_type, const guint8 *body, gsize body_len,
                                 GPtrArray *keys, GError **error);

/* A parsed envelope, lending into the JsonNode it was made from. */
typedef struct {
  const char *payload_type;
  GBytes *payload;      /* decoded body (owned) */
  guint n_signatures;
} SbxDsseEnvelope;

/* Checks @root is a well-formed envelope (members, types, base64) and fills
 * @env; FALSE with @error naming the member otherwise.  Verifies nothing.
 * Free with sbx_dsse_envelope_clear(). */
gboolean sbx_dsse_envelope_parse (JsonNode *root, SbxDsseEnvelope *env, GError **error);
void sbx_dsse_envelope_clear (SbxDsseEnvelope *env);

/* Whether a signature of the envelope at @root verifies under one of @keys
 * (SbxKey*, public): TRUE with *@signer (transfer none, an element of @keys)
 * set; FALSE with @error saying why: no signatures, no signature by any of
 * the keys (their keyids listed), or a signature that does not verify. */
gboolean sbx_dsse_envelope_verify (JsonNode *root, GPtrArray *keys, const SbxKey **signer, GError **error);

G_END_DECLS
