/* test-verdict.c — the verdict rules (attest/sbx-verdict.c): a pure
 * function, fed by hand. */
#include "config.h"

#include "sbx-verdict.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static const char *const canonical = "[environment]\nkeep=LANG\nset=PATH=/usr/bin;HOME=/tmp\n[seccomp]\nerrno=EPERM\n";

static SbxVerdictOutput
run (const char *id, SbxProbeResult s, const SbxObservation *so, gsize sn, SbxProbeResult c,
     const SbxObservation *co, gsize cn, gboolean host_ok)
{
  SbxVerdictContext ctx;
  SbxVerdictInput in = { .id = id, .claim = { s, c }, .obs = { so, co }, .n_obs = { sn, cn },
                         .host_checks_ok = host_ok };
  SbxVerdictOutput out;

  sbx_verdict_context_init (&ctx, canonical);
  ctx.host_ns[0] = 4026531833; /* net */
  sbx_verdict_compute (&in, &ctx, &out);
  sbx_verdict_context_clear (&ctx);
  return out;
}

/* socket denied inside, created outside: PASS; either side's claim alone
 * decides nothing. */
static void
test_sock (void **state)
{
  const SbxObservation denied[] = { { "socket", "AF_INET, SOCK_STREAM, 0", "-1", "EPERM" },
                                    { "bind", "fd -1, 127.0.0.1:0 (unfiltered: EBADF)", "-1", "EPERM" } };
  const SbxObservation allowed[] = { { "socket", "AF_INET, SOCK_STREAM, 0", "3", "0" },
                                     { "bind", "fd -1, 127.0.0.1:0 (unfiltered: EBADF)", "-1", "EBADF" } };
  const SbxObservation kernel[] = { { "socket", "AF_INET, SOCK_STREAM, 0", "-1", "EPERM" },
                                    { "bind", "fd -1, 127.0.0.1:0 (unfiltered: EBADF)", "-1", "EBADF" } };
  const SbxObservation none[] = { { "note", "nothing", "0", "0" } };
  SbxVerdictOutput o;

  (void) state;
  o = run ("PR-SOCK-1", SBX_PROBE_HOLDS, denied, 2, SBX_PROBE_VIOLATED, allowed, 2, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_PASS);
  assert_null (o.reason);
  sbx_verdict_output_clear (&o);
  /* a sandbox observation showing the socket made, the claim still HOLDS */
  o = run ("PR-SOCK-1", SBX_PROBE_HOLDS, allowed, 2, SBX_PROBE_VIOLATED, allowed, 2, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  assert_int_equal (o.result[0], SBX_PROBE_VIOLATED);
  assert_non_null (strstr (o.reason, "observation 0 shows the property broken: socket("));
  sbx_verdict_output_clear (&o);
  /* the kernel's own EBADF answered a decisive leg: no filter */
  o = run ("PR-SOCK-1", SBX_PROBE_HOLDS, kernel, 2, SBX_PROBE_VIOLATED, allowed, 2, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  assert_non_null (strstr (o.reason, "observation 1"));
  sbx_verdict_output_clear (&o);
  /* HOLDS with nothing that shows it, VIOLATED control with nothing that shows it */
  o = run ("PR-SOCK-1", SBX_PROBE_HOLDS, none, 1, SBX_PROBE_VIOLATED, allowed, 2, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_INCONCLUSIVE);
  assert_int_equal (o.result[0], SBX_PROBE_UNTESTABLE);
  sbx_verdict_output_clear (&o);
  o = run ("PR-SOCK-1", SBX_PROBE_HOLDS, denied, 2, SBX_PROBE_VIOLATED, denied, 2, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_INCONCLUSIVE);
  assert_int_equal (o.result[1], SBX_PROBE_UNTESTABLE);
  assert_non_null (strstr (o.reason, "nothing shows the probe can fail"));
  sbx_verdict_output_clear (&o);
  o = run ("PR-SOCK-1", SBX_PROBE_HOLDS, NULL, 0, SBX_PROBE_VIOLATED, allowed, 2, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_INCONCLUSIVE);
  sbx_verdict_output_clear (&o);
  /* a failed host check, and a VIOLATED claim, are never softened */
  o = run ("PR-SOCK-1", SBX_PROBE_HOLDS, denied, 2, SBX_PROBE_VIOLATED, allowed, 2, FALSE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  sbx_verdict_output_clear (&o);
  o = run ("PR-SOCK-1", SBX_PROBE_VIOLATED, denied, 2, SBX_PROBE_VIOLATED, allowed, 2, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  sbx_verdict_output_clear (&o);
  o = run ("PR-SOCK-1", SBX_PROBE_MISSING, NULL, 0, SBX_PROBE_VIOLATED, allowed, 2, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  sbx_verdict_output_clear (&o);
}

/* Values read: the environment's names, the namespace, the output. */
static void
test_values (void **state)
{
  const SbxObservation env_ok[] = { { "read", "environ (names only)", "4 variables: LANG,PATH,HOME,PWD", "0" } };
  const SbxObservation env_leak[] = { { "read", "environ (names only)", "3 variables: PATH,SBX_ATTEST_CANARY,PWD", "0" } };
  const SbxObservation ns_own[] = { { "read", "/proc/net/dev (interface names)", "lo", "0" },
                                    { "stat", "/proc/self/ns/net inode", "4026532186", "0" } };
  const SbxObservation ns_host[] = { { "read", "/proc/net/dev (interface names)", "lo", "0" },
                                     { "stat", "/proc/self/ns/net inode", "4026531833", "0" } };
  const SbxObservation eth[] = { { "read", "/proc/net/dev (interface names)", "lo,eth0", "0" } };
  const SbxObservation out_ok[] = { { "open", "/out/x, O_WRONLY|O_CREAT|O_EXCL, 0644", "3", "0" } };
  const SbxObservation out_no[] = { { "open", "/out/x, O_WRONLY|O_CREAT|O_EXCL, 0644", "-1", "EROFS" } };
  const SbxObservation sigsys[] = { { "execve", "/bin/sh, [sh, -c, exit 0]", "killed by SIGSYS", "0" } };
  const SbxObservation ran[] = { { "execve", "/bin/sh, [sh, -c, exit 0]", "exit 0", "0" } };
  /* a child that ended without reporting shows nothing by itself */
  const SbxObservation ended[] = { { "ptrace", "PTRACE_TRACEME in a child", "ended", "0" },
                                   { "ptrace", "PTRACE_ATTACH, own child", "-1", "EPERM" } };
  const SbxObservation traced[] = { { "ptrace", "PTRACE_ATTACH, own child", "0", "0" } };
  SbxVerdictOutput o;

  (void) state;
  o = run ("PR-ENV-1", SBX_PROBE_HOLDS, env_ok, 1, SBX_PROBE_VIOLATED, env_leak, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_PASS);
  sbx_verdict_output_clear (&o);
  o = run ("PR-ENV-1", SBX_PROBE_HOLDS, env_leak, 1, SBX_PROBE_VIOLATED, env_leak, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  sbx_verdict_output_clear (&o);
  o = run ("PR-NET-1", SBX_PROBE_HOLDS, ns_own, 2, SBX_PROBE_VIOLATED, eth, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_PASS);
  sbx_verdict_output_clear (&o);
  o = run ("PR-NET-1", SBX_PROBE_HOLDS, ns_host, 2, SBX_PROBE_VIOLATED, eth, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  assert_non_null (strstr (o.reason, "/proc/self/ns/net inode"));
  sbx_verdict_output_clear (&o);
  o = run ("PR-FS-OUT-OK", SBX_PROBE_HOLDS, out_ok, 1, SBX_PROBE_VIOLATED, out_no, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_PASS);
  sbx_verdict_output_clear (&o);
  o = run ("PR-FS-OUT-OK", SBX_PROBE_HOLDS, out_no, 1, SBX_PROBE_VIOLATED, out_no, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  sbx_verdict_output_clear (&o);
  o = run ("PR-EXEC-1", SBX_PROBE_HOLDS, sigsys, 1, SBX_PROBE_VIOLATED, ran, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_PASS);
  sbx_verdict_output_clear (&o);
  o = run ("PR-EXEC-1", SBX_PROBE_HOLDS, ran, 1, SBX_PROBE_VIOLATED, ran, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  sbx_verdict_output_clear (&o);
  o = run ("PR-PTRACE-1", SBX_PROBE_UNTESTABLE, ended, 2, SBX_PROBE_VIOLATED, traced, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_INCONCLUSIVE);
  assert_null (o.reason);
  sbx_verdict_output_clear (&o);
  o = run ("PR-PTRACE-1", SBX_PROBE_UNTESTABLE, traced, 1, SBX_PROBE_VIOLATED, traced, 1, TRUE);
  assert_int_equal (o.verdict, SBX_VERDICT_FAIL);
  sbx_verdict_output_clear (&o);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sock),
    cmocka_unit_test (test_values),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
