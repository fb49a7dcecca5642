/* test-plan.c — the plan read from a bwrap argv and its comparison with
 * observations (attest/sbx-plan.c), and the BPF interpreter
 * (attest/sbx-bpf-sim.c): pure functions, fed by hand. */
#include "config.h"

#include "sbx-bpf-sim.h"
#include "sbx-mountinfo.h"
#include "sbx-plan.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static const char *const argv[] = {
  "/usr/bin/bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--clearenv", "--setenv", "PATH", "/usr/bin",
  "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--ro-bind-fd", "7", "/in",
  "--bind-fd", "8", "/tmp", "--chdir", "/tmp", "--seccomp", "9", "--remount-ro", "/", "--", "/job", NULL,
};

static SbxPlanSource *
source (const char *fstype, SbxPlanFlags flags, const char *node)
{
  SbxPlanSource *s = g_new0 (SbxPlanSource, 1);

  s->fstype = g_strdup (fstype);
  s->flags = flags;
  s->node = g_strdup (node);
  return s;
}

static void
source_free (gpointer p)
{
  SbxPlanSource *s = p;

  g_free (s->fstype);
  g_free (s->node);
  g_free (s);
}

static SbxPlanFacts *
facts (void)
{
  static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
  SbxPlanFacts *f = g_new0 (SbxPlanFacts, 1);

  f->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, source_free);
  g_hash_table_insert (f->sources, g_strdup ("/usr"), source ("ext4", (SbxPlanFlags) { 0, 0, 0, 0 }, NULL));
  g_hash_table_insert (f->sources, g_strdup ("fd:7"), source ("ext4", (SbxPlanFlags) { 0, 0, 0, 0 }, NULL));
  g_hash_table_insert (f->sources, g_strdup ("fd:8"), source ("tmpfs", (SbxPlanFlags) { 0, 1, 1, 1 }, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (nodes); i++)
    g_hash_table_insert (f->sources, g_strconcat ("/dev/", nodes[i], NULL),
                         source ("devtmpfs", (SbxPlanFlags) { 0, 1, 0, 0 }, "char 1:3"));
  return f;
}

