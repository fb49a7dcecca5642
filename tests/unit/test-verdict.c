/* test-verdict.c — the verdict rules (attest/sbx-verdict.c): a pure
 * function, fed by hand, one table row per case. */
#include "config.h"

#include "sbx-verdict.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <cmocka.h>

/* [limits] sets processes and file-size, cpu-seconds=unlimited; the
 * parser gives the other limits their defaults (open-files=256). */
static const char *const canonical = "[environment]\nkeep=LANG\nset=PATH=/usr/bin;HOME=/tmp\n[seccomp]\nerrno=EPERM\n"
                                     "[limits]\ncpu-seconds=unlimited\nprocesses=64\nfile-size=1M\n";
#define JOB_UID 2000000033 /* root's job (sbx_sandbox_get_job_ids()) */

/* ------------------------------------------------------------ observations */

#define BIND_EBADF "fd -1, 127.0.0.1:0 (unfiltered: EBADF)"
static const SbxObservation denied[] = { { "socket", "AF_INET, SOCK_STREAM, 0", "-1", "EPERM" },
                                         { "bind", BIND_EBADF, "-1", "EPERM" } };
static const SbxObservation allowed[] = { { "socket", "AF_INET, SOCK_STREAM, 0", "3", "0" },
                                          { "bind", BIND_EBADF, "-1", "EBADF" } };
static const SbxObservation kernel[] = { { "socket", "AF_INET, SOCK_STREAM, 0", "-1", "EPERM" },
                                         { "bind", BIND_EBADF, "-1", "EBADF" } };
static const SbxObservation none[] = { { "note", "nothing", "0", "0" } };

static const SbxObservation env_ok[] = { { "read", "environ (names only)", "4 variables: LANG,PATH,HOME,PWD", "0" } };
static const SbxObservation env_leak[] = { { "read", "environ (names only)", "3 variables: PATH,SBX_ATTEST_CANARY,PWD",
                                             "0" } };
static const SbxObservation ns_own[] = { { "read", "/proc/net/dev (interface names)", "lo", "0" },
                                         { "stat", "/proc/self/ns/net inode", "4026532186", "0" } };
static const SbxObservation ns_host[] = { { "read", "/proc/net/dev (interface names)", "lo", "0" },
                                          { "stat", "/proc/self/ns/net inode", "4026531833", "0" } };
static const SbxObservation eth[] = { { "read", "/proc/net/dev (interface names)", "lo,eth0", "0" } };
static const SbxObservation out_ok[] = { { "open", "/out/x, O_WRONLY|O_CREAT|O_EXCL, 0644", "3", "0" } };
static const SbxObservation out_no[] = { { "open", "/out/x, O_WRONLY|O_CREAT|O_EXCL, 0644", "-1", "EROFS" } };
static const SbxObservation sigsys[] = { { "execve", "/bin/sh, [sh, -c, exit 0]", "killed by SIGSYS", "0" } };
static const SbxObservation ran[] = { { "execve", "/bin/sh, [sh, -c, exit 0]", "exit 0", "0" } };
/* a child that ended without reporting shows nothing by itself */
static const SbxObservation ended[] = { { "ptrace", "PTRACE_TRACEME in a child", "ended", "0" },
                                        { "ptrace", "PTRACE_ATTACH, own child", "-1", "EPERM" } };
static const SbxObservation traced[] = { { "ptrace", "PTRACE_ATTACH, own child", "0", "0" } };

/* PR-RLIMIT-1: the limits read against the profile's, the processes leg
 * against the job's host uid */
#define LIMIT(label) "/proc/self/limits " label " (soft hard)"
#define HOST_UID "host_uid from the expectations"
#define FORK "children until fork fails or limit_nproc+3 (67) exist"
static const SbxObservation limits_ok[] = { { "read", LIMIT ("Max cpu time"), "unlimited unlimited", "0" },
                                            { "read", LIMIT ("Max processes"), "64 64", "0" },
                                            { "read", LIMIT ("Max file size"), "1048576 1048576", "0" },
                                            { "read", LIMIT ("Max open files"), "256 256", "0" },
                                            { "read", HOST_UID, "2000000033", "0" },
                                            { "fork", FORK, "60 children", "EAGAIN" } };
