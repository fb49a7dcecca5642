/* sbx-verify.c — `sbx verify`, one function per step (sbx-verify.h).
 *
 * The envelope: DSSE (sbx-dsse.c) around an in-toto Statement v1
 * (sbx-statement.c) whose predicate is the evidence (probes/EVIDENCE.md).
 * Nothing in the predicate is taken on its word: every verdict, the
 * summary and the final status are derived again from the recorded
 * results, the probe ids must be exactly the catalogue's, the profile text,
 * argv and programs must hash to what is recorded, and, with a profile,
 * the programs, the exec lock and the argv's skeleton are derived again
 * from it. */
#include "config.h"

#include "sbx-verify.h"
#include "sbx-read.h"
#include "sbx-statement.h"

#include "sbx-attest-private.h"
#include "sbx-json.h"
#include "sbx-plan.h"
#include "sbx-skeleton.h"

#include "catalogue.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <seccomp.h>
#include <string.h>
#include <sys/utsname.h>

typedef struct {
  const SbxVerifyOptions *opt;
  SbxVerifyResult *res;
  JsonNode *envelope;
  SbxDsseEnvelope env;
  JsonNode *statement_root;
  SbxStatement st;
  JsonObject *pred; /* NULL until the predicate type is known */
  gboolean members_ok;
  gboolean signed_ok;
  GPtrArray *identity_diffs; /* SbxPlanDiff*: the recorded identity readings against the plan */
} Verify;

