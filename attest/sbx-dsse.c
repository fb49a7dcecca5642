/* sbx-dsse.c — DSSE envelopes, ed25519 through OpenSSL libcrypto
 * (sbx-dsse.h).  Nothing here implements crypto: libcrypto signs and
 * verifies; this file encodes the PAE, base64 and the envelope members. */
#include "config.h"

#include "sbx-dsse.h"
#include "sbx-read.h"

#include "sbxprofile.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

struct _SbxKey {
  EVP_PKEY *pkey;
  gboolean is_private;
  char *keyid;
  char *name;
};

/* ------------------------------------------------------------------- PAE */

GBytes *
sbx_dsse_pae (const char *payload_type, const guint8 *body, gsize body_len)
{
  GByteArray *out = g_byte_array_new ();
  g_autofree char *head = g_strdup_printf ("DSSEv1 %zu %s %zu ", strlen (payload_type), payload_type, body_len);

  g_byte_array_append (out, (const guint8 *) head, strlen (head));
  if (body_len > 0)
    g_byte_array_append (out, body, body_len);
  return g_byte_array_free_to_bytes (out);
}

/* ------------------------------------------------------------------- keys */

static char *
openssl_reason (void)
{
  unsigned long e = ERR_get_error ();
  char buf[256];

  ERR_clear_error ();
  if (e == 0)
    return g_strdup ("no reason given by OpenSSL");
  ERR_error_string_n (e, buf, sizeof buf);
  return g_strdup (buf);
}

/* An encrypted private key is refused rather than prompted for. */
static int
no_password (char *buf, int size, int rwflag, void *user_data)
{
  return -1;
}

static char *
keyid_of (EVP_PKEY *pkey)
{
  unsigned char *der = NULL;
  int len = i2d_PUBKEY (pkey, &der);
  char *hex;

  if (len <= 0)
    return NULL;
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, (gsize) len);
  OPENSSL_free (der);
  return hex;
}

static SbxKey *
key_take (EVP_PKEY *pkey, gboolean is_private, const char *name, GError **error)
{
  SbxKey *key;

  if (EVP_PKEY_base_id (pkey) != EVP_PKEY_ED25519)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: not an ed25519 key (%s); make one with "
                   "`openssl genpkey -algorithm ed25519 -out KEY.pem`", name, OBJ_nid2sn (EVP_PKEY_base_id (pkey)));
      EVP_PKEY_free (pkey);
      return NULL;
    }
  key = g_new0 (SbxKey, 1);
  key->pkey = pkey;
  key->is_private = is_private;
  key->keyid = keyid_of (pkey);
  key->name = g_strdup (name);
  if (key->keyid == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: cannot encode the public key", name);
      sbx_key_free (key);
      return NULL;
    }
  return key;
}

static SbxKey *
key_from_pem (const char *pem, gsize len, const char *name, gboolean want_private, GError **error)
{
  BIO *bio;
  EVP_PKEY *pkey;
  gboolean is_private = FALSE;

  if (len > G_MAXINT)
    len = G_MAXINT;
  bio = BIO_new_mem_buf (pem, (int) len);
  if (bio == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: out of memory", name);
      return NULL;
    }
  ERR_clear_error ();
  if (want_private || g_strstr_len (pem, (gssize) len, "PRIVATE KEY-----") != NULL)
    {
      pkey = PEM_read_bio_PrivateKey (bio, NULL, no_password, NULL);
      is_private = TRUE;
    }
  else
    pkey = PEM_read_bio_PUBKEY (bio, NULL, NULL, NULL);
  BIO_free (bio);
  if (pkey == NULL)
    {
      g_autofree char *why = openssl_reason ();

      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: not %s ed25519 key in PEM (%s)%s", name,
                   want_private ? "an unencrypted PKCS#8 private" : "a public", why,
                   want_private ? "; make one with `openssl genpkey -algorithm ed25519 -out KEY.pem`"
                                : "; export one with `openssl pkey -in KEY.pem -pubout -out PUB.pem`");
      return NULL;
    }
  return key_take (pkey, is_private, name, error);
}

static SbxKey *
key_load (const char *path, gboolean want_private, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!sbx_read_file_bounded (path, 64 * 1024, &data, &len, error))
    return NULL;
  return key_from_pem (data, len, path, want_private, error);
}

SbxKey *
sbx_key_load_private (const char *path, GError **error)
{
  return key_load (path, TRUE, error);
}

SbxKey *
sbx_key_load_public (const char *path, GError **error)
{
  return key_load (path, FALSE, error);
}

SbxKey *
sbx_key_new_public_from_pem (const char *pem, gsize len, const char *name, GError **error)
{
  return key_from_pem (pem, len, name, FALSE, error);
}