/* Observations of a sandbox made exactly as planned, plus @extra. */
static GPtrArray *
seen (const char *salt, const SbxPlanSeen *extra, gsize n_extra)
{
  static const SbxPlanSeen base[] = {
    { "PR-FS-ESC-1", "mountinfo", "/", "type=tmpfs opts=ro,nosuid,nodev root=/newroot", "0" },
    { "PR-FS-ESC-1", "mountinfo", "/usr", "type=ext4 opts=ro,nosuid,nodev root=/usr", "0" },
    { "PR-FS-ESC-1", "mountinfo", "/proc", "type=proc opts=rw,nosuid,nodev,noexec root=/", "0" },
    { "PR-FS-ESC-1", "mountinfo", "/dev", "type=tmpfs opts=rw,nosuid,nodev root=/", "0" },
    { "PR-FS-ESC-1", "mountinfo", "/dev/pts", "type=devpts opts=rw,nosuid,noexec root=/", "0" },
    { "PR-FS-ESC-1", "mountinfo", "/in", "type=ext4 opts=ro,nosuid,nodev root=/x", "0" },
    { "PR-FS-ESC-1", "mountinfo", "/tmp", "type=tmpfs opts=rw,nosuid,nodev,noexec root=/", "0" },
    { "PR-SECCOMP-1", "read", "/proc/self/status Seccomp_filters", "1", "0" },
    /* the job is uid 1000 on the host, below bwrap's own user namespace */
    { "PR-NS-1", "read", "/proc/self/uid_map", "1000 0 1", "0" },
    { "PR-NS-1", "read", "/proc/self/gid_map", "1000 0 1", "0" },
    { "PR-NS-1", "read", "/proc/self/status Uid", "1000 1000 1000 1000", "0" },
    { "PR-NS-1", "read", "/proc/self/status Gid", "1000 1000 1000 1000", "0" },
    { "PR-NS-1", "readlink", "/proc/1/exe", "-1", "EACCES" },
    { "PR-NS-1", "readlink", "/proc/self/exe", "/run/sbx/sbx-probe", "0" },
    { "PR-NS-1", "open", "/proc/1/environ", "-1", "EACCES" },
    { "PR-NS-1", "open", "/proc/1/mem", "-1", "EACCES" },
    { "PR-CAP-1", "read", "/proc/self/status CapEff", "0000000000000000", "0" },
    { "PR-CAP-1", "read", "/proc/self/status CapPrm", "0000000000000000", "0" },
    { "PR-CAP-1", "read", "/proc/self/status CapBnd", "0000000000000000", "0" },
    { "PR-CAP-1", "read", "/proc/self/status CapAmb", "0000000000000000", "0" },
    { "PR-NNP-1", "read", "/proc/self/status NoNewPrivs", "1", "0" },
  };
  static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (out, g_memdup2 (&base[i], sizeof base[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      SbxPlanSeen *m = g_new0 (SbxPlanSeen, 1), *d = g_new0 (SbxPlanSeen, 1);
      char path[32];

      g_snprintf (path, sizeof path, "/dev/%s", nodes[i]);
      *m = (SbxPlanSeen) { "PR-FS-ESC-1", "mountinfo", g_intern_string (path),
                           "type=devtmpfs opts=rw,nosuid root=/x", "0" };
      *d = (SbxPlanSeen) { "PR-FS-ESC-1", "dev", m->args, "char 1:3", "0" };
      g_ptr_array_add (out, m);
      g_ptr_array_add (out, d);
    }
  {
    static const char *const dirs[][2] = {
      { "/dev/pts", "dir" }, { "/dev/shm", "dir" }, { "/dev/stdin", "symlink /proc/self/fd/0" },
      { "/dev/stdout", "symlink /proc/self/fd/1" }, { "/dev/stderr", "symlink /proc/self/fd/2" },
      { "/dev/fd", "symlink /proc/self/fd" }, { "/dev/core", "symlink /proc/kcore" },
      { "/dev/ptmx", "symlink pts/ptmx" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
      {
        SbxPlanSeen *d = g_new0 (SbxPlanSeen, 1);

        *d = (SbxPlanSeen) { "PR-FS-ESC-1", "dev", dirs[i][0], dirs[i][1], "0" };
        g_ptr_array_add (out, d);
      }
  }
  {
    SbxPlanSeen *p = g_new0 (SbxPlanSeen, 1), *w = g_new0 (SbxPlanSeen, 1);
    g_autofree char *dp = sbx_plan_env_digest (salt, "PATH=/usr/bin");
    g_autofree char *dw = sbx_plan_env_digest (salt, "PWD=/tmp");

    *p = (SbxPlanSeen) { "PR-ENV-1", "environ", "PATH", g_intern_string (dp), "0" };
    *w = (SbxPlanSeen) { "PR-ENV-1", "environ", "PWD", g_intern_string (dw), "0" };
    g_ptr_array_add (out, p);
    g_ptr_array_add (out, w);
  }
  for (gsize i = 0; i < n_extra; i++)
    g_ptr_array_add (out, g_memdup2 (&extra[i], sizeof extra[i]));
  return out;
}

/* The host uid the plan runs the job as (sbx_sandbox_get_job_ids()). */
static gint64 job_id = 1000;

/* The differences, one per line, for @extra on top of a faithful sandbox
 * (a later record of the same call and arguments counts). */
static char *
differences (const SbxPlanSeen *extra, gsize n_extra)
{
  SbxPlanFacts *f = facts ();
  g_autoptr(SbxPlan) plan = sbx_plan_new (argv, f, "salt");
  g_autoptr(GPtrArray) obs = seen ("salt", extra, n_extra);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) diffs = NULL;
  GString *out = g_string_new (NULL);
  guint n_unattributed;

  assert_null (plan->problem);
  plan->job_uid = plan->job_gid = job_id;
  diffs = sbx_plan_compare (plan, NULL, 1, obs, none, &n_unattributed);
  sbx_plan_facts_free (f);
  for (guint i = 0; i < diffs->len; i++)
    g_string_append_printf (out, "%s: %s\n", ((SbxPlanDiff *) diffs->pdata[i])->probe,
                            ((SbxPlanDiff *) diffs->pdata[i])->text);
  return g_string_free (out, FALSE);
}

static void
test_faithful (void **state)
{
  g_autofree char *d = differences (NULL, 0);

  (void) state;
  assert_string_equal (d, "");
}

static void
test_each_difference (void **state)
{
  static const struct { SbxPlanSeen extra; const char *want; } cases[] = {
    { { "PR-FS-ESC-1", "mountinfo", "/host", "type=ext4 opts=ro,nosuid,nodev root=/", "0" },
      "PR-FS-ESC-1: extra mount /host (ext4, ro, from /)" },
    { { "PR-FS-ESC-1", "mountinfo", "/tmp", "type=tmpfs opts=rw,nosuid,nodev root=/", "0" },
      "PR-TMP-NOEXEC: exec-able /tmp" },
    { { "PR-FS-ESC-1", "mountinfo", "/in/sub", "type=ext4 opts=rw,nosuid,nodev root=/w", "0" },
      "PR-FS-RO-IN: writable mount under /in: /in/sub" },
    { { "PR-FS-ESC-1", "mountinfo", "/usr/local", "type=ext4 opts=rw,nosuid,nodev root=/w", "0" },
      "PR-MOUNT-1: writable system path /usr/local" },
    { { "PR-FS-ESC-1", "mountinfo", "/proc/sys", "type=proc opts=rw,nosuid,nodev root=/sys", "0" },
      "PR-MOUNT-1: /proc/sys writable" },
    { { "PR-FS-ESC-1", "dev", "/dev/sda", "block 8:0", "0" }, "PR-FS-ESC-1: extra /dev entry /dev/sda" },
    { { "PR-ENV-1", "environ", "TZ", "sha256:00", "0" }, "PR-ENV-1: extra variable TZ" },
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *d = differences (&cases[i].extra, 1);

      if (strstr (d, cases[i].want) == NULL)
        fail_msg ("%s: expected \"%s\" among:\n%s", cases[i].extra.args, cases[i].want, d);
    }
}

/* Who the job is: maps, ids, pid 1, capabilities, no_new_privs. */
static void
test_identity (void **state)
{
  static const struct { SbxPlanSeen extra[2]; const char *want; } cases[] = {
    { { { "PR-NS-1", "read", "/proc/self/uid_map", "0 0 1", "0" } },
      "PR-NS-1: uid map 0 0 1, planned 1000 0 1" },
    { { { "PR-NS-1", "read", "/proc/self/gid_map", "1000 1000 1", "0" } },
      "PR-NS-1: gid map 1000 1000 1, planned 1000 0 1" },
    { { { "PR-NS-1", "read", "/proc/self/uid_map", "-1", "ENOENT" } }, "PR-NS-1: uid map not observed" },
    { { { "PR-NS-1", "read", "/proc/self/status Uid", "0 0 0 0", "0" } },
      "PR-NS-1: the job's uids are 0 0 0 0, planned 1000" },
    { { { "PR-NS-1", "readlink", "/proc/1/exe", "/usr/bin/bwrap", "0" },
        { "PR-NS-1", "open", "/proc/1/environ", "0", "0" } },
      "PR-NS-1: pid 1 is not the job and is within its reach (/proc/1/exe /usr/bin/bwrap; /proc/1/environ opened; "
      "/proc/1/mem EACCES)" },
    { { { "PR-NS-1", "open", "/proc/1/mem", "-1", "ENOENT" } }, "PR-NS-1: pid 1 is not the job and is within its reach" },
    { { { "PR-CAP-1", "read", "/proc/self/status CapBnd", "000001ffffffffff", "0" } },
      "PR-CAP-1: CapBnd 000001ffffffffff, planned empty" },
    { { { "PR-CAP-1", "read", "/proc/self/status CapEff", "-1", "ENOENT" } }, "PR-CAP-1: CapEff not observed" },
    { { { "PR-NNP-1", "read", "/proc/self/status NoNewPrivs", "0", "0" } }, "PR-NNP-1: NoNewPrivs 0, planned 1" },
  };
  /* pid 1 is the job itself (reachable, but nothing else is there) */
  static const SbxPlanSeen job_is_pid1[] = {
    { "PR-NS-1", "readlink", "/proc/1/exe", "/run/sbx/sbx-probe", "0" },
    { "PR-NS-1", "open", "/proc/1/environ", "0", "0" },
    { "PR-NS-1", "open", "/proc/1/mem", "0", "0" },
  };

  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *d = differences (cases[i].extra, cases[i].extra[1].call != NULL ? 2 : 1);

      if (strstr (d, cases[i].want) == NULL)
        fail_msg ("%s: expected \"%s\" among:\n%s", cases[i].extra[0].args, cases[i].want, d);
    }
  {
    g_autofree char *d = differences (job_is_pid1, G_N_ELEMENTS (job_is_pid1));

    assert_string_equal (d, "");
  }
  job_id = 0;
  {
    g_autofree char *d = differences (NULL, 0);

    job_id = 1000;
    if (strstr (d, "PR-NS-1: the plan runs the job as host uid 0") == NULL)
      fail_msg ("job uid 0: expected the plan to be refused, got:\n%s", d);
  }
}

/* The one mountinfo reader: a host line (escapes, optional fields) and an
 * observed record's fields give the same record type. */
/* Every option that shapes the plan, read through the option table, with
 * no host facts: the lines are those the strcmp chain before it gave. */
static char *
plan_text (const char *const *args)
{
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  SbxPlanFacts f = { .sources = none };
  g_autoptr(SbxPlan) plan = sbx_plan_new (args, &f, "salt");
  g_autoptr(GPtrArray) lines = NULL;

  plan->job_uid = plan->job_gid = 1000;
  lines = sbx_plan_to_lines (plan);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (GStrv) lines->pdata);
}

static void
test_every_option (void **state)
{
  static const char *const every[] = {
    "/usr/bin/bwrap", "--uid", "5", "--gid", "6", "--disable-userns", "--clearenv", "--setenv", "A", "1",
    "--setenv", "B", "2", "--unsetenv", "A", "--chdir", "/w", "--bind", "/a", "/a", "--bind-try", "/b", "/b",
    "--dev-bind", "/c", "/c", "--ro-bind-try", "/f", "/f", "--ro-bind-fd", "4", "/h", "--remount-ro", "/a",
    "--tmpfs", "/tmp", "--mqueue", "/mq", "--bind-data", "6", "/bd", "--ro-bind-data", "7", "/rbd",
    "--seccomp", "8", "--add-seccomp-fd", "9", "--hostname", "h", "--cap-drop", "ALL", "--dev", "/dev",
    "--dir", "/dev/dd", "--file", "5", "/dev/ff", "--symlink", "t", "/dev/ll", "--tmpfs", "/dev/tt", "--", "/job",
    NULL,
  };
  static const char *const want =
    "mount / tmpfs rw,nosuid,nodev,exec\n"
    "mount /a ? ro,nosuid,nodev,noexec?\n"
    "mount /b ? ro?,nosuid,nodev,noexec? optional\n"
    "mount /c ? ro?,nosuid,nodev?,noexec?\n"
    "mount /f ? ro,nosuid,nodev,noexec? optional\n"
    "mount /h ? ro,nosuid,nodev,noexec?\n"
    "mount /tmp tmpfs rw,nosuid,nodev,exec\n"
    "mount /mq mqueue rw,nosuid?,nodev?,noexec?\n"
    "mount /bd ? ro?,nosuid,nodev,noexec?\n"
    "mount /rbd ? ro,nosuid,nodev,noexec?\n"
    "mount /dev tmpfs rw,nosuid,nodev,exec\n"
    "mount /dev/null ? ro?,nosuid,nodev?,noexec?\n"
    "mount /dev/zero ? ro?,nosuid,nodev?,noexec?\n"
    "mount /dev/full ? ro?,nosuid,nodev?,noexec?\n"
    "mount /dev/random ? ro?,nosuid,nodev?,noexec?\n"
    "mount /dev/urandom ? ro?,nosuid,nodev?,noexec?\n"
    "mount /dev/tty ? ro?,nosuid,nodev?,noexec?\n"
    "mount /dev/pts devpts rw,nosuid,dev,noexec\n"
    "mount /dev/tt tmpfs rw,nosuid,nodev,exec\n"
    "env B sha256:b8ee6e156d2910ad9c20d4e856194f387424d8f8379659b55f81ada8533e48f0\n"
    "env PWD sha256:f8c64371758e8ad2f77eb9e3f9ef9b5bf3d3bfdfa2d47e6fd7a2c85a22474520\n"
    "dev /dev/null ?\ndev /dev/zero ?\ndev /dev/full ?\ndev /dev/random ?\ndev /dev/urandom ?\ndev /dev/tty ?\n"
    "dev /dev/pts dir\ndev /dev/console ? optional\ndev /dev/shm dir\n"
    "dev /dev/stdin symlink /proc/self/fd/0\ndev /dev/stdout symlink /proc/self/fd/1\n"
    "dev /dev/stderr symlink /proc/self/fd/2\ndev /dev/fd symlink /proc/self/fd\ndev /dev/core symlink /proc/kcore\n"
    "dev /dev/ptmx symlink pts/ptmx\n"
    "dev /dev/dd dir\ndev /dev/ff ?\ndev /dev/ll symlink t\ndev /dev/tt dir\n"
    "filters-in-argv 2\nuid_map 5 0 1\ngid_map 6 0 1\njob-ids 1000 1000";
  /* an argv that cannot be read on: nothing after the problem is read */
  static const struct {
    const char *argv[8];
    const char *want;
  } problems[] = {
    { { "bwrap", "--uid", "x", "--setenv", "Z", "1", "--", NULL },
      "mount / tmpfs rw,nosuid,nodev,exec\nenv PWD any\nfilters-in-argv 0\nuid_map 1000 1000 1\n"
      "gid_map 1000 1000 1\njob-ids 1000 1000\nproblem bwrap option --uid: not an id: x" },
    { { "bwrap", "--frob", "--", NULL },
      "mount / tmpfs rw,nosuid,nodev,exec\nenv PWD any\nfilters-in-argv 0\nuid_map 1000 1000 1\n"
      "gid_map 1000 1000 1\njob-ids 1000 1000\nproblem unknown bwrap option --frob" },
    { { "bwrap", "--setenv", "A", NULL },
      "mount / tmpfs rw,nosuid,nodev,exec\nfilters-in-argv 0\nuid_map 1000 1000 1\n"
      "gid_map 1000 1000 1\njob-ids 1000 1000\nproblem bwrap option --setenv lacks its argument" },
  };
  g_autofree char *got = plan_text (every);

  (void) state;
  assert_string_equal (got, want);
  for (gsize i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      g_autofree char *text = plan_text (problems[i].argv);

      assert_string_equal (text, problems[i].want);
    }
  assert_int_equal (sbx_plan_option_nargs ("--ro-bind-data"), 2);
  assert_int_equal (sbx_plan_option_nargs ("--frob"), -1);
}

static void
test_mountinfo (void **state)
{
  g_autoptr(GPtrArray) all = sbx_mountinfo_parse ("36 35 98:0 /mnt\\0401 /a\\040b ro,nosuid,noatime shared:1 master:2 - ext4 /dev/root rw\n"
                                                  "not a mountinfo line\n"
                                                  "40 36 0:5 / /tmp rw,nodev,noexec - tmpfs tmpfs rw\n");
  SbxMountinfo *m;

  (void) state;
  assert_int_equal (all->len, 2);
  m = all->pdata[0];
  assert_int_equal (m->id, 36);
  assert_string_equal (m->point, "/a b");
  assert_string_equal (m->root, "/mnt 1");
  assert_string_equal (m->fstype, "ext4");
  assert_true (m->flags.ro == 1 && m->flags.nosuid == 1 && m->flags.nodev == 0 && m->flags.noexec == 0);
  m = all->pdata[1];
  assert_true (m->flags.ro == 0 && m->flags.nosuid == 0 && m->flags.nodev == 1 && m->flags.noexec == 1);
  assert_null (sbx_mountinfo_parse_line ("1 2 3:4 / /x rw shared:1"));
  m = sbx_mountinfo_new (-1, "/in\\011x", NULL, NULL, "ro,nodev");
  assert_string_equal (m->point, "/in\tx");
  assert_string_equal (m->root, "?");
  assert_null (m->fstype);
  assert_true (m->flags.ro == 1 && m->flags.nodev == 1 && m->flags.nosuid == 0);
  sbx_mountinfo_free (m);
}

static void
test_bpf_sim (void **state)
{
  /* nr == 41 → ERRNO(EPERM); nr == 59 → KILL; else ALLOW */
  struct sock_filter prog[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, 41, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, 59, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  SbxBpfData data = { 0 };
  guint32 a[2];
  g_autoptr(GError) error = NULL;

  (void) state;
  data.nr = 41;
  assert_true (sbx_bpf_sim_run ((const guint8 *) prog, sizeof prog, &data, &a[0], &error));
  assert_int_equal (a[0], SECCOMP_RET_ERRNO | 1);
  data.nr = 59;
  assert_true (sbx_bpf_sim_run ((const guint8 *) prog, sizeof prog, &data, &a[0], &error));
  assert_int_equal (a[0], SECCOMP_RET_KILL_PROCESS);
  data.nr = 0;
  assert_true (sbx_bpf_sim_run ((const guint8 *) prog, sizeof prog, &data, &a[0], &error));
  assert_int_equal (a[0], SECCOMP_RET_ALLOW);
  /* a truncated program is refused, not guessed */
  assert_false (sbx_bpf_sim_run ((const guint8 *) prog, sizeof prog - 8, &data, &a[0], &error));
  /* the strictest action wins; on a tie the newest filter's data */
  a[0] = SECCOMP_RET_ERRNO | 13, a[1] = SECCOMP_RET_ERRNO | 1;
  assert_int_equal (sbx_bpf_sim_combine (a, 2), SECCOMP_RET_ERRNO | 13);
  a[0] = SECCOMP_RET_USER_NOTIF, a[1] = SECCOMP_RET_ERRNO | 1;
  assert_int_equal (sbx_bpf_sim_combine (a, 2), SECCOMP_RET_ERRNO | 1);
  a[0] = SECCOMP_RET_ALLOW, a[1] = SECCOMP_RET_KILL_PROCESS;
  assert_int_equal (sbx_bpf_sim_combine (a, 2), SECCOMP_RET_KILL_PROCESS);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_faithful),
    cmocka_unit_test (test_each_difference),
    cmocka_unit_test (test_identity),
    cmocka_unit_test (test_every_option),
    cmocka_unit_test (test_mountinfo),
    cmocka_unit_test (test_bpf_sim),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