static void failed (Verify *v, const char *step, const char *format, ...) G_GNUC_PRINTF (3, 4);
static void note (Verify *v, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
failed (Verify *v, const char *step, const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (v->res->failures, g_strdup_printf ("%s: %s", step, what));
}

static void
note (Verify *v, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (v->res->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

void
sbx_verify_result_init (SbxVerifyResult *r)
{
  memset (r, 0, sizeof *r);
  r->failures = g_ptr_array_new_with_free_func (g_free);
  r->notes = g_ptr_array_new_with_free_func (g_free);
  r->verdicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
sbx_verify_result_clear (SbxVerifyResult *r)
{
  g_clear_pointer (&r->failures, g_ptr_array_unref);
  g_clear_pointer (&r->notes, g_ptr_array_unref);
  g_clear_pointer (&r->verdicts, g_hash_table_unref);
  g_clear_pointer (&r->envelope_sha256, g_free);
  g_clear_pointer (&r->signer_keyid, g_free);
  g_clear_pointer (&r->signer_name, g_free);
  g_clear_pointer (&r->final_status, g_free);
}

static const char *
path_string (JsonObject *top, const char *path)
{
  JsonNode *n = sbx_json_lookup_path (top, path);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
    ? json_node_get_string (n) : NULL;
}


/* ------------------------------------------------------------- the steps */

/* The envelope's JSON, bounded in nesting, and its structure. */
static gboolean
step_envelope (Verify *v, const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;

  v->res->envelope_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
  v->envelope = sbx_json_parse_bounded (data, length, SBX_JSON_MAX_DEPTH, &error);
  if (v->envelope == NULL || !sbx_dsse_envelope_parse (v->envelope, &v->env, &error))
    {
      failed (v, "envelope", "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* A signature by one of the verifier's keys. */
static void
step_signature (Verify *v)
{
  g_autoptr(GError) error = NULL;
  const SbxKey *signer = NULL;

  if (v->opt->keys == NULL || v->opt->keys->len == 0)
    {
      note (v, "nobody vouched for this bundle: no --key was given, so no signature was checked and anyone "
               "could have written it");
      return;
    }
  if (!sbx_dsse_envelope_verify (v->envelope, v->opt->keys, &signer, &error))
    {
      /* the message starts with "signature: " */
      g_ptr_array_add (v->res->failures, g_strdup (error->message));
      return;
    }
  v->signed_ok = TRUE;
  v->res->signer_keyid = g_strdup (sbx_key_get_keyid (signer));
  v->res->signer_name = g_strdup (sbx_key_get_name (signer));
}

/* The payload is an in-toto Statement v1 about sbxprofile evidence. */
static gboolean
step_statement (Verify *v)
{
  g_autoptr(GError) error = NULL;
  const guint8 *body;
  gsize len;

  if (strcmp (v->env.payload_type, SBX_DSSE_INTOTO_PAYLOAD_TYPE) != 0)
    {
      g_autofree char *q = sbx_quote_short (v->env.payload_type);
      failed (v, "payload type", "%s, expected %s", q, SBX_DSSE_INTOTO_PAYLOAD_TYPE);
    }
  body = g_bytes_get_data (v->env.payload, &len);
  v->statement_root = sbx_json_parse_bounded ((const char *) body, len, SBX_JSON_MAX_DEPTH, &error);
  if (v->statement_root == NULL || !sbx_statement_parse (v->statement_root, &v->st, &error))
    {
      failed (v, "statement", "%s", error->message);
      return FALSE;
    }
  if (strcmp (v->st.predicate_type, SBX_PREDICATE_TYPE) != 0)
    {
      g_autofree char *q = sbx_quote_short (v->st.predicate_type);

      if (g_str_has_prefix (v->st.predicate_type, SBX_PREDICATE_TYPE_BASE))
        failed (v, "predicate type", "%s is sbxprofile evidence schema version %s; this sbx reads version %s only "
                "(verify it with the sbx that wrote it)", q, v->st.predicate_type + strlen (SBX_PREDICATE_TYPE_BASE),
                SBX_PREDICATE_VERSION);
      else if (strcmp (v->st.predicate_type, SBX_PREDICATE_TYPE_OLD) == 0)
        failed (v, "predicate type", "%s was written by a development snapshot of sbx 0.2 (placeholder type); "
                "this sbx reads %s only: attest again", q, SBX_PREDICATE_TYPE);
      else
        failed (v, "predicate type", "%s is not sbxprofile evidence (this sbx reads %s)", q, SBX_PREDICATE_TYPE);
      return FALSE;
    }
  v->pred = v->st.predicate;
  return TRUE;
}

/* The members the later steps read besides a bundle's
 * (sbx_evidence_members), by dotted path in the predicate. */
static const SbxJsonMember predicate_members[] = {
  { "time", SBX_JSON_STRING },
  { "challenge", SBX_JSON_STRING_OR_NULL },
  { "library.libseccomp", SBX_JSON_STRING },
  { "venue.gid", SBX_JSON_INT },
  { "programs.launch.bpf_base64", SBX_JSON_STRING },
  { "programs.lock.bpf_base64", SBX_JSON_STRING },
  { "run.job.host_uid", SBX_JSON_INT },
  { "run.job.host_gid", SBX_JSON_INT },
  { "run.job.uid", SBX_JSON_INT },
  { "run.job.gid", SBX_JSON_INT },
  { "run.job.userns_nested", SBX_JSON_BOOL },
};

static void
step_members (Verify *v)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  sbx_json_check_members (v->pred, sbx_evidence_members, sbx_evidence_n_members, problems);
  sbx_json_check_members (v->pred, predicate_members, G_N_ELEMENTS (predicate_members), problems);
  for (guint i = 0; i < problems->len; i++)
    failed (v, "predicate", "%s", (const char *) problems->pdata[i]);
  v->members_ok = problems->len == 0;
}

/* The verifier's nonce is the one in the signed predicate. */
static void
step_challenge (Verify *v)
{
  JsonNode *n = sbx_json_member (v->pred, "challenge");
  const char *recorded = n != NULL && !JSON_NODE_HOLDS_NULL (n) ? json_node_get_string (n) : NULL;

  if (v->opt->challenge == NULL)
    {
      note (v, "freshness not checked: no --challenge was given%s", recorded != NULL ? " (the bundle has one)" : "");
      return;
    }
  if (recorded == NULL)
    failed (v, "challenge", "the bundle has no challenge, expected %s", v->opt->challenge);
  else if (strcmp (recorded, v->opt->challenge) != 0)
    {
      g_autofree char *q = sbx_quote_short (recorded);
      failed (v, "challenge", "the bundle answers challenge %s, expected %s", q, v->opt->challenge);
    }
}

/* --max-age against the statement's own (self-reported) time. */
static void
step_time (Verify *v)
{
  const char *text = sbx_json_get_string (v->pred, "time");
  g_autoptr(GDateTime) t = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  g_autoptr(GDateTime) now_owned = NULL;
  GDateTime *now = v->opt->now;
  gint64 age;

  if (v->opt->max_age_seconds <= 0)
    return;
  if (t == NULL)
    {
      g_autofree char *q = sbx_quote_short (text != NULL ? text : "(missing)");
      failed (v, "time", "%s is not an ISO 8601 time", q);
      return;
    }
  if (now == NULL)
    now = now_owned = g_date_time_new_now_utc ();
  age = g_date_time_difference (now, t) / G_TIME_SPAN_SECOND;
  if (age > v->opt->max_age_seconds)
    failed (v, "time", "the statement was made %" G_GINT64_FORMAT " s ago (%s), more than --max-age %" G_GINT64_FORMAT
            " s", age, text, v->opt->max_age_seconds);
  else if (age < -300)
    failed (v, "time", "the statement claims a time %" G_GINT64_FORMAT " s in the future (%s)", -age, text);
}

/* The subjects name what took part; they must agree with the predicate. */
static void
step_subjects (Verify *v)
{
  static const char *const needed[] = { "profile", "sbx", "sbx-attest", "sbx-probe", "bwrap" };
  const char *profile_sha = sbx_statement_subject_sha256 (&v->st, "profile");
  const char *bwrap_sha = sbx_statement_subject_sha256 (&v->st, "bwrap");

  for (gsize i = 0; i < G_N_ELEMENTS (needed); i++)
    if (sbx_statement_subject_sha256 (&v->st, needed[i]) == NULL)
      failed (v, "subjects", "no subject \"%s\"", needed[i]);
  if (profile_sha != NULL && g_strcmp0 (profile_sha, path_string (v->pred, "profile.sha256")) != 0)
    failed (v, "subjects", "subject \"profile\" has sha256 %s but the predicate's profile.sha256 differs", profile_sha);
  if (bwrap_sha != NULL && g_strcmp0 (bwrap_sha, path_string (v->pred, "venue.bwrap.sha256")) != 0)
    failed (v, "subjects", "subject \"bwrap\" has sha256 %s but the predicate's venue.bwrap.sha256 differs", bwrap_sha);
}

static void
step_policy (Verify *v)
{
  const SbxVenuePolicy *p = v->opt->policy;
  SbxVenueFacts f = { 0 };
  g_autoptr(GPtrArray) broken = NULL;
  gint64 uid = 0, euid = 0;
  JsonObject *venue = sbx_json_get_object (v->pred, "venue");

  if (p == NULL)
    {
      note (v, "venue not checked: no --policy was given");
      return;
    }
  f.bwrap_sha256 = sbx_statement_subject_sha256 (&v->st, "bwrap");
  f.kernel_release = path_string (v->pred, "venue.kernel.release");
  f.have_ids = sbx_json_get_int (venue, "uid", &uid) && sbx_json_get_int (venue, "euid", &euid);
  f.uid = uid;
  f.euid = euid;
  f.userns_mode = path_string (v->pred, "venue.user_namespaces.mode");
  f.sbx_sha256 = sbx_statement_subject_sha256 (&v->st, "sbx");
  f.sbx_probe_sha256 = sbx_statement_subject_sha256 (&v->st, "sbx-probe");
  broken = sbx_venue_policy_check (p, &f);
  for (guint i = 0; i < broken->len; i++)
    failed (v, "policy", "%s", (const char *) g_ptr_array_index (broken, i));
  if (p->signer_keys != NULL && v->signed_ok)
    {
      gboolean listed = FALSE;

      for (gsize i = 0; p->signer_keys[i] != NULL; i++)
        listed |= g_strcmp0 (p->signer_keys[i], v->res->signer_name) == 0;
      if (!listed)
        failed (v, "policy", "[signer] keys: the bundle was signed by %s (%s), a key the policy does not list",
                v->res->signer_name, v->res->signer_keyid);
    }
}

/* The profile text hashes to its recorded sha256, its [attest] required
 * is the recorded list, and with --profile it is that profile. */
static void
step_profile (Verify *v)
{
  const char *canonical = path_string (v->pred, "profile.canonical");
  const char *recorded = path_string (v->pred, "profile.sha256");
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  g_autoptr(SbxProfile) recorded_profile = NULL;
  g_autoptr(GError) error = NULL;

  if (strcmp (sha, recorded) != 0)
    failed (v, "profile", "the recorded text hashes to %s, not to the recorded profile.sha256", sha);
  if (v->opt->profile != NULL)
    {
      g_autofree char *given = sbx_profile_dup_sha256 (v->opt->profile);

      if (strcmp (given, recorded) != 0)
        {
          /* name the keys, not only the hashes */
          g_autofree char *text = sbx_profile_to_canonical (v->opt->profile);
          g_autofree char *diff = sbx_profile_diff_canonical (canonical, text, "bundle",
                                                              sbx_profile_get_source (v->opt->profile));

          failed (v, "profile", "the bundle is about another profile: %s%s(its profile.sha256 is %s, %s has %s)",
                  diff != NULL ? diff : "", diff != NULL ? " " : "", recorded,
                  sbx_profile_get_source (v->opt->profile), given);
        }
    }
  else
    note (v, "profile not checked: no --profile was given, so any self-consistent profile would pass");
  /* The recorded text is parsed whole, from memory: loading a profile
   * looks at nothing on this host, so the folders it names need not exist
   * here.  Its [attest] required names the recorded list. */
  recorded_profile = sbx_profile_new_from_data (canonical, -1, "profile.canonical", &error);
  if (recorded_profile == NULL)
    {
      failed (v, "profile", "the recorded text does not parse: %s", error->message);
      return;
    }
  {
    const char *const *named = sbx_profile_get_required_probes (recorded_profile);
    JsonArray *list = json_node_get_array (sbx_json_lookup_path (v->pred, "profile.required"));
    guint n = json_array_get_length (list);
    gboolean same = n == g_strv_length ((GStrv) named);

    for (guint i = 0; same && i < n; i++)
      same = g_strv_contains (named, json_array_get_string_element (list, i));
    if (!same)
      failed (v, "profile", "profile.required is not the [attest] required list of the recorded profile text");
  }
}

/* The embedded programs hash to the recorded sha256; with --profile, and
 * when this libseccomp and architecture are the ones that compiled them,
 * compiling the profile here gives the same programs; the exec lock is the
 * profile's. */
static void
step_programs (Verify *v)
{
  static const struct { const char *name; SbxStage stage; } stages[] = {
    { "launch", SBX_STAGE_LAUNCH }, { "lock", SBX_STAGE_LOCK },
  };
  const struct scmp_version *sv = seccomp_version ();
  g_autofree char *here_scmp = g_strdup_printf ("%u.%u.%u", sv->major, sv->minor, sv->micro);
  struct utsname u;
  gboolean same_build;

  uname (&u);
  same_build = g_strcmp0 (here_scmp, path_string (v->pred, "library.libseccomp")) == 0
               && g_strcmp0 (u.machine, path_string (v->pred, "venue.arch")) == 0;
  for (gsize i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_autofree char *sha_path = g_strdup_printf ("programs.%s.sha256", stages[i].name);
      g_autofree char *bpf_path = g_strdup_printf ("programs.%s.bpf_base64", stages[i].name);
      const char *sha = path_string (v->pred, sha_path);
      gsize len = 0;
      g_autofree guchar *bpf = g_base64_decode (path_string (v->pred, bpf_path), &len);
      g_autofree char *bpf_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bpf, len);

      if (strcmp (bpf_sha, sha) != 0)
        failed (v, "programs", "the embedded %s program hashes to %s, not to the recorded %s", stages[i].name, bpf_sha,
                sha_path);
      if (v->opt->profile != NULL && same_build)
        {
          g_autoptr(GError) error = NULL;
          /* under exec-lock=on the recorded lock program is the exec gate's */
          SbxStage stage = stages[i].stage == SBX_STAGE_LOCK
                           && sbx_profile_get_exec_lock (v->opt->profile) == SBX_EXEC_LOCK_ON
                           ? SBX_STAGE_GATE : stages[i].stage;
          g_autoptr(SbxProgram) prog = sbx_program_new (v->opt->profile, stage, &error);
          g_autofree char *derived = prog != NULL ? sbx_program_dup_sha256 (prog) : NULL;

          if (derived == NULL)
            failed (v, "programs", "the %s program cannot be compiled from the profile here: %s", stages[i].name,
                    error->message);
          else if (strcmp (derived, sha) != 0)
            failed (v, "programs", "the %s program compiled here from the profile has sha256 %s, the bundle records "
                    "%s", stages[i].name, derived, sha);
        }
    }
  if (v->opt->profile != NULL && !same_build)
    note (v, "programs not compiled again: the bundle's libseccomp %s on %s differs from this host's %s on %s "
             "(their embedded bytes were hashed)", path_string (v->pred, "library.libseccomp"),
          path_string (v->pred, "venue.arch"), here_scmp, u.machine);
  if (v->opt->profile != NULL)
    {
      const char *want = sbx_exec_lock_to_string (sbx_profile_get_exec_lock (v->opt->profile));
      const char *have = path_string (v->pred, "programs.exec_lock");

      if (strcmp (want, have) != 0)
        {
          g_autofree char *q = sbx_quote_short (have);
          failed (v, "programs", "exec_lock is %s, the profile says %s", q, want);
        }
    }
}

/* The names of [environment] keep of @profile that set= does not give a
 * value: their values are the host's.  (transfer full) */
static GStrv
kept_names (SbxProfile *profile)
{
  g_autofree char *text = sbx_profile_to_canonical (profile);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_auto(GStrv) keep = NULL;
  g_auto(GStrv) set = NULL;
  GPtrArray *out = g_ptr_array_new ();

  if (g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, NULL))
    {
      keep = g_key_file_get_string_list (kf, "environment", "keep", NULL, NULL);
      set = g_key_file_get_string_list (kf, "environment", "set", NULL, NULL);
    }
  for (gsize i = 0; keep != NULL && keep[i] != NULL; i++)
    {
      gboolean also_set = FALSE;
      g_autofree char *prefix = g_strdup_printf ("%s=", keep[i]);

      for (gsize k = 0; set != NULL && set[k] != NULL; k++)
        also_set |= g_str_has_prefix (set[k], prefix);
      if (keep[i][0] != '\0' && !also_set)
        g_ptr_array_add (out, g_strdup (keep[i]));
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
}

/* The argv sbx attest builds for @profile on this host, the way it builds
 * it (sbx-attest.c attest_with): the profile's input and output pointed at
 * scratch folders, the probe command, sbx-probe and its expectations bound
 * at /run/sbx, each kept variable given a stand-in value; prepared as a
 * dry run (nothing is started).  NULL with @error when it cannot be.
 * (transfer full) */
static GStrv
derive_argv (SbxProfile *given, const char *bwrap, const char *const *kept, GError **error)
{
  const char *const command[] = { SBX_SANDBOX_HELPER_DIR "/" SBX_PROBE_NAME, "--expect",
                                  SBX_SANDBOX_HELPER_DIR "/expect", NULL };
  g_autofree char *dir = g_dir_make_tmp ("sbx-verify-XXXXXX", error);
  g_autofree char *in = NULL, *out = NULL, *expect = NULL, *helper_dir = NULL, *probe = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  g_autoptr(SbxSandbox) sandbox = NULL;
  g_autoptr(GPtrArray) envp = g_ptr_array_new_with_free_func (g_free);
  GStrv argv = NULL;

  if (dir == NULL)
    return NULL;
  in = g_build_filename (dir, "in", NULL);
  out = g_build_filename (dir, "out", NULL);
  expect = g_build_filename (dir, "expect", NULL);
  helper_dir = sbx_helper_dir_dup_default ();
  probe = g_build_filename (helper_dir, SBX_PROBE_NAME, NULL);
  for (gsize i = 0; kept[i] != NULL; i++)
    g_ptr_array_add (envp, g_strdup_printf ("%s=kept", kept[i]));
  g_ptr_array_add (envp, NULL);
  profile = sbx_profile_copy (given);
  if (g_mkdir (in, 0755) == 0 && g_mkdir (out, 0755) == 0 && g_file_set_contents (expect, "", 0, error)
      && sbx_profile_set_input (profile, NULL, error) && sbx_profile_set_output (profile, NULL, error)
      && sbx_profile_set_input (profile, in, error) && sbx_profile_set_output (profile, out, error)
      && (sandbox = sbx_sandbox_new (profile, command, error)) != NULL)
    {
      sbx_sandbox_set_bwrap (sandbox, bwrap);
      sbx_sandbox_set_helper_dir (sandbox, helper_dir);
      sbx_sandbox_set_environment (sandbox, (const char *const *) envp->pdata);
      if (sbx_sandbox_add_ro_file (sandbox, probe, SBX_PROBE_NAME, error)
          && sbx_sandbox_add_ro_file (sandbox, expect, "expect", error)
          && sbx_sandbox_prepare (sandbox, SBX_PREPARE_DRY_RUN, error))
        argv = g_strdupv ((GStrv) sbx_sandbox_get_redacted_argv (sandbox));
    }
  else if (error != NULL && *error == NULL)
    sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "%s", dir);
  g_clear_pointer (&sandbox, sbx_sandbox_unref);
  sbx_remove_tree (dir);
  return argv;
}

/* The argv hashes to its recorded sha256; its first element is the bwrap
 * whose hash the venue records; with --profile, its skeleton is the one
 * the profile gives (sbx-skeleton.h), when this host has that same bwrap
 * (its features shape the argv). */
static void
step_argv (Verify *v)
{
  JsonArray *a = json_node_get_array (sbx_json_lookup_path (v->pred, "bwrap_argv.argv"));
  guint n = json_array_get_length (a);
  g_autofree const char **argv = g_new0 (const char *, n + 1);
  g_autofree char *sha = NULL;

  for (guint i = 0; i < n; i++)
    argv[i] = json_array_get_string_element (a, i);
  sha = sbx_argv_sha256 (argv);
  if (strcmp (sha, path_string (v->pred, "bwrap_argv.sha256")) != 0)
    failed (v, "argv", "the recorded argv hashes to %s, not to the recorded bwrap_argv.sha256", sha);
  if (n == 0 || g_strcmp0 (argv[0], path_string (v->pred, "venue.bwrap.path")) != 0)
    failed (v, "argv", "argv[0] is not the venue's bwrap (venue.bwrap.path)");
  if (!g_strv_contains (argv, "--seccomp"))
    failed (v, "argv", "no --seccomp: the launch program was not handed to bwrap");
  if (v->opt->profile != NULL)
    {
      g_autofree char *text = sbx_profile_to_canonical (v->opt->profile);
      g_autoptr(GKeyFile) kf = g_key_file_new ();
      g_autofree char *mode = NULL;
      gboolean net;

      g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, NULL);
      mode = g_key_file_get_string (kf, "network", "mode", NULL);
      net = g_strcmp0 (mode, "none") != 0;

      if (!net && !g_strv_contains (argv, "--unshare-net") && !g_strv_contains (argv, "--unshare-all"))
        failed (v, "argv", "the profile has no network, but the argv unshares no network namespace");
      if (!net && g_strv_contains (argv, "--share-net"))
        failed (v, "argv", "the profile has no network, but the argv has --share-net");
    }
  if (v->opt->profile != NULL && n > 0)
    {
      const char *want_sha = path_string (v->pred, "venue.bwrap.sha256");
      g_autofree char *here_sha = g_file_test (argv[0], G_FILE_TEST_IS_REGULAR) ? sbx_file_sha256 (argv[0], NULL) : NULL;
      g_auto(GStrv) kept = kept_names (v->opt->profile);
      g_auto(GStrv) derived = NULL;
      g_autofree char *diff = NULL;
      g_autoptr(GError) error = NULL;

      if (g_strcmp0 (here_sha, want_sha) != 0)
        {
          note (v, "argv skeleton not re-derived: this host has no bwrap at %s with the bundle's sha256 (bwrap's "
                   "features shape the argv); its hash and its network options were checked", argv[0]);
          return;
        }
      /* a dry run opens every mount source: the profile's own paths must
       * be here, which a bundle from another host need not have */
      if (!sbx_profile_check_host (v->opt->profile, &error))
        {
          note (v, "argv skeleton not re-derived: the profile's host paths are not all on this host (%s); "
                   "its hash and its network options were checked", error->message);
          return;
        }
      derived = derive_argv (v->opt->profile, argv[0], (const char *const *) kept, &error);
      if (derived == NULL)
        {
          failed (v, "argv", "cannot build the profile's argv here to compare: %s", error->message);
          return;
        }
      diff = sbx_argv_skeleton_diff (argv, (const char *const *) derived, (const char *const *) kept);
      if (diff != NULL)
        failed (v, "argv", "the recorded argv %s", diff);
    }
}

/* The probe ids are exactly the catalogue's, each once. */
static void
step_catalogue (Verify *v)
{
  JsonArray *probes = sbx_json_get_array (v->pred, "probes");
  guint n = json_array_get_length (probes);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_array_get_object_element (probes, i);
      const char *id = JSON_NODE_HOLDS_OBJECT (json_array_get_element (probes, i)) ? sbx_json_get_string (p, "id") : NULL;

      if (id == NULL)
        {
          failed (v, "probes", "probes[%u] has no \"id\"", i);
          continue;
        }
      if (sbx_probe_catalogue_find (id) == NULL)
        {
          g_autofree char *q = sbx_quote_short (id);
          failed (v, "probes", "unknown probe %s (not in this catalogue)", q);
        }
      else if (!g_hash_table_add (seen, (gpointer) id))
        failed (v, "probes", "probe %s appears twice", id);
    }
  for (guint i = 0; i < sbx_probe_catalogue_size; i++)
    if (!g_hash_table_contains (seen, sbx_probe_catalogue[i].id))
      failed (v, "probes", "probe %s of the catalogue is missing", sbx_probe_catalogue[i].id);
}

/* What a side observed: the recorded attempts (or observations). */
static JsonArray *
side_observations (JsonObject *side)
{
  JsonArray *a = sbx_json_get_array (side, "observations");

  return a != NULL ? a : sbx_json_get_array (side, "attempts");
}

/* The recorded observations @a as the rules read them, *@n of them; a
 * "ret" recorded as an integer becomes its text, kept in @texts.  Members
 * missing or of another type are NULL.  (transfer container) */
static SbxObservation *
read_observations (JsonArray *a, GPtrArray *texts, guint *n)
{
  SbxObservation *obs;

  *n = a != NULL ? json_array_get_length (a) : 0;
  obs = g_new0 (SbxObservation, *n + 1);
  for (guint i = 0; i < *n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      gint64 number;

      obs[i].call = sbx_json_get_string (o, "call");
      obs[i].args = sbx_json_get_string (o, "args");
      obs[i].errno_name = sbx_json_get_string (o, "errno");
      obs[i].ret = sbx_json_get_string (o, "ret");
      if (o != NULL && sbx_json_member (o, "ret") != NULL && sbx_json_get_int (o, "ret", &number))
        {
          char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);

          g_ptr_array_add (texts, text);
          obs[i].ret = text;
        }
    }
  return obs;
}

/* sbx runs root's job as a uid of its own, 2000000000 + (sbx's pid << 5 |
 * n), below 2134217728, with the same gid (sbx(1), "run by root"); any
 * other caller's as the caller's own ids. */
#define ROOT_JOB_ID_MIN G_GINT64_CONSTANT (2000000000)
#define ROOT_JOB_ID_END G_GINT64_CONSTANT (2134217728)

/* run.job against the recorded argv and the venue: the ids and the
 * nesting a forger would choose.  An argv that names no --uid/--gid
 * leaves the job its host ids inside; --disable-userns nests. */
static void
check_job_ids (Verify *v, const SbxPlan *plan, JsonObject *job)
{
  static const char *const names[] = { "uid", "gid" };
  JsonObject *venue = sbx_json_get_object (v->pred, "venue");
  gint64 euid = -1, vid[2] = { -1, -1 };
  gboolean nested = FALSE;

  sbx_json_get_bool (job, "userns_nested", &nested);
  if (nested != plan->userns_nested)
    failed (v, "identity", "probe PR-NS-1: run.job.userns_nested is %s, but the recorded argv %s --disable-userns",
            nested ? "true" : "false", plan->userns_nested ? "has" : "lacks");
  sbx_json_get_int (venue, "euid", &euid);
  sbx_json_get_int (venue, "uid", &vid[0]);
  sbx_json_get_int (venue, "gid", &vid[1]);
  for (int g = 0; g < 2; g++)
    {
      g_autofree char *host_key = g_strdup_printf ("host_%s", names[g]);
      gint64 in = -1, host = g ? plan->job_gid : plan->job_uid, want = sbx_plan_id_in (plan, g);

      sbx_json_get_int (job, names[g], &in);
      if (in != want)
        failed (v, "identity", "probe PR-NS-1: run.job.%s is %" G_GINT64_FORMAT ", but the recorded argv gives the "
                "job %s %" G_GINT64_FORMAT " (%s)", names[g], in, names[g], want,
                (g ? plan->gid_in : plan->uid_in) >= 0 ? "its --uid/--gid" : "no --uid/--gid: the job's host id");
      if (euid == 0 && g == 0 && (host < ROOT_JOB_ID_MIN || host >= ROOT_JOB_ID_END))
        failed (v, "identity", "probe PR-NS-1: run.job.host_uid is %" G_GINT64_FORMAT ", but sbx run by root "
                "(venue.euid 0) gives the job a uid of its own from %" G_GINT64_FORMAT " below %" G_GINT64_FORMAT,
                host, ROOT_JOB_ID_MIN, ROOT_JOB_ID_END);
      else if (euid == 0 && g == 1 && host != plan->job_uid)
        failed (v, "identity", "probe PR-NS-1: run.job.host_gid is %" G_GINT64_FORMAT ", but sbx run by root "
                "(venue.euid 0) gives the job the gid of its uid (run.job.host_uid %" G_GINT64_FORMAT ")", host,
                plan->job_uid);
      else if (euid != 0 && host != vid[g])
        failed (v, "identity", "probe PR-NS-1: run.job.%s is %" G_GINT64_FORMAT ", but sbx runs the job of a caller "
                "that is not root as the caller (venue.%s %" G_GINT64_FORMAT ")", host_key, host, names[g], vid[g]);
    }
}

/* Who the job was: run.job agrees with the argv and the venue, and the
 * sandbox run's identity readings are what the plan gives
 * (sbx_plan_compare_identity(), the comparison sbx attest made, on the
 * recorded observations).  The differences are charged to their probes'
 * plan checks in step_verdicts. */
static void
step_identity (Verify *v)
{
  JsonArray *a = json_node_get_array (sbx_json_lookup_path (v->pred, "bwrap_argv.argv"));
  JsonArray *probes = sbx_json_get_array (v->pred, "probes");
  JsonObject *job = sbx_json_get_object (sbx_json_get_object (v->pred, "run"), "job");
  /* two NULLs: the plan reader starts after argv[0] */
  g_autofree const char **argv = g_new0 (const char *, json_array_get_length (a) + 2);
  g_autoptr(GHashTable) no_sources = g_hash_table_new (g_str_hash, g_str_equal);
  SbxPlanFacts facts = { .sources = no_sources };
  g_autoptr(SbxPlan) plan = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (a); i++)
    argv[i] = json_array_get_string_element (a, i);
  plan = sbx_plan_new (argv, &facts, "");
  sbx_json_get_int (job, "host_uid", &plan->job_uid);
  sbx_json_get_int (job, "host_gid", &plan->job_gid);
  check_job_ids (v, plan, job);
  for (guint i = 0; i < json_array_get_length (probes); i++)
    {
      JsonNode *e = json_array_get_element (probes, i);
      JsonObject *p = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      const char *id = sbx_json_get_string (p, "id");
      guint n;
      SbxObservation *obs;

      if (id == NULL)
        continue;
      obs = read_observations (side_observations (sbx_json_get_object (p, "sandbox")), texts, &n);
      g_ptr_array_add (lists, obs);
      for (guint k = 0; k < n; k++)
        if (obs[k].call != NULL && obs[k].args != NULL && obs[k].ret != NULL && obs[k].errno_name != NULL)
          {
            SbxPlanSeen *r = g_new0 (SbxPlanSeen, 1);

            *r = (SbxPlanSeen) { id, obs[k].call, obs[k].args, obs[k].ret, obs[k].errno_name };
            g_ptr_array_add (seen, r);
          }
    }
  v->identity_diffs = sbx_plan_compare_identity (plan, seen);
}

