/* test-evidence.c — the bundle writer and verifier: a round trip, the
 * canonical serialisation, and every tampering the verifier must reject,
 * both naive (digest left stale) and with the digest recomputed (so the
 * deeper checks have to catch it). */
#include "config.h"

#include "sbx-attest-private.h"
#include "sbx-plan.h"

#include "catalogue.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

/* ---------------------------------------------------------------- fixtures */

/* The host checks sbx attest records: the catalogue's host_check, on these
 * four probes (a probe losing or gaining one must show here). */
static const char *const host_checked[] = { "PR-NET-2", "PR-SOCK-DOCKER", "PR-FS-RO-IN", "PR-FS-OUT-OK" };

/* A bundle for the default profile as an honest attestation would write it:
 * every probe HOLDS inside and is VIOLATED in the control, except that
 * @untestable_id (nullable) has an UNTESTABLE control. */
static SbxEvidence *
make_bundle (const char *untestable_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  SbxAttestRecord *rec;
  const char *const *required;
  SbxEvidence *ev;
  const char *argv[] = { "/usr/bin/bwrap", "--unshare-all", "--", "/run/sbx/sbx-probe", NULL };

  assert_non_null (profile);
  required = sbx_profile_get_required_probes (profile);
  rec = sbx_attest_record_new ();
  rec->tool_name = g_strdup ("test-evidence");
  rec->tool_version = g_strdup ("0");
  rec->venue = sbx_venue_collect ("/nonexistent/bwrap");
  rec->started = g_strdup ("2025-01-01T00:00:00.000000Z");
  rec->finished = g_strdup ("2025-01-01T00:00:00.300000Z");
  rec->profile_name = g_strdup (sbx_profile_get_name (profile));
  rec->profile_source = g_strdup (sbx_profile_get_source (profile));
  rec->profile_canonical = sbx_profile_to_canonical (profile);
  rec->profile_sha256 = sbx_profile_dup_sha256 (profile);
  rec->required = g_strdupv ((GStrv) required);
  rec->exec_lock = g_strdup ("preload");
  rec->launch_sha256 = g_strnfill (64, 'a');
  rec->launch_instructions = 100;
  rec->lock_sha256 = g_strnfill (64, 'b');
  rec->lock_instructions = 102;
  rec->argv = g_strdupv ((GStrv) argv);
  for (guint i = 0; i < sbx_probe_catalogue_size; i++)
    {
      const SbxProbeInfo *info = &sbx_probe_catalogue[i];
      SbxProbeRecord *r = sbx_probe_record_new (info->id, info->property, g_strv_contains (required, info->id));
      gboolean untestable = g_strcmp0 (untestable_id, info->id) == 0;

      for (int s = 0; s < SBX_N_SIDES; s++)
        {
          SbxAttempt *a = g_new0 (SbxAttempt, 1);

          a->call = g_strdup ("socket");
          a->args = g_strdup ("AF_INET, SOCK_STREAM, 0 \"quoted\"\ttab");
          a->ret = g_strdup (s == SBX_SIDE_SANDBOX ? "-1" : "3");
          a->errno_name = g_strdup (s == SBX_SIDE_SANDBOX ? "EPERM" : "0");
          g_ptr_array_add (r->side[s].attempts, a);
        }
      {
        /* an observed text that looks numeric stays text */
        SbxAttempt *a = g_new0 (SbxAttempt, 1);

        a->call = g_strdup ("read");
        a->args = g_strdup ("CapEff");
        a->ret = g_strdup ("0000000000000000");
        a->errno_name = g_strdup ("0");
        g_ptr_array_add (r->side[SBX_SIDE_SANDBOX].attempts, a);
      }
      r->side[SBX_SIDE_SANDBOX].result = SBX_PROBE_HOLDS;
      r->side[SBX_SIDE_SANDBOX].summary = g_strdup ("denied (EPERM) — ünïcode");
      r->side[SBX_SIDE_CONTROL].result = untestable ? SBX_PROBE_UNTESTABLE : SBX_PROBE_VIOLATED;
      r->side[SBX_SIDE_CONTROL].summary = g_strdup (untestable ? "no terminal" : "allowed");
      if (info->host_check != NULL)
        sbx_probe_record_add_host_check (r, info->host_check, TRUE, "fine");
      if (sbx_plan_check_name (info->id) != NULL)
        sbx_probe_record_add_host_check (r, sbx_plan_check_name (info->id), TRUE, "as planned");
      r->duration_ms = 3;
      /* the observations above are stand-ins, not a probe's: the writer and
       * reader are tested here, the rules in test-verdict.c */
      r->verdict = sbx_verdict_decide (r->side[SBX_SIDE_SANDBOX].result, r->side[SBX_SIDE_CONTROL].result, TRUE);
      g_ptr_array_add (rec->probes, r);
    }
  ev = sbx_evidence_new_from_record (rec);
  sbx_attest_record_free (rec);
  return ev;
}