SbxKey *
sbx_key_new_private_from_pem (const char *pem, gsize len, const char *name, GError **error)
{
  return key_from_pem (pem, len, name, TRUE, error);
}

void
sbx_key_free (SbxKey *key)
{
  if (key == NULL)
    return;
  EVP_PKEY_free (key->pkey);
  g_free (key->keyid);
  g_free (key->name);
  g_free (key);
}

const char *
sbx_key_get_keyid (const SbxKey *key)
{
  return key->keyid;
}

const char *
sbx_key_get_name (const SbxKey *key)
{
  return key->name;
}

char *
sbx_key_dup_public_pem (const SbxKey *key)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *mem = NULL;
  long n;
  char *out = NULL;

  if (bio == NULL)
    return NULL;
  if (PEM_write_bio_PUBKEY (bio, key->pkey) == 1 && (n = BIO_get_mem_data (bio, &mem)) > 0)
    out = g_strndup (mem, (gsize) n);
  BIO_free (bio);
  return out;
}

/* ---------------------------------------------------------- sign, verify */

static guint8 *
sign_bytes (const SbxKey *key, GBytes *msg, gsize *sig_len, GError **error)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  gsize n = 0;
  guint8 *sig = NULL;
  const guint8 *data;
  gsize len;

  data = g_bytes_get_data (msg, &len);
  ERR_clear_error ();
  if (ctx == NULL || EVP_DigestSignInit (ctx, NULL, NULL, NULL, key->pkey) != 1
      || EVP_DigestSign (ctx, NULL, &n, data, len) != 1)
    goto fail;
  sig = g_malloc (n);
  if (EVP_DigestSign (ctx, sig, &n, data, len) != 1)
    goto fail;
  EVP_MD_CTX_free (ctx);
  *sig_len = n;
  return sig;

fail:
  {
    g_autofree char *why = openssl_reason ();

    g_set_error (error, SBX_ERROR, SBX_ERROR_ATTEST, "%s: signing failed: %s", key->name, why);
  }
  g_free (sig);
  EVP_MD_CTX_free (ctx);
  return NULL;
}

static gboolean
verify_bytes (const SbxKey *key, GBytes *msg, const guint8 *sig, gsize sig_len)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  const guint8 *data;
  gsize len;
  gboolean ok;

  data = g_bytes_get_data (msg, &len);
  ok = ctx != NULL && EVP_DigestVerifyInit (ctx, NULL, NULL, NULL, key->pkey) == 1
       && EVP_DigestVerify (ctx, sig, sig_len, data, len) == 1;
  EVP_MD_CTX_free (ctx);
  ERR_clear_error ();
  return ok;
}

JsonNode *
sbx_dsse_envelope_new (const char *payload_type, const guint8 *body, gsize body_len, GPtrArray *keys,
                       GError **error)
{
  g_autoptr(GBytes) pae = sbx_dsse_pae (payload_type, body, body_len);
  g_autofree char *payload = g_base64_encode (body, body_len);
  JsonObject *env = json_object_new ();
  JsonArray *sigs = json_array_new ();
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (env, "payloadType", payload_type);
  json_object_set_string_member (env, "payload", payload);
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    {
      const SbxKey *key = g_ptr_array_index (keys, i);
      g_autofree guint8 *sig = NULL;
      g_autofree char *sig64 = NULL;
      gsize sig_len = 0;
      JsonObject *s;

      if (!key->is_private)
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_ATTEST, "%s: a public key cannot sign", key->name);
          goto fail;
        }
      sig = sign_bytes (key, pae, &sig_len, error);
      if (sig == NULL)
        goto fail;
      sig64 = g_base64_encode (sig, sig_len);
      s = json_object_new ();
      json_object_set_string_member (s, "keyid", key->keyid);
      json_object_set_string_member (s, "sig", sig64);
      json_array_add_object_element (sigs, s);
    }
  json_object_set_array_member (env, "signatures", sigs);
  json_node_take_object (root, env);
  return root;

fail:
  json_array_unref (sigs);
  json_object_unref (env);
  json_node_unref (root);
  return NULL;
}

/* Strict standard base64 with padding: g_base64_decode() skips what it
 * does not know, so two different texts could decode alike. */
static GBytes *
base64_strict (const char *text)
{
  gsize n = strlen (text), out_len = 0;
  guchar *out;

  if (n % 4 != 0)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        continue;
      /* '=' only as the last one or two characters */
      if (c == '=' && (i == n - 1 || (i == n - 2 && text[n - 1] == '=')))
        continue;
      return NULL;
    }
  out = g_base64_decode (text, &out_len);
  return g_bytes_new_take (out, out_len);
}