/* The differences step_identity charged to @id, joined; NULL when none.
 * (transfer full) */
static char *
identity_differences (Verify *v, const char *id)
{
  GString *t = NULL;

  for (guint i = 0; v->identity_diffs != NULL && i < v->identity_diffs->len; i++)
    {
      const SbxPlanDiff *d = v->identity_diffs->pdata[i];

      if (strcmp (d->probe, id) != 0)
        continue;
      if (t == NULL)
        t = g_string_new ("its sandbox run's identity differs from the plan: ");
      else
        g_string_append (t, "; ");
      g_string_append (t, d->text);
    }
  return t != NULL ? g_string_free (t, FALSE) : NULL;
}

/* The host check sbx attest makes for a probe after both runs (the
 * catalogue's host_check); NULL for probes without one. */
static const char *
expected_host_check (const char *id)
{
  const SbxProbeInfo *info = sbx_probe_catalogue_find (id);

  return info != NULL ? info->host_check : NULL;
}

typedef struct {
  const char *id;
  SbxProbeResult sandbox, control; /* as the observations show them (sbx-verdict.h) */
  SbxVerdict verdict;       /* derived here */
  char *reason;             /* why the observations overruled a claim, or NULL */
  gboolean host_ok;
  gboolean have_host_check; /* the probe's own host check is recorded */
  gboolean well_formed;
} Derived;