typedef void (*EditFunc) (JsonObject *top);

/* The bundle's text, edited by @edit, with the digest recomputed when
 * @redigest, loaded back as a new bundle. */
static SbxEvidence *
tampered (SbxEvidence *ev, EditFunc edit, gboolean redigest)
{
  g_autofree char *data = sbx_evidence_to_data (ev, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *out = NULL;
  JsonNode *root;
  g_autoptr(GError) error = NULL;
  SbxEvidence *result;

  assert_true (json_parser_load_from_data (parser, data, -1, NULL));
  root = json_parser_get_root (parser);
  edit (json_node_get_object (root));
  if (redigest)
    {
      g_autofree char *digest = sbx_evidence_compute_digest (root);

      json_object_set_string_member (json_object_get_object_member (json_node_get_object (root), "digest"),
                                     "value", digest);
    }
  json_generator_set_root (gen, root);
  out = json_generator_to_data (gen, NULL);
  result = sbx_evidence_new_from_data (out, -1, &error);
  assert_non_null (result);
  return result;
}

static JsonObject *
probe_object (JsonObject *top, const char *id)
{
  JsonArray *probes = json_object_get_array_member (top, "probes");

  for (guint i = 0; i < json_array_get_length (probes); i++)
    {
      JsonObject *p = json_array_get_object_element (probes, i);

      if (strcmp (json_object_get_string_member (p, "id"), id) == 0)
        return p;
    }
  fail_msg ("probe %s not in the bundle", id);
  return NULL;
}

/* Verifies @ev and requires failure with SBX_ERROR_EVIDENCE and a message
 * containing @needle. */
static void
assert_rejected (SbxEvidence *ev, SbxProfile *profile, const char *needle)
{
  g_autoptr(GError) error = NULL;

  if (sbx_evidence_verify (ev, profile, &error))
    fail_msg ("accepted a bundle that should fail with \"%s\"", needle);
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_EVIDENCE));
  if (strstr (error->message, needle) == NULL)
    fail_msg ("message \"%s\" does not contain \"%s\"", error->message, needle);
}

/* ------------------------------------------------------------------ tests */

static void
test_round_trip (void **state)
{
  g_autoptr(SbxEvidence) ev = make_bundle (NULL);
  g_autofree char *data = sbx_evidence_to_data (ev, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxEvidence) back = sbx_evidence_new_from_data (data, -1, &error);
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (NULL);
  g_autofree char *d1 = sbx_evidence_dup_digest (ev);
  g_autofree char *d2 = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SbxEvidence) from_file = NULL;
  SbxProbeReport r;
  int fd;

  assert_non_null (back);
  d2 = sbx_evidence_dup_digest (back);
  assert_string_equal (d1, d2);
  if (!sbx_evidence_verify (back, NULL, &error))
    fail_msg ("round trip not verified: %s", error->message);
  if (!sbx_evidence_verify (back, profile, &error))
    fail_msg ("round trip not verified with the profile: %s", error->message);
  assert_string_equal (sbx_evidence_get_final_status (back), "SANDBOX_ATTESTED");
  assert_int_equal (sbx_evidence_get_n_probes (back), sbx_probe_catalogue_size);
  assert_true (sbx_evidence_get_probe (back, 0, &r));
  assert_string_equal (r.id, sbx_probe_catalogue[0].id);
  assert_int_equal (r.verdict, SBX_VERDICT_PASS);
  assert_int_equal (r.sandbox_result, SBX_PROBE_HOLDS);
  assert_int_equal (r.control_result, SBX_PROBE_VIOLATED);
  assert_string_equal (r.sandbox_summary, "denied (EPERM) — ünïcode");
  assert_false (sbx_evidence_get_probe (back, 1000, &r));
  /* attempts: numbers as numbers, observed texts verbatim */
  assert_non_null (strstr (data, "\"ret\" : -1,"));
  assert_non_null (strstr (data, "\"ret\" : \"0000000000000000\","));

  /* save and load from a file */
  fd = g_file_open_tmp ("test-evidence-XXXXXX.json", &path, NULL);
  assert_true (fd >= 0);
  close (fd);
  assert_true (sbx_evidence_save (back, path, &error));
  from_file = sbx_evidence_new_from_file (path, &error);
  assert_non_null (from_file);
  assert_true (sbx_evidence_verify (from_file, profile, &error));
  unlink (path);
}

