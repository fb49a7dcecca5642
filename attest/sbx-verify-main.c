/* sbx-verify-main.c — `sbx verify`: options and output; the checks are
 * sbx-verify.c, the matrix binding sbx-matrix.c.
 *
 * Exit status: 0 when the bundle is VERIFIED (and, with --matrix, every
 * row that is not external PASSes); 1 when not, every failed check on its
 * own "not verified: …" line; 2 for a usage error or an unusable --key,
 * --profile, --policy or --matrix file. */
#include "config.h"

#include "sbx-attest.h"
#include "sbx-envelope.h"
#include "sbx-matrix.h"
#include "sbx-read.h"
#include "sbx-verify.h"

#include "catalogue.h"

#include <stdio.h>
#include <string.h>

int sbx_cmd_verify_main (int argc, char **argv);

enum { EXIT_VERIFIED = 0, EXIT_NOT_VERIFIED = 1, EXIT_USAGE = 2 };

static int
usage (GOptionContext *context, const char *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  fprintf (stderr, "sbx: %s\n%s", message, help);
  return EXIT_USAGE;
}

/* "600", "600s", "10m", "12h", "7d" → seconds; -1 when not a duration. */
static gint64
parse_duration (const char *text)
{
  char *end = NULL;
  guint64 n;
  gint64 unit = 1;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return -1;
  n = g_ascii_strtoull (text, &end, 10);
  if (strcmp (end, "") == 0 || strcmp (end, "s") == 0)
    unit = 1;
  else if (strcmp (end, "m") == 0)
    unit = 60;
  else if (strcmp (end, "h") == 0)
    unit = 3600;
  else if (strcmp (end, "d") == 0)
    unit = 86400;
  else
    return -1;
  if (n == 0 || n > (guint64) (G_MAXINT64 / 86400))
    return -1;
  return (gint64) n * unit;
}

static gboolean
add_key (GPtrArray *keys, const char *path, GError **error)
{
  SbxKey *key = sbx_key_load_public (path, error);

  if (key == NULL)
    return FALSE;
  for (guint i = 0; i < keys->len; i++)
    if (strcmp (sbx_key_get_keyid (g_ptr_array_index (keys, i)), sbx_key_get_keyid (key)) == 0)
      {
        sbx_key_free (key);
        return TRUE;
      }
  g_ptr_array_add (keys, key);
  return TRUE;
}

static const char *const *
catalogue_ids (void)
{
  static const char **ids;

  if (ids == NULL)
    {
      ids = g_new0 (const char *, sbx_probe_catalogue_size + 1);
      for (guint i = 0; i < sbx_probe_catalogue_size; i++)
        ids[i] = sbx_probe_catalogue[i].id;
    }
  return ids;
}