/* The verdict rules of sbx attest (sbx-verdict.c) applied again to the
 * recorded observations of @p. */
static void
recompute_verdict (JsonObject *p, const SbxVerdictContext *ctx, Derived *d)
{
  static const char *const sides[] = { "sandbox", "control" };
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  SbxObservation *obs[2] = { NULL, NULL };
  SbxVerdictInput in = { .id = d->id, .claim = { d->sandbox, d->control }, .host_checks_ok = d->host_ok };
  SbxVerdictOutput out;

  for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
    {
      guint n;

      obs[s] = read_observations (side_observations (sbx_json_get_object (p, sides[s])), texts, &n);
      in.obs[s] = obs[s];
      in.n_obs[s] = n;
    }
  sbx_verdict_compute (&in, ctx, &out);
  d->sandbox = out.result[0];
  d->control = out.result[1];
  d->verdict = out.verdict;
  d->reason = g_steal_pointer (&out.reason);
  sbx_verdict_output_clear (&out);
  g_free (obs[0]);
  g_free (obs[1]);
}

/* One probe entry: its results, its observations (a HOLDS or VIOLATED with
 * nothing observed is a claim, not evidence), its host checks, and the
 * verdict that its observations give. */
static void
derive_probe (Verify *v, JsonObject *p, const SbxVerdictContext *ctx, Derived *d)
{
  static const char *const sides[] = { "sandbox", "control" };
  JsonArray *checks = sbx_json_get_array (p, "host_checks");
  const char *expected = NULL;
  g_autofree char *identity = NULL;

  memset (d, 0, sizeof *d);
  d->id = sbx_json_get_string (p, "id");
  d->host_ok = TRUE;
  if (d->id == NULL || sbx_probe_catalogue_find (d->id) == NULL)
    return;
  expected = expected_host_check (d->id);
  for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
    {
      JsonObject *side = sbx_json_get_object (p, sides[s]);
      JsonArray *obs = side_observations (side);
      SbxProbeResult r;

      if (side == NULL || !sbx_probe_result_from_string (sbx_json_get_string (side, "result"), &r))
        {
          failed (v, "observations", "probe %s: %s has no known \"result\"", d->id, sides[s]);
          return;
        }
      if (obs == NULL)
        {
          failed (v, "observations", "probe %s: %s has no observations array", d->id, sides[s]);
          return;
        }
      if ((r == SBX_PROBE_HOLDS || r == SBX_PROBE_VIOLATED) && json_array_get_length (obs) == 0)
        failed (v, "observations", "probe %s: %s claims %s with nothing observed (empty observations)", d->id,
                sides[s], sbx_probe_result_to_string (r));
      for (guint i = 0; i < json_array_get_length (obs); i++)
        if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (obs, i)))
          {
            failed (v, "observations", "probe %s: %s: observation %u is not an object", d->id, sides[s], i);
            return;
          }
      if (s == 0)
        d->sandbox = r;
      else
        d->control = r;
    }
  if (checks == NULL)
    {
      failed (v, "observations", "probe %s: no \"host_checks\" array", d->id);
      return;
    }
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonNode *n = json_array_get_element (checks, i);
      gboolean ok;

      if (!JSON_NODE_HOLDS_OBJECT (n) || !sbx_json_get_bool (json_node_get_object (n), "ok", &ok)
          || sbx_json_get_string (json_node_get_object (n), "check") == NULL)
        {
          failed (v, "observations", "probe %s: host_checks[%u] needs \"check\" and \"ok\"", d->id, i);
          return;
        }
      d->host_ok &= ok;
      if (expected != NULL && strcmp (sbx_json_get_string (json_node_get_object (n), "check"), expected) == 0)
        d->have_host_check = TRUE;
    }
  if (expected != NULL && !d->have_host_check)
    {
      failed (v, "observations", "probe %s: host check \"%s\" missing", d->id, expected);
      d->host_ok = FALSE;
    }
  /* the identity part of the plan check, made again (step_identity) */
  identity = identity_differences (v, d->id);
  if (identity != NULL)
    d->host_ok = FALSE;
  recompute_verdict (p, ctx, d);
  if (identity != NULL)
    {
      char *both = d->reason != NULL ? g_strdup_printf ("%s; %s", d->reason, identity) : g_strdup (identity);

      g_free (d->reason);
      d->reason = both;
    }
  d->well_formed = TRUE;
}

