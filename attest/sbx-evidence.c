/* sbx-evidence.c — the evidence bundle: building it from an attestation
 * record (JsonBuilder), its canonical serialisation and digest, reading it
 * back (JsonParser) and verifying it.  Schema: probes/EVIDENCE.md.
 *
 * The canonical form is written by our own walker, not by JsonGenerator,
 * so that the digest does not depend on a json-glib version's spacing,
 * member order or number formatting: objects with member names sorted by
 * byte value, arrays in order, no whitespace, strings with only '"', '\\'
 * and control characters escaped.  Bundles hold no floating-point numbers.
 */
#include "config.h"

#include "sbx-attest-private.h"
#include "sbx-json.h"
#include "sbx-plan.h"

#include "catalogue.h"

#include <errno.h>
#include <string.h>

struct _SbxEvidence {
  JsonNode *root;
  /* lent out by sbx_evidence_get_probe(): parsed once, leniently */
  GPtrArray *reports; /* SbxProbeReport* or NULL for a malformed entry */
};

/* ------------------------------------------------------------ enum names */

static const char *const result_names[] = {
  [SBX_PROBE_HOLDS] = "HOLDS",
  [SBX_PROBE_VIOLATED] = "VIOLATED",
  [SBX_PROBE_UNTESTABLE] = "UNTESTABLE",
  [SBX_PROBE_ERROR] = "ERROR",
  [SBX_PROBE_MISSING] = "MISSING",
};

static const char *const verdict_names[] = {
  [SBX_VERDICT_PASS] = "PASS",
  [SBX_VERDICT_FAIL] = "FAIL",
  [SBX_VERDICT_INCONCLUSIVE] = "INCONCLUSIVE",
};

static const char *const status_names[] = {
  [SBX_ATTEST_STATUS_ATTESTED] = "SANDBOX_ATTESTED",
  [SBX_ATTEST_STATUS_PARTIAL] = "SANDBOX_ATTESTATION_PARTIAL",
  [SBX_ATTEST_STATUS_FAILED] = "SANDBOX_ATTESTATION_FAILED",
};

const char *
sbx_probe_result_to_string (SbxProbeResult result)
{
  if ((guint) result >= G_N_ELEMENTS (result_names))
    return "unknown";
  return result_names[result];
}

const char *
sbx_verdict_to_string (SbxVerdict verdict)
{
  if ((guint) verdict >= G_N_ELEMENTS (verdict_names))
    return "unknown";
  return verdict_names[verdict];
}

const char *
sbx_attest_status_to_string (SbxAttestStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_names))
    return "unknown";
  return status_names[status];
}

static gboolean
name_lookup (const char *const *names, guint n, const char *text, guint *value)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], text) == 0)
      {
        *value = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
sbx_probe_result_from_string (const char *text, SbxProbeResult *result)
{
  guint v;

  if (!name_lookup (result_names, G_N_ELEMENTS (result_names), text, &v))
    return FALSE;
  *result = v;
  return TRUE;
}

static gboolean
verdict_from_string (const char *text, SbxVerdict *verdict)
{
  guint v;

  if (!name_lookup (verdict_names, G_N_ELEMENTS (verdict_names), text, &v))
    return FALSE;
  *verdict = v;
  return TRUE;
}

/* ------------------------------------------------------ records, verdicts */

SbxAttestRecord *
sbx_attest_record_new (void)
{
  SbxAttestRecord *record = g_new0 (SbxAttestRecord, 1);

  record->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_probe_record_free);
  return record;
}

void
sbx_attest_record_free (SbxAttestRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->tool_name);
  g_free (record->tool_version);
  g_clear_pointer (&record->venue, json_node_unref);
  g_free (record->started);
  g_free (record->finished);
  g_free (record->profile_name);
  g_free (record->profile_source);
  g_free (record->profile_canonical);
  g_free (record->profile_sha256);
  g_strfreev (record->profile_overrides);
  g_strfreev (record->required);
  g_strfreev (record->overrides);
  g_free (record->exec_lock);
  g_free (record->launch_sha256);
  g_free (record->lock_sha256);
  g_free (record->launch_bpf_base64);
  g_free (record->lock_bpf_base64);
  g_strfreev (record->argv);
  g_clear_pointer (&record->run, json_node_unref);
  g_ptr_array_unref (record->probes);
  g_free (record);
}

static void
attempt_free (SbxAttempt *attempt)
{
  g_free (attempt->call);
  g_free (attempt->args);
  g_free (attempt->ret);
  g_free (attempt->errno_name);
  g_free (attempt);
}

static void
host_check_free (SbxHostCheck *check)
{
  g_free (check->check);
  g_free (check->detail);
  g_free (check);
}

SbxProbeRecord *
sbx_probe_record_new (const char *id, const char *property, gboolean required)
{
  SbxProbeRecord *record = g_new0 (SbxProbeRecord, 1);

  record->id = g_strdup (id);
  record->property = g_strdup (property);
  record->required = required;
  for (int s = 0; s < SBX_N_SIDES; s++)
    {
      record->side[s].result = SBX_PROBE_MISSING;
      record->side[s].attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) attempt_free);
    }
  record->host_checks = g_ptr_array_new_with_free_func ((GDestroyNotify) host_check_free);
  record->verdict = SBX_VERDICT_FAIL;
  return record;
}

void
sbx_probe_record_free (SbxProbeRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->property);
  for (int s = 0; s < SBX_N_SIDES; s++)
    {
      g_free (record->side[s].summary);
      g_ptr_array_unref (record->side[s].attempts);
    }
  g_ptr_array_unref (record->host_checks);
  g_free (record->verdict_reason);
  g_free (record);
}

