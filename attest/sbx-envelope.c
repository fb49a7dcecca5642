/* sbx-envelope.c — the signed statement `sbx attest` writes (sbx-envelope.h). */
#include "config.h"

#include "sbx-envelope.h"
#include "sbx-json.h"
#include "sbx-attest-private.h"

#include "sbxprofile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

JsonNode *
sbx_attest_envelope_new (JsonNode *evidence_root, GPtrArray *subjects, const char *time, const char *challenge,
                         GPtrArray *sign_keys, GError **error)
{
  JsonNode *predicate = json_node_copy (evidence_root);
  JsonObject *p = json_node_get_object (predicate);
  g_autofree char *now = time == NULL ? sbx_utc_now_iso8601 () : g_strdup (time);
  g_autoptr(JsonNode) statement = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *body = NULL;
  gsize body_len = 0;

  /* the signature replaces the digest; the predicate type names the schema */
  if (json_object_has_member (p, "digest"))
    json_object_remove_member (p, "digest");
  if (json_object_has_member (p, "schema"))
    json_object_remove_member (p, "schema");
  json_object_set_string_member (p, "time", now);
  if (challenge != NULL)
    json_object_set_string_member (p, "challenge", challenge);
  else
    json_object_set_null_member (p, "challenge");
  statement = sbx_statement_new (subjects, SBX_PREDICATE_TYPE, predicate);
  json_generator_set_root (gen, statement);
  body = json_generator_to_data (gen, &body_len);
  return sbx_dsse_envelope_new (SBX_DSSE_INTOTO_PAYLOAD_TYPE, (const guint8 *) body, body_len, sign_keys, error);
}

char *
sbx_envelope_to_data (JsonNode *envelope, gsize *length)
{
  return sbx_json_to_text (envelope, length);
}

GPtrArray *
sbx_sign_keys_load (const char *const *paths, GError **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_key_free);

  for (gsize i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      SbxKey *key = sbx_key_load_private (paths[i], error);

      if (key == NULL)
        return NULL;
      g_ptr_array_add (keys, key);
    }
  return g_steal_pointer (&keys);
}

static const char *
path_string (JsonObject *top, const char *a, const char *b, const char *c)
{
  const char *names[] = { a, b, c };
  JsonObject *o = top;

  for (gsize i = 0; i < G_N_ELEMENTS (names) && names[i] != NULL; i++)
    {
      JsonNode *n = o != NULL && json_object_has_member (o, names[i]) ? json_object_get_member (o, names[i]) : NULL;

      if (n == NULL)
        return NULL;
      if (i + 1 == G_N_ELEMENTS (names) || names[i + 1] == NULL)
        return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
          ? json_node_get_string (n) : NULL;
      o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    }
  return NULL;
}

GPtrArray *
sbx_attest_subjects (JsonNode *evidence_root, GError **error)
{
  g_autoptr(GPtrArray) subjects = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_subject_free);
  JsonObject *top = json_node_get_object (evidence_root);
  const char *profile_sha = path_string (top, "profile", "sha256", NULL);
  JsonObject *run = json_object_has_member (top, "run") ? json_object_get_object_member (top, "run") : NULL;
  JsonObject *tools = run != NULL && json_object_has_member (run, "tools") ? json_object_get_object_member (run, "tools") : NULL;
  JsonArray *files = tools != NULL && json_object_has_member (tools, "files") ? json_object_get_array_member (tools, "files") : NULL;

  if (profile_sha == NULL || files == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_ATTEST, "attest: the evidence lacks the profile's sha256 or "
                   "run.tools.files: nothing to sign");
      return NULL;
    }
  g_ptr_array_add (subjects, sbx_subject_new ("profile", profile_sha));
  /* run.tools.files (sbx-attest.c) is the one record of what took part */
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonObject *f = json_array_get_object_element (files, i);
      const char *role = path_string (f, "role", NULL, NULL);
      const char *sha = path_string (f, "sha256", NULL, NULL);

      if (role == NULL || sha == NULL)
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_ATTEST, "attest: %s (%s) could not be hashed: it cannot be "
                       "named in the signed statement", role != NULL ? role : "a tool",
                       path_string (f, "path", NULL, NULL) != NULL ? path_string (f, "path", NULL, NULL) : "?");
          return NULL;
        }
      g_ptr_array_add (subjects, sbx_subject_new (strcmp (role, "attest") == 0 ? "sbx-attest" : role, sha));
    }
  return g_steal_pointer (&subjects);
}

gboolean
sbx_challenge_valid (const char *challenge)
{
  gsize n = challenge != NULL ? strlen (challenge) : 0;

  if (n == 0 || n > 256)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (challenge[i] <= 0x20 || challenge[i] >= 0x7f)
      return FALSE;
  return TRUE;
}