/* Every verdict, the summary and the final status follow from the
 * observations; every required probe passed with a control that detected;
 * the status is SANDBOX_ATTESTED. */
static void
step_verdicts (Verify *v)
{
  JsonArray *probes = sbx_json_get_array (v->pred, "probes");
  guint n = json_array_get_length (probes);
  g_autofree Derived *d = g_new0 (Derived, n + 1);
  g_autofree SbxVerdict *verdicts = g_new0 (SbxVerdict, n + 1);
  g_autofree gboolean *required = g_new0 (gboolean, n + 1);
  const char *const *req_list = NULL;
  g_auto(GStrv) recorded_req = NULL;
  guint counts[3] = { 0, 0, 0 }, n_req = 0, req_pass = 0;
  JsonObject *summary = sbx_json_get_object (v->pred, "summary");
  gint64 x;
  gboolean all_formed = TRUE;
  guint n_overrides = 0;
  SbxAttestStatus status;
  const char *final = sbx_json_get_string (v->pred, "final_status");
  g_auto(SbxVerdictContext) ctx = { 0 };
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

  /* what the rules need: the recorded profile text, the host's namespaces */
  sbx_verdict_context_init (&ctx, path_string (v->pred, "profile.canonical"));
  {
    static const char *const order[] = SBX_VERDICT_NS_NAMES;
    JsonObject *host = sbx_json_get_object (sbx_json_get_object (v->pred, "run"), "host");

    for (gsize k = 0; k < SBX_VERDICT_N_NS; k++)
      {
        g_autofree char *name = g_strdup_printf ("ns_%s", order[k]);

        if (!sbx_json_get_int (host, name, &ctx.host_ns[k]))
          ctx.host_ns[k] = 0;
      }
    /* whom RLIMIT_NPROC binds: the job, and sbx attest for the control */
    sbx_json_get_int (sbx_json_get_object (sbx_json_get_object (v->pred, "run"), "job"), "host_uid",
                      &ctx.host_uid[0]);
    sbx_json_get_int (sbx_json_get_object (v->pred, "venue"), "uid", &ctx.host_uid[1]);
  }
  {
    JsonArray *list = json_node_get_array (sbx_json_lookup_path (v->pred, "profile.required"));
    GPtrArray *a = g_ptr_array_new ();

    for (guint i = 0; i < json_array_get_length (list); i++)
      g_ptr_array_add (a, g_strdup (json_array_get_string_element (list, i)));
    g_ptr_array_add (a, NULL);
    recorded_req = (GStrv) g_ptr_array_free (a, FALSE);
  }
  req_list = v->opt->profile != NULL ? sbx_profile_get_required_probes (v->opt->profile)
                                     : (const char *const *) recorded_req;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (probes, i);
      JsonObject *p = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      const char *recorded_verdict = sbx_json_get_string (p, "verdict");
      gboolean rec_required;

      if (p == NULL)
        {
          all_formed = FALSE;
          continue;
        }
      derive_probe (v, p, &ctx, &d[i]);
      if (d[i].reason != NULL)
        g_ptr_array_add (reasons, d[i].reason);
      if (!d[i].well_formed)
        {
          all_formed = FALSE;
          continue;
        }
      if (g_strcmp0 (recorded_verdict, sbx_verdict_to_string (d[i].verdict)) != 0)
        {
          g_autofree char *q = sbx_quote_short (recorded_verdict != NULL ? recorded_verdict : "(none)");
          if (d[i].reason != NULL)
            failed (v, "verdicts", "probe %s: recorded %s, but its observations give %s: %s", d[i].id, q,
                    sbx_verdict_to_string (d[i].verdict), d[i].reason);
          else
            failed (v, "verdicts", "probe %s: recorded %s, but its observations give %s (sandbox %s, control %s%s)",
                    d[i].id, q, sbx_verdict_to_string (d[i].verdict), sbx_probe_result_to_string (d[i].sandbox),
                    sbx_probe_result_to_string (d[i].control), d[i].host_ok ? "" : ", a failed host check");
        }
      if (!sbx_json_get_bool (p, "required", &rec_required)
          || rec_required != g_strv_contains ((const char *const *) recorded_req, d[i].id))
        failed (v, "verdicts", "probe %s: \"required\" does not follow from profile.required", d[i].id);
      verdicts[i] = d[i].verdict;
      required[i] = g_strv_contains ((const char *const *) recorded_req, d[i].id);
      counts[d[i].verdict]++;
      n_req += required[i];
      req_pass += required[i] && d[i].verdict == SBX_VERDICT_PASS;
      g_hash_table_replace (v->res->verdicts, g_strdup (d[i].id), g_strdup (sbx_verdict_to_string (d[i].verdict)));
    }
  v->res->n_probes = n;
  if (!all_formed)
    return;
  if (!sbx_json_get_int (summary, "total", &x) || x != n || !sbx_json_get_int (summary, "pass", &x) || x != counts[SBX_VERDICT_PASS]
      || !sbx_json_get_int (summary, "fail", &x) || x != counts[SBX_VERDICT_FAIL]
      || !sbx_json_get_int (summary, "inconclusive", &x) || x != counts[SBX_VERDICT_INCONCLUSIVE]
      || !sbx_json_get_int (summary, "required", &x) || x != n_req
      || !sbx_json_get_int (summary, "required_pass", &x) || x != req_pass)
    failed (v, "verdicts", "the summary does not match the probes (%u: %u PASS, %u FAIL, %u INCONCLUSIVE; %u required, "
            "%u of them PASS)", n, counts[SBX_VERDICT_PASS], counts[SBX_VERDICT_FAIL],
            counts[SBX_VERDICT_INCONCLUSIVE], n_req, req_pass);
  {
    /* tools from elsewhere than sbx's own folder cap the status (sbx-attest.c) */
    JsonNode *over = sbx_json_lookup_path (v->pred, "run.tools.overrides");

    n_overrides = over != NULL && JSON_NODE_HOLDS_ARRAY (over) ? json_array_get_length (json_node_get_array (over)) : 0;
  }
  status = sbx_attest_status_cap (sbx_attest_status_decide_from (n, verdicts, required), n_overrides);
  if (g_strcmp0 (final, sbx_attest_status_to_string (status)) != 0)
    {
      g_autofree char *q = sbx_quote_short (final);
      failed (v, "verdicts", "final_status %s does not follow from the verdicts (they give %s)", q,
              sbx_attest_status_to_string (status));
    }
  v->res->final_status = g_strdup (sbx_attest_status_to_string (status));

  /* required probes: of the profile given, else of the bundle */
  for (gsize k = 0; req_list != NULL && req_list[k] != NULL; k++)
    {
      const Derived *r = NULL;

      for (guint i = 0; i < n && r == NULL; i++)
        if (g_strcmp0 (d[i].id, req_list[k]) == 0)
          r = &d[i];
      if (r == NULL)
        failed (v, "required", "probe %s is missing", req_list[k]);
      else if (r->verdict != SBX_VERDICT_PASS)
        failed (v, "required", "probe %s: %s (sandbox %s, control %s), expected PASS", r->id,
                sbx_verdict_to_string (r->verdict), sbx_probe_result_to_string (r->sandbox),
                sbx_probe_result_to_string (r->control));
      else if (r->control != SBX_PROBE_VIOLATED)
        failed (v, "required", "probe %s: control %s, expected VIOLATED (a control that detected)", r->id,
                sbx_probe_result_to_string (r->control));
    }
  {
    /* the status of the required list used (the profile's when given) */
    g_autofree gboolean *req2 = g_new0 (gboolean, n + 1);
    SbxAttestStatus s2;

    for (guint i = 0; i < n; i++)
      req2[i] = g_strv_contains (req_list, d[i].id);
    s2 = sbx_attest_status_cap (sbx_attest_status_decide_from (n, verdicts, req2), n_overrides);
    if (s2 != SBX_ATTEST_STATUS_ATTESTED)
      failed (v, "status", "%s, not SANDBOX_ATTESTED%s", sbx_attest_status_to_string (s2),
              n_overrides > 0 ? " (run.tools.overrides: tools from outside sbx's own folder)" : "");
  }
}

