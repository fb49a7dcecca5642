/* test-profile.c — the profile loader: the built-in default, canonical text,
 * every fixture in tests/profiles (y-*.profile must load, n-*.profile must
 * fail with the code, line, group and key its first line names), sizes and
 * limits, name tables, and the --in/--out setters.
 *
 * Fixture header: "# expect: ok" or "# expect: CODE LINE [group] key"
 * (CODE as sbx_error_code_to_string() spells it; key absent for group
 * errors and some syntax errors); "# expect-host: CODE LINE [group] key"
 * for a fault only the host shows (a missing folder …): the text loads,
 * since loading is pure, and sbx_profile_check_host() gives that error.  "@TMP@" in a fixture is replaced by a
 * scratch folder this test lays out: in/, in/sub/, out/, out/nested/,
 * "with space"/, ro/ (not writable), file, link-in -> in, link-out -> out.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sbx-private.h"
#include "catalogue.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tmp_dir;          /* the scratch folder behind @TMP@ */
static gboolean ro_dir_ok;     /* tmp_dir/ro is really not writable for us */
static const char *ro_dir_why; /* reason when it is not */

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("top_srcdir");
  return dir ? dir : SBX_TOP_SRCDIR;
}

/* ----------------------------------------------------------- scratch */

static void
make_dir (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  if (g_mkdir_with_parents (path, 0755) < 0)
    g_error ("mkdir %s: %s", path, g_strerror (errno));
}

/* A folder we may not write to.  Not root: mode 0555.  Root ignores
 * modes, so it gets a read-only tmpfs in a mount namespace of this test's
 * own (access(W_OK) then fails with EROFS). */
static void
make_ro_dir (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "ro", NULL);

  make_dir ("ro");
  if (geteuid () != 0)
    {
      if (chmod (path, 0555) < 0)
        g_error ("chmod %s: %s", path, g_strerror (errno));
    }
  else if (unshare (CLONE_NEWNS) < 0)
    ro_dir_why = "root cannot unshare a mount namespace here";
  else if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
           || mount ("sbx-test", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k") < 0)
    ro_dir_why = "root cannot mount a read-only tmpfs here";
  ro_dir_ok = access (path, W_OK) < 0;
  if (!ro_dir_ok && ro_dir_why == NULL)
    ro_dir_why = "the folder stayed writable";
}

static int
setup_scratch (void **state)
{
  g_autofree char *file = NULL;
  g_autofree char *link_in = NULL;
  g_autofree char *link_out = NULL;

  tmp_dir = g_dir_make_tmp ("sbx-test-profile-XXXXXX", NULL);
  assert_non_null (tmp_dir);
  make_dir ("in/sub");
  make_dir ("out/nested");
  make_dir ("with space");
  file = g_build_filename (tmp_dir, "file", NULL);
  assert_true (g_file_set_contents (file, "x", 1, NULL));
  link_in = g_build_filename (tmp_dir, "link-in", NULL);
  link_out = g_build_filename (tmp_dir, "link-out", NULL);
  assert_int_equal (symlink ("in", link_in), 0);
  assert_int_equal (symlink ("out", link_out), 0);
  make_ro_dir ();
  return 0;
}

