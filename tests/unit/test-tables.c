/* test-tables.c — the policy tables in bpf/ are well formed: sorted, unique,
 * every name a syscall of the native ABI, every group explained, and the
 * deny groups and the allow table disjoint where they must be.
 */
#include "config.h"

#include "sbx-private.h"
#include "sbx-policy.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static gboolean
in_allow_table (const char *name)
{
  for (gsize i = 0; i < sbx_allow_table_len; i++)
    if (strcmp (sbx_allow_table[i], name) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_resolves (const char *table, const char *name)
{
  int nr = seccomp_syscall_resolve_name (name);

  if (nr < 0)
    fail_msg ("%s: \"%s\" is no syscall of the native ABI (%d)", table, name, nr);
}

/* TRUE when @name has an optional rule in a group: a call libseccomp may
 * not know yet (fchmodat2 before Debian's 2.5.4-1+deb12u1). */
static gboolean
is_optional (const char *name)
{
  for (guint g = 0; g < SBX_N_GROUPS; g++)
    for (gsize i = 0; i < sbx_deny_groups[g].n_rules; i++)
      if (sbx_deny_groups[g].rules[i].optional && strcmp (sbx_deny_groups[g].rules[i].name, name) == 0)
        return TRUE;
  return FALSE;
}

static void
test_allow_sorted_unique_resolvable (void **state)
{
  assert_true (sbx_allow_table_len > 100);
  for (gsize i = 0; i < sbx_allow_table_len; i++)
    {
      if (!is_optional (sbx_allow_table[i]))
        assert_resolves ("allow", sbx_allow_table[i]);
      if (i > 0 && strcmp (sbx_allow_table[i - 1], sbx_allow_table[i]) >= 0)
        fail_msg ("allow: \"%s\" after \"%s\": not sorted or not unique", sbx_allow_table[i],
                  sbx_allow_table[i - 1]);
    }
}

static void
test_groups_sorted_unique_resolvable (void **state)
{
  for (guint g = 0; g < SBX_N_GROUPS; g++)
    {
      const SbxGroup *group = &sbx_deny_groups[g];

      if (group->name == NULL || group->help == NULL || group->help[0] == '\0')
        fail_msg ("group %u has no name or help text", g);
      assert_true (group->n_rules > 0);
      for (gsize i = 0; i < group->n_rules; i++)
        {
          /* an optional rule names a call newer than some libseccomp: it
           * must be one the kernel knows (sys/syscall.h), resolvable or not */
          if (!group->rules[i].optional)
            assert_resolves (group->name, group->rules[i].name);
          else if (group->rules[i].why == NULL)
            fail_msg ("%s: optional \"%s\" needs its why", group->name, group->rules[i].name);
          if (i > 0 && strcmp (group->rules[i - 1].name, group->rules[i].name) >= 0)
            fail_msg ("%s: \"%s\" after \"%s\": not sorted or not unique", group->name,
                      group->rules[i].name, group->rules[i - 1].name);
        }
    }
}

/* One syscall belongs to one group: a second rule could only contradict. */
static void
test_groups_disjoint (void **state)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint g = 0; g < SBX_N_GROUPS; g++)
    for (gsize i = 0; i < sbx_deny_groups[g].n_rules; i++)
      {
        const char *name = sbx_deny_groups[g].rules[i].name;
        const char *other = g_hash_table_lookup (seen, name);

        if (other != NULL)
          fail_msg ("\"%s\" is in groups %s and %s", name, other, sbx_deny_groups[g].name);
        g_hash_table_insert (seen, (gpointer) name, (gpointer) sbx_deny_groups[g].name);
      }
}

/* An unconditional denial in the allow table would be dead weight that
 * hides a mistake; a conditional one must be there, or its "otherwise
 * allowed" half never happens in allow-list mode; exec must be there so
 * the launch stage can start the job. */
static void
test_groups_against_allow_table (void **state)
{
  for (guint g = 0; g < SBX_N_GROUPS; g++)
    {
      const SbxGroup *group = &sbx_deny_groups[g];

      for (gsize i = 0; i < group->n_rules; i++)
        {
          const SbxRule *rule = &group->rules[i];
          gboolean allowed = in_allow_table (rule->name);
          gboolean must = group->lock_only || rule->cond.kind != SBX_COND_ALWAYS;

          if (allowed != must)
            fail_msg ("%s: \"%s\" %s be in the allow table", group->name, rule->name,
                      must ? "must" : "must not");
        }
    }
}

/* One condition of @rule, or one slot of a term (ALWAYS: unused). */
static void
check_cond (const SbxRule *rule, const SbxCond *c)
{
  if (c->kind == SBX_COND_ALWAYS)
    return;
  if (c->kind == SBX_COND_TERMS)
    fail_msg ("\"%s\": a term holds conditions, not terms", rule->name);
  assert_true (c->arg < 6);
  assert_true (c->mask != 0);
  /* a condition is read on the low 32 bits; a value outside its mask
   * could never match */
  for (guint v = 0; v < c->n_values; v++)
    if ((c->values[v] & ~c->mask) != 0)
      fail_msg ("\"%s\": value 0x%x outside the mask 0x%x", rule->name, c->values[v], c->mask);
  if (c->kind == SBX_COND_NOT_IN_FAMILIES)
    assert_int_equal (c->mask, 0xffffffffu);
  assert_true (c->n_values <= SBX_COND_MAX_VALUES);
  for (guint v = 1; v < c->n_values; v++)
    assert_true (c->values[v - 1] < c->values[v]);
  if (c->kind == SBX_COND_IN || c->kind == SBX_COND_NOT_IN)
    assert_true (c->n_values > 0);
}

