/* test-dsse.c — DSSE envelopes (attest/sbx-dsse.c) and the in-toto
 * statement (attest/sbx-statement.c): the PAE bytes, signing and verifying
 * with ed25519 keys made here, and every way an envelope must be refused.
 * The independent check (openssl, securesystemslib) is in
 * tests/40-attest-signed.sh. */
#include "config.h"

#include "sbx-dsse.h"
#include "sbx-read.h"
#include "sbx-statement.h"

#include "sbxprofile.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

typedef struct {
  char *dir;
  char *priv[2]; /* two key pairs: A and B */
  char *pub[2];
} Fixture;

static void
write_key_pair (const char *dir, const char *name, char **priv_path, char **pub_path)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id (EVP_PKEY_ED25519, NULL);
  EVP_PKEY *pkey = NULL;
  FILE *f;

  assert_non_null (ctx);
  assert_int_equal (EVP_PKEY_keygen_init (ctx), 1);
  assert_int_equal (EVP_PKEY_keygen (ctx, &pkey), 1);
  *priv_path = g_strdup_printf ("%s/%s.pem", dir, name);
  *pub_path = g_strdup_printf ("%s/%s.pub.pem", dir, name);
  f = fopen (*priv_path, "w");
  assert_non_null (f);
  assert_int_equal (PEM_write_PrivateKey (f, pkey, NULL, NULL, 0, NULL, NULL), 1);
  fclose (f);
  f = fopen (*pub_path, "w");
  assert_non_null (f);
  assert_int_equal (PEM_write_PUBKEY (f, pkey), 1);
  fclose (f);
  EVP_PKEY_free (pkey);
  EVP_PKEY_CTX_free (ctx);
}

static int
setup (void **state)
{
  Fixture *fx = g_new0 (Fixture, 1);

  fx->dir = g_dir_make_tmp ("test-dsse-XXXXXX", NULL);
  assert_non_null (fx->dir);
  write_key_pair (fx->dir, "a", &fx->priv[0], &fx->pub[0]);
  write_key_pair (fx->dir, "b", &fx->priv[1], &fx->pub[1]);
  *state = fx;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *fx = *state;

  for (int i = 0; i < 2; i++)
    {
      unlink (fx->priv[i]);
      unlink (fx->pub[i]);
      g_free (fx->priv[i]);
      g_free (fx->pub[i]);
    }
  rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx);
  return 0;
}

static GPtrArray *
keys_of (SbxKey *k)
{
  GPtrArray *a = g_ptr_array_new ();

  if (k != NULL)
    g_ptr_array_add (a, k);
  return a;
}

static JsonNode *
sign_body (const char *priv, const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxKey) key = sbx_key_load_private (priv, &error);
  g_autoptr(GPtrArray) keys = NULL;
  JsonNode *env;

  assert_non_null (key);
  keys = keys_of (key);
  env = sbx_dsse_envelope_new (SBX_DSSE_INTOTO_PAYLOAD_TYPE, (const guint8 *) body, strlen (body), keys, &error);
  assert_non_null (env);
  return env;
}

static gboolean
verify_with (JsonNode *env, const char *pub, GError **error)
{
  g_autoptr(SbxKey) key = sbx_key_load_public (pub, error);
  g_autoptr(GPtrArray) keys = NULL;
  const SbxKey *signer = NULL;
  gboolean ok;

  assert_non_null (key);
  keys = keys_of (key);
  ok = sbx_dsse_envelope_verify (env, keys, &signer, error);
  if (ok)
    assert_ptr_equal (signer, key);
  return ok;
}

/* --------------------------------------------------------------------- */

static void
test_pae (void **state)
{
  /* the example of the DSSE protocol: type "http://example.com/HelloWorld",
   * body "hello world" */
  g_autoptr(GBytes) pae = sbx_dsse_pae ("http://example.com/HelloWorld", (const guint8 *) "hello world", 11);
  const char expect[] = "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
  g_autoptr(GBytes) empty = sbx_dsse_pae ("t", NULL, 0);

  assert_int_equal (g_bytes_get_size (pae), strlen (expect));
  assert_memory_equal (g_bytes_get_data (pae, NULL), expect, strlen (expect));
  assert_int_equal (g_bytes_get_size (empty), strlen ("DSSEv1 1 t 0 "));
  assert_memory_equal (g_bytes_get_data (empty, NULL), "DSSEv1 1 t 0 ", strlen ("DSSEv1 1 t 0 "));
}