static int
teardown_scratch (void **state)
{
  g_autofree char *ro = g_build_filename (tmp_dir, "ro", NULL);
  g_autofree char *cmd = NULL;

  umount (ro);
  chmod (ro, 0755);
  cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    fprintf (stderr, "could not remove %s\n", tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  return 0;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* ------------------------------------------------------------ helpers */

static SbxProfile *
load_text (const char *text, GError **error)
{
  return sbx_profile_new_from_data (text, -1, "test.profile", error);
}

static void
assert_fails (const char *text, SbxError code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = load_text (text, &error);

  if (profile != NULL)
    fail_msg ("profile loaded, expected %s for:\n%s", sbx_error_code_to_string (code), text);
  if (error->code != (int) code)
    fail_msg ("got %s (%s), expected %s", sbx_error_code_to_string (error->code), error->message,
              sbx_error_code_to_string (code));
  if (needle != NULL && strstr (error->message, needle) == NULL)
    fail_msg ("message “%s” lacks “%s”", error->message, needle);
}

static void
assert_round_trip (SbxProfile *profile)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = sbx_profile_to_canonical (profile);
  g_autoptr(SbxProfile) again = sbx_profile_new_from_data (canonical, -1, "canonical", &error);
  g_autofree char *canonical2 = NULL;

  if (again == NULL)
    fail_msg ("canonical text does not load: %s\n%s", error->message, canonical);
  canonical2 = sbx_profile_to_canonical (again);
  assert_string_equal (canonical, canonical2);
  assert_null (strchr (canonical, '#'));
}

/* -------------------------------------------------------------- default */

static void
test_default_loads (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  const char *const *required;
  const SbxRlimit *limits;
  gsize n = 0, n_required = 0;

  assert_non_null (profile);
  assert_null (error);
  assert_string_equal (sbx_profile_get_name (profile), "offline-job");
  assert_string_equal (sbx_profile_get_source (profile), "<default>");
  assert_null (sbx_profile_get_input (profile));
  assert_null (sbx_profile_get_output (profile));
  assert_int_equal (sbx_profile_get_exec_lock (profile), SBX_EXEC_LOCK_PRELOAD);
  assert_int_equal (sbx_profile_get_seccomp_mode (profile), SBX_SECCOMP_ALLOW_LIST);
  assert_int_equal (sbx_profile_get_errno (profile), EPERM);
  assert_int_equal (sbx_profile_get_wall_seconds (profile), 0);
  assert_string_equal (profile->workdir, "/tmp");
  assert_int_equal (profile->network_mode, SBX_NETWORK_NONE);
  assert_false (profile->input_writable);
  assert_int_equal (profile->socket_families->len, 0);
  assert_int_equal (profile->deny_extra->len, 0);
  assert_int_equal (profile->tmp_size, 64 << 20);
  assert_int_equal (profile->system->len, 3);
  assert_string_equal (profile->system->pdata[0], "/etc/alternatives");
  assert_string_equal (profile->system->pdata[1], "/etc/ld.so.cache");
  assert_string_equal (profile->system->pdata[2], "/usr");
  assert_int_equal (profile->env_keep->len, 2);
  assert_string_equal (profile->env_keep->pdata[0], "LANG");
  assert_string_equal (profile->env_keep->pdata[1], "TZ");
  assert_int_equal (profile->env_set->len, 2);
  assert_string_equal (profile->env_set->pdata[0], "PATH=/usr/bin:/bin");
  assert_string_equal (profile->env_set->pdata[1], "HOME=/tmp");

  limits = sbx_profile_get_rlimits (profile, &n);
  assert_int_equal (n, 6);
  assert_int_equal (limits[0].resource, RLIMIT_CPU);
  assert_int_equal (limits[0].value, 60);
  assert_int_equal (limits[1].resource, RLIMIT_AS);
  assert_int_equal (limits[1].value, G_GUINT64_CONSTANT (2) << 30);
  assert_int_equal (limits[2].resource, RLIMIT_NOFILE);
  assert_int_equal (limits[2].value, 256);
  assert_int_equal (limits[3].resource, RLIMIT_NPROC);
  assert_int_equal (limits[3].value, 64);
  assert_int_equal (limits[4].resource, RLIMIT_FSIZE);
  assert_int_equal (limits[4].value, G_GUINT64_CONSTANT (1) << 30);
  assert_int_equal (limits[5].resource, RLIMIT_CORE);
  assert_int_equal (limits[5].value, 0);

  /* [attest] required defaults to the catalogue's required entries. */
  required = sbx_profile_get_required_probes (profile);
  for (guint i = 0; i < sbx_probe_catalogue_size; i++)
    if (sbx_probe_catalogue[i].required)
      {
        assert_non_null (required[n_required]);
        assert_string_equal (required[n_required], sbx_probe_catalogue[i].id);
        n_required++;
      }
  assert_null (required[n_required]);
  assert_true (n_required > 0);

  assert_round_trip (profile);
}

/* The embedded text documents every key, and itself names no input/output. */
static void
test_default_text (void **state)
{
  static const char *const keys[] = {
    "[sandbox]", "name=", "[filesystem]", "input=", "output=", "input-mode=", "system=", "read-only=",
    "tmp-size=", "workdir=", "[network]", "mode=", "socket-families=", "[environment]",
    "keep=", "set=", "[seccomp]", "errno=", "deny=", "exec-lock=", "[limits]", "cpu-seconds=",
    "address-space=", "open-files=", "processes=", "file-size=", "core-size=",
    "wall-seconds=", "[attest]", "required=",
  };
  const char *text = sbx_profile_get_default_text ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strstr (text, keys[i]) == NULL)
      fail_msg ("default text does not mention %s", keys[i]);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      assert_false (g_str_has_prefix (lines[i], "input="));
      assert_false (g_str_has_prefix (lines[i], "output="));
      /* Comments on their own lines only. */
      if (lines[i][0] != '#')
        assert_null (strchr (lines[i], '#'));
    }
}

