/* fuzz-verify.c — libFuzzer target for `sbx verify` (sbx_verify_data()).
 *
 * Inputs are envelope files.  The custom mutator is structure-aware: when
 * the input is an envelope whose payload is a JSON statement, it changes
 * that statement as a tree (a member removed, duplicated or retyped, a
 * string or number changed, an array emptied or grown, a node nested
 * deeper) and signs the result again with the target's key, so mutants get
 * past the signature into the checks behind it; otherwise (and now and
 * then anyway) it mutates bytes.  The seed is a real bundle of
 * `sbx attest` (tests/41-fuzz-verify.sh makes one).
 *
 * Build: clang -fsanitize=fuzzer,address (Makefile.am, HAVE_LIBFUZZER).
 */
#include "config.h"

#include "sbx-dsse.h"
#include "sbx-read.h"
#include "sbx-verify.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

size_t LLVMFuzzerMutate (uint8_t *data, size_t size, size_t max_size);
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator (uint8_t *data, size_t size, size_t max_size, unsigned int seed);

static GPtrArray *private_keys; /* SbxKey*: signs mutants */
static GPtrArray *public_keys;  /* SbxKey*: verifies */
static SbxProfile *profile;

/* A fixed ed25519 key (the bytes do not matter; they must not change
 * between runs so that a saved crash reproduces). */
static SbxKey *
fixed_key (gboolean private_half)
{
  static const unsigned char raw[32] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
  };
  EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key (EVP_PKEY_ED25519, NULL, raw, sizeof raw);
  BIO *bio = BIO_new (BIO_s_mem ());
  char *mem = NULL;
  long n;
  SbxKey *key;

  if (private_half)
    PEM_write_bio_PrivateKey (bio, pkey, NULL, NULL, 0, NULL, NULL);
  else
    PEM_write_bio_PUBKEY (bio, pkey);
  n = BIO_get_mem_data (bio, &mem);
  key = private_half ? sbx_key_new_private_from_pem (mem, (gsize) n, "fuzz-key", NULL)
                     : sbx_key_new_public_from_pem (mem, (gsize) n, "fuzz-key.pub", NULL);
  BIO_free (bio);
  EVP_PKEY_free (pkey);
  if (key == NULL)
    abort ();
  return key;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  private_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_key_free);
  public_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_key_free);
  g_ptr_array_add (private_keys, fixed_key (TRUE));
  g_ptr_array_add (public_keys, fixed_key (FALSE));
  profile = sbx_profile_new_default (NULL);
  if (profile == NULL)
    abort ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  SbxVerifyOptions opt = { public_keys, "fuzz-challenge", 3600, NULL, profile, NULL };
  SbxVerifyResult res;

  sbx_verify_result_init (&res);
  sbx_verify_data ((const char *) data, size, &opt, &res);
  /* a verdict needs a reason: not verified means a failure or a note */
  if (!res.verified && res.failures->len == 0 && res.notes->len == 0)
    abort ();
  sbx_verify_result_clear (&res);
  return 0;
}

/* ------------------------------------------------------ structure mutator */

/* The objects and arrays of the tree: mutations work on a container's
 * members, never on a node in place (json-glib nodes do not like that). */
static void
collect (JsonNode *n, GPtrArray *out)
{
  if (JSON_NODE_HOLDS_OBJECT (n))
    {
      GList *vals = json_object_get_values (json_node_get_object (n));

      g_ptr_array_add (out, n);
      for (GList *l = vals; l != NULL; l = l->next)
        collect (l->data, out);
      g_list_free (vals);
    }
  else if (JSON_NODE_HOLDS_ARRAY (n))
    {
      g_ptr_array_add (out, n);
      for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
        collect (json_array_get_element (json_node_get_array (n), i), out);
    }
}

static const char *const strings[] = {
  "PASS", "FAIL", "INCONCLUSIVE", "HOLDS", "VIOLATED", "UNTESTABLE", "MISSING", "SANDBOX_ATTESTED",
  "PR-NET-1", "PR-NOPE-9", "", "fuzz-challenge", "1970-01-01T00:00:00Z", "2999-01-01T00:00:00Z",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "unprivileged-allowed", "preload",
};

