/* test-attest-inputs.c — what sbx verify reads from elsewhere: bounded file
 * reads (FIFOs, devices, folders, oversized files refused before reading),
 * the JSON depth limit, the venue policy and the acceptance matrix. */
#include "config.h"

#include "sbx-matrix.h"
#include "sbx-read.h"
#include "sbx-venue-policy.h"

#include "sbxprofile.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char *
tmp_file (const char *name, const char *content)
{
  g_autofree char *dir = g_dir_make_tmp ("test-attest-inputs-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  assert_non_null (dir);
  if (content != NULL)
    assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

static void
remove_tmp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  unlink (path);
  rmdir (dir);
}

/* ------------------------------------------------------------ bounded read */

static void
test_read_regular (void **state)
{
  g_autofree char *path = tmp_file ("f", "{\"a\":1}");
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  assert_true (sbx_read_file_bounded (path, 7, &data, &len, &error));
  assert_int_equal (len, 7);
  assert_string_equal (data, "{\"a\":1}");
  g_clear_pointer (&data, g_free);
  /* one byte over the limit: refused, naming the limit */
  assert_false (sbx_read_file_bounded (path, 6, &data, &len, &error));
  assert_non_null (strstr (error->message, "larger than the limit of 6 bytes"));
  remove_tmp (path);
}

static void
test_read_huge (void **state)
{
  g_autofree char *path = tmp_file ("huge", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  int fd = open (path, O_CREAT | O_WRONLY, 0600);

  /* sparse: 64 MiB + 1 costs no disk; it must be refused before reading */
  assert_true (fd >= 0);
  assert_int_equal (ftruncate (fd, SBX_BUNDLE_MAX_SIZE + 1), 0);
  close (fd);
  assert_false (sbx_read_file_bounded (path, SBX_BUNDLE_MAX_SIZE, &data, &len, &error));
  assert_non_null (strstr (error->message, "limit of 64 MiB"));
  assert_null (data);
  remove_tmp (path);
}

static void
test_read_fifo_device_dir (void **state)
{
  g_autofree char *path = tmp_file ("fifo", NULL);
  g_autofree char *data = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  /* a FIFO with no writer: must not block, must be refused */
  assert_int_equal (mkfifo (path, 0600), 0);
  assert_false (sbx_read_file_bounded (path, 1024, &data, &len, &error));
  assert_non_null (strstr (error->message, "a FIFO, not a regular file"));
  g_clear_error (&error);
  assert_false (sbx_read_file_bounded ("/dev/zero", SBX_BUNDLE_MAX_SIZE, &data, &len, &error));
  assert_non_null (strstr (error->message, "a character device"));
  g_clear_error (&error);
  assert_false (sbx_read_file_bounded (dir, 1024, &data, &len, &error));
  assert_non_null (strstr (error->message, "a folder"));
  g_clear_error (&error);
  assert_false (sbx_read_file_bounded ("/nonexistent/x", 1024, &data, &len, &error));
  assert_non_null (strstr (error->message, "/nonexistent/x: cannot open"));
  remove_tmp (path);
}

static void
test_json_depth (void **state)
{
  gsize n = 100000;
  g_autofree char *deep = g_malloc (2 * n + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ok = NULL;
  const char *strings = "{\"a\":\"[[[[[[[[[[\\\"[[[[[\",\"b\":[[1]]}";

  memset (deep, '[', n);
  memset (deep + n, ']', n);
  deep[2 * n] = '\0';
  assert_null (sbx_json_parse_bounded (deep, 2 * n, SBX_JSON_MAX_DEPTH, &error));
  assert_non_null (strstr (error->message, "deeper than the limit of 64 levels"));
  g_clear_error (&error);
  /* brackets inside strings (and escaped quotes) do not count */
  assert_int_equal (sbx_json_scan_depth (strings, strlen (strings), 64), 3);
  ok = sbx_json_parse_bounded (strings, strlen (strings), 3, &error);
  assert_non_null (ok);
  assert_null (sbx_json_parse_bounded (strings, strlen (strings), 2, &error));
  g_clear_error (&error);
  /* exactly the limit passes, one more does not */
  memset (deep, '[', 64);
  memset (deep + 64, ']', 64);
  g_clear_pointer (&ok, json_node_unref);
  ok = sbx_json_parse_bounded (deep, 128, 64, &error);
  assert_non_null (ok);
  assert_null (sbx_json_parse_bounded ("[[[[1]]]]", 9, 3, &error));
  g_clear_error (&error);
  assert_null (sbx_json_parse_bounded ("{\"a\":", 5, 3, &error));
  assert_non_null (strstr (error->message, "not a JSON document"));
  g_clear_error (&error);
  assert_null (sbx_json_parse_bounded ("", 0, 3, &error));
}

static void
test_quote_short (void **state)
{
  g_autofree char *long_text = g_strnfill (100000, 'x');
  g_autofree char *q = sbx_quote_short (long_text);
  g_autofree char *ctl = sbx_quote_short ("a\nb\xff");

  assert_int_equal (g_utf8_strlen (q, -1), 81);
  assert_string_equal (ctl, "a\\x0ab\\xff");
}

/* ------------------------------------------------------------------ policy */

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

static const char policy_text[] =
  "[venue]\n"
  "bwrap-sha256=" SHA_A ";" SHA_B "\n"
  "kernel-min=6.1\n"
  "caller=non-root\n"
  "userns=unprivileged-allowed\n"
  "[tool]\n"
  "sbx-sha256=" SHA_A "\n"
  "sbx-probe-sha256=" SHA_B "\n"
  "[signer]\n"
  "keys=ci.pub.pem;/etc/sbx/other.pem\n";

static SbxVenuePolicy *
policy_from (const char *text, GError **error)
{
  return sbx_venue_policy_new_from_data (text, strlen (text), "/srv/policy/venue.policy", error);
}

static void
test_policy_parse (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxVenuePolicy) p = policy_from (policy_text, &error);

  assert_non_null (p);
  assert_int_equal (g_strv_length (p->bwrap_sha256), 2);
  assert_string_equal (p->kernel_min, "6.1");
  assert_int_equal (p->caller, SBX_CALLER_NON_ROOT);
  assert_string_equal (p->signer_keys[0], "/srv/policy/ci.pub.pem");
  assert_string_equal (p->signer_keys[1], "/etc/sbx/other.pem");
}

static void
test_policy_refused (void **state)
{
  static const struct { const char *text, *message; } cases[] = {
    { "[venue]\nbwrap=x\n", "[venue] unknown key \"bwrap\"" },
    { "[host]\ncaller=root\n", "unknown group [host]" },
    { "[venue]\ncaller=nobody\n", "caller: \"nobody\" is not one of" },
    { "[venue]\nbwrap-sha256=abc\n", "\"abc\" is not a sha256 digest" },
    { "[venue]\nbwrap-sha256=\n", "bwrap-sha256: empty" },
    { "[venue]\nkernel-min=six\n", "kernel-min: \"six\" is not a kernel release" },
    { "[venue]\nuserns=maybe\n", "userns: \"maybe\" is not one of" },
    { "[venue]\ncaller=any\n", "states no rule" },
    { "[signer]\nkeys=\n", "[signer] keys: empty" },
    { "not a key file", "not a key file" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbxVenuePolicy) p = policy_from (cases[i].text, &error);

      assert_null (p);
      if (strstr (error->message, cases[i].message) == NULL)
        fail_msg ("case %zu: \"%s\" does not say \"%s\"", i, error->message, cases[i].message);
      assert_non_null (strstr (error->message, "/srv/policy/venue.policy"));
    }
}

static void
test_policy_check (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxVenuePolicy) p = policy_from (policy_text, &error);
  SbxVenueFacts good = { SHA_B, "6.18.0-sbx", TRUE, 1000, 1000, "unprivileged-allowed", SHA_A, SHA_B };
  SbxVenueFacts bad = { SHA_C, "5.10.0-30-amd64", TRUE, 0, 0, "root-only", SHA_C, NULL };
  SbxVenueFacts none = { NULL, NULL, FALSE, 0, 0, NULL, NULL, NULL };
  g_autoptr(GPtrArray) ok = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  static const char *const expect[] = {
    "[venue] bwrap-sha256: the bundle's bwrap sha256 is " SHA_C ", not one of the 2 allowed",
    "[venue] kernel-min=6.1: the bundle's kernel is 5.10.0-30-amd64",
    "[venue] caller=non-root: attest ran as uid 0, euid 0",
    "[venue] userns=unprivileged-allowed: the bundle's user-namespace mode is root-only",
    "[tool] sbx-sha256: the bundle's sbx sha256 is " SHA_C ", not one of the 1 allowed",
    "[tool] sbx-probe-sha256: the bundle's sbx-probe sha256 is (not recorded), not one of the 1 allowed",
  };

  assert_non_null (p);
  ok = sbx_venue_policy_check (p, &good);
  assert_int_equal (ok->len, 0);
  /* every rule that fails is named, with the bundle's value */
  failed = sbx_venue_policy_check (p, &bad);
  assert_int_equal (failed->len, G_N_ELEMENTS (expect));
  for (guint i = 0; i < failed->len; i++)
    assert_string_equal (g_ptr_array_index (failed, i), expect[i]);
  missing = sbx_venue_policy_check (p, &none);
  assert_int_equal (missing->len, 6);
  /* one rule at a time: only the euid is root */
  {
    SbxVenueFacts euid0 = good;
    g_autoptr(GPtrArray) r = NULL;

    euid0.euid = 0;
    r = sbx_venue_policy_check (p, &euid0);
    assert_int_equal (r->len, 1);
    assert_string_equal (g_ptr_array_index (r, 0), "[venue] caller=non-root: attest ran as uid 1000, euid 0");
  }
}

static void
test_kernel_compare (void **state)
{
  assert_true (sbx_kernel_release_compare ("6.1.0-18-amd64", "6.1") == 0);
  assert_true (sbx_kernel_release_compare ("6.10.0", "6.9") > 0);
  assert_true (sbx_kernel_release_compare ("5.15.0", "6.1") < 0);
  assert_true (sbx_kernel_release_compare ("6.1", "6.1.1") < 0);
  assert_true (sbx_kernel_release_compare ("garbage", "6.1") < 0);
}

/* ------------------------------------------------------------------ matrix */

static const char *const known[] = { "PR-NET-1", "PR-NET-2", "PR-EXEC-1", "PR-CAP-1", NULL };

static SbxMatrix *
matrix_from (const char *text, GError **error)
{
  return sbx_matrix_new_from_data (text, strlen (text), "m.matrix", known, error);
}

static void
test_matrix_bind (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxMatrix) m = matrix_from ("[rows]\n25=PR-NET-1;PR-NET-2\n26=PR-EXEC-1\n31=external\n27=PR-CAP-1\n",
                                        &error);
  g_autoptr(GHashTable) v = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) r = NULL;
  g_autoptr(GArray) unverified = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  assert_non_null (m);
  assert_int_equal (m->rows->len, 4);
  g_hash_table_insert (v, (char *) "PR-NET-1", (char *) "PASS");
  g_hash_table_insert (v, (char *) "PR-NET-2", (char *) "PASS");
  g_hash_table_insert (v, (char *) "PR-EXEC-1", (char *) "FAIL");
  /* PR-CAP-1 absent from the evidence */
  r = sbx_matrix_bind (m, v, TRUE);
  assert_int_equal (g_array_index (r, SbxRowResult, 0).status, SBX_ROW_PASS);
  assert_int_equal (g_array_index (r, SbxRowResult, 1).status, SBX_ROW_FAIL);
  assert_string_equal (g_array_index (r, SbxRowResult, 1).detail, "PR-EXEC-1 FAIL");
  assert_int_equal (g_array_index (r, SbxRowResult, 2).status, SBX_ROW_NOT_COVERED);
  assert_int_equal (g_array_index (r, SbxRowResult, 3).status, SBX_ROW_FAIL);
  assert_string_equal (g_array_index (r, SbxRowResult, 3).detail, "PR-CAP-1 missing");
  assert_false (sbx_matrix_results_pass (r));
  /* evidence that did not verify passes no row */
  g_hash_table_insert (v, (char *) "PR-EXEC-1", (char *) "PASS");
  g_hash_table_insert (v, (char *) "PR-CAP-1", (char *) "PASS");
  unverified = sbx_matrix_bind (m, v, FALSE);
  assert_int_equal (g_array_index (unverified, SbxRowResult, 0).status, SBX_ROW_FAIL);
  assert_int_equal (g_array_index (unverified, SbxRowResult, 2).status, SBX_ROW_NOT_COVERED);
  g_clear_pointer (&r, g_array_unref);
  r = sbx_matrix_bind (m, v, TRUE);
  /* an external row does not stop the binding, and is still listed */
  assert_true (sbx_matrix_results_pass (r));
  report = sbx_matrix_report_new (m, r, "e.json", SHA_A, TRUE, "verified", "kid");
  json_generator_set_root (gen, report);
  text = json_generator_to_data (gen, NULL);
  assert_non_null (strstr (text, "\"sha256\":\"" SHA_A "\""));
  assert_non_null (strstr (text, "{\"row\":\"31\",\"status\":\"NOT_COVERED\",\"probes\":[],\"external\":true"));
  assert_non_null (strstr (text, "\"result\":\"PASS\""));
}

