/* sbx-matrix.h — binding verified evidence to acceptance-matrix rows
 * (`sbx verify --matrix FILE [--report OUT]`).
 *
 * The matrix is a GLib key file with one group:
 *
 *   [rows]
 *   25=PR-NET-1;PR-NET-2     the row passes when each of these probes PASSed
 *   31=external              not an OS probe (e.g. a build-time check): this
 *                            evidence never covers it
 *
 * A row is PASS when the evidence verified and every probe it names has the
 * verdict PASS in it, FAIL otherwise (with the probes that did not), and
 * NOT_COVERED when it is external — listed, never dropped.  The binding
 * holds (exit 0) only when every non-external row is PASS.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  SBX_ROW_PASS,
  SBX_ROW_FAIL,
  SBX_ROW_NOT_COVERED,
} SbxRowStatus;

typedef struct {
  char *id;
  GStrv probes; /* NULL for an external row */
} SbxMatrixRow;

typedef struct {
  char *path;
  GPtrArray *rows; /* SbxMatrixRow*, in file order */
} SbxMatrix;

typedef struct {
  const SbxMatrixRow *row;
  SbxRowStatus status;
  char *detail;
} SbxRowResult;

/* (transfer full) The matrix in @path (bounded read, regular files only).
 * Every probe id must be one of @known_ids; an empty row, an unknown id or
 * `external` mixed with ids is refused, naming the row. */
SbxMatrix *sbx_matrix_load (const char *path, const char *const *known_ids, GError **error);
SbxMatrix *sbx_matrix_new_from_data (const char *data, gsize length, const char *path,
                                     const char *const *known_ids, GError **error);
void sbx_matrix_free (SbxMatrix *matrix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxMatrix, sbx_matrix_free)

const char *sbx_row_status_to_string (SbxRowStatus status);

/* (transfer full) SbxRowResult per row of @matrix.  @verdicts maps a probe
 * id to its verdict text ("PASS", …) in the evidence; @verified says
 * whether the evidence verified (when not, no row passes). */
GArray *sbx_matrix_bind (const SbxMatrix *matrix, GHashTable *verdicts, gboolean verified);
/* Whether every non-external row of @results is PASS. */
gboolean sbx_matrix_results_pass (GArray *results);

/* (transfer full) The binding as a JSON document: schema
 * "sbxprofile.matrix-binding/1", the matrix, the bundle path and the sha256
 * of the envelope's bytes, whether and why (not) it verified, the signer's
 * keyid (nullable), one entry per row, and the overall result. */
JsonNode *sbx_matrix_report_new (const SbxMatrix *matrix, GArray *results, const char *bundle_path,
                                 const char *envelope_sha256, gboolean verified, const char *verification,
                                 const char *signer_keyid);

G_END_DECLS
