/* sbx-attest — `sbx attest` and `sbx verify` (sbx execs this program with
 * argv[0] "sbx-attest" and the subcommand first, so that `sbx` itself never
 * loads json-glib).  Option tables and output only; the work is
 * sbx_attestation_run() and sbx_evidence_verify().
 *
 * Exit status: attest 0 only for SANDBOX_ATTESTED, 1 otherwise; verify 0
 * when the bundle verifies, 1 naming the first thing that does not hold;
 * attest: 125 usage or profile error or the attestation could not be set
 * up; verify: 2 usage or profile error;
 * 128 + signal when interrupted by SIGINT/SIGTERM/SIGHUP (both probe runs are
 * killed and the scratch area is removed first). */
#include "config.h"

#include "sbx-attest.h"
#include "sbx-attest-private.h"
#include "sbx-envelope.h"

#include "catalogue.h"
#include "../cli/sbx-cli.h" /* sbx(1)'s one exit-status table */
#include "../cli/sbx-options.h" /* the overrides sbx run takes too */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The statuses of sbx(1)'s one table (cli/sbx-cli.h): attest runs a
 * job, so its usage and profile errors are 125 like run's; verify's 2. */
enum {
  EXIT_ATTESTED = SBX_EXIT_OK,
  EXIT_NOT_ATTESTED = SBX_EXIT_FAILED,
  EXIT_SETUP = SBX_EXIT_SETUP,
};

static SbxAttestation *running;
static volatile sig_atomic_t interrupted;

static void
on_signal (int sig)
{
  interrupted = sig;
  if (running != NULL)
    sbx_attestation_cancel (running);
}

static void
install_handlers (void)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGHUP, &sa, NULL);
}

/* The profile, its host paths checked at once (loading looks at nothing
 * on the host), so a missing folder is reported before anything runs. */
static SbxProfile *
load_profile (const char *path, GError **error)
{
  g_autoptr(SbxProfile) profile = path != NULL ? sbx_profile_new_from_file (path, error)
                                               : sbx_profile_new_default (error);

  if (profile == NULL || !sbx_profile_check_host (profile, error))
    return NULL;
  return g_steal_pointer (&profile);
}

/* --in / --out as typed (relative to where the user is, ~, a symlink
 * resolved once). */
static char *
absolute (const char *option, const char *path)
{
  return path != NULL ? sbx_cli_resolve_path (option, path) : NULL;
}

/* Before any probe runs: the evidence file can be written where asked (its
 * folder exists and is writable; an existing file is a regular, writable
 * one).  NULL when fine, else the problem. (transfer full) */
static char *
evidence_path_problem (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat st;

  if (stat (path, &st) == 0)
    {
      if (!S_ISREG (st.st_mode))
        return g_strdup_printf ("“%s” exists and is not a regular file", path);
      if (access (path, W_OK) != 0)
        return g_strdup_printf ("“%s” is not writable: %s", path, g_strerror (errno));
      return NULL;
    }
  if (errno != ENOENT)
    return g_strdup_printf ("“%s”: %s", path, g_strerror (errno));
  if (stat (dir, &st) != 0)
    return g_strdup_printf ("its folder “%s” does not exist (create it first: mkdir -p %s)", dir,
                            dir);
  if (!S_ISDIR (st.st_mode))
    return g_strdup_printf ("“%s” is not a folder", dir);
  if (access (dir, W_OK | X_OK) != 0)
    return g_strdup_printf ("its folder “%s” is not writable: %s", dir, g_strerror (errno));
  return NULL;
}

static int
usage_error (GOptionContext *context, const char *message, int status)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  fprintf (stderr, "sbx: %s\n%s", message, help);
  return status;
}

/* ------------------------------------------------------------------ attest */

typedef struct {
  guint done;
  guint total;
} Progress;

static void
on_probe (const SbxProbeReport *r, gpointer user_data)
{
  Progress *p = user_data;

  g_autofree char *why = sbx_probe_report_dup_reason (r);

  p->done++;
  fprintf (stderr, "sbx: attest [%2u/%u] %-15s %-12s (sandbox %s, control %s)%s%s\n", p->done, p->total, r->id,
           sbx_verdict_to_string (r->verdict), sbx_probe_result_to_string (r->sandbox_result),
           sbx_probe_result_to_string (r->control_result), why != NULL ? ": " : "", why != NULL ? why : "");
}