static void
test_canonical (void **state)
{
  const char *a = "{ \"b\": [1, true, null, \"x\\\"y\\n\\u0001\"], \"a\": {\"z\": 1, \"y\": \"é\"} }";
  const char *b = "{\"a\":{\"y\":\"\\u00e9\",\"z\":1},\"b\":[1,true,null,\"x\\\"y\\n\\u0001\"]}";
  g_autoptr(JsonNode) na = json_from_string (a, NULL);
  g_autoptr(JsonNode) nb = json_from_string (b, NULL);
  g_autofree char *ca = sbx_json_canonical (na, NULL);
  g_autofree char *cb = sbx_json_canonical (nb, NULL);
  g_autofree char *skipped = sbx_json_canonical (na, "b");

  assert_string_equal (ca, cb);
  assert_string_equal (ca, "{\"a\":{\"y\":\"é\",\"z\":1},\"b\":[1,true,null,\"x\\\"y\\n\\u0001\"]}");
  assert_string_equal (skipped, "{\"a\":{\"y\":\"é\",\"z\":1}}");
}

static void
edit_verdict (JsonObject *top)
{
  json_object_set_string_member (probe_object (top, "PR-EXEC-1"), "verdict", "FAIL");
}

static void
edit_sandbox_result (JsonObject *top)
{
  /* the sandbox saw the violation; someone keeps the PASS */
  json_object_set_string_member (json_object_get_object_member (probe_object (top, "PR-NET-1"), "sandbox"),
                                 "result", "VIOLATED");
}

static void
edit_remove_probe (JsonObject *top)
{
  JsonArray *probes = json_object_get_array_member (top, "probes");

  for (guint i = 0; i < json_array_get_length (probes); i++)
    if (strcmp (json_object_get_string_member (json_array_get_object_element (probes, i), "id"), "PR-ENV-1") == 0)
      {
        json_array_remove_element (probes, i);
        break;
      }
}

static void
edit_remove_probe_fix_summary (JsonObject *top)
{
  JsonObject *summary = json_object_get_object_member (top, "summary");

  edit_remove_probe (top);
  json_object_set_int_member (summary, "total", json_object_get_int_member (summary, "total") - 1);
  json_object_set_int_member (summary, "pass", json_object_get_int_member (summary, "pass") - 1);
  json_object_set_int_member (summary, "required", json_object_get_int_member (summary, "required") - 1);
  json_object_set_int_member (summary, "required_pass", json_object_get_int_member (summary, "required_pass") - 1);
}

static void
edit_profile_text (JsonObject *top)
{
  JsonObject *p = json_object_get_object_member (top, "profile");
  g_autofree char *text = g_strdup (json_object_get_string_member (p, "canonical"));
  char *at = strstr (text, "exec-lock=on\n");

  assert_non_null (at);
  memcpy (at, "exec-lock=of", strlen ("exec-lock=of"));
  json_object_set_string_member (p, "canonical", text);
}

static void
edit_digest (JsonObject *top)
{
  JsonObject *d = json_object_get_object_member (top, "digest");
  g_autofree char *v = g_strdup (json_object_get_string_member (d, "value"));

  v[0] = v[0] == '0' ? '1' : '0';
  json_object_set_string_member (d, "value", v);
}