static void
test_canonical_normalises (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) a = load_text ("[network]\nsocket-families=inet6;unix;inet;unix\n"
                                       "[seccomp]\ndeny=uname;chmod;uname\nerrno=ENOTSUP\n"
                                       "[limits]\naddress-space=1g\nfile-size=unlimited\n"
                                       "[environment]\nset=B=2;A=1\n",
                                       &error);
  g_autoptr(SbxProfile) b = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *sha_default = NULL;
  g_autoptr(SbxProfile) def = sbx_profile_new_default (NULL);

  assert_non_null (a);
  text = sbx_profile_to_canonical (a);
  assert_non_null (strstr (text, "\nsocket-families=unix;inet;inet6;\n"));
  assert_non_null (strstr (text, "\ndeny=chmod;uname;\n"));
  assert_non_null (strstr (text, "\nerrno=EOPNOTSUPP\n"));
  assert_non_null (strstr (text, "\naddress-space=1073741824\n"));
  assert_non_null (strstr (text, "\nfile-size=unlimited\n"));
  /* set keeps its order: later entries may refer to the environment. */
  assert_non_null (strstr (text, "\nset=B=2;A=1;\n"));
  assert_true (g_str_has_prefix (text, "[sandbox]\nname=offline-job\n"));
  assert_round_trip (a);

  /* Same meaning, same text, same hash. */
  b = load_text ("[seccomp]\nerrno=EOPNOTSUPP\ndeny=chmod;uname\n"
                 "[environment]\nset=B=2;A=1\n"
                 "[limits]\nfile-size=unlimited\naddress-space=1048576K\n"
                 "[network]\nsocket-families=unix;inet;inet6\n",
                 &error);
  assert_non_null (b);
  sha = sbx_profile_dup_sha256 (a);
  assert_int_equal (strlen (sha), 64);
  {
    g_autofree char *expect = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
    assert_string_equal (sha, expect);
  }
  {
    g_autofree char *sha_b = sbx_profile_dup_sha256 (b);
    assert_string_equal (sha, sha_b);
  }
  sha_default = sbx_profile_dup_sha256 (def);
  assert_string_not_equal (sha, sha_default);
}

/* ------------------------------------------------------------ fixtures */

typedef struct {
  char *path;
  char *name;
} Fixture;

static char *
fixture_text (const char *path)
{
  g_autofree char *raw = NULL;
  g_auto(GStrv) parts = NULL;

  if (!g_file_get_contents (path, &raw, NULL, NULL))
    fail_msg ("cannot read %s", path);
  parts = g_strsplit (raw, "@TMP@", -1);
  return g_strjoinv (tmp_dir, parts);
}

static void
test_fixture (void **state)
{
  const Fixture *fx = *state;
  g_autofree char *text = fixture_text (fx->path);
  g_autofree char *header = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  gboolean want_ok;
  gboolean on_host = g_str_has_prefix (text, "# expect-host: ");
  gsize skip_len = on_host ? strlen ("# expect-host: ") : strlen ("# expect: ");

  if (!on_host && !g_str_has_prefix (text, "# expect: "))
    fail_msg ("%s: first line must be “# expect: …” or “# expect-host: …”", fx->name);
  header = g_strndup (text + skip_len, strcspn (text + skip_len, "\n"));
  words = g_strsplit (header, " ", 4);
  want_ok = strcmp (words[0], "ok") == 0;
  assert_true (want_ok == g_str_has_prefix (fx->name, "y-"));

  if (strcmp (fx->name, "n-output-not-writable.profile") == 0 && !ro_dir_ok)
    {
      fprintf (stderr, "skipping %s: %s\n", fx->name, ro_dir_why);
      skip ();
    }

  profile = sbx_profile_new_from_data (text, -1, fx->name, &error);
  if (want_ok)
    {
      if (profile == NULL)
        fail_msg ("%s: %s", fx->name, error->message);
      assert_round_trip (profile);
      if (!sbx_profile_check_host (profile, &error))
        fail_msg ("%s: host check: %s", fx->name, error->message);
      return;
    }
  if (on_host)
    {
      /* loads (no host I/O), then the host check names the fault */
      if (profile == NULL)
        fail_msg ("%s: did not load (%s); a host fault must show only in the host check",
                  fx->name, error->message);
      if (sbx_profile_check_host (profile, &error))
        fail_msg ("%s: passed the host check, expected %s", fx->name, header);
      g_clear_pointer (&profile, sbx_profile_unref);
    }

  if (profile != NULL)
    {
      g_autofree char *canonical = sbx_profile_to_canonical (profile);
      fail_msg ("%s loaded, expected %s:\n%s", fx->name, header, canonical);
    }
  assert_non_null (words[1]);
  if (strcmp (sbx_error_code_to_string (error->code), words[0]) != 0)
    fail_msg ("%s: got %s (%s), expected %s", fx->name, sbx_error_code_to_string (error->code),
              error->message, words[0]);
  {
    /* "FILE:LINE: [group] key: …" */
    g_autofree char *prefix = NULL;
    if (words[2] == NULL)
      prefix = g_strdup_printf ("%s:%s: ", fx->name, words[1]);
    else if (words[3] == NULL)
      prefix = g_strdup_printf ("%s:%s: %s: ", fx->name, words[1], words[2]);
    else
      prefix = g_strdup_printf ("%s:%s: %s %s: ", fx->name, words[1], words[2], words[3]);
    if (!g_str_has_prefix (error->message, prefix))
      fail_msg ("%s: message “%s” does not start with “%s”", fx->name, error->message, prefix);
  }
  if (strstr (error->message, "; expected ") == NULL)
    fail_msg ("%s: message “%s” does not say what was expected", fx->name, error->message);
}