void
sbx_probe_record_add_host_check (SbxProbeRecord *record, const char *check, gboolean ok, const char *detail)
{
  SbxHostCheck *c = g_new0 (SbxHostCheck, 1);

  c->check = g_strdup (check);
  c->ok = ok;
  c->detail = g_strdup (detail != NULL ? detail : "");
  g_ptr_array_add (record->host_checks, c);
}

static const SbxHostCheck *
first_failed_host_check (const SbxProbeRecord *record)
{
  for (guint i = 0; i < record->host_checks->len; i++)
    {
      const SbxHostCheck *c = g_ptr_array_index (record->host_checks, i);

      if (!c->ok)
        return c;
    }
  return NULL;
}

void
sbx_probe_record_decide (SbxProbeRecord *record, const SbxVerdictContext *ctx)
{
  SbxObservation *obs[SBX_N_SIDES] = { NULL, NULL };
  SbxVerdictInput in = { .id = record->id, .host_checks_ok = first_failed_host_check (record) == NULL };
  SbxVerdictOutput out;

  for (int s = 0; s < SBX_N_SIDES; s++)
    {
      GPtrArray *a = record->side[s].attempts;

      obs[s] = g_new0 (SbxObservation, a->len + 1);
      for (guint i = 0; i < a->len; i++)
        {
          const SbxAttempt *at = g_ptr_array_index (a, i);

          obs[s][i] = (SbxObservation) { at->call, at->args, at->ret, at->errno_name };
        }
      in.claim[s] = record->side[s].result;
      in.obs[s] = obs[s];
      in.n_obs[s] = a->len;
    }
  sbx_verdict_compute (&in, ctx, &out);
  record->verdict = out.verdict;
  g_free (record->verdict_reason);
  record->verdict_reason = g_steal_pointer (&out.reason);
  sbx_verdict_output_clear (&out);
  for (int s = 0; s < SBX_N_SIDES; s++)
    g_free (obs[s]);
}

void
sbx_probe_record_to_report (const SbxProbeRecord *record, SbxProbeReport *report)
{
  const SbxHostCheck *failed = first_failed_host_check (record);

  memset (report, 0, sizeof *report);
  report->id = record->id;
  report->property = record->property;
  report->required = record->required;
  report->verdict = record->verdict;
  report->sandbox_result = record->side[SBX_SIDE_SANDBOX].result;
  report->control_result = record->side[SBX_SIDE_CONTROL].result;
  report->sandbox_summary = record->side[SBX_SIDE_SANDBOX].summary;
  report->control_summary = record->side[SBX_SIDE_CONTROL].summary;
  report->host_check = failed != NULL ? failed->check : NULL;
  report->host_check_detail = failed != NULL ? failed->detail : NULL;
  report->duration_ms = record->duration_ms;
  report->verdict_reason = record->verdict_reason;
}

/* The first "; "-separated item of @text, with how many were left out. */
static char *
first_item (const char *text)
{
  const char *sep = strstr (text, "; ");
  guint more = 0;

  for (const char *p = sep; p != NULL; p = strstr (p + 2, "; "))
    more++;
  if (sep == NULL)
    return g_strdup (text);
  return g_strdup_printf ("%.*s (and %u more)", (int) (sep - text), text, more);
}

char *
sbx_probe_report_dup_reason (const SbxProbeReport *r)
{
  const char *sandbox = sbx_probe_result_to_string (r->sandbox_result);
  const char *control = sbx_probe_result_to_string (r->control_result);

  if (r->verdict == SBX_VERDICT_PASS)
    return NULL;
  if (r->verdict_reason != NULL)
    return g_strdup (r->verdict_reason);
  if (r->sandbox_result == SBX_PROBE_VIOLATED || r->sandbox_result == SBX_PROBE_ERROR)
    return g_strdup_printf ("%s (sandbox %s)", r->sandbox_summary != NULL ? r->sandbox_summary : "", sandbox);
  if (r->sandbox_result == SBX_PROBE_MISSING)
    return g_strdup ("the sandbox run reported no result");
  if (r->host_check != NULL && r->host_check_detail != NULL && r->host_check_detail[0] != '\0')
    {
      g_autofree char *first = first_item (r->host_check_detail);

      if (strcmp (r->host_check, "the observed sandbox matches the plan") == 0)
        return g_steal_pointer (&first);
      return g_strdup_printf ("host check failed: %s: %s", r->host_check, first);
    }
  if (r->host_check != NULL)
    return g_strdup_printf ("host check failed: %s", r->host_check);
  if (r->sandbox_result == SBX_PROBE_UNTESTABLE)
    return g_strdup_printf ("%s (sandbox UNTESTABLE)", r->sandbox_summary != NULL ? r->sandbox_summary : "");
  return g_strdup_printf ("the control could not show the probe can fail (control %s: %s)", control,
                          r->control_summary != NULL ? r->control_summary : "");
}

/* Works on verdicts and required flags only, so the verifier can use it on
 * records rebuilt from a bundle. */
SbxAttestStatus
sbx_attest_status_decide_from (guint n, const SbxVerdict *verdicts, const gboolean *required)
{
  gboolean all_required_pass = TRUE;
  guint n_required = 0;

  for (guint i = 0; i < n; i++)
    {
      if (verdicts[i] == SBX_VERDICT_FAIL)
        return SBX_ATTEST_STATUS_FAILED;
      if (required[i])
        n_required++;
      if (required[i] && verdicts[i] != SBX_VERDICT_PASS)
        all_required_pass = FALSE;
    }
  /* nothing required attests nothing */
  return all_required_pass && n_required > 0 ? SBX_ATTEST_STATUS_ATTESTED : SBX_ATTEST_STATUS_PARTIAL;
}