static void
print_table (SbxEvidence *evidence, const char *path)
{
  guint n = sbx_evidence_get_n_probes (evidence);
  int w_id = 5, w_prop = 8;
  guint pass = 0, req = 0, req_pass = 0, fail = 0, inconclusive = 0;
  g_autofree char *overrides = NULL;

  for (guint i = 0; i < n; i++)
    {
      SbxProbeReport r;

      if (sbx_evidence_get_probe (evidence, i, &r))
        {
          w_id = MAX (w_id, (int) strlen (r.id));
          w_prop = MAX (w_prop, (int) g_utf8_strlen (r.property, -1));
        }
    }
  printf ("%-*s  %-*s  %-10s  %-10s  %s\n", w_id, "probe", w_prop, "property", "sandbox", "control", "verdict");
  for (guint i = 0; i < n; i++)
    {
      SbxProbeReport r;
      int pad;

      if (!sbx_evidence_get_probe (evidence, i, &r))
        continue;
      pad = w_prop + (int) strlen (r.property) - (int) g_utf8_strlen (r.property, -1);
      printf ("%-*s  %-*s  %-10s  %-10s  %s%s\n", w_id, r.id, pad, r.property,
              sbx_probe_result_to_string (r.sandbox_result), sbx_probe_result_to_string (r.control_result),
              sbx_verdict_to_string (r.verdict), r.required ? "" : " (not required)");
      pass += r.verdict == SBX_VERDICT_PASS;
      fail += r.verdict == SBX_VERDICT_FAIL;
      inconclusive += r.verdict == SBX_VERDICT_INCONCLUSIVE;
      req += r.required;
      req_pass += r.required && r.verdict == SBX_VERDICT_PASS;
    }
  /* one line why, for every probe that did not PASS */
  for (guint i = 0, first = 1; i < n; i++)
    {
      SbxProbeReport r;
      g_autofree char *why = NULL;

      if (!sbx_evidence_get_probe (evidence, i, &r) || (why = sbx_probe_report_dup_reason (&r)) == NULL)
        continue;
      printf ("%s%s %s: %s\n", first ? "\n" : "", r.id, sbx_verdict_to_string (r.verdict), why);
      first = 0;
    }
  /* the status line says why, never the opposite of it */
  overrides = sbx_evidence_dup_overrides (evidence);
  if (overrides != NULL)
    printf ("\n%s: tools from outside sbx's own location (%s); %u of %u required probes PASS (%u probes)\n",
            sbx_evidence_get_final_status (evidence), overrides, req_pass, req, n);
  else if (fail > 0)
    printf ("\n%s: %u probe%s FAIL (%u of %u required probes PASS; %u probes)\n",
            sbx_evidence_get_final_status (evidence), fail, fail == 1 ? "" : "s", req_pass, req, n);
  else
    printf ("\n%s: %u of %u required probes PASS (%u probes: %u PASS, %u INCONCLUSIVE)\n",
            sbx_evidence_get_final_status (evidence), req_pass, req, n, pass, inconclusive);
  printf ("evidence: %s\n", path);
}

static char *
default_evidence_path (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");

  return g_strdup_printf ("./sbx-evidence-%s.json", stamp);
}