static void
test_matrix_refused (void **state)
{
  static const struct { const char *text, *message; } cases[] = {
    { "[rows]\n25=PR-NET-9\n", "[rows] 25: unknown probe \"PR-NET-9\"" },
    { "[rows]\n25=\n", "[rows] 25: empty" },
    { "[rows]\n25=external;PR-NET-1\n", "cannot be mixed" },
    { "[rows]\n", "no [rows]" },
    { "[row]\n25=PR-NET-1\n", "unknown group [row]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbxMatrix) m = matrix_from (cases[i].text, &error);

      assert_null (m);
      if (strstr (error->message, cases[i].message) == NULL)
        fail_msg ("case %zu: \"%s\" does not say \"%s\"", i, error->message, cases[i].message);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_read_regular),
    cmocka_unit_test (test_read_huge),
    cmocka_unit_test (test_read_fifo_device_dir),
    cmocka_unit_test (test_json_depth),
    cmocka_unit_test (test_quote_short),
    cmocka_unit_test (test_policy_parse),
    cmocka_unit_test (test_policy_refused),
    cmocka_unit_test (test_policy_check),
    cmocka_unit_test (test_kernel_compare),
    cmocka_unit_test (test_matrix_bind),
    cmocka_unit_test (test_matrix_refused),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