SbxAttestStatus
sbx_attest_status_decide (GPtrArray *probes)
{
  g_autofree SbxVerdict *verdicts = g_new0 (SbxVerdict, probes->len + 1);
  g_autofree gboolean *required = g_new0 (gboolean, probes->len + 1);

  for (guint i = 0; i < probes->len; i++)
    {
      const SbxProbeRecord *r = g_ptr_array_index (probes, i);

      verdicts[i] = r->verdict;
      required[i] = r->required;
    }
  return sbx_attest_status_decide_from (probes->len, verdicts, required);
}

SbxAttestStatus
sbx_attest_status_cap (SbxAttestStatus status, guint n_overrides)
{
  return status == SBX_ATTEST_STATUS_ATTESTED && n_overrides > 0 ? SBX_ATTEST_STATUS_PARTIAL : status;
}

/* --------------------------------------------------------------- hashing */

char *
sbx_argv_sha256 (const char *const *argv)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (gsize i = 0; argv != NULL && argv[i] != NULL; i++)
    g_checksum_update (sum, (const guchar *) argv[i], strlen (argv[i]) + 1);
  return g_strdup (g_checksum_get_string (sum));
}

static void
canonical_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (a, b);
}

static void canonical_node (GString *out, JsonNode *node, const char *skip_member);

static void
canonical_object (GString *out, JsonObject *object, const char *skip_member)
{
  GList *names = g_list_sort (json_object_get_members (object), compare_names);
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (skip_member != NULL && strcmp (name, skip_member) == 0)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      canonical_string (out, name);
      g_string_append_c (out, ':');
      canonical_node (out, json_object_get_member (object, name), NULL);
    }
  g_string_append_c (out, '}');
  g_list_free (names);
}

static void
canonical_node (GString *out, JsonNode *node, const char *skip_member)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      canonical_object (out, json_node_get_object (node), skip_member);
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            canonical_node (out, json_array_get_element (array, i), NULL);
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_DOUBLE:
          {
            /* not written by sbx; kept stable anyway */
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", json_node_get_double (node)));
            break;
          }
        case G_TYPE_STRING:
          canonical_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;
    }
}

char *
sbx_json_canonical (JsonNode *node, const char *skip_member)
{
  GString *out = g_string_new (NULL);

  canonical_node (out, node, skip_member);
  return g_string_free (out, FALSE);
}

char *
sbx_evidence_compute_digest (JsonNode *root)
{
  g_autofree char *canonical = sbx_json_canonical (root, "digest");

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
}

/* -------------------------------------------------------------- building */

/* Text from outside (probe output, uname, stderr) may be anything: JSON
 * strings must be valid UTF-8. */
static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value == NULL)
    json_builder_add_null_value (b);
  else if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (b, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (b, valid);
    }
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_strv (JsonBuilder *b, const char *name, const char *const *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    {
      if (g_utf8_validate (values[i], -1, NULL))
        json_builder_add_string_value (b, values[i]);
      else
        {
          g_autofree char *valid = g_utf8_make_valid (values[i], -1);

          json_builder_add_string_value (b, valid);
        }
    }
  json_builder_end_array (b);
}

/* @text as a number only when that is exactly what was printed: "0644" or
 * "0000000000000000" (a capability mask) stay the text observed. */
static gboolean
exact_integer (const char *text, gint64 *value)
{
  g_autofree char *again = NULL;
  char *end = NULL;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  errno = 0;
  *value = g_ascii_strtoll (text, &end, 10);
  if (end == NULL || *end != '\0' || errno != 0)
    return FALSE;
  again = g_strdup_printf ("%" G_GINT64_FORMAT, *value);
  return strcmp (again, text) == 0;
}

static void
add_side (JsonBuilder *b, const char *name, const SbxProbeSideRecord *side)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_string (b, "result", sbx_probe_result_to_string (side->result));
  add_string (b, "summary", side->summary != NULL ? side->summary : "");
  add_int (b, "duration_ms", side->duration_ms);
  json_builder_set_member_name (b, "attempts");
  json_builder_begin_array (b);
  for (guint i = 0; i < side->attempts->len; i++)
    {
      const SbxAttempt *a = g_ptr_array_index (side->attempts, i);
      gint64 ret;

      json_builder_begin_object (b);
      add_string (b, "call", a->call);
      add_string (b, "args", a->args);
      if (exact_integer (a->ret, &ret))
        add_int (b, "ret", ret);
      else
        add_string (b, "ret", a->ret);
      add_string (b, "errno", a->errno_name);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_probe (JsonBuilder *b, const SbxProbeRecord *r)
{
  json_builder_begin_object (b);
  add_string (b, "id", r->id);
  add_string (b, "property", r->property);
  json_builder_set_member_name (b, "required");
  json_builder_add_boolean_value (b, r->required);
  add_string (b, "verdict", sbx_verdict_to_string (r->verdict));
  add_side (b, "sandbox", &r->side[SBX_SIDE_SANDBOX]);
  add_side (b, "control", &r->side[SBX_SIDE_CONTROL]);
  json_builder_set_member_name (b, "host_checks");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->host_checks->len; i++)
    {
      const SbxHostCheck *c = g_ptr_array_index (r->host_checks, i);

      json_builder_begin_object (b);
      add_string (b, "check", c->check);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, c->ok);
      add_string (b, "detail", c->detail);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_int (b, "duration_ms", r->duration_ms);
  json_builder_end_object (b);
}

static void
add_node (JsonBuilder *b, const char *name, JsonNode *node)
{
  json_builder_set_member_name (b, name);
  if (node != NULL)
    json_builder_add_value (b, json_node_copy (node));
  else
    json_builder_add_null_value (b);
}