/* Loading through the file API gives the same result and names the path. */
static void
test_from_file (void **state)
{
  g_autofree char *good = g_build_filename (srcdir (), "tests", "profiles",
                                            "y-explicit-defaults.profile", NULL);
  g_autofree char *bad = g_build_filename (srcdir (), "tests", "profiles",
                                           "n-unknown-key.profile", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_from_file (good, &error);
  g_autoptr(SbxProfile) def = sbx_profile_new_default (NULL);
  g_autofree char *c1 = NULL, *c2 = NULL, *prefix = NULL;

  assert_non_null (profile);
  assert_string_equal (sbx_profile_get_source (profile), good);
  /* Every default spelled another way still means the default. */
  c1 = sbx_profile_to_canonical (profile);
  c2 = sbx_profile_to_canonical (def);
  assert_string_equal (c1, c2);

  assert_null (sbx_profile_new_from_file (bad, &error));
  assert_int_equal (error->code, SBX_ERROR_UNKNOWN_KEY);
  /* the list names the group's keys */
  prefix = g_strdup_printf ("%s:3: [filesystem] inptu: unknown key; expected one of "
                            "input, output, input-mode, system, read-only, tmp-size, workdir", bad);
  assert_string_equal (error->message, prefix);
  g_clear_error (&error);

  assert_null (sbx_profile_new_from_file ("/nonexistent/sbx.profile", &error));
  assert_int_equal (error->code, SBX_ERROR_IO);
}

/* ------------------------------------------------------------ numbers */

typedef struct {
  const char *value;
  guint64 bytes;   /* when ok */
  gboolean ok;
} SizeCase;

static void
test_sizes (void **state)
{
  static const SizeCase cases[] = {
    { "0", 0, TRUE },
    { "1", 1, TRUE },
    { "1k", 1024, TRUE },
    { "1K", 1024, TRUE },
    { "3m", 3 << 20, TRUE },
    { "3M", 3 << 20, TRUE },
    { "2g", G_GUINT64_CONSTANT (2) << 30, TRUE },
    { "2G", G_GUINT64_CONSTANT (2) << 30, TRUE },
    { " 7 ", 7, TRUE },
    { "17179869183G", G_GUINT64_CONSTANT (17179869183) << 30, TRUE },
    { "18446744073709551614", G_GUINT64_CONSTANT (18446744073709551614), TRUE },
    { "unlimited", RLIM_INFINITY, TRUE },
    { "18446744073709551615", 0, FALSE },  /* == RLIM_INFINITY */
    { "18446744073709551616", 0, FALSE },
    { "17179869184G", 0, FALSE },
    { "99999999999999999999999", 0, FALSE },
    { "-1", 0, FALSE },
    { "-0", 0, FALSE },
    { "+1", 0, FALSE },
    { "1T", 0, FALSE },
    { "1KB", 0, FALSE },
    { "1KiB", 0, FALSE },
    { "1.5G", 0, FALSE },
    { "1 K", 0, FALSE },
    { "0x10", 0, FALSE },
    { "", 0, FALSE },
    { "K", 0, FALSE },
    { "Unlimited", 0, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("[limits]\nfile-size=%s\n", cases[i].value);
      g_autoptr(GError) error = NULL;
      g_autoptr(SbxProfile) profile = load_text (text, &error);

      if (cases[i].ok)
        {
          if (profile == NULL)
            fail_msg ("file-size=%s: %s", cases[i].value, error->message);
          assert_int_equal (profile->limits[SBX_LIMIT_FILE_SIZE].value, cases[i].bytes);
          assert_round_trip (profile);
        }
      else
        {
          if (profile != NULL)
            fail_msg ("file-size=%s loaded as %" G_GUINT64_FORMAT, cases[i].value,
                      profile->limits[SBX_LIMIT_FILE_SIZE].value);
          assert_int_equal (error->code, SBX_ERROR_INVALID_VALUE);
          assert_non_null (strstr (error->message, "test.profile:2: [limits] file-size: "));
        }
    }

  /* Counts take no suffix; "unlimited" only where the table allows it. */
  assert_fails ("[limits]\nopen-files=1k\n", SBX_ERROR_INVALID_VALUE, "[limits] open-files");
  assert_fails ("[limits]\ncore-size=unlimited\n", SBX_ERROR_INVALID_VALUE, "[limits] core-size");
  assert_fails ("[filesystem]\ntmp-size=unlimited\n", SBX_ERROR_INVALID_VALUE, "tmp-size");
  assert_fails ("[filesystem]\ntmp-size=1\n", SBX_ERROR_INVALID_VALUE, "tmp-size");
  assert_fails ("[limits]\nprocesses=0\n", SBX_ERROR_INVALID_VALUE, "processes");
  /* floors: below them bwrap's own set-up fails, looking like the job */
  assert_fails ("[limits]\nprocesses=2\n", SBX_ERROR_INVALID_VALUE, "at least 3");
  assert_fails ("[limits]\nopen-files=15\n", SBX_ERROR_INVALID_VALUE, "at least 16");
  assert_fails ("[limits]\naddress-space=1M\n", SBX_ERROR_INVALID_VALUE, "at least 16M");
  assert_fails ("[seccomp]\ndeny=read;write;mmap;exit_group;getpid\n", SBX_ERROR_INVALID_VALUE,
                "[seccomp] deny: exit_group, mmap, read, write: no job can run without them");
  assert_fails ("[seccomp]\ndeny=execve\n", SBX_ERROR_INVALID_VALUE, "execve: no job can run without it");
  {
    g_autoptr(SbxProfile) p = load_text ("[limits]\ncpu-seconds=unlimited\nwall-seconds=4294967295\n"
                                         "processes=unlimited\n",
                                         NULL);
    assert_non_null (p);
    assert_int_equal (p->limits[SBX_LIMIT_CPU_SECONDS].value, RLIM_INFINITY);
    assert_int_equal (p->limits[SBX_LIMIT_PROCESSES].value, RLIM_INFINITY);
    assert_int_equal (sbx_profile_get_wall_seconds (p), G_MAXUINT);
  }
}

/* ----------------------------------------------------------- name tables */

static void
test_names (void **state)
{
  static const struct { const char *name; int value; } errnos[] = {
    { "EPERM", EPERM }, { "EACCES", EACCES }, { "ENOSYS", ENOSYS }, { "EINVAL", EINVAL },
    { "ENOENT", ENOENT }, { "EOPNOTSUPP", EOPNOTSUPP },
  };
  static const struct { const char *name; int value; } families[] = {
    { "unix", AF_UNIX }, { "inet", AF_INET }, { "inet6", AF_INET6 },
    { "netlink", AF_NETLINK }, { "packet", AF_PACKET }, { "vsock", AF_VSOCK },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (errnos); i++)
    {
      assert_int_equal (sbx_errno_from_name (errnos[i].name), errnos[i].value);
      assert_string_equal (sbx_errno_to_name (errnos[i].value), errnos[i].name);
    }
  assert_int_equal (sbx_errno_from_name ("ENOTSUP"), ENOTSUP);
  assert_int_equal (sbx_errno_from_name ("eperm"), -1);
  assert_int_equal (sbx_errno_from_name ("E"), -1);
  assert_int_equal (sbx_errno_from_name (NULL), -1);
  assert_null (sbx_errno_to_name (0));
  assert_null (sbx_errno_to_name (-1));

  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    {
      assert_int_equal (sbx_socket_family_from_name (families[i].name), families[i].value);
      assert_string_equal (sbx_socket_family_to_name (families[i].value), families[i].name);
    }
  assert_int_equal (sbx_socket_family_from_name ("UNIX"), -1);
  assert_int_equal (sbx_socket_family_from_name ("local"), -1);
  assert_null (sbx_socket_family_to_name (AF_UNSPEC));
  assert_null (sbx_socket_family_to_name (9999));
}

/* ------------------------------------------------------------ list keys */

/* The exact message of @text's first problem. */
static void
assert_message (const char *text, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = load_text (text, &error);

  if (profile != NULL)
    fail_msg ("profile loaded, expected “%s” for:\n%s", message, text);
  assert_string_equal (error->message, message);
}

/* Every list key goes through one parser: blank items skipped, each item
 * checked by the key's own rule with its own message, the whole sorted
 * where the key says so, and a new value replaces the old list. */
static void
test_list_keys (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) p = NULL;
  g_autofree char *text = NULL;
  /* blank items dropped; sorted and unique but for set, which keeps its order and blanks */
  static const char *const lines[] = {
    "\nsystem=/etc/ld.so.cache;/usr;\n", "\nsocket-families=unix;inet;inet6;\n",
    "\nkeep=LANG;TZ;\n", "\nset=B= /x ;A=1 ;\n", "\ndeny=chmod;uname;\n",
  };

  assert_message ("[filesystem]\nsystem=/usr;rel\n",
                  "test.profile:2: [filesystem] system: “rel” is not absolute; expected an absolute "
                  "path of an existing file or directory, without symlinks");
  assert_message ("[filesystem]\nread-only=/usr:/a;/etc:/a\n",
                  "test.profile:2: [filesystem] read-only: sandbox path “/a” is given twice; expected "
                  "a list of HOST or HOST:SANDBOX, absolute paths, each sandbox path once and away "
                  "from /in, /out, /tmp, /proc, /dev and /run/sbx");
  assert_message ("\n[network]\nsocket-families=unix;carrier-pigeon\n",
                  "test.profile:3: [network] socket-families: unknown socket family “carrier-pigeon”; "
                  "expected a list of address families such as unix, inet, inet6, netlink, packet, vsock");
  assert_message ("[environment]\nkeep=LANG;1BAD\n",
                  "test.profile:2: [environment] keep: “1BAD” is not an allowed variable name; "
                  "expected a list of variable names ([A-Za-z_][A-Za-z0-9_]*, not LD_PRELOAD or "
                  "SBX_LOCK_FD)");
  assert_message ("[environment]\nset= A =1; A=2\n",
                  "test.profile:2: [environment] set: variable “A” is set twice; expected a list of "
                  "NAME=value, each name once (not LD_PRELOAD or SBX_LOCK_FD)");
  assert_message ("[environment]\nset=A=1; NOVALUE\n",
                  "test.profile:2: [environment] set: “NOVALUE” is not NAME=value with an allowed "
                  "name; expected a list of NAME=value, each name once (not LD_PRELOAD or SBX_LOCK_FD)");
  assert_message ("[seccomp]\ndeny=chmod;nosuchcall\n",
                  "test.profile:2: [seccomp] deny: unknown syscall “nosuchcall”; expected a list of "
                  "syscall names known on this architecture");
  assert_message ("[seccomp]\ndeny=write;read\n",
                  "test.profile:2: [seccomp] deny: read, write: no job can run without them (bwrap, "
                  "the loader and libc need them)");

  p = load_text ("[filesystem]\nsystem= /usr ;;/etc/ld.so.cache;/usr\n"
                 "[network]\nsocket-families= inet6 ;unix;inet;unix;;\n"
                 "[environment]\nkeep= TZ ; LANG;TZ;;\nset=  B = /x ; A=1 ;;\n"
                 "[seccomp]\ndeny= uname ;chmod;uname;;\n",
                 &error);
  if (p == NULL)
    fail_msg ("%s", error->message);
  text = sbx_profile_to_canonical (p);
  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    if (strstr (text, lines[i]) == NULL)
      fail_msg ("canonical text lacks “%s”:\n%s", lines[i], text);

  /* a new value replaces the list; a bad one is refused with the override's name */
  assert_true (sbx_profile_set_value (p, "seccomp", "deny", "ptrace", NULL, &error));
  assert_true (sbx_profile_set_value (p, "environment", "set", "A=2", NULL, &error));
  g_free (text);
  text = sbx_profile_to_canonical (p);
  assert_non_null (strstr (text, "\ndeny=ptrace;\n"));
  assert_non_null (strstr (text, "\nset=A=2;\n"));
  assert_false (sbx_profile_set_value (p, "network", "socket-families", "unix;x", "--set", &error));
  assert_string_equal (error->message, "--set: [network] socket-families: unknown socket family “x”; "
                       "expected a list of address families such as unix, inet, inet6, netlink, packet, vsock");
}

/* --------------------------------------------------------------- setters */

static void
test_setters (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (&error);
  g_autofree char *in = tmp_path ("in");
  g_autofree char *out = tmp_path ("out");
  g_autofree char *in_slash = g_strconcat (in, "//", NULL);
  g_autofree char *before = NULL;
  struct {
    gboolean input;
    const char *path; /* relative to tmp_dir unless absolute */
    SbxError code;
  } bad[] = {
    { TRUE, "relative", SBX_ERROR_INVALID_PATH },
    { TRUE, "@missing", SBX_ERROR_INVALID_PATH },
    { TRUE, "@file", SBX_ERROR_INVALID_PATH },
    { TRUE, "@link-in", SBX_ERROR_INVALID_PATH },
    { TRUE, "@out", SBX_ERROR_OVERLAP },
    { TRUE, "@out/nested", SBX_ERROR_OVERLAP },
    { TRUE, "/", SBX_ERROR_INVALID_PATH },
    { FALSE, "@in", SBX_ERROR_OVERLAP },
    { FALSE, "@in/sub", SBX_ERROR_OVERLAP },
    { FALSE, "@link-out", SBX_ERROR_INVALID_PATH },
    { FALSE, "/etc/passwd", SBX_ERROR_INVALID_PATH },
    { FALSE, "@ro", SBX_ERROR_INVALID_PATH },
  };

  assert_non_null (profile);
  assert_string_equal (profile->workdir, "/tmp");
  assert_true (sbx_profile_set_input (profile, in_slash, &error));
  assert_string_equal (sbx_profile_get_input (profile), in);
  assert_true (sbx_profile_set_output (profile, out, &error));
  assert_string_equal (sbx_profile_get_output (profile), out);
  /* The default workdir follows the output. */
  assert_string_equal (profile->workdir, "/out");
  assert_round_trip (profile);

  before = sbx_profile_to_canonical (profile);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = bad[i].path[0] == '@' ? tmp_path (bad[i].path + 1)
                                                    : g_strdup (bad[i].path);
      g_autofree char *after = NULL;
      gboolean ok;

      if (strcmp (bad[i].path, "@ro") == 0 && !ro_dir_ok)
        continue;
      ok = bad[i].input ? sbx_profile_set_input (profile, path, &error)
                        : sbx_profile_set_output (profile, path, &error);
      if (ok)
        fail_msg ("set_%s (%s) succeeded", bad[i].input ? "input" : "output", path);
      assert_int_equal (error->code, bad[i].code);
      assert_true (g_str_has_prefix (error->message,
                                     bad[i].input ? "[filesystem] input: " : "[filesystem] output: "));
      g_clear_error (&error);
      /* A failed set leaves the profile as it was. */
      after = sbx_profile_to_canonical (profile);
      assert_string_equal (before, after);
    }

  /* NULL clears; the default workdir goes back to /tmp. */
  assert_true (sbx_profile_set_output (profile, NULL, &error));
  assert_null (sbx_profile_get_output (profile));
  assert_string_equal (profile->workdir, "/tmp");
  assert_true (sbx_profile_set_input (profile, NULL, &error));
  assert_null (sbx_profile_get_input (profile));
  {
    g_autoptr(SbxProfile) def = sbx_profile_new_default (NULL);
    g_autofree char *a = sbx_profile_to_canonical (profile);
    g_autofree char *b = sbx_profile_to_canonical (def);
    assert_string_equal (a, b);
  }

  /* An explicit workdir stays put. */
  {
    g_autoptr(SbxProfile) p = load_text ("[filesystem]\nworkdir=/tmp/w\n", NULL);
    assert_non_null (p);
    assert_true (sbx_profile_set_output (p, out, NULL));
    assert_string_equal (p->workdir, "/tmp/w");
  }
}

