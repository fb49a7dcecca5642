/* sbx-json.h — lenient getters over json-glib objects, shared by the
 * evidence reader (sbx-evidence.c) and the verifier (sbx-verify.c).
 *
 * Each returns NULL / FALSE when the member is absent or of another type,
 * never aborts: bundles come from outside.  Everything returned is lent
 * from @o (transfer none). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The member @name of @o (nullable), or NULL. */
JsonNode *sbx_json_member (JsonObject *o, const char *name);
JsonObject *sbx_json_get_object (JsonObject *o, const char *name);
JsonArray *sbx_json_get_array (JsonObject *o, const char *name);
const char *sbx_json_get_string (JsonObject *o, const char *name);
/* TRUE and *@value when @name holds an integer. */
gboolean sbx_json_get_int (JsonObject *o, const char *name, gint64 *value);
/* TRUE and *@value when @name holds a boolean. */
gboolean sbx_json_get_bool (JsonObject *o, const char *name, gboolean *value);
/* The node at dotted @path ("venue.bwrap.sha256") below @top, or NULL. */
JsonNode *sbx_json_lookup_path (JsonObject *top, const char *path);

/* The type a reader requires of a member (the readers' member tables). */
typedef enum {
  SBX_JSON_STRING,
  SBX_JSON_INT,
  SBX_JSON_BOOL,
  SBX_JSON_OBJECT,
  SBX_JSON_ARRAY,
  SBX_JSON_STRING_ARRAY,
  SBX_JSON_STRING_OR_NULL,
} SbxJsonType;

/* TRUE when @n holds @type. */
gboolean sbx_json_node_has_type (JsonNode *n, SbxJsonType type);
/* "a string", "an array of strings" … */
const char *sbx_json_type_name (SbxJsonType type);

/* @root as text for a file: indented by two, a newline at the end; its
 * length in *@length (nullable).  (transfer full) */
char *sbx_json_to_text (JsonNode *root, gsize *length);

/* A member a reader requires, by dotted path from the top. */
typedef struct {
  const char *path;
  SbxJsonType type;
} SbxJsonMember;

/* Appends to @problems (char*, transfer full) "member \"PATH\" missing" or
 * "member \"PATH\" is not TYPE" for each of the @n @members that @top
 * lacks or holds as another type. */
void sbx_json_check_members (JsonObject *top, const SbxJsonMember *members, gsize n, GPtrArray *problems);

G_END_DECLS