static JsonObject *
object_or_null (JsonNode *n)
{
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static const char *
string_member (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
    ? json_node_get_string (n) : NULL;
}

gboolean
sbx_dsse_envelope_parse (JsonNode *root, SbxDsseEnvelope *env, GError **error)
{
  JsonObject *o = object_or_null (root);
  JsonNode *sigs;
  const char *payload;

  memset (env, 0, sizeof *env);
  if (o == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not a DSSE envelope: the top level is not an object");
      return FALSE;
    }
  if (json_object_has_member (o, "schema") && !json_object_has_member (o, "payloadType"))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "this is an old, unsigned sbxprofile.evidence/1 bundle; "
                   "only DSSE envelopes (sbx attest 0.2 and later, signed with --sign-key) can be verified: "
                   "run `sbx attest --sign-key KEY.pem` again");
      return FALSE;
    }
  env->payload_type = string_member (o, "payloadType");
  if (env->payload_type == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not a DSSE envelope: member \"payloadType\" missing or "
                   "not a string");
      return FALSE;
    }
  payload = string_member (o, "payload");
  if (payload == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not a DSSE envelope: member \"payload\" missing or not "
                   "a string");
      return FALSE;
    }
  env->payload = base64_strict (payload);
  if (env->payload == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "DSSE envelope: \"payload\" is not standard base64");
      return FALSE;
    }
  sigs = json_object_get_member (o, "signatures");
  if (sigs == NULL || !JSON_NODE_HOLDS_ARRAY (sigs))
    {
      sbx_dsse_envelope_clear (env);
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not a DSSE envelope: member \"signatures\" missing or "
                   "not an array");
      return FALSE;
    }
  env->n_signatures = json_array_get_length (json_node_get_array (sigs));
  for (guint i = 0; i < env->n_signatures; i++)
    {
      JsonObject *s = object_or_null (json_array_get_element (json_node_get_array (sigs), i));

      if (s == NULL || string_member (s, "sig") == NULL
          || (json_object_has_member (s, "keyid") && string_member (s, "keyid") == NULL))
        {
          sbx_dsse_envelope_clear (env);
          g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "DSSE envelope: signatures[%u] needs \"sig\" (and "
                       "\"keyid\", when present) as strings", i);
          return FALSE;
        }
    }
  return TRUE;
}

void
sbx_dsse_envelope_clear (SbxDsseEnvelope *env)
{
  g_clear_pointer (&env->payload, g_bytes_unref);
  env->payload_type = NULL;
  env->n_signatures = 0;
}

gboolean
sbx_dsse_envelope_verify (JsonNode *root, GPtrArray *keys, const SbxKey **signer, GError **error)
{
  SbxDsseEnvelope env;
  g_autoptr(GBytes) pae = NULL;
  JsonArray *sigs;
  const guint8 *body;
  gsize body_len;
  guint n_bad = 0, n_sigs;
  g_autoptr(GString) ids = g_string_new (NULL);

  if (!sbx_dsse_envelope_parse (root, &env, error))
    return FALSE;
  if (env.n_signatures == 0)
    {
      sbx_dsse_envelope_clear (&env);
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "signature: the envelope is unsigned (no signatures): "
                   "nobody vouched for it");
      return FALSE;
    }
  n_sigs = env.n_signatures;
  body = g_bytes_get_data (env.payload, &body_len);
  pae = sbx_dsse_pae (env.payload_type, body, body_len);
  sigs = json_object_get_array_member (json_node_get_object (root), "signatures");
  for (guint k = 0; keys != NULL && k < keys->len; k++)
    {
      const SbxKey *key = g_ptr_array_index (keys, k);

      g_string_append_printf (ids, "%s%s (%s)", k > 0 ? ", " : "", key->keyid, key->name);
      for (guint i = 0; i < env.n_signatures; i++)
        {
          JsonObject *s = json_array_get_object_element (sigs, i);
          const char *keyid = string_member (s, "keyid");
          g_autoptr(GBytes) sig = NULL;

          /* a keyid, when given, picks the key; without one every key is tried */
          if (keyid != NULL && keyid[0] != '\0' && strcmp (keyid, key->keyid) != 0)
            continue;
          sig = base64_strict (string_member (s, "sig"));
          if (sig != NULL && verify_bytes (key, pae, g_bytes_get_data (sig, NULL), g_bytes_get_size (sig)))
            {
              if (signer != NULL)
                *signer = key;
              sbx_dsse_envelope_clear (&env);
              return TRUE;
            }
          n_bad++;
        }
    }
  sbx_dsse_envelope_clear (&env);
  if (n_bad > 0)
    g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "signature: a signature names one of the given keys but "
                 "does not verify: the envelope was changed after it was signed");
  else
    g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "signature: none of the %u signature(s) is by a given key "
                 "(%s)", n_sigs, ids->len > 0 ? ids->str : "no keys given");
  return FALSE;
}