static void
test_keyid (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxKey) priv = sbx_key_load_private (fx->priv[0], &error);
  g_autoptr(SbxKey) pub = sbx_key_load_public (fx->pub[0], &error);
  g_autoptr(SbxKey) other = sbx_key_load_public (fx->pub[1], &error);
  g_autofree char *pem = NULL;
  g_autofree char *der_sha = NULL;
  BIO *bio;
  EVP_PKEY *pkey;
  unsigned char *der = NULL;
  int len;

  assert_non_null (priv);
  assert_non_null (pub);
  assert_non_null (other);
  assert_string_equal (sbx_key_get_keyid (priv), sbx_key_get_keyid (pub));
  assert_string_not_equal (sbx_key_get_keyid (pub), sbx_key_get_keyid (other));
  /* keyid = sha256 of the DER SubjectPublicKeyInfo, computed here apart */
  pem = sbx_key_dup_public_pem (priv);
  assert_non_null (pem);
  bio = BIO_new_mem_buf (pem, -1);
  pkey = PEM_read_bio_PUBKEY (bio, NULL, NULL, NULL);
  assert_non_null (pkey);
  len = i2d_PUBKEY (pkey, &der);
  assert_true (len == 44); /* 12 bytes of algorithm header + 32 of key */
  der_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, (gsize) len);
  assert_string_equal (der_sha, sbx_key_get_keyid (pub));
  OPENSSL_free (der);
  EVP_PKEY_free (pkey);
  BIO_free (bio);
}

static void
test_sign_verify (void **state)
{
  Fixture *fx = *state;
  g_autoptr(JsonNode) env = sign_body (fx->priv[0], "{\"x\":1}");
  g_autoptr(GError) error = NULL;
  SbxDsseEnvelope parsed;

  assert_true (verify_with (env, fx->pub[0], &error));
  /* the private key file works as a verifying key too */
  assert_true (verify_with (env, fx->priv[0], &error));
  assert_true (sbx_dsse_envelope_parse (env, &parsed, &error));
  assert_string_equal (parsed.payload_type, SBX_DSSE_INTOTO_PAYLOAD_TYPE);
  assert_int_equal (g_bytes_get_size (parsed.payload), 7);
  assert_memory_equal (g_bytes_get_data (parsed.payload, NULL), "{\"x\":1}", 7);
  assert_int_equal (parsed.n_signatures, 1);
  sbx_dsse_envelope_clear (&parsed);
}

static void
test_other_key (void **state)
{
  Fixture *fx = *state;
  g_autoptr(JsonNode) env = sign_body (fx->priv[1], "{\"x\":1}");
  g_autoptr(GError) error = NULL;

  assert_false (verify_with (env, fx->pub[0], &error));
  assert_non_null (strstr (error->message, "none of the 1 signature(s) is by a given key"));
}

static void
test_unsigned (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) env = sbx_dsse_envelope_new (SBX_DSSE_INTOTO_PAYLOAD_TYPE, (const guint8 *) "{}", 2,
                                                   NULL, &error);

  assert_non_null (env);
  assert_false (verify_with (env, fx->pub[0], &error));
  assert_non_null (strstr (error->message, "unsigned"));
}

static void
set_payload (JsonNode *env, const char *body)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) body, strlen (body));

  json_object_set_string_member (json_node_get_object (env), "payload", b64);
}

/* The payload edited, the old signature left in place. */
static void
test_changed_payload (void **state)
{
  Fixture *fx = *state;
  g_autoptr(JsonNode) env = sign_body (fx->priv[0], "{\"verdict\":\"FAIL\"}");
  g_autoptr(GError) error = NULL;

  set_payload (env, "{\"verdict\":\"PASS\"}");
  assert_false (verify_with (env, fx->pub[0], &error));
  assert_non_null (strstr (error->message, "does not verify"));
}

/* The payload type is part of what is signed. */
static void
test_changed_type (void **state)
{
  Fixture *fx = *state;
  g_autoptr(JsonNode) env = sign_body (fx->priv[0], "{}");
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (json_node_get_object (env), "payloadType", "application/json");
  assert_false (verify_with (env, fx->pub[0], &error));
}

/* Re-signed with key B but claiming key A's keyid: still refused. */
static void
test_stolen_keyid (void **state)
{
  Fixture *fx = *state;
  g_autoptr(JsonNode) env = sign_body (fx->priv[1], "{}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxKey) a = sbx_key_load_public (fx->pub[0], &error);
  JsonObject *sig = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (env), "signatures"), 0);

  json_object_set_string_member (sig, "keyid", sbx_key_get_keyid (a));
  assert_false (verify_with (env, fx->pub[0], &error));
  g_clear_error (&error);
  /* no keyid at all: every key is tried, none verifies */
  json_object_remove_member (sig, "keyid");
  assert_false (verify_with (env, fx->pub[0], &error));
}

