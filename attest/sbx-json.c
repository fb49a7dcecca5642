/* sbx-json.c — lenient getters over json-glib objects (sbx-json.h). */
#include "config.h"

#include "sbx-json.h"

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