/* Two different paths, one folder: a bind mount of the input elsewhere
 * must still count as overlap (compared by st_dev/st_ino).  Needs a mount
 * namespace of our own, which only root gets here (make_ro_dir made it). */
static void
test_overlap_by_inode (void **state)
{
  g_autofree char *in = tmp_path ("in");
  g_autofree char *alias = tmp_path ("alias");
  g_autofree char *alias_sub = tmp_path ("alias/sub");
  g_autoptr(SbxProfile) profile = sbx_profile_new_default (NULL);
  g_autoptr(GError) error = NULL;

  if (geteuid () != 0 || !ro_dir_ok)
    {
      fprintf (stderr, "skipping: needs root in a private mount namespace\n");
      skip ();
    }
  make_dir ("alias");
  if (mount (in, alias, NULL, MS_BIND, NULL) < 0)
    {
      fprintf (stderr, "skipping: bind mount failed: %s\n", g_strerror (errno));
      skip ();
    }
  assert_true (sbx_profile_set_input (profile, in, &error));
  assert_false (sbx_profile_set_output (profile, alias, &error));
  assert_int_equal (error->code, SBX_ERROR_OVERLAP);
  assert_non_null (strstr (error->message, "same folder"));
  g_clear_error (&error);
  assert_false (sbx_profile_set_output (profile, alias_sub, &error));
  assert_int_equal (error->code, SBX_ERROR_OVERLAP);
  g_clear_error (&error);
  umount (alias);
  /* once unmounted the same paths are apart */
  assert_true (sbx_profile_set_output (profile, alias, &error));
}