static int
cmd_attest (int argc, char **argv)
{
  g_autofree char *profile_path = NULL, *in = NULL, *out = NULL, *evidence_path = NULL, *bwrap = NULL;
  g_autofree char *challenge = NULL;
  g_auto(GStrv) sign_key_paths = NULL;
  g_autoptr(GPtrArray) sign_keys = NULL;
  g_autoptr(GPtrArray) subjects = NULL;
  g_autoptr(JsonNode) envelope = NULL;
  g_autofree char *envelope_text = NULL;
  gsize envelope_len = 0;
  gboolean json = FALSE;
  g_auto(SbxCliOverrides) overrides = { 0 };
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path, "Profile to attest (default: the built-in one)", "P" },
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in, "Use DIR (read-only, nothing planted) as the input", "DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Use DIR as the output (the probe leaves nothing there)", "DIR" },
    { "evidence", 0, 0, G_OPTION_ARG_FILENAME, &evidence_path, "Write the bundle to FILE "
      "(default ./sbx-evidence-<UTC time>.json)", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the bundle on stdout instead of the table; "
      "write no file unless --evidence names one", NULL },
    { "bwrap", 0, 0, G_OPTION_ARG_FILENAME, &bwrap, "bwrap to use (default: from PATH)", "PATH" },
    { "sign-key", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &sign_key_paths, "Sign the envelope with this ed25519 "
      "private key (PKCS#8 PEM, `openssl genpkey -algorithm ed25519`; repeatable). Unsigned envelopes are "
      "never verified", "KEY.pem" },
    { "challenge", 0, 0, G_OPTION_ARG_STRING, &challenge, "Put the verifier's nonce in the signed statement "
      "(`sbx verify --challenge`)", "NONCE" },
    SBX_CLI_OVERRIDE_ENTRIES (&overrides),
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxAttestation) att = NULL;
  g_autofree char *in_abs = NULL, *out_abs = NULL;
  SbxEvidence *evidence;
  Progress progress = { 0, 0 };

  g_set_prgname ("sbx attest");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Runs every probe inside the sandbox of the profile and, as a negative\n"
                                         "control, outside it; prints a table and writes the evidence bundle.\n"
                                         "Exit 0 only for SANDBOX_ATTESTED.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message, SBX_EXIT_SETUP);
  if (argc > 1)
    return usage_error (context, "attest takes no arguments besides its options", SBX_EXIT_SETUP);
  if (challenge != NULL && !sbx_challenge_valid (challenge))
    return usage_error (context, "--challenge: 1 to 256 printable ASCII characters, no spaces", SBX_EXIT_SETUP);
  /* a key that cannot sign is found out before anything runs */
  sign_keys = sbx_sign_keys_load ((const char *const *) sign_key_paths, &error);
  if (sign_keys == NULL)
    {
      fprintf (stderr, "sbx: --sign-key %s\n", error->message);
      return SBX_EXIT_SETUP;
    }

  profile = load_profile (profile_path, &error);
  if (profile == NULL || !sbx_cli_overrides_apply (&overrides, profile, &error))
    {
      fprintf (stderr, "sbx: %s\n", error->message);
      return SBX_EXIT_SETUP;
    }
  in_abs = absolute ("--in", in);
  out_abs = absolute ("--out", out);
  /* --json alone prints the bundle and writes nothing. */
  if (evidence_path == NULL && !json)
    evidence_path = default_evidence_path ();
  if (evidence_path != NULL)
    {
      g_autofree char *problem = evidence_path_problem (evidence_path);

      if (problem != NULL)
        {
          fprintf (stderr, "sbx: --evidence: cannot write the evidence there: %s; no probe was run\n",
                   problem);
          return SBX_EXIT_SETUP;
        }
    }

  att = sbx_attestation_new (profile);
  sbx_attestation_set_options (att, &(SbxAttestOptions) { .bwrap = bwrap, .input = in_abs, .output = out_abs,
                                                          .tool_name = "sbx attest" });
  progress.total = sbx_probe_catalogue_size;
  sbx_attestation_set_progress_func (att, on_probe, &progress);
  running = att;
  install_handlers ();
  if (interrupted || !sbx_attestation_run (att, &error))
    {
      running = NULL;
      if (interrupted)
        {
          fprintf (stderr, "sbx: attest interrupted; the scratch area was removed\n");
          return 128 + interrupted;
        }
      fprintf (stderr, "sbx: %s\n", error->message);
      return EXIT_SETUP; /* profile errors too: attest runs a job */
    }
  running = NULL;

  evidence = sbx_attestation_get_evidence (att);
  subjects = sbx_attest_subjects (sbx_evidence_peek_root (evidence), &error);
  if (subjects != NULL)
    envelope = sbx_attest_envelope_new (sbx_evidence_peek_root (evidence), subjects, NULL, challenge, sign_keys,
                                        &error);
  if (envelope == NULL)
    {
      fprintf (stderr, "sbx: cannot make the signed statement: %s\n", error->message);
      return EXIT_SETUP;
    }
  envelope_text = sbx_envelope_to_data (envelope, &envelope_len);
  /* 0600: the bundle carries no variable's value (the argv is redacted,
   * digests are salted with a salt it does not keep), but it names host
   * paths, the host and the caller; the operator shares it on purpose */
  if (evidence_path != NULL
      && !g_file_set_contents_full (evidence_path, envelope_text, (gssize) envelope_len,
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      fprintf (stderr, "sbx: cannot write the evidence: %s\n", error->message);
      return EXIT_SETUP;
    }
  if (sign_keys->len == 0)
    fprintf (stderr, "sbx: warning: the envelope is unsigned (no --sign-key): no verifier will accept it\n");
  if (json)
    {
      fputs (envelope_text, stdout);
      if (evidence_path != NULL)
        fprintf (stderr, "sbx: %s; evidence: %s\n", sbx_evidence_get_final_status (evidence), evidence_path);
      else
        fprintf (stderr, "sbx: %s\n", sbx_evidence_get_final_status (evidence));
    }
  else
    print_table (evidence, evidence_path);
  return sbx_attestation_get_status (att) == SBX_ATTEST_STATUS_ATTESTED ? EXIT_ATTESTED : EXIT_NOT_ATTESTED;
}

/* ------------------------------------------------------------------ verify */

/* sbx-verify-main.c */
int sbx_cmd_verify_main (int argc, char **argv);

static int
cmd_verify (int argc, char **argv)
{
  return sbx_cmd_verify_main (argc, argv);
}

int
main (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "attest") == 0)
    return cmd_attest (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "verify") == 0)
    return cmd_verify (argc - 1, argv + 1);
  fprintf (stderr, "Usage: sbx attest [--profile P] [--in DIR] [--out DIR] [--evidence FILE] [--json]\n"
                   "       sbx verify BUNDLE [--key PUB.pem] [--profile P] [--challenge NONCE] [--policy FILE] [--matrix FILE]\n"
                   "(sbx-attest is run by sbx; call it through `sbx attest` / `sbx verify`)\n");
  return SBX_EXIT_USAGE;
}