static const SbxObservation limits_host[] = { { "read", LIMIT ("Max processes"), "unlimited unlimited", "0" },
                                              { "fork", FORK, "67 children", "0" } };
static const SbxObservation nproc_unlimited[] = { { "read", LIMIT ("Max processes"), "unlimited unlimited", "0" },
                                                  { "fork", FORK, "60 children", "EAGAIN" } };
static const SbxObservation cpu_limited[] = { { "read", LIMIT ("Max cpu time"), "60 60", "0" },
                                              { "fork", FORK, "60 children", "EAGAIN" } };
static const SbxObservation fsize_soft[] = { { "read", LIMIT ("Max file size"), "1048576 unlimited", "0" },
                                             { "fork", FORK, "60 children", "EAGAIN" } };
static const SbxObservation host_uid_zero[] = { { "read", HOST_UID, "0", "0" },
                                                { "fork", FORK, "60 children", "EAGAIN" } };
static const SbxObservation fork_only[] = { { "fork", FORK, "60 children", "EAGAIN" } };
static const SbxObservation nofile_only[] = { { "read", LIMIT ("Max open files"), "1024 4096", "0" } };

/* ------------------------------------------------------------------ cases */

#define SIDE(a) a, G_N_ELEMENTS (a)
#define NO_RESULT (-1)

typedef struct {
  const char *what;
  const char *id;
  SbxProbeResult claim[2];
  const SbxObservation *so;
  gsize sn;
  const SbxObservation *co;
  gsize cn;
  gboolean host_failed;  /* a host check failed */
  gboolean job_root;     /* the job's host uid is 0 (else JOB_UID) */
  const char *text;      /* the profile text, NULL: canonical */
  SbxVerdict verdict;
  int side;              /* NO_RESULT, or the run whose result is checked */
  SbxProbeResult result;
  const char *reason;    /* NULL: not checked; "": none given; else a part of it */
} Case;