static void
test_ref_unref (void **state)
{
  SbxProfile *profile = sbx_profile_new_default (NULL);

  assert_ptr_equal (sbx_profile_ref (profile), profile);
  sbx_profile_unref (profile);
  assert_string_equal (sbx_profile_get_name (profile), "offline-job");
  sbx_profile_unref (profile);
  sbx_profile_unref (NULL);
}

/* Syntax and structure errors that GKeyFile alone would miss or misplace. */
static void
test_structure (void **state)
{
  assert_fails ("[sandbox]\nname=a\n\n[filesystem]\n  # indented comment\nsystem=/usr\n[sandbox]\nname=b\n",
                SBX_ERROR_PARSE, "test.profile:8: [sandbox] name: given again (first on line 2)");
  assert_fails ("[sandbox]\n[a]b\n", SBX_ERROR_PARSE, "test.profile:2:");
  assert_fails ("[sandbox]\nname\x01=x\n", SBX_ERROR_UNKNOWN_KEY, "test.profile:2:");
  assert_fails ("[sandbox]\nname=\xff\n", SBX_ERROR_PARSE, "UTF-8");
  assert_fails ("[Sandbox]\n", SBX_ERROR_UNKNOWN_GROUP,
                "test.profile:1: [Sandbox]: unknown group; expected one of sandbox, filesystem");
  {
    /* An embedded NUL must not hide the rest of the text. */
    g_autoptr(GError) error = NULL;
    static const char text[] = "[sandbox]\nname=a\0\n[evil]\n";
    assert_null (sbx_profile_new_from_data (text, sizeof text - 1, NULL, &error));
    assert_int_equal (error->code, SBX_ERROR_PARSE);
    assert_true (g_str_has_prefix (error->message, "<string>: "));
  }
  {
    /* Groups may repeat as long as keys do not; CRLF line ends work. */
    g_autoptr(SbxProfile) p = load_text ("[seccomp]\r\nerrno=EACCES\r\n[network]\r\nmode=host\r\n"
                                         "[seccomp]\r\nexec-lock=off\r\n",
                                         NULL);
    assert_non_null (p);
    assert_int_equal (p->errno_value, EACCES);
    assert_int_equal (p->exec_lock, SBX_EXEC_LOCK_OFF);
    assert_int_equal (p->network_mode, SBX_NETWORK_HOST);
  }
}

