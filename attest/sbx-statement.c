/* sbx-statement.c — in-toto Statement v1 (sbx-statement.h). */
#include "config.h"

#include "sbx-statement.h"
#include "sbx-read.h"

#include "sbxprofile.h"

#include <string.h>

SbxSubject *
sbx_subject_new (const char *name, const char *sha256)
{
  SbxSubject *s = g_new0 (SbxSubject, 1);

  s->name = g_strdup (name);
  s->sha256 = g_strdup (sha256);
  return s;
}

void
sbx_subject_free (SbxSubject *subject)
{
  if (subject == NULL)
    return;
  g_free (subject->name);
  g_free (subject->sha256);
  g_free (subject);
}

JsonNode *
sbx_statement_new (GPtrArray *subjects, const char *predicate_type, JsonNode *predicate)
{
  JsonObject *st = json_object_new ();
  JsonArray *subj = json_array_new ();
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (st, "_type", SBX_INTOTO_STATEMENT_TYPE);
  for (guint i = 0; i < subjects->len; i++)
    {
      const SbxSubject *s = g_ptr_array_index (subjects, i);
      JsonObject *o = json_object_new ();
      JsonObject *d = json_object_new ();

      json_object_set_string_member (o, "name", s->name);
      json_object_set_string_member (d, "sha256", s->sha256);
      json_object_set_object_member (o, "digest", d);
      json_array_add_object_element (subj, o);
    }
  json_object_set_array_member (st, "subject", subj);
  json_object_set_string_member (st, "predicateType", predicate_type);
  json_object_set_member (st, "predicate", predicate);
  json_node_take_object (root, st);
  return root;
}

static const char *
string_member (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
    ? json_node_get_string (n) : NULL;
}

static gboolean
is_sha256_hex (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isxdigit (*s) || g_ascii_isupper (*s))
      return FALSE;
  return TRUE;
}

gboolean
sbx_statement_parse (JsonNode *root, SbxStatement *st, GError **error)
{
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *n;
  const char *type;

  memset (st, 0, sizeof *st);
  if (o == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "statement: the payload is not a JSON object");
      return FALSE;
    }
  type = string_member (o, "_type");
  if (g_strcmp0 (type, SBX_INTOTO_STATEMENT_TYPE) != 0)
    {
      g_autofree char *q = sbx_quote_short (type != NULL ? type : "(missing)");

      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "statement: \"_type\" is %s, expected %s", q,
                   SBX_INTOTO_STATEMENT_TYPE);
      return FALSE;
    }
  n = json_object_get_member (o, "subject");
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (json_node_get_array (n)) == 0)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "statement: \"subject\" missing, empty or not an array");
      return FALSE;
    }
  st->subjects = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (st->subjects); i++)
    {
      JsonNode *e = json_array_get_element (st->subjects, i);
      JsonObject *s = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      JsonNode *d = s != NULL ? json_object_get_member (s, "digest") : NULL;
      const char *name = string_member (s, "name");

      if (name == NULL || d == NULL || !JSON_NODE_HOLDS_OBJECT (d)
          || !is_sha256_hex (string_member (json_node_get_object (d), "sha256")))
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "statement: subject[%u] needs a \"name\" and a "
                       "\"digest\" with a \"sha256\" of 64 lower-case hex digits", i);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (g_strcmp0 (string_member (json_array_get_object_element (st->subjects, j), "name"), name) == 0)
          {
            g_autofree char *q = sbx_quote_short (name);

            g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "statement: subject \"%s\" appears twice", q);
            return FALSE;
          }
    }
  st->predicate_type = string_member (o, "predicateType");
  if (st->predicate_type == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "statement: \"predicateType\" missing or not a string");
      return FALSE;
    }
  n = json_object_get_member (o, "predicate");
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "statement: \"predicate\" missing or not an object");
      return FALSE;
    }
  st->predicate = json_node_get_object (n);
  return TRUE;
}

const char *
sbx_statement_subject_sha256 (const SbxStatement *st, const char *name)
{
  for (guint i = 0; i < json_array_get_length (st->subjects); i++)
    {
      JsonObject *s = json_array_get_object_element (st->subjects, i);

      if (g_strcmp0 (string_member (s, "name"), name) == 0)
        return string_member (json_node_get_object (json_object_get_member (s, "digest")), "sha256");
    }
  return NULL;
}