static SbxEvidence *
evidence_new_take_root (JsonNode *root)
{
  SbxEvidence *evidence = g_atomic_rc_box_new0 (SbxEvidence);

  evidence->root = root;
  return evidence;
}

SbxEvidence *
sbx_evidence_new_from_record (const SbxAttestRecord *record)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint counts[3] = { 0, 0, 0 };
  guint n_required = 0, required_pass = 0;
  g_autofree char *argv_sha = sbx_argv_sha256 ((const char *const *) record->argv);
  g_autofree char *digest = NULL;
  JsonNode *root;

  for (guint i = 0; i < record->probes->len; i++)
    {
      const SbxProbeRecord *r = g_ptr_array_index (record->probes, i);

      counts[r->verdict]++;
      if (r->required)
        {
          n_required++;
          required_pass += r->verdict == SBX_VERDICT_PASS;
        }
    }

  json_builder_begin_object (b);
  add_string (b, "schema", SBX_EVIDENCE_SCHEMA);

  json_builder_set_member_name (b, "tool");
  json_builder_begin_object (b);
  add_string (b, "name", record->tool_name);
  add_string (b, "version", record->tool_version);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "library");
  json_builder_begin_object (b);
  add_string (b, "name", "libsbxprofile");
  add_string (b, "version", sbx_version_string ());
  {
    g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version, glib_minor_version, glib_micro_version);
    g_autofree char *json = g_strdup_printf ("%u.%u.%u", JSON_MAJOR_VERSION, JSON_MINOR_VERSION, JSON_MICRO_VERSION);
    g_autofree char *scmp = sbx_libseccomp_version_dup ();

    add_string (b, "glib", glib);
    add_string (b, "json_glib", json);
    add_string (b, "libseccomp", scmp);
  }
  json_builder_end_object (b);

  add_node (b, "venue", record->venue);
  add_string (b, "started", record->started);
  add_string (b, "finished", record->finished);

  json_builder_set_member_name (b, "profile");
  json_builder_begin_object (b);
  add_string (b, "name", record->profile_name);
  add_string (b, "source", record->profile_source);
  add_string (b, "canonical", record->profile_canonical);
  add_string (b, "sha256", record->profile_sha256);
  if (record->profile_overrides != NULL && record->profile_overrides[0] != NULL)
    add_strv (b, "overrides", (const char *const *) record->profile_overrides);
  add_strv (b, "required", (const char *const *) record->required);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "programs");
  json_builder_begin_object (b);
  add_string (b, "exec_lock", record->exec_lock);
  json_builder_set_member_name (b, "launch");
  json_builder_begin_object (b);
  add_string (b, "sha256", record->launch_sha256);
  add_int (b, "instructions", record->launch_instructions);
  add_string (b, "bpf_base64", record->launch_bpf_base64);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "lock");
  json_builder_begin_object (b);
  add_string (b, "sha256", record->lock_sha256);
  add_int (b, "instructions", record->lock_instructions);
  add_string (b, "bpf_base64", record->lock_bpf_base64);
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "bwrap_argv");
  json_builder_begin_object (b);
  add_strv (b, "argv", (const char *const *) record->argv);
  add_string (b, "sha256", argv_sha);
  json_builder_end_object (b);

  add_node (b, "run", record->run);

  json_builder_set_member_name (b, "probes");
  json_builder_begin_array (b);
  for (guint i = 0; i < record->probes->len; i++)
    add_probe (b, g_ptr_array_index (record->probes, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  add_int (b, "total", record->probes->len);
  add_int (b, "pass", counts[SBX_VERDICT_PASS]);
  add_int (b, "fail", counts[SBX_VERDICT_FAIL]);
  add_int (b, "inconclusive", counts[SBX_VERDICT_INCONCLUSIVE]);
  add_int (b, "required", n_required);
  add_int (b, "required_pass", required_pass);
  json_builder_end_object (b);

  add_string (b, "final_status", sbx_attest_status_to_string (sbx_attest_status_cap (
    sbx_attest_status_decide (record->probes), record->overrides != NULL ? g_strv_length (record->overrides) : 0)));
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  digest = sbx_evidence_compute_digest (root);
  {
    JsonObject *d = json_object_new ();

    json_object_set_string_member (d, "algorithm", "sha256");
    json_object_set_string_member (d, "value", digest);
    json_object_set_object_member (json_node_get_object (root), "digest", d);
  }
  return evidence_new_take_root (root);
}

/* --------------------------------------------------------------- reading */

SbxEvidence *
sbx_evidence_new_from_data (const char *data, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not a JSON document: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not an evidence bundle: the top level is not a JSON object");
      return NULL;
    }
  return evidence_new_take_root (json_node_ref (root));
}

SbxEvidence *
sbx_evidence_new_from_file (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) local = NULL;
  SbxEvidence *evidence;

  if (!g_file_get_contents (path, &data, &length, &local))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s", local->message);
      return NULL;
    }
  evidence = sbx_evidence_new_from_data (data, length, &local);
  if (evidence == NULL)
    g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "%s: %s", path, local->message);
  return evidence;
}

SbxEvidence *
sbx_evidence_ref (SbxEvidence *evidence)
{
  g_return_val_if_fail (evidence != NULL, NULL);
  return g_atomic_rc_box_acquire (evidence);
}

/* Releases what @data (a SbxEvidence) owns; the box itself is g_atomic_rc_box's. */
static void
evidence_clear (gpointer data)
{
  SbxEvidence *evidence = data;

  json_node_unref (evidence->root);
  if (evidence->reports != NULL)
    g_ptr_array_unref (evidence->reports);
}