int
sbx_cmd_verify_main (int argc, char **argv)
{
  g_autofree char *profile_path = NULL, *challenge = NULL, *max_age = NULL, *policy_path = NULL;
  g_autofree char *matrix_path = NULL, *report_path = NULL;
  g_auto(GStrv) key_paths = NULL;
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &key_paths, "Accept only a bundle signed by this ed25519 public "
      "key (PEM; repeatable). Without one, nobody vouched for the bundle and it is not verified", "PUB.pem" },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path, "The bundle must be about this profile "
      "(needed for VERIFIED)", "P" },
    { "challenge", 0, 0, G_OPTION_ARG_STRING, &challenge, "The bundle must answer this nonce (given to "
      "`sbx attest --challenge`): this is what proves it fresh", "NONCE" },
    { "max-age", 0, 0, G_OPTION_ARG_STRING, &max_age, "Refuse a statement older than AGE (600, 10m, 12h, 7d). "
      "Its time is self-reported by the venue; the challenge is what proves freshness", "AGE" },
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path, "Venue policy (key file: [venue] bwrap-sha256, "
      "kernel-min, caller, userns; [tool] sbx-sha256, sbx-probe-sha256; [signer] keys)", "FILE" },
    { "matrix", 0, 0, G_OPTION_ARG_FILENAME, &matrix_path, "Bind to acceptance rows ([rows] ROW=PROBE;PROBE "
      "or ROW=external): one PASS/FAIL/NOT_COVERED line per row", "FILE" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report_path, "Write the matrix binding as JSON to FILE "
      "(with --matrix)", "FILE" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxVenuePolicy) policy = NULL;
  g_autoptr(SbxMatrix) matrix = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) sbx_key_free);
  SbxVerifyOptions opt = { 0 };
  SbxVerifyResult res;
  const char *bundle;
  gboolean matrix_ok = TRUE;
  int rc;

  g_set_prgname ("sbx verify");
  context = g_option_context_new ("BUNDLE");
  g_option_context_set_summary (context, "Checks a signed evidence envelope of `sbx attest`, read-only: the signature\n"
                                         "(--key), the challenge, the venue policy, and every verdict derived again\n"
                                         "from the recorded observations. VERIFIED needs --key and --profile.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 2)
    return usage (context, "verify takes exactly one BUNDLE");
  bundle = argv[1];
  if (report_path != NULL && matrix_path == NULL)
    return usage (context, "--report writes the matrix binding: it needs --matrix");
  if (challenge != NULL && !sbx_challenge_valid (challenge))
    return usage (context, "--challenge: 1 to 256 printable ASCII characters, no spaces");
  if (max_age != NULL && (opt.max_age_seconds = parse_duration (max_age)) <= 0)
    return usage (context, "--max-age: a positive number of seconds, or N followed by s, m, h or d");
  for (gsize i = 0; key_paths != NULL && key_paths[i] != NULL; i++)
    if (!add_key (keys, key_paths[i], &error))
      {
        fprintf (stderr, "sbx: --key %s\n", error->message);
        return EXIT_USAGE;
      }
  if (policy_path != NULL)
    {
      policy = sbx_venue_policy_load (policy_path, &error);
      if (policy == NULL)
        {
          fprintf (stderr, "sbx: --policy %s\n", error->message);
          return EXIT_USAGE;
        }
      for (gsize i = 0; policy->signer_keys != NULL && policy->signer_keys[i] != NULL; i++)
        if (!add_key (keys, policy->signer_keys[i], &error))
          {
            fprintf (stderr, "sbx: --policy %s: [signer] keys: %s\n", policy_path, error->message);
            return EXIT_USAGE;
          }
    }
  if (matrix_path != NULL && (matrix = sbx_matrix_load (matrix_path, catalogue_ids (), &error)) == NULL)
    {
      fprintf (stderr, "sbx: --matrix %s\n", error->message);
      return EXIT_USAGE;
    }
  /* (loading looks at nothing on this host: the profile's folders are the
   * attesting host's and need not exist here) */
  if (profile_path != NULL && (profile = sbx_profile_new_from_file (profile_path, &error)) == NULL)
    {
      fprintf (stderr, "sbx: %s\n", error->message);
      return EXIT_USAGE;
    }

  opt.keys = keys;
  opt.challenge = challenge;
  opt.policy = policy;
  opt.profile = profile;
  sbx_verify_result_init (&res);
  sbx_verify_file (bundle, &opt, &res);

  if (res.signer_keyid != NULL)
    printf ("sbx: %s: signed by %s (%s)\n", bundle, res.signer_keyid, res.signer_name);
  for (guint i = 0; i < res.notes->len; i++)
    fprintf (stderr, "sbx: %s: note: %s\n", bundle, (const char *) g_ptr_array_index (res.notes, i));
  for (guint i = 0; i < res.failures->len; i++)
    fprintf (stderr, "sbx: %s: not verified: %s\n", bundle, (const char *) g_ptr_array_index (res.failures, i));

  if (matrix != NULL)
    {
      g_autoptr(GArray) rows = sbx_matrix_bind (matrix, res.verdicts, res.verified);

      for (guint i = 0; i < rows->len; i++)
        {
          const SbxRowResult *r = &g_array_index (rows, SbxRowResult, i);

          printf ("%s: %s (%s)\n", r->row->id, sbx_row_status_to_string (r->status), r->detail);
        }
      matrix_ok = sbx_matrix_results_pass (rows);
      if (report_path != NULL)
        {
          g_autofree char *why = res.verified ? g_strdup ("verified")
                                 : res.failures->len > 0 ? g_strdup (g_ptr_array_index (res.failures, 0))
                                 : g_strdup (res.notes->len > 0 ? g_ptr_array_index (res.notes, 0) : "not verified");
          g_autofree char *valid = g_utf8_make_valid (why, -1);
          g_autoptr(JsonNode) report = sbx_matrix_report_new (matrix, rows, bundle, res.envelope_sha256 != NULL
                                                              ? res.envelope_sha256 : "", res.verified, valid,
                                                              res.signer_keyid);
          g_autoptr(JsonGenerator) gen = json_generator_new ();

          json_generator_set_pretty (gen, TRUE);
          json_generator_set_root (gen, report);
          if (!json_generator_to_file (gen, report_path, &error))
            {
              fprintf (stderr, "sbx: --report %s: %s\n", report_path, error->message);
              sbx_verify_result_clear (&res);
              return EXIT_NOT_VERIFIED;
            }
        }
    }

  if (res.verified)
    printf ("sbx: %s: verified: %s, %u probes%s\n", bundle, res.final_status, res.n_probes,
            matrix_ok ? "" : "; the matrix binding FAILED");
  else
    {
      if (res.failures->len == 0 && opt.keys->len == 0)
        fprintf (stderr, "sbx: %s: not verified: nobody vouched for this bundle (no --key)\n", bundle);
      if (res.failures->len == 0 && profile == NULL)
        fprintf (stderr, "sbx: %s: not verified: profile not checked (no --profile)\n", bundle);
      if (res.failures->len > 0)
        fprintf (stderr, "sbx: %s: not verified: %u check%s failed\n", bundle, res.failures->len,
                 res.failures->len == 1 ? "" : "s");
    }
  rc = res.verified && matrix_ok ? EXIT_VERIFIED : EXIT_NOT_VERIFIED;
  sbx_verify_result_clear (&res);
  return rc;
}