static const Case cases[] = {
  /* socket denied inside, created outside: PASS; either side's claim alone decides nothing */
  { "sock: as planned", "PR-SOCK-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (denied), SIDE (allowed),
    .verdict = SBX_VERDICT_PASS, .side = NO_RESULT, .reason = "" },
  { "sock: a sandbox observation shows the socket made, the claim still HOLDS", "PR-SOCK-1",
    { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (allowed), SIDE (allowed), .verdict = SBX_VERDICT_FAIL,
    .side = 0, .result = SBX_PROBE_VIOLATED, .reason = "observation 0 shows the property broken: socket(" },
  { "sock: the kernel's own EBADF answered a decisive leg: no filter", "PR-SOCK-1",
    { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (kernel), SIDE (allowed), .verdict = SBX_VERDICT_FAIL,
    .side = NO_RESULT, .reason = "observation 1" },
  { "sock: HOLDS with nothing that shows it", "PR-SOCK-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (none),
    SIDE (allowed), .verdict = SBX_VERDICT_INCONCLUSIVE, .side = 0, .result = SBX_PROBE_UNTESTABLE },
  { "sock: a VIOLATED control with nothing that shows it", "PR-SOCK-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED },
    SIDE (denied), SIDE (denied), .verdict = SBX_VERDICT_INCONCLUSIVE, .side = 1, .result = SBX_PROBE_UNTESTABLE,
    .reason = "nothing shows the probe can fail" },
  { "sock: HOLDS with no observation", "PR-SOCK-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, NULL, 0, SIDE (allowed),
    .verdict = SBX_VERDICT_INCONCLUSIVE, .side = NO_RESULT },
  /* a failed host check, and a VIOLATED or MISSING claim, are never softened */
  { "sock: a failed host check", "PR-SOCK-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (denied), SIDE (allowed),
    .host_failed = TRUE, .verdict = SBX_VERDICT_FAIL, .side = NO_RESULT },
  { "sock: a VIOLATED claim", "PR-SOCK-1", { SBX_PROBE_VIOLATED, SBX_PROBE_VIOLATED }, SIDE (denied), SIDE (allowed),
    .verdict = SBX_VERDICT_FAIL, .side = NO_RESULT },
  { "sock: a MISSING sandbox run", "PR-SOCK-1", { SBX_PROBE_MISSING, SBX_PROBE_VIOLATED }, NULL, 0, SIDE (allowed),
    .verdict = SBX_VERDICT_FAIL, .side = NO_RESULT },

  /* values read: the environment's names, the namespace, the output, exec, ptrace */
  { "env: only the profile's names", "PR-ENV-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (env_ok),
    SIDE (env_leak), .verdict = SBX_VERDICT_PASS, .side = NO_RESULT },
  { "env: the canary inside", "PR-ENV-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (env_leak), SIDE (env_leak),
    .verdict = SBX_VERDICT_FAIL, .side = NO_RESULT },
  { "net: own namespace", "PR-NET-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (ns_own), SIDE (eth),
    .verdict = SBX_VERDICT_PASS, .side = NO_RESULT },
  { "net: the host's namespace", "PR-NET-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (ns_host), SIDE (eth),
    .verdict = SBX_VERDICT_FAIL, .side = NO_RESULT, .reason = "/proc/self/ns/net inode" },
  { "out: written", "PR-FS-OUT-OK", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (out_ok), SIDE (out_no),
    .verdict = SBX_VERDICT_PASS, .side = NO_RESULT },
  { "out: read-only", "PR-FS-OUT-OK", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (out_no), SIDE (out_no),
    .verdict = SBX_VERDICT_FAIL, .side = NO_RESULT },
  { "exec: killed by SIGSYS", "PR-EXEC-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (sigsys), SIDE (ran),
    .verdict = SBX_VERDICT_PASS, .side = NO_RESULT },
  { "exec: the program ran", "PR-EXEC-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (ran), SIDE (ran),
    .verdict = SBX_VERDICT_FAIL, .side = NO_RESULT },
  { "ptrace: a child that ended shows nothing", "PR-PTRACE-1", { SBX_PROBE_UNTESTABLE, SBX_PROBE_VIOLATED },
    SIDE (ended), SIDE (traced), .verdict = SBX_VERDICT_INCONCLUSIVE, .side = NO_RESULT, .reason = "" },
  { "ptrace: attached inside", "PR-PTRACE-1", { SBX_PROBE_UNTESTABLE, SBX_PROBE_VIOLATED }, SIDE (traced),
    SIDE (traced), .verdict = SBX_VERDICT_FAIL, .side = NO_RESULT },

  /* limits: judged against the profile's [limits] and the job's host uid */
  { "rlimit: the profile's limits, fork refused", "PR-RLIMIT-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED },
    SIDE (limits_ok), SIDE (limits_host), .verdict = SBX_VERDICT_PASS, .side = NO_RESULT, .reason = "" },
  { "rlimit: processes read unlimited, the claim still HOLDS", "PR-RLIMIT-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED },
    SIDE (nproc_unlimited), SIDE (limits_host), .verdict = SBX_VERDICT_FAIL, .side = 0, .result = SBX_PROBE_VIOLATED,
    .reason = "observation 0 shows the property broken: read(/proc/self/limits Max processes (soft hard)) = unlimited "
              "unlimited" },
  { "rlimit: cpu time limited where the profile says unlimited", "PR-RLIMIT-1",
    { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (cpu_limited), SIDE (limits_host), .verdict = SBX_VERDICT_FAIL,
    .side = 0, .result = SBX_PROBE_VIOLATED, .reason = "Max cpu time (soft hard)) = 60 60" },
  { "rlimit: a hard limit above the profile's", "PR-RLIMIT-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED },
    SIDE (fsize_soft), SIDE (limits_host), .verdict = SBX_VERDICT_FAIL, .side = 0, .result = SBX_PROBE_VIOLATED,
    .reason = "Max file size (soft hard)) = 1048576 unlimited" },
  { "rlimit: the probe was told host uid 0, not the job's", "PR-RLIMIT-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED },
    SIDE (host_uid_zero), SIDE (limits_host), .verdict = SBX_VERDICT_FAIL, .side = 0, .result = SBX_PROBE_VIOLATED,
    .reason = "observation 0 shows the property broken: read(host_uid from the expectations) = 0" },
  { "rlimit: fork refused to a job of host uid 0 shows nothing", "PR-RLIMIT-1",
    { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (fork_only), SIDE (limits_host), .job_root = TRUE,
    .verdict = SBX_VERDICT_INCONCLUSIVE, .side = 0, .result = SBX_PROBE_UNTESTABLE,
    .reason = "none of its 1 observations shows the property holding" },
  { "rlimit: fork refused to the job's own uid", "PR-RLIMIT-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED },
    SIDE (fork_only), SIDE (limits_host), .verdict = SBX_VERDICT_PASS, .side = 0, .result = SBX_PROBE_HOLDS,
    .reason = "" },
  { "rlimit: open files other than the default open-files=256", "PR-RLIMIT-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED },
    SIDE (nofile_only), SIDE (limits_host), .verdict = SBX_VERDICT_FAIL, .side = 0, .result = SBX_PROBE_VIOLATED },
  /* a profile text that does not parse gives no limit: nothing to compare */
  { "rlimit: no limits known", "PR-RLIMIT-1", { SBX_PROBE_HOLDS, SBX_PROBE_VIOLATED }, SIDE (nofile_only),
    SIDE (limits_host), .text = "[limits\n", .verdict = SBX_VERDICT_INCONCLUSIVE, .side = 0,
    .result = SBX_PROBE_UNTESTABLE },
};

static void
test_cases (void **state)
{
  (void) state;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      SbxVerdictContext ctx;
      SbxVerdictInput in = { .id = c->id, .claim = { c->claim[0], c->claim[1] }, .obs = { c->so, c->co },
                             .n_obs = { c->sn, c->cn }, .host_checks_ok = !c->host_failed };
      SbxVerdictOutput out;

      sbx_verdict_context_init (&ctx, c->text != NULL ? c->text : canonical);
      ctx.host_ns[0] = 4026531833; /* net */
      ctx.host_uid[0] = c->job_root ? 0 : JOB_UID;
      ctx.host_uid[1] = 0;
      sbx_verdict_compute (&in, &ctx, &out);
      sbx_verdict_context_clear (&ctx);
      if (out.verdict != c->verdict)
        fail_msg ("%s: verdict %d, wanted %d (%s)", c->what, out.verdict, c->verdict, out.reason ? out.reason : "");
      if (c->side != NO_RESULT && out.result[c->side] != c->result)
        fail_msg ("%s: run %d gives %d, wanted %d", c->what, c->side, out.result[c->side], c->result);
      if (c->reason != NULL && c->reason[0] == '\0' && out.reason != NULL)
        fail_msg ("%s: a reason where none was wanted: %s", c->what, out.reason);
      if (c->reason != NULL && c->reason[0] != '\0' && (out.reason == NULL || strstr (out.reason, c->reason) == NULL))
        fail_msg ("%s: reason \"%s\" lacks \"%s\"", c->what, out.reason ? out.reason : "(none)", c->reason);
      sbx_verdict_output_clear (&out);
    }
}

/* The profile's limits reach the context, parsed from the text alone. */
static void
test_context_limits (void **state)
{
  SbxVerdictContext ctx;

  (void) state;
  sbx_verdict_context_init (&ctx, canonical);
  for (gsize k = 0; k < SBX_VERDICT_N_LIMITS; k++)
    if (strcmp (sbx_verdict_limits[k].key, "limit_nproc") == 0)
      {
        assert_true (ctx.limit_set[k]);
        assert_int_equal (ctx.limit[k], 64);
      }
  assert_int_equal (ctx.host_uid[0], -1);
  assert_int_equal (ctx.host_uid[1], -1);
  sbx_verdict_context_clear (&ctx);
  assert_string_equal (sbx_verdict_limit_key (RLIMIT_FSIZE), "limit_fsize");
  assert_null (sbx_verdict_limit_key (RLIMIT_STACK));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_cases),
    cmocka_unit_test (test_context_limits),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