void
sbx_evidence_unref (SbxEvidence *evidence)
{
  if (evidence != NULL)
    g_atomic_rc_box_release_full (evidence, evidence_clear);
}

JsonNode *
sbx_evidence_peek_root (SbxEvidence *evidence)
{
  return evidence->root;
}

char *
sbx_evidence_to_data (SbxEvidence *evidence, gsize *length)
{
  return sbx_json_to_text (evidence->root, length);
}

gboolean
sbx_evidence_save (SbxEvidence *evidence, const char *path, GError **error)
{
  gsize length;
  g_autofree char *data = sbx_evidence_to_data (evidence, &length);
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

char *
sbx_evidence_dup_digest (SbxEvidence *evidence)
{
  return sbx_evidence_compute_digest (evidence->root);
}

/* Fills @report from one "probes" entry; FALSE when it is malformed. */
static gboolean
report_from_object (JsonObject *p, SbxProbeReport *report)
{
  JsonObject *sandbox = sbx_json_get_object (p, "sandbox");
  JsonObject *control = sbx_json_get_object (p, "control");
  JsonArray *checks = sbx_json_get_array (p, "host_checks");

  memset (report, 0, sizeof *report);
  report->id = sbx_json_get_string (p, "id");
  report->property = sbx_json_get_string (p, "property");
  if (report->id == NULL || report->property == NULL || sandbox == NULL || control == NULL || checks == NULL
      || !sbx_json_get_bool (p, "required", &report->required)
      || !verdict_from_string (sbx_json_get_string (p, "verdict"), &report->verdict)
      || !sbx_probe_result_from_string (sbx_json_get_string (sandbox, "result"), &report->sandbox_result)
      || !sbx_probe_result_from_string (sbx_json_get_string (control, "result"), &report->control_result)
      || !sbx_json_get_int (p, "duration_ms", &report->duration_ms))
    return FALSE;
  report->sandbox_summary = sbx_json_get_string (sandbox, "summary");
  report->control_summary = sbx_json_get_string (control, "summary");
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonNode *n = json_array_get_element (checks, i);
      gboolean ok;

      if (!JSON_NODE_HOLDS_OBJECT (n) || !sbx_json_get_bool (json_node_get_object (n), "ok", &ok)
          || sbx_json_get_string (json_node_get_object (n), "check") == NULL)
        return FALSE;
      if (!ok && report->host_check == NULL)
        {
          report->host_check = sbx_json_get_string (json_node_get_object (n), "check");
          report->host_check_detail = sbx_json_get_string (json_node_get_object (n), "detail");
        }
    }
  return TRUE;
}

static void
ensure_reports (SbxEvidence *evidence)
{
  JsonArray *probes;

  if (evidence->reports != NULL)
    return;
  evidence->reports = g_ptr_array_new_with_free_func (g_free);
  probes = sbx_json_get_array (json_node_get_object (evidence->root), "probes");
  for (guint i = 0; probes != NULL && i < json_array_get_length (probes); i++)
    {
      JsonNode *n = json_array_get_element (probes, i);
      SbxProbeReport *report = g_new0 (SbxProbeReport, 1);

      if (!JSON_NODE_HOLDS_OBJECT (n) || !report_from_object (json_node_get_object (n), report))
        g_clear_pointer (&report, g_free);
      g_ptr_array_add (evidence->reports, report);
    }
}

char *
sbx_evidence_dup_overrides (SbxEvidence *evidence)
{
  JsonObject *run = sbx_json_get_object (json_node_get_object (evidence->root), "run");
  JsonObject *tools = run != NULL ? sbx_json_get_object (run, "tools") : NULL;
  JsonArray *over = tools != NULL ? sbx_json_get_array (tools, "overrides") : NULL;
  GString *out;

  if (over == NULL || json_array_get_length (over) == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (over); i++)
    {
      JsonNode *n = json_array_get_element (over, i);

      g_string_append_printf (out, "%s%s", i > 0 ? "; " : "",
                              JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
                              ? json_node_get_string (n) : "?");
    }
  return g_string_free (out, FALSE);
}

const char *
sbx_evidence_get_final_status (SbxEvidence *evidence)
{
  return sbx_json_get_string (json_node_get_object (evidence->root), "final_status");
}

guint
sbx_evidence_get_n_probes (SbxEvidence *evidence)
{
  ensure_reports (evidence);
  return evidence->reports->len;
}

gboolean
sbx_evidence_get_probe (SbxEvidence *evidence, guint index, SbxProbeReport *report)
{
  const SbxProbeReport *r;

  ensure_reports (evidence);
  if (index >= evidence->reports->len || (r = g_ptr_array_index (evidence->reports, index)) == NULL)
    return FALSE;
  *report = *r;
  return TRUE;
}

/* ------------------------------------------------------------- verifying */