static void
edit_digest_algorithm (JsonObject *top)
{
  json_object_set_string_member (json_object_get_object_member (top, "digest"), "algorithm", "md5");
}

static void
edit_schema (JsonObject *top)
{
  json_object_set_string_member (top, "schema", "sbxprofile.evidence/2");
}

static void
edit_drop_venue_member (JsonObject *top)
{
  json_object_remove_member (json_object_get_object_member (top, "venue"), "landlock_abi");
}

static void
edit_type (JsonObject *top)
{
  json_object_set_int_member (top, "started", 5);
}

static void
edit_claim_attested (JsonObject *top)
{
  JsonObject *p = probe_object (top, "PR-CAP-1");
  JsonObject *summary = json_object_get_object_member (top, "summary");

  json_object_set_string_member (p, "verdict", "PASS");
  json_object_set_string_member (top, "final_status", "SANDBOX_ATTESTED");
  json_object_set_int_member (summary, "pass", json_object_get_int_member (summary, "pass") + 1);
  json_object_set_int_member (summary, "inconclusive", 0);
  json_object_set_int_member (summary, "required_pass", json_object_get_int_member (summary, "required"));
}

static void
test_inconclusive_control (void **state)
{
  /* an honest bundle whose required PR-CAP-1 control could not detect */
  g_autoptr(SbxEvidence) ev = make_bundle ("PR-CAP-1");
  g_autoptr(SbxEvidence) claimed = tampered (ev, edit_claim_attested, TRUE);
  g_autoptr(GError) error = NULL;
  SbxProbeReport r;
  guint i;

  assert_string_equal (sbx_evidence_get_final_status (ev), "SANDBOX_ATTESTATION_PARTIAL");
  for (i = 0; i < sbx_evidence_get_n_probes (ev); i++)
    if (sbx_evidence_get_probe (ev, i, &r) && strcmp (r.id, "PR-CAP-1") == 0)
      break;
  assert_int_equal (r.verdict, SBX_VERDICT_INCONCLUSIVE);
  assert_rejected (ev, NULL, "required probe PR-CAP-1: verdict INCONCLUSIVE");
  /* rewriting it as a PASS does not follow from an UNTESTABLE control */
  assert_rejected (claimed, NULL, "probe PR-CAP-1: verdict PASS does not follow from sandbox HOLDS, control UNTESTABLE");

  /* a non-required probe may be inconclusive */
  {
    g_autoptr(SbxEvidence) tty = make_bundle ("PR-TTY-1");

    assert_string_equal (sbx_evidence_get_final_status (tty), "SANDBOX_ATTESTED");
    assert_true (sbx_evidence_verify (tty, NULL, &error));
  }
}

static void
edit_final_status (JsonObject *top)
{
  json_object_set_string_member (top, "final_status", "SANDBOX_ATTESTED");
}

static void
edit_host_check (JsonObject *top)
{
  JsonArray *checks = json_object_get_array_member (probe_object (top, "PR-FS-OUT-OK"), "host_checks");

  json_object_set_boolean_member (json_array_get_object_element (checks, 0), "ok", FALSE);
}

static const char *emptied_host_check;

static void
edit_empty_host_checks (JsonObject *top)
{
  json_object_set_array_member (probe_object (top, emptied_host_check), "host_checks", json_array_new ());
}

static void
edit_rename_host_check (JsonObject *top)
{
  JsonArray *checks = json_object_get_array_member (probe_object (top, emptied_host_check), "host_checks");

  json_object_set_string_member (json_array_get_object_element (checks, 0), "check", "all fine");
}

static void
test_missing_host_check (void **state)
{
  /* without its host check a PASS would rest on the probe's word alone */
  g_autoptr(SbxEvidence) ev = make_bundle (NULL);

  guint n = 0;

  for (unsigned i = 0; i < sbx_probe_catalogue_size; i++)
    if (sbx_probe_catalogue[i].host_check != NULL)
      {
        assert_true (n < G_N_ELEMENTS (host_checked));
        assert_string_equal (sbx_probe_catalogue[i].id, host_checked[n]);
        n++;
      }
  assert_int_equal (n, G_N_ELEMENTS (host_checked));
  for (gsize k = 0; k < G_N_ELEMENTS (host_checked); k++)
    {
      g_autoptr(SbxEvidence) emptied = NULL;
      g_autoptr(SbxEvidence) renamed = NULL;
      const char *check = sbx_probe_catalogue_find (host_checked[k])->host_check;
      g_autofree char *needle = g_strdup_printf ("probe %s: host check \"%s\" missing", host_checked[k],
                                                 check);

      emptied_host_check = host_checked[k];
      emptied = tampered (ev, edit_empty_host_checks, TRUE);
      renamed = tampered (ev, edit_rename_host_check, TRUE);
      assert_rejected (emptied, NULL, needle);
      assert_rejected (renamed, NULL, needle);
    }
}