static void
test_conditions_well_formed (void **state)
{
  for (guint g = 0; g < SBX_N_GROUPS; g++)
    for (gsize i = 0; i < sbx_deny_groups[g].n_rules; i++)
      {
        const SbxRule *rule = &sbx_deny_groups[g].rules[i];
        const SbxCond *c = &rule->cond;

        if (rule->action == SBX_ACTION_ENOSYS || c->kind != SBX_COND_ALWAYS)
          if (rule->why == NULL)
            fail_msg ("\"%s\": a surprising rule needs its why", rule->name);
        if (c->kind == SBX_COND_ALWAYS)
          {
            assert_true (rule->terms == NULL && rule->n_terms == 0);
            continue;
          }
        /* conditional ENOSYS has no allow-list form (the default errno
         * answers where the condition does not let the call through) */
        assert_int_equal (rule->action, SBX_ACTION_DENY);
        if (c->kind != SBX_COND_TERMS)
          {
            assert_true (rule->terms == NULL && rule->n_terms == 0);
            check_cond (rule, c);
            continue;
          }
        assert_true (rule->terms != NULL && rule->n_terms > 0);
        for (gsize t = 0; t < rule->n_terms; t++)
          {
            guint used_args = 0, n_used = 0;

            for (guint k = 0; k < SBX_TERM_MAX_CONDS; k++)
              {
                const SbxCond *tc = &rule->terms[t].all[k];

                check_cond (rule, tc);
                if (tc->kind == SBX_COND_ALWAYS)
                  continue;
                n_used++;
                if (used_args & (1u << tc->arg))
                  fail_msg ("\"%s\": two conditions of one term on argument %u", rule->name, tc->arg);
                used_args |= 1u << tc->arg;
              }
            if (n_used == 0)
              fail_msg ("\"%s\": term %zu is empty (always true): make the rule unconditional",
                        rule->name, t);
          }
      }
}

/* The list, spot-checked: each of these must sit in some group. */
static void
test_required_denials_present (void **state)
{
  static const char *const required[] = {
    "accept", "accept4", "bind", "bpf", "chroot", "clone", "clone3", "connect", "ioctl",
    "io_uring_enter", "io_uring_register", "io_uring_setup", "kcmp", "kexec_load", "keyctl",
    "listen", "mount", "name_to_handle_at", "open_by_handle_at", "perf_event_open",
    "personality", "pidfd_getfd", "pivot_root", "process_vm_readv", "process_vm_writev",
    "ptrace", "setns", "socket", "umount2", "unshare", "userfaultfd", "execve", "execveat",
    /* set-id files (issue 8 item 5) */
    "chmod", "creat", "fchmod", "fchmodat", "fchmodat2", "mkdir", "mkdirat", "mknod", "mknodat",
    "open", "openat", "openat2", "socketpair",
  };

  for (gsize r = 0; r < G_N_ELEMENTS (required); r++)
    {
      gboolean found = FALSE;

      for (guint g = 0; g < SBX_N_GROUPS && !found; g++)
        for (gsize i = 0; i < sbx_deny_groups[g].n_rules && !found; i++)
          found = strcmp (sbx_deny_groups[g].rules[i].name, required[r]) == 0;
      if (!found)
        fail_msg ("\"%s\" is in no deny group", required[r]);
    }
  assert_true (sbx_deny_groups[SBX_GROUP_EXEC].lock_only);
  for (guint g = 0; g < SBX_N_GROUPS; g++)
    assert_true (g == SBX_GROUP_EXEC || !sbx_deny_groups[g].lock_only);
}

/* What bwrap and its reaper do after loading the launch program, and the
 * lock's own installation, must stay allowed. */
static void
test_launch_needs_allowed (void **state)
{
  static const char *const needed[] = {
    "close", "execve", "exit", "exit_group", "prctl", "rt_sigreturn", "seccomp", "wait4", "write",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (needed); i++)
    if (!in_allow_table (needed[i]))
      fail_msg ("\"%s\" must be in the allow table", needed[i]);
}

/* What [seccomp] deny may not name: sorted, unique, and allowed (a vital
 * call the allow table refused would already break every job). */
static void
test_vital_table (void **state)
{
  assert_true (sbx_vital_table_len > 0);
  for (gsize i = 0; i < sbx_vital_table_len; i++)
    {
      assert_resolves ("vital", sbx_vital_table[i]);
      if (!in_allow_table (sbx_vital_table[i]))
        fail_msg ("vital: \"%s\" is not in the allow table", sbx_vital_table[i]);
      if (i > 0 && strcmp (sbx_vital_table[i - 1], sbx_vital_table[i]) >= 0)
        fail_msg ("vital: \"%s\" after \"%s\": not sorted or not unique", sbx_vital_table[i],
                  sbx_vital_table[i - 1]);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_allow_sorted_unique_resolvable),
    cmocka_unit_test (test_groups_sorted_unique_resolvable),
    cmocka_unit_test (test_groups_disjoint),
    cmocka_unit_test (test_groups_against_allow_table),
    cmocka_unit_test (test_conditions_well_formed),
    cmocka_unit_test (test_required_denials_present),
    cmocka_unit_test (test_launch_needs_allowed),
    cmocka_unit_test (test_vital_table),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
