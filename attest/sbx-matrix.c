/* sbx-matrix.c — acceptance-matrix binding (sbx-matrix.h). */
#include "config.h"

#include "sbx-matrix.h"
#include "sbx-read.h"

#include "sbxprofile.h"

#include <string.h>

#define SBX_MATRIX_EXTERNAL "external"

static const char *const row_status_names[] = {
  [SBX_ROW_PASS] = "PASS",
  [SBX_ROW_FAIL] = "FAIL",
  [SBX_ROW_NOT_COVERED] = "NOT_COVERED",
};

const char *
sbx_row_status_to_string (SbxRowStatus status)
{
  return (guint) status < G_N_ELEMENTS (row_status_names) ? row_status_names[status] : "unknown";
}

static void
row_free (SbxMatrixRow *row)
{
  g_free (row->id);
  g_strfreev (row->probes);
  g_free (row);
}

void
sbx_matrix_free (SbxMatrix *matrix)
{
  if (matrix == NULL)
    return;
  g_free (matrix->path);
  g_ptr_array_unref (matrix->rows);
  g_free (matrix);
}

SbxMatrix *
sbx_matrix_new_from_data (const char *data, gsize length, const char *path, const char *const *known_ids,
                          GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) keys = NULL;
  g_autoptr(SbxMatrix) m = g_new0 (SbxMatrix, 1);

  m->path = g_strdup (path);
  m->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  if (!g_key_file_load_from_data (kf, data, length, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_PARSE, "%s: not a key file: %s", path, local->message);
      return NULL;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (gsize g = 0; groups[g] != NULL; g++)
    if (strcmp (groups[g], "rows") != 0)
      {
        g_autofree char *q = sbx_quote_short (groups[g]);

        g_set_error (error, SBX_ERROR, SBX_ERROR_UNKNOWN_GROUP, "%s: unknown group [%s] (a matrix has only [rows])",
                     path, q);
        return NULL;
      }
  keys = g_key_file_get_keys (kf, "rows", NULL, NULL);
  if (keys == NULL || keys[0] == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: no [rows] (row=PROBE;PROBE or row=external)",
                   path);
      return NULL;
    }
  for (gsize k = 0; keys[k] != NULL; k++)
    {
      g_auto(GStrv) list = g_key_file_get_string_list (kf, "rows", keys[k], NULL, NULL);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      gboolean external = FALSE;
      SbxMatrixRow *row;
      g_autofree char *qrow = sbx_quote_short (keys[k]);

      for (gsize i = 0; list != NULL && list[i] != NULL; i++)
        {
          const char *id = g_strstrip (list[i]);

          if (id[0] == '\0')
            continue;
          if (strcmp (id, SBX_MATRIX_EXTERNAL) == 0)
            external = TRUE;
          else if (!g_strv_contains (known_ids, id))
            {
              g_autofree char *q = sbx_quote_short (id);

              g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: [rows] %s: unknown probe \"%s\" (the "
                           "probes are listed in sbx(1) and probes/README.md)", path, qrow, q);
              return NULL;
            }
          else if (!g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
            g_ptr_array_add (ids, g_strdup (id));
        }
      if (external && ids->len > 0)
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: [rows] %s: \"external\" cannot be mixed "
                       "with probe ids", path, qrow);
          return NULL;
        }
      if (!external && ids->len == 0)
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: [rows] %s: empty (probe ids separated by "
                       "';', or external)", path, qrow);
          return NULL;
        }
      row = g_new0 (SbxMatrixRow, 1);
      row->id = g_strdup (keys[k]);
      if (!external)
        {
          g_ptr_array_add (ids, NULL);
          row->probes = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
        }
      g_ptr_array_add (m->rows, row);
    }
  return g_steal_pointer (&m);
}

SbxMatrix *
sbx_matrix_load (const char *path, const char *const *known_ids, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!sbx_read_file_bounded (path, SBX_SMALL_FILE_MAX_SIZE, &data, &len, error))
    return NULL;
  return sbx_matrix_new_from_data (data, len, path, known_ids, error);
}

static void
result_clear (SbxRowResult *r)
{
  g_free (r->detail);
}

GArray *
sbx_matrix_bind (const SbxMatrix *matrix, GHashTable *verdicts, gboolean verified)
{
  GArray *out = g_array_sized_new (FALSE, TRUE, sizeof (SbxRowResult), matrix->rows->len);

  g_array_set_clear_func (out, (GDestroyNotify) result_clear);
  for (guint i = 0; i < matrix->rows->len; i++)
    {
      const SbxMatrixRow *row = g_ptr_array_index (matrix->rows, i);
      SbxRowResult r = { row, SBX_ROW_PASS, NULL };

      if (row->probes == NULL)
        {
          r.status = SBX_ROW_NOT_COVERED;
          r.detail = g_strdup ("external: not an OS probe, not covered by this evidence");
        }
      else if (!verified)
        {
          r.status = SBX_ROW_FAIL;
          r.detail = g_strdup ("the evidence did not verify");
        }
      else
        {
          g_autoptr(GString) bad = g_string_new (NULL);

          for (gsize k = 0; row->probes[k] != NULL; k++)
            {
              const char *v = verdicts != NULL ? g_hash_table_lookup (verdicts, row->probes[k]) : NULL;

              if (g_strcmp0 (v, "PASS") != 0)
                g_string_append_printf (bad, "%s%s %s", bad->len > 0 ? ", " : "", row->probes[k],
                                        v != NULL ? v : "missing");
            }
          if (bad->len > 0)
            {
              r.status = SBX_ROW_FAIL;
              r.detail = g_string_free (g_steal_pointer (&bad), FALSE);
            }
          else
            r.detail = g_strjoinv (", ", row->probes);
        }
      g_array_append_val (out, r);
    }
  return out;
}

gboolean
sbx_matrix_results_pass (GArray *results)
{
  for (guint i = 0; i < results->len; i++)
    if (g_array_index (results, SbxRowResult, i).status == SBX_ROW_FAIL)
      return FALSE;
  return TRUE;
}

JsonNode *
sbx_matrix_report_new (const SbxMatrix *matrix, GArray *results, const char *bundle_path,
                       const char *envelope_sha256, gboolean verified, const char *verification,
                       const char *signer_keyid)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_string_value (b, "sbxprofile.matrix-binding/1");
  json_builder_set_member_name (b, "matrix");
  json_builder_add_string_value (b, matrix->path);
  json_builder_set_member_name (b, "envelope");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, bundle_path);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, envelope_sha256);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "verified");
  json_builder_add_boolean_value (b, verified);
  json_builder_set_member_name (b, "verification");
  json_builder_add_string_value (b, verification);
  json_builder_set_member_name (b, "signer_keyid");
  if (signer_keyid != NULL)
    json_builder_add_string_value (b, signer_keyid);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->len; i++)
    {
      const SbxRowResult *r = &g_array_index (results, SbxRowResult, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "row");
      json_builder_add_string_value (b, r->row->id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, sbx_row_status_to_string (r->status));
      json_builder_set_member_name (b, "probes");
      json_builder_begin_array (b);
      for (gsize k = 0; r->row->probes != NULL && r->row->probes[k] != NULL; k++)
        json_builder_add_string_value (b, r->row->probes[k]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "external");
      json_builder_add_boolean_value (b, r->row->probes == NULL);
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, r->detail);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "result");
  json_builder_add_string_value (b, verified && sbx_matrix_results_pass (results) ? "PASS" : "FAIL");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