/* (transfer full) A node to put in place of @old (nullable). */
static JsonNode *
new_value (JsonNode *old, GRand *r)
{
  switch (g_rand_int_range (r, 0, 7))
    {
    case 0:
      return json_node_init_int (json_node_alloc (), g_rand_int_range (r, -2, 3));
    case 1:
      return json_node_init_string (json_node_alloc (), strings[g_rand_int_range (r, 0, G_N_ELEMENTS (strings))]);
    case 2:
      return json_node_init_null (json_node_alloc ());
    case 3:
      return json_node_init_boolean (json_node_alloc (), g_rand_boolean (r));
    case 4:
      {
        JsonArray *a = json_array_new ();
        JsonNode *n = json_node_init_array (json_node_alloc (), a);

        json_array_unref (a);
        return n;
      }
    case 5:
      {
        JsonObject *o = json_object_new ();
        JsonNode *n = json_node_init_object (json_node_alloc (), o);

        json_object_unref (o);
        return n;
      }
    default: /* the old value, one level deeper */
      {
        JsonArray *a = json_array_new ();
        JsonNode *n;

        if (old != NULL)
          json_array_add_element (a, json_node_copy (old));
        n = json_node_init_array (json_node_alloc (), a);
        json_array_unref (a);
        return n;
      }
    }
}

static void
mutate_container (JsonNode *c, GRand *r)
{
  int op = g_rand_int_range (r, 0, 3); /* 0 remove, 1 replace, 2 duplicate */

  if (JSON_NODE_HOLDS_OBJECT (c))
    {
      JsonObject *o = json_node_get_object (c);
      GList *names = json_object_get_members (o);
      guint len = g_list_length (names);
      /* a copy: json-glib frees the name it is given while still using it */
      g_autofree char *name = len > 0 ? g_strdup (g_list_nth_data (names, g_rand_int_range (r, 0, len))) : NULL;

      g_list_free (names);
      if (name == NULL)
        json_object_set_int_member (o, "extra", 1);
      else if (op == 0)
        json_object_remove_member (o, name);
      else if (op == 1)
        json_object_set_member (o, name, new_value (json_object_get_member (o, name), r));
      else
        json_object_set_member (o, "extra", json_node_copy (json_object_get_member (o, name)));
    }
  else
    {
      JsonArray *a = json_node_get_array (c);
      guint len = json_array_get_length (a);
      guint i = len > 0 ? (guint) g_rand_int_range (r, 0, len) : 0;

      if (len == 0)
        json_array_add_element (a, new_value (NULL, r));
      else if (op == 0)
        json_array_remove_element (a, i);
      else if (op == 1)
        {
          JsonNode *replacement = new_value (json_array_get_element (a, i), r);

          json_array_remove_element (a, i);
          json_array_add_element (a, replacement);
        }
      else
        json_array_add_element (a, json_node_copy (json_array_get_element (a, i)));
    }
}

/* A mutable tree (sbx_json_parse_bounded() gives an immutable one). */
static JsonNode *
parse_mutable (const char *data, gsize size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (sbx_json_scan_depth (data, size, SBX_JSON_MAX_DEPTH) > SBX_JSON_MAX_DEPTH || memchr (data, 0, size) != NULL
      || !json_parser_load_from_data (parser, data, (gssize) size, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static size_t
structured (uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
  g_autoptr(JsonNode) env = parse_mutable ((const char *) data, size);
  SbxDsseEnvelope parsed;
  g_autoptr(JsonNode) st = NULL;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GRand) r = g_rand_new_with_seed (seed);
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  gsize body_len = 0, text_len = 0;
  guint n;

  if (env == NULL || !sbx_dsse_envelope_parse (env, &parsed, NULL))
    return 0;
  st = parse_mutable (g_bytes_get_data (parsed.payload, NULL), g_bytes_get_size (parsed.payload));
  sbx_dsse_envelope_clear (&parsed);
  if (st == NULL)
    return 0;
  n = (guint) g_rand_int_range (r, 1, 4);
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_set_size (nodes, 0);
      collect (st, nodes);
      if (nodes->len == 0)
        break;
      mutate_container (g_ptr_array_index (nodes, g_rand_int_range (r, 0, nodes->len)), r);
    }
  json_generator_set_root (gen, st);
  body = json_generator_to_data (gen, &body_len);
  out = sbx_dsse_envelope_new (SBX_DSSE_INTOTO_PAYLOAD_TYPE, (const guint8 *) body, body_len,
                               g_rand_int_range (r, 0, 16) == 0 ? NULL : private_keys, NULL);
  if (out == NULL)
    return 0;
  json_generator_set_root (gen, out);
  text = json_generator_to_data (gen, &text_len);
  if (text_len > max_size)
    return 0;
  memcpy (data, text, text_len);
  return text_len;
}

size_t
LLVMFuzzerCustomMutator (uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
  size_t n = 0;

  if (seed % 8 != 0)
    n = structured (data, size, max_size, seed);
  return n > 0 ? n : LLVMFuzzerMutate (data, size, max_size);
}