static void
set_profile_text (JsonObject *top, const char *text)
{
  JsonObject *p = json_object_get_object_member (top, "profile");
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  json_object_set_string_member (p, "canonical", text);
  json_object_set_string_member (p, "sha256", sha);
}

static void
edit_profile_text_garbage (JsonObject *top)
{
  set_profile_text (top, "this is not a profile\n");
}

static void
edit_profile_text_bad_required (JsonObject *top)
{
  set_profile_text (top, "[attest]\nrequired=PR-NOPE-9\n");
}

static void
edit_profile_text_no_required (JsonObject *top)
{
  /* no [attest] required: the catalogue default, which is not just PR-NET-1 */
  JsonArray *required = json_array_new ();
  JsonArray *probes = json_object_get_array_member (top, "probes");
  JsonObject *summary = json_object_get_object_member (top, "summary");

  set_profile_text (top, "[sandbox]\nname=x\n");
  json_array_add_string_element (required, "PR-NET-1");
  json_object_set_array_member (json_object_get_object_member (top, "profile"), "required", required);
  for (guint i = 0; i < json_array_get_length (probes); i++)
    {
      JsonObject *p = json_array_get_object_element (probes, i);

      json_object_set_boolean_member (p, "required", strcmp (json_object_get_string_member (p, "id"), "PR-NET-1") == 0);
    }
  json_object_set_int_member (summary, "required", 1);
  json_object_set_int_member (summary, "required_pass", 1);
}

static void
edit_argv (JsonObject *top)
{
  JsonArray *argv = json_object_get_array_member (json_object_get_object_member (top, "bwrap_argv"), "argv");

  json_array_remove_element (argv, 1);
}

/* Each tampering and what the verifier must say: with the digest left
 * stale (the first check catches it) or recomputed (a deeper one must). */
static const struct {
  const char *untestable_id; /* make_bundle()'s ("": none) */
  EditFunc edit;
  gboolean redigest;
  const char *needle;
} tamperings[] = {
  { "", edit_verdict, FALSE, "digest does not match" },
  { "", edit_verdict, TRUE, "probe PR-EXEC-1: verdict FAIL does not follow" },
  { "", edit_sandbox_result, TRUE, "probe PR-NET-1: verdict PASS does not follow from sandbox VIOLATED" },
  { "", edit_remove_probe, FALSE, "digest does not match" },
  { "", edit_remove_probe, TRUE, "summary counts do not match" },
  { "", edit_remove_probe_fix_summary, TRUE, "required probe PR-ENV-1 is missing" },
  { "", edit_profile_text, FALSE, "digest does not match" },
  { "", edit_profile_text, TRUE, "profile text does not hash to the recorded profile sha256" },
  { "", edit_digest, FALSE, "digest does not match the contents" },
  { "", edit_digest_algorithm, FALSE, "digest algorithm" },
  { "", edit_schema, TRUE, "schema is \"sbxprofile.evidence/2\"" },
  { "", edit_drop_venue_member, TRUE, "member \"venue.landlock_abi\" missing" },
  { "", edit_type, TRUE, "member \"started\" is not a string" },
  { "PR-NS-1", edit_final_status, TRUE, "final_status SANDBOX_ATTESTED does not follow from the verdicts" },
  { "", edit_host_check, TRUE, "probe PR-FS-OUT-OK: verdict PASS does not follow" },
  { "", edit_profile_text_garbage, TRUE, "the recorded profile text does not parse" },
  { "", edit_profile_text_bad_required, TRUE, "the recorded profile text does not parse" },
  { "", edit_profile_text_no_required, TRUE, "profile.required does not match [attest] required" },
  { "", edit_argv, TRUE, "bwrap argv does not hash" },
};