/* ------------------------------------------------------------------ main */

void
sbx_verify_data (const char *data, gsize length, const SbxVerifyOptions *opt, SbxVerifyResult *res)
{
  Verify v;

  memset (&v, 0, sizeof v);
  v.opt = opt;
  v.res = res;

  if (step_envelope (&v, data, length))
    {
      step_signature (&v);
      if (step_statement (&v))
        {
          step_members (&v);
          step_challenge (&v);
          step_time (&v);
          step_subjects (&v);
          step_policy (&v);
          if (v.members_ok)
            {
              step_profile (&v);
              step_programs (&v);
              step_argv (&v);
              step_catalogue (&v);
              step_identity (&v);
              step_verdicts (&v);
            }
        }
    }
  res->verified = res->failures->len == 0 && v.signed_ok && opt->profile != NULL;
  sbx_dsse_envelope_clear (&v.env);
  g_clear_pointer (&v.envelope, json_node_unref);
  g_clear_pointer (&v.statement_root, json_node_unref);
  g_clear_pointer (&v.identity_diffs, g_ptr_array_unref);
}

void
sbx_verify_file (const char *path, const SbxVerifyOptions *opt, SbxVerifyResult *res)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  if (!sbx_read_file_bounded (path, SBX_BUNDLE_MAX_SIZE, &data, &len, &error))
    {
      g_ptr_array_add (res->failures, g_strdup_printf ("read: %s", error->message));
      res->verified = FALSE;
      return;
    }
  sbx_verify_data (data, len, opt, res);
}
