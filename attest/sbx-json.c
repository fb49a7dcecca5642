/* sbx-json.c — lenient getters over json-glib objects (sbx-json.h). */
#include "config.h"

#include "sbx-json.h"

#include <string.h>

JsonNode *
sbx_json_member (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
}

JsonObject *
sbx_json_get_object (JsonObject *o, const char *name)
{
  JsonNode *n = sbx_json_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

JsonArray *
sbx_json_get_array (JsonObject *o, const char *name)
{
  JsonNode *n = sbx_json_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

const char *
sbx_json_get_string (JsonObject *o, const char *name)
{
  JsonNode *n = sbx_json_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
    ? json_node_get_string (n) : NULL;
}

gboolean
sbx_json_get_int (JsonObject *o, const char *name, gint64 *value)
{
  JsonNode *n = sbx_json_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (n);
  return TRUE;
}

gboolean
sbx_json_get_bool (JsonObject *o, const char *name, gboolean *value)
{
  JsonNode *n = sbx_json_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (n);
  return TRUE;
}

JsonNode *
sbx_json_lookup_path (JsonObject *top, const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *o = top;
  JsonNode *n = NULL;

  for (gsize i = 0; parts[i] != NULL; i++)
    {
      if (o == NULL || (n = sbx_json_member (o, parts[i])) == NULL)
        return NULL;
      o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    }
  return n;
}

gboolean
sbx_json_node_has_type (JsonNode *n, SbxJsonType type)
{
  switch (type)
    {
    case SBX_JSON_STRING:
      return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING;
    case SBX_JSON_STRING_OR_NULL:
      return JSON_NODE_HOLDS_NULL (n) || sbx_json_node_has_type (n, SBX_JSON_STRING);
    case SBX_JSON_INT:
      return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64;
    case SBX_JSON_BOOL:
      return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN;
    case SBX_JSON_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (n);
    case SBX_JSON_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (n);
    case SBX_JSON_STRING_ARRAY:
      if (!JSON_NODE_HOLDS_ARRAY (n))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
        if (!sbx_json_node_has_type (json_array_get_element (json_node_get_array (n), i), SBX_JSON_STRING))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

const char *
sbx_json_type_name (SbxJsonType type)
{
  static const char *const names[] = {
    [SBX_JSON_STRING] = "a string", [SBX_JSON_INT] = "an integer", [SBX_JSON_BOOL] = "a boolean",
    [SBX_JSON_OBJECT] = "an object", [SBX_JSON_ARRAY] = "an array", [SBX_JSON_STRING_ARRAY] = "an array of strings",
    [SBX_JSON_STRING_OR_NULL] = "a string or null",
  };

  return names[type];
}

void
sbx_json_check_members (JsonObject *top, const SbxJsonMember *members, gsize n, GPtrArray *problems)
{
  for (gsize i = 0; i < n; i++)
    {
      JsonNode *m = sbx_json_lookup_path (top, members[i].path);

      if (m == NULL)
        g_ptr_array_add (problems, g_strdup_printf ("member \"%s\" missing", members[i].path));
      else if (!sbx_json_node_has_type (m, members[i].type))
        g_ptr_array_add (problems, g_strdup_printf ("member \"%s\" is not %s", members[i].path,
                                                    sbx_json_type_name (members[i].type)));
    }
}

char *
sbx_json_to_text (JsonNode *root, gsize *length)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  char *out;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  out = g_strconcat (text, "\n", NULL);
  if (length != NULL)
    *length = strlen (out);
  return out;
}