#define fail(...) \
  G_STMT_START { \
    g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

/* The members every bundle must carry, by dotted path from the top (the
 * signed predicate too: sbx-verify.c adds its own). */
const SbxJsonMember sbx_evidence_members[] = {
  { "tool", SBX_JSON_OBJECT },
  { "tool.name", SBX_JSON_STRING },
  { "tool.version", SBX_JSON_STRING },
  { "library", SBX_JSON_OBJECT },
  { "library.version", SBX_JSON_STRING },
  { "venue", SBX_JSON_OBJECT },
  { "venue.kernel", SBX_JSON_OBJECT },
  { "venue.kernel.release", SBX_JSON_STRING },
  { "venue.arch", SBX_JSON_STRING },
  { "venue.uid", SBX_JSON_INT },
  { "venue.euid", SBX_JSON_INT },
  { "venue.hostname", SBX_JSON_STRING },
  { "venue.bwrap", SBX_JSON_OBJECT },
  { "venue.bwrap.path", SBX_JSON_STRING },
  { "venue.bwrap.version", SBX_JSON_STRING },
  { "venue.bwrap.sha256", SBX_JSON_STRING },
  { "venue.bwrap.setuid", SBX_JSON_BOOL },
  { "venue.user_namespaces", SBX_JSON_OBJECT },
  { "venue.landlock_abi", SBX_JSON_INT },
  { "venue.virtualisation", SBX_JSON_OBJECT },
  { "started", SBX_JSON_STRING },
  { "finished", SBX_JSON_STRING },
  { "profile", SBX_JSON_OBJECT },
  { "profile.canonical", SBX_JSON_STRING },
  { "profile.sha256", SBX_JSON_STRING },
  { "profile.required", SBX_JSON_STRING_ARRAY },
  { "programs", SBX_JSON_OBJECT },
  { "programs.exec_lock", SBX_JSON_STRING },
  { "programs.launch.sha256", SBX_JSON_STRING },
  { "programs.lock.sha256", SBX_JSON_STRING },
  { "bwrap_argv", SBX_JSON_OBJECT },
  { "bwrap_argv.argv", SBX_JSON_STRING_ARRAY },
  { "bwrap_argv.sha256", SBX_JSON_STRING },
  { "probes", SBX_JSON_ARRAY },
  { "summary", SBX_JSON_OBJECT },
  { "summary.total", SBX_JSON_INT },
  { "summary.pass", SBX_JSON_INT },
  { "summary.fail", SBX_JSON_INT },
  { "summary.inconclusive", SBX_JSON_INT },
  { "summary.required", SBX_JSON_INT },
  { "summary.required_pass", SBX_JSON_INT },
  { "final_status", SBX_JSON_STRING },
};
const gsize sbx_evidence_n_members = G_N_ELEMENTS (sbx_evidence_members);

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

static gboolean
strv_contains_all (const char *const *haystack, const char *const *needles)
{
  for (gsize i = 0; needles != NULL && needles[i] != NULL; i++)
    if (haystack == NULL || !g_strv_contains (haystack, needles[i]))
      return FALSE;
  return TRUE;
}

static GStrv
strv_from_array (JsonArray *array)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_ptr_array_add (out, g_strdup (json_array_get_string_element (array, i)));
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
}

/* The host-side check sbx attest makes for a probe after both runs (the
 * catalogue's host_check); NULL for probes without one. */
static const char *
expected_host_check (const char *id)
{
  const SbxProbeInfo *info = sbx_probe_catalogue_find (id);

  return info != NULL ? info->host_check : NULL;
}

/* Whether probe entry @p records the host check @name; its outcome in @ok. */
static gboolean
find_host_check (JsonObject *p, const char *name, gboolean *ok)
{
  JsonArray *checks = sbx_json_get_array (p, "host_checks");

  for (guint i = 0; checks != NULL && i < json_array_get_length (checks); i++)
    {
      JsonNode *c = json_array_get_element (checks, i);

      if (JSON_NODE_HOLDS_OBJECT (c) && g_strcmp0 (sbx_json_get_string (json_node_get_object (c), "check"), name) == 0
          && sbx_json_get_bool (json_node_get_object (c), "ok", ok))
        return TRUE;
    }
  return FALSE;
}

/* The entries of one "probes" element that verification relies on. */
static gboolean
verify_probe_entry (JsonNode *n, guint index, SbxProbeReport *report, GError **error)
{
  JsonObject *p;
  static const char *const sides[] = { "sandbox", "control" };

  if (!JSON_NODE_HOLDS_OBJECT (n))
    fail ("probes[%u] is not an object", index);
  p = json_node_get_object (n);
  if (sbx_json_get_string (p, "id") == NULL)
    fail ("probes[%u]: member \"id\" missing or not a string", index);
  for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
    {
      JsonObject *side = sbx_json_get_object (p, sides[s]);
      JsonArray *attempts = sbx_json_get_array (side, "attempts");

      if (side == NULL)
        fail ("probe %s: member \"%s\" missing or not an object", sbx_json_get_string (p, "id"), sides[s]);
      if (sbx_json_get_string (side, "result") == NULL || sbx_json_get_string (side, "summary") == NULL || attempts == NULL)
        fail ("probe %s: %s: members \"result\", \"summary\" (strings) and \"attempts\" (array) required",
              sbx_json_get_string (p, "id"), sides[s]);
      for (guint i = 0; i < json_array_get_length (attempts); i++)
        {
          JsonNode *a = json_array_get_element (attempts, i);
          JsonObject *ao = JSON_NODE_HOLDS_OBJECT (a) ? json_node_get_object (a) : NULL;

          if (ao == NULL || sbx_json_get_string (ao, "call") == NULL || sbx_json_get_string (ao, "args") == NULL
              || sbx_json_member (ao, "ret") == NULL || sbx_json_get_string (ao, "errno") == NULL)
            fail ("probe %s: %s: attempts[%u] needs \"call\", \"args\", \"ret\" and \"errno\"",
                  sbx_json_get_string (p, "id"), sides[s], i);
        }
    }
  if (!report_from_object (p, report))
    fail ("probe %s: malformed (\"property\", \"required\", \"verdict\", results, \"host_checks\" "
          "and \"duration_ms\" must be present with their types and known values)", sbx_json_get_string (p, "id"));
  {
    const char *check = expected_host_check (report->id);
    gboolean ok;

    /* a verdict resting on a host check needs that check recorded */
    if (check != NULL && !find_host_check (p, check, &ok))
      fail ("probe %s: host check \"%s\" missing from \"host_checks\"", report->id, check);
    check = sbx_plan_check_name (report->id);
    if (check != NULL && !find_host_check (p, check, &ok))
      fail ("probe %s: host check \"%s\" missing from \"host_checks\"", report->id, check);
  }
  return TRUE;
}