static void
test_tampered (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tamperings); i++)
    {
      g_autoptr(SbxEvidence) ev = make_bundle (tamperings[i].untestable_id);
      g_autoptr(SbxEvidence) t = tampered (ev, tamperings[i].edit, tamperings[i].redigest);

      assert_rejected (t, NULL, tamperings[i].needle);
    }
}

static void
test_profile_mismatch (void **state)
{
  g_autoptr(SbxEvidence) ev = make_bundle (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = g_strsplit (sbx_profile_get_default_text (), "exec-lock=on\n", 2);
  g_autofree char *text = NULL;
  g_autoptr(SbxProfile) other = NULL;

  assert_int_equal (g_strv_length (parts), 2);
  text = g_strjoinv ("exec-lock=off\n", parts);
  other = sbx_profile_new_from_data (text, -1, "other.profile", &error);
  if (other == NULL)
    fail_msg ("other profile: %s", error->message);
  assert_rejected (ev, other, "the bundle is about another profile");
}

static void
test_garbage (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxEvidence) array = NULL;

  assert_null (sbx_evidence_new_from_data ("{ not json", -1, &error));
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_EVIDENCE));
  g_clear_error (&error);
  assert_null (sbx_evidence_new_from_data ("[1, 2]", -1, &error));
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_EVIDENCE));
  g_clear_error (&error);
  assert_null (sbx_evidence_new_from_file ("/nonexistent/bundle.json", &error));
  assert_true (g_error_matches (error, SBX_ERROR, SBX_ERROR_IO));
  g_clear_error (&error);
  array = sbx_evidence_new_from_data ("{}", -1, &error);
  assert_non_null (array);
  assert_rejected (array, NULL, "member \"schema\" missing");
  assert_null (sbx_evidence_get_final_status (array));
  assert_int_equal (sbx_evidence_get_n_probes (array), 0);
}

static void
test_verdict_rule (void **state)
{
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED, TRUE), SBX_VERDICT_PASS);
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED, FALSE), SBX_VERDICT_FAIL);
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_HOLDS, SBX_PROBE_HOLDS, TRUE), SBX_VERDICT_INCONCLUSIVE);
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_HOLDS, SBX_PROBE_UNTESTABLE, TRUE), SBX_VERDICT_INCONCLUSIVE);
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_HOLDS, SBX_PROBE_MISSING, TRUE), SBX_VERDICT_INCONCLUSIVE);
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_UNTESTABLE, SBX_PROBE_VIOLATED, TRUE), SBX_VERDICT_INCONCLUSIVE);
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_VIOLATED, SBX_PROBE_VIOLATED, TRUE), SBX_VERDICT_FAIL);
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_ERROR, SBX_PROBE_VIOLATED, TRUE), SBX_VERDICT_FAIL);
  assert_int_equal (sbx_verdict_decide (SBX_PROBE_MISSING, SBX_PROBE_VIOLATED, TRUE), SBX_VERDICT_FAIL);
  assert_string_equal (sbx_attest_status_to_string (SBX_ATTEST_STATUS_PARTIAL), "SANDBOX_ATTESTATION_PARTIAL");
  assert_string_equal (sbx_probe_result_to_string (SBX_PROBE_MISSING), "MISSING");

  /* every probe PASS but none required: nothing was attested */
  {
    g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_probe_record_free);
    SbxProbeRecord *r = sbx_probe_record_new ("PR-NET-1", "no network", FALSE);

    r->verdict = SBX_VERDICT_PASS;
    g_ptr_array_add (probes, r);
    assert_int_equal (sbx_attest_status_decide (probes), SBX_ATTEST_STATUS_PARTIAL);
    r->required = TRUE;
    assert_int_equal (sbx_attest_status_decide (probes), SBX_ATTEST_STATUS_ATTESTED);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_verdict_rule),
    cmocka_unit_test (test_canonical),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_tampered),
    cmocka_unit_test (test_inconclusive_control),
    cmocka_unit_test (test_missing_host_check),
    cmocka_unit_test (test_profile_mismatch),
    cmocka_unit_test (test_garbage),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
