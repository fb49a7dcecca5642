/* sbx-statement.h — the in-toto Statement v1 that a DSSE envelope of
 * `sbx attest` carries (https://github.com/in-toto/attestation,
 * spec/v1/statement.md):
 *
 *   { "_type": "https://in-toto.io/Statement/v1",
 *     "subject": [ { "name": "…", "digest": { "sha256": "…" } }, … ],
 *     "predicateType": SBX_PREDICATE_TYPE,
 *     "predicate": { …the evidence… } }
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SBX_INTOTO_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
/* The predicateType: the sbxprofile evidence schema and its major version
 * (in-toto TypeURI: collision-resistant, carries the version, SHOULD
 * resolve to a description but MAY not).  It names the schema's own
 * document in sbx's source, probes/EVIDENCE.md, section "Schema v3".
 * Version 1 was the unsigned sbxprofile.evidence/1 bundle, version 2 the
 * signed one before run.job (the plan's job ids); the 0.2
 * development snapshots wrote SBX_PREDICATE_TYPE_OLD. */
#define SBX_PREDICATE_TYPE_BASE "https://github.com/sbxprofile/sbxprofile/blob/main/probes/EVIDENCE.md#schema-v"
#define SBX_PREDICATE_VERSION "3"
#define SBX_PREDICATE_TYPE SBX_PREDICATE_TYPE_BASE SBX_PREDICATE_VERSION
#define SBX_PREDICATE_TYPE_OLD "https://sbxprofile.invalid/attestation/evidence/v2"

typedef struct {
  char *name;
  char *sha256;
} SbxSubject;

/* (transfer full) A statement over @subjects (SbxSubject*), taking
 * @predicate (an object). */
JsonNode *sbx_statement_new (GPtrArray *subjects, const char *predicate_type, JsonNode *predicate);

/* A parsed statement, lending into the node it came from. */
typedef struct {
  JsonArray *subjects;
  const char *predicate_type;
  JsonObject *predicate;
} SbxStatement;

/* Checks @root is a Statement v1 (its _type, subjects with a name and a
 * 64-hex-digit sha256 each, names unique, predicateType, an object
 * predicate); FALSE with @error naming what is wrong. */
gboolean sbx_statement_parse (JsonNode *root, SbxStatement *st, GError **error);
/* (transfer none) The sha256 of subject @name, or NULL. */
const char *sbx_statement_subject_sha256 (const SbxStatement *st, const char *name);

SbxSubject *sbx_subject_new (const char *name, const char *sha256);
void sbx_subject_free (SbxSubject *subject);

G_END_DECLS