gboolean
sbx_evidence_verify (SbxEvidence *evidence, SbxProfile *profile, GError **error)
{
  JsonObject *top = json_node_get_object (evidence->root);
  JsonObject *digest_obj = sbx_json_get_object (top, "digest");
  const char *schema = sbx_json_get_string (top, "schema");
  g_autofree char *digest = NULL;
  JsonArray *probes;
  guint n;
  g_autofree SbxProbeReport *reports = NULL;
  g_autofree SbxVerdict *verdicts = NULL;
  g_autofree gboolean *required_flags = NULL;
  g_autofree gboolean *recorded_flags = NULL;
  g_auto(GStrv) required = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *argv_sha = NULL;
  const char *canonical, *recorded_sha;
  g_autofree char *text_sha = NULL;
  guint counts[3] = { 0, 0, 0 }, n_required = 0, required_pass = 0;
  gint64 v;
  SbxAttestStatus status;
  guint n_overrides = 0;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  /* 1. schema */
  if (schema == NULL)
    fail ("member \"schema\" missing or not a string");
  if (strcmp (schema, SBX_EVIDENCE_SCHEMA) != 0)
    fail ("schema is \"%s\", expected \"%s\"", schema, SBX_EVIDENCE_SCHEMA);

  /* 2. digest */
  if (digest_obj == NULL)
    fail ("member \"digest\" missing or not an object");
  if (g_strcmp0 (sbx_json_get_string (digest_obj, "algorithm"), "sha256") != 0)
    fail ("digest algorithm is not \"sha256\"");
  if (!is_sha256_hex (sbx_json_get_string (digest_obj, "value")))
    fail ("digest value is not 64 lower-case hex digits");
  digest = sbx_evidence_compute_digest (evidence->root);
  if (strcmp (digest, sbx_json_get_string (digest_obj, "value")) != 0)
    fail ("digest does not match the contents: recorded %s, computed %s", sbx_json_get_string (digest_obj, "value"), digest);

  /* 3. members and types */
  sbx_json_check_members (top, sbx_evidence_members, sbx_evidence_n_members, problems);
  if (problems->len > 0)
    fail ("%s", (const char *) problems->pdata[0]);

  /* 4. profile text and hash */
  canonical = json_node_get_string (sbx_json_lookup_path (top, "profile.canonical"));
  recorded_sha = json_node_get_string (sbx_json_lookup_path (top, "profile.sha256"));
  text_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  if (strcmp (text_sha, recorded_sha) != 0)
    fail ("profile text does not hash to the recorded profile sha256: recorded %s, computed %s", recorded_sha, text_sha);
  if (profile != NULL)
    {
      g_autofree char *sha = sbx_profile_dup_sha256 (profile);

      if (strcmp (sha, recorded_sha) != 0)
        {
          g_autofree char *text = sbx_profile_to_canonical (profile);
          g_autofree char *diff = sbx_profile_diff_canonical (canonical, text, "bundle",
                                                              sbx_profile_get_source (profile));

          fail ("the bundle is about another profile: %s%s(profile sha256 %s in the bundle, %s for %s)",
                diff != NULL ? diff : "", diff != NULL ? " " : "", recorded_sha, sha,
                sbx_profile_get_source (profile));
        }
    }
  required = strv_from_array (json_node_get_array (sbx_json_lookup_path (top, "profile.required")));
  {
    /* The recorded list must be the one the recorded profile text names.
     * The text is parsed whole, from memory (loading looks at nothing on
     * this host, so the folders it names need not exist here); its
     * [attest] required gives the catalogue default when absent. */
    g_autoptr(GError) local = NULL;
    g_autoptr(SbxProfile) recorded = NULL;
    const char *const *named;

    recorded = sbx_profile_new_from_data (canonical, -1, "profile.canonical", &local);
    if (recorded == NULL)
      fail ("the recorded profile text does not parse: %s", local->message);
    named = sbx_profile_get_required_probes (recorded);
    if (!strv_contains_all (named, (const char *const *) required)
        || !strv_contains_all ((const char *const *) required, named))
      fail ("profile.required does not match [attest] required of the recorded profile text");
  }
  if (profile != NULL)
    {
      g_strfreev (required);
      required = g_strdupv ((GStrv) sbx_profile_get_required_probes (profile));
    }

  /* 5. argv hash */
  argv = strv_from_array (json_node_get_array (sbx_json_lookup_path (top, "bwrap_argv.argv")));
  argv_sha = sbx_argv_sha256 ((const char *const *) argv);
  if (strcmp (argv_sha, json_node_get_string (sbx_json_lookup_path (top, "bwrap_argv.sha256"))) != 0)
    fail ("bwrap argv does not hash to the recorded bwrap_argv.sha256");

  /* 6. every verdict, the summary and final_status follow from the results */
  probes = json_node_get_array (sbx_json_lookup_path (top, "probes"));
  n = json_array_get_length (probes);
  reports = g_new0 (SbxProbeReport, n + 1);
  verdicts = g_new0 (SbxVerdict, n + 1);
  required_flags = g_new0 (gboolean, n + 1);
  recorded_flags = g_new0 (gboolean, n + 1);
  for (guint i = 0; i < n; i++)
    {
      SbxProbeReport *r = &reports[i];
      SbxVerdict expected;

      if (!verify_probe_entry (json_array_get_element (probes, i), i, r, error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (strcmp (reports[j].id, r->id) == 0)
          fail ("probe %s appears twice", r->id);
      expected = sbx_verdict_decide (r->sandbox_result, r->control_result, r->host_check == NULL);
      if (expected != r->verdict)
        fail ("probe %s: verdict %s does not follow from sandbox %s, control %s%s (expected %s)", r->id,
              sbx_verdict_to_string (r->verdict), sbx_probe_result_to_string (r->sandbox_result),
              sbx_probe_result_to_string (r->control_result), r->host_check != NULL ? ", a failed host check" : "",
              sbx_verdict_to_string (expected));
      if (r->required != g_strv_contains ((const char *const *) required, r->id) && profile == NULL)
        fail ("probe %s: \"required\" is %s but profile.required %s it", r->id, r->required ? "true" : "false",
              r->required ? "does not list" : "lists");
      verdicts[i] = r->verdict;
      recorded_flags[i] = r->required;
      counts[r->verdict]++;
      if (r->required)
        {
          n_required++;
          required_pass += r->verdict == SBX_VERDICT_PASS;
        }
      /* with a profile given, its own list decides below */
      r->required = g_strv_contains ((const char *const *) required, r->id);
      required_flags[i] = r->required;
    }
  if (!sbx_json_get_int (sbx_json_get_object (top, "summary"), "total", &v) || v != n
      || !sbx_json_get_int (sbx_json_get_object (top, "summary"), "pass", &v) || v != counts[SBX_VERDICT_PASS]
      || !sbx_json_get_int (sbx_json_get_object (top, "summary"), "fail", &v) || v != counts[SBX_VERDICT_FAIL]
      || !sbx_json_get_int (sbx_json_get_object (top, "summary"), "inconclusive", &v) || v != counts[SBX_VERDICT_INCONCLUSIVE])
    fail ("summary counts do not match the probes (%u probes: %u PASS, %u FAIL, %u INCONCLUSIVE)",
          n, counts[SBX_VERDICT_PASS], counts[SBX_VERDICT_FAIL], counts[SBX_VERDICT_INCONCLUSIVE]);
  if (!sbx_json_get_int (sbx_json_get_object (top, "summary"), "required", &v) || v != n_required
      || !sbx_json_get_int (sbx_json_get_object (top, "summary"), "required_pass", &v) || v != required_pass)
    fail ("summary counts do not match the probes (%u required, %u of them PASS)", n_required, required_pass);
  {
    JsonObject *tools = sbx_json_get_object (sbx_json_get_object (top, "run"), "tools");
    JsonArray *over = tools != NULL ? sbx_json_get_array (tools, "overrides") : NULL;

    /* helpers or probes from elsewhere than sbx's own location */
    n_overrides = over != NULL ? json_array_get_length (over) : 0;
  }
  status = sbx_attest_status_cap (sbx_attest_status_decide_from (n, verdicts, recorded_flags), n_overrides);
  if (strcmp (sbx_attest_status_to_string (status), sbx_json_get_string (top, "final_status")) != 0)
    fail ("final_status %s does not follow from the verdicts (expected %s)", sbx_json_get_string (top, "final_status"),
          sbx_attest_status_to_string (status));
  status = sbx_attest_status_cap (sbx_attest_status_decide_from (n, verdicts, required_flags), n_overrides);
  if (n_overrides > 0)
    fail ("the run used tools from outside sbx's own location (run.tools.overrides): never SANDBOX_ATTESTED");

  /* 7. every required probe present, PASS, with a detecting control */
  for (gsize k = 0; required[k] != NULL; k++)
    {
      const SbxProbeReport *r = NULL;

      for (guint i = 0; i < n && r == NULL; i++)
        if (strcmp (reports[i].id, required[k]) == 0)
          r = &reports[i];
      if (r == NULL)
        fail ("required probe %s is missing", required[k]);
      if (r->verdict != SBX_VERDICT_PASS)
        {
          g_autofree char *why = sbx_probe_report_dup_reason (r);

          fail ("required probe %s: verdict %s: %s (sandbox %s, control %s)", r->id,
                sbx_verdict_to_string (r->verdict), why, sbx_probe_result_to_string (r->sandbox_result),
                sbx_probe_result_to_string (r->control_result));
        }
      if (r->control_result != SBX_PROBE_VIOLATED)
        fail ("required probe %s: control %s, expected VIOLATED (a control that detected)", r->id,
              sbx_probe_result_to_string (r->control_result));
      if (expected_host_check (r->id) != NULL)
        {
          gboolean ok = FALSE;

          find_host_check (json_array_get_object_element (probes, (guint) (r - reports)),
                           expected_host_check (r->id), &ok);
          if (!ok)
            fail ("required probe %s: host check \"%s\" did not pass", r->id, expected_host_check (r->id));
        }
      if (sbx_plan_check_name (r->id) != NULL)
        {
          gboolean ok = FALSE;

          find_host_check (json_array_get_object_element (probes, (guint) (r - reports)),
                           sbx_plan_check_name (r->id), &ok);
          if (!ok)
            fail ("required probe %s: host check \"%s\" did not pass", r->id, sbx_plan_check_name (r->id));
        }
    }

  /* 8. the status */
  if (status != SBX_ATTEST_STATUS_ATTESTED)
    fail ("final status is %s, not SANDBOX_ATTESTED", sbx_attest_status_to_string (status));
  if (strcmp (sbx_json_get_string (top, "final_status"), "SANDBOX_ATTESTED") != 0)
    fail ("final_status is %s, not SANDBOX_ATTESTED", sbx_json_get_string (top, "final_status"));
  return TRUE;
}