static void
test_bad_base64 (void **state)
{
  Fixture *fx = *state;
  g_autoptr(JsonNode) env = sign_body (fx->priv[0], "{}");
  g_autoptr(GError) error = NULL;
  const char *payload = json_object_get_string_member (json_node_get_object (env), "payload");
  g_autofree char *noisy = g_strdup_printf ("%s!!", payload);

  /* g_base64_decode() would skip the "!!"; the reader must not */
  json_object_set_string_member (json_node_get_object (env), "payload", noisy);
  assert_false (verify_with (env, fx->pub[0], &error));
  assert_non_null (strstr (error->message, "base64"));
}

static void
test_old_bundle (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  const char *old = "{\"schema\":\"sbxprofile.evidence/1\",\"digest\":{}}";
  g_autoptr(JsonNode) root = sbx_json_parse_bounded (old, strlen (old), 64, &error);

  assert_non_null (root);
  assert_false (verify_with (root, fx->pub[0], &error));
  assert_non_null (strstr (error->message, "old, unsigned sbxprofile.evidence/1 bundle"));
}

static void
test_bad_keys (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *rsa = g_strdup_printf ("%s/rsa.pem", fx->dir);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id (EVP_PKEY_RSA, NULL);
  EVP_PKEY *pkey = NULL;
  FILE *f;

  /* a public key cannot sign */
  assert_null (sbx_key_load_private (fx->pub[0], &error));
  assert_non_null (strstr (error->message, fx->pub[0]));
  g_clear_error (&error);
  /* not ed25519 */
  assert_int_equal (EVP_PKEY_keygen_init (ctx), 1);
  EVP_PKEY_CTX_set_rsa_keygen_bits (ctx, 1024);
  assert_int_equal (EVP_PKEY_keygen (ctx, &pkey), 1);
  f = fopen (rsa, "w");
  assert_int_equal (PEM_write_PrivateKey (f, pkey, NULL, NULL, 0, NULL, NULL), 1);
  fclose (f);
  assert_null (sbx_key_load_private (rsa, &error));
  assert_non_null (strstr (error->message, "not an ed25519 key"));
  g_clear_error (&error);
  unlink (rsa);
  EVP_PKEY_free (pkey);
  EVP_PKEY_CTX_free (ctx);
  /* not a key at all; a device */
  assert_null (sbx_key_load_public ("/dev/null", &error));
  assert_non_null (strstr (error->message, "not a regular file"));
}

/* ------------------------------------------------------------- statement */

static void
test_statement (void **state)
{
  g_autoptr(GPtrArray) subjects = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_subject_free);
  g_autofree char *a = g_strnfill (64, 'a');
  g_autofree char *b = g_strnfill (64, 'b');
  JsonNode *pred = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) st = NULL;
  g_autoptr(GError) error = NULL;
  SbxStatement parsed;
  JsonObject *dup;

  json_node_take_object (pred, json_object_new ());
  g_ptr_array_add (subjects, sbx_subject_new ("profile", a));
  g_ptr_array_add (subjects, sbx_subject_new ("sbx", b));
  st = sbx_statement_new (subjects, SBX_PREDICATE_TYPE, pred);
  assert_true (sbx_statement_parse (st, &parsed, &error));
  assert_string_equal (parsed.predicate_type, SBX_PREDICATE_TYPE);
  assert_string_equal (sbx_statement_subject_sha256 (&parsed, "sbx"), b);
  assert_null (sbx_statement_subject_sha256 (&parsed, "bwrap"));

  /* a subject named twice is refused */
  dup = json_object_new ();
  json_object_set_string_member (dup, "name", "sbx");
  json_object_set_object_member (dup, "digest", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (dup, "digest"), "sha256", a);
  json_array_add_object_element (json_object_get_array_member (json_node_get_object (st), "subject"), dup);
  assert_false (sbx_statement_parse (st, &parsed, &error));
  assert_non_null (strstr (error->message, "appears twice"));
  g_clear_error (&error);
  json_object_set_string_member (json_node_get_object (st), "_type", "https://in-toto.io/Statement/v0.1");
  assert_false (sbx_statement_parse (st, &parsed, &error));
  assert_non_null (strstr (error->message, "_type"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pae),
    cmocka_unit_test_setup_teardown (test_keyid, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sign_verify, setup, teardown),
    cmocka_unit_test_setup_teardown (test_other_key, setup, teardown),
    cmocka_unit_test_setup_teardown (test_unsigned, setup, teardown),
    cmocka_unit_test_setup_teardown (test_changed_payload, setup, teardown),
    cmocka_unit_test_setup_teardown (test_changed_type, setup, teardown),
    cmocka_unit_test_setup_teardown (test_stolen_keyid, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_base64, setup, teardown),
    cmocka_unit_test_setup_teardown (test_old_bundle, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_keys, setup, teardown),
    cmocka_unit_test (test_statement),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