/* ------------------------------------------------------------------ main */

static int
fixture_compare (gconstpointer a, gconstpointer b)
{
  return strcmp (((const Fixture *) a)->name, ((const Fixture *) b)->name);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_default_loads),
    cmocka_unit_test (test_default_text),
    cmocka_unit_test (test_canonical_normalises),
    cmocka_unit_test (test_from_file),
    cmocka_unit_test (test_sizes),
    cmocka_unit_test (test_names),
    cmocka_unit_test (test_list_keys),
    cmocka_unit_test (test_setters),
    cmocka_unit_test (test_overlap_by_inode),
    cmocka_unit_test (test_ref_unref),
    cmocka_unit_test (test_structure),
  };
  g_autofree char *dir_path = g_build_filename (srcdir (), "tests", "profiles", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GArray) fixtures = g_array_new (FALSE, TRUE, sizeof (Fixture));
  struct CMUnitTest *fixture_tests;
  guint n_yes = 0, n_no = 0;
  const char *name;
  int failed;

  if (dir == NULL)
    {
      fprintf (stderr, "cannot open %s\n", dir_path);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      Fixture fx;

      if (!g_str_has_suffix (name, ".profile"))
        continue;
      if (!g_str_has_prefix (name, "y-") && !g_str_has_prefix (name, "n-"))
        {
          fprintf (stderr, "%s: fixture names start with y- or n-\n", name);
          return 1;
        }
      fx.name = g_strdup (name);
      fx.path = g_build_filename (dir_path, name, NULL);
      g_array_append_val (fixtures, fx);
      if (name[0] == 'y')
        n_yes++;
      else
        n_no++;
    }
  g_array_sort (fixtures, fixture_compare);
  /* An emptied fixture folder must not pass quietly. */
  if (n_yes < 4 || n_no < 40)
    {
      fprintf (stderr, "only %u y- and %u n- fixtures in %s\n", n_yes, n_no, dir_path);
      return 1;
    }

  fixture_tests = g_new0 (struct CMUnitTest, fixtures->len);
  for (guint i = 0; i < fixtures->len; i++)
    {
      Fixture *fx = &g_array_index (fixtures, Fixture, i);
      fixture_tests[i].name = fx->name;
      fixture_tests[i].test_func = test_fixture;
      fixture_tests[i].initial_state = fx;
    }

  if (setup_scratch (NULL) != 0)
    return 1;
  failed = cmocka_run_group_tests_name ("profile", tests, NULL, NULL);
  failed += _cmocka_run_group_tests ("profile fixtures", fixture_tests, fixtures->len, NULL, NULL);
  teardown_scratch (NULL);
  for (guint i = 0; i < fixtures->len; i++)
    {
      g_free (g_array_index (fixtures, Fixture, i).name);
      g_free (g_array_index (fixtures, Fixture, i).path);
    }
  g_free (fixture_tests);
  return failed == 0 ? 0 : 1;
}
