/* test-tables.c — the policy tables in bpf/ are well formed: sorted, unique,
 * every name a syscall of the native ABI, every group explained, and the
 * deny groups and the allow table disjoint where they must be; the errno
 * names one table, the profile's subset and the probes' names unchanged.
 */
#include "config.h"

#include "sbx-private.h"
#include "sbx-policy.h"
#include "sbx-errnos.h"

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

/* The names a profile's errno= accepts, and all names sbx-probe reads
 * and prints, as they were when lib/ and probes/ each kept a list: a
 * change to either is a change of the profile format or of the records. */
#define PROFILE_ERRNOS \
  "E2BIG EACCES EADDRNOTAVAIL EAFNOSUPPORT EAGAIN EBADF EBUSY ECHILD ECONNREFUSED EEXIST " \
  "EFAULT EFBIG EHOSTUNREACH EINTR EINVAL EIO EISDIR ELOOP EMFILE EMLINK ENAMETOOLONG " \
  "ENETDOWN ENETUNREACH ENFILE ENODEV ENOENT ENOEXEC ENOMEM ENOSPC ENOSYS ENOTDIR ENOTSUP " \
  "ENOTTY ENXIO EOPNOTSUPP EPERM EPIPE EPROTONOSUPPORT ERANGE EROFS ESPIPE ESRCH ETIMEDOUT " \
  "ETXTBSY EXDEV "
#define PROBE_ERRNOS \
  "E2BIG EACCES EADDRINUSE EADDRNOTAVAIL EAFNOSUPPORT EAGAIN EALREADY EBADF EBADMSG EBUSY " \
  "ECANCELED ECHILD ECONNABORTED ECONNREFUSED ECONNRESET EDEADLK EDEADLOCK EDESTADDRREQ EDOM " \
  "EDQUOT EEXIST EFAULT EFBIG EHOSTDOWN EHOSTUNREACH EHWPOISON EIDRM EILSEQ EINPROGRESS " \
  "EINTR EINVAL EIO EISCONN EISDIR EKEYEXPIRED EKEYREJECTED EKEYREVOKED ELOOP EMFILE EMLINK " \
  "EMSGSIZE ENAMETOOLONG ENETDOWN ENETRESET ENETUNREACH ENFILE ENOBUFS ENODATA ENODEV ENOENT " \
  "ENOEXEC ENOKEY ENOLCK ENOLINK ENOMEM ENOMSG ENOPROTOOPT ENOSPC ENOSR ENOSTR ENOSYS " \
  "ENOTBLK ENOTCONN ENOTDIR ENOTEMPTY ENOTRECOVERABLE ENOTSOCK ENOTSUP ENOTTY ENXIO " \
  "EOPNOTSUPP EOVERFLOW EOWNERDEAD EPERM EPFNOSUPPORT EPIPE EPROTO EPROTONOSUPPORT " \
  "EPROTOTYPE ERANGE ERFKILL EROFS ESHUTDOWN ESOCKTNOSUPPORT ESPIPE ESRCH ESTALE ETIME " \
  "ETIMEDOUT ETXTBSY EUSERS EWOULDBLOCK EXDEV "

/* One errno table for lib/ and probes/: sorted, unique, no 0; each number
 * written by exactly one name (aliases only read); a profile's names
 * round-trip through the library (an alias to its number's name), the
 * others are refused by the profile but read by the probes. */
static void
test_errno_table (void **state)
{
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GString) profile = g_string_new (NULL);

  for (guint i = 0; i < sbx_errno_names_size; i++)
    {
      const SbxErrnoName *e = &sbx_errno_names[i];
      const SbxErrnoName *writer = sbx_errno_entry_by_value (e->value, FALSE);

      g_string_append_printf (all, "%s ", e->name);
      if (e->profile)
        g_string_append_printf (profile, "%s ", e->name);
      if (i > 0 && strcmp (sbx_errno_names[i - 1].name, e->name) >= 0)
        fail_msg ("errnos: \"%s\" after \"%s\": not sorted or not unique", e->name,
                  sbx_errno_names[i - 1].name);
      assert_true (e->value > 0);
      assert_ptr_equal (sbx_errno_entry_by_name (e->name), e);
      if (writer == NULL || (e->alias ? writer == e : writer != e))
        fail_msg ("errnos: %s (%d) is written as %s", e->name, e->value, writer ? writer->name : "nothing");
      for (guint j = 0; j < sbx_errno_names_size; j++)
        if (j != i && !e->alias && !sbx_errno_names[j].alias && sbx_errno_names[j].value == e->value)
          fail_msg ("errnos: %s and %s both write %d", e->name, sbx_errno_names[j].name, e->value);
      assert_int_equal (sbx_errno_from_name (e->name), e->profile ? e->value : -1);
      if (e->profile)
        assert_string_equal (sbx_errno_to_name (e->value), writer->name);
      if (e->profile && !writer->profile)
        fail_msg ("errnos: a profile may say %s but it would be written %s", e->name, writer->name);
    }
  assert_string_equal (profile->str, PROFILE_ERRNOS);
  assert_string_equal (all->str, PROBE_ERRNOS);
  /* the usual spelling of a shared number, for both */
  assert_string_equal (sbx_errno_entry_by_value (EAGAIN, FALSE)->name, "EAGAIN");
  assert_string_equal (sbx_errno_entry_by_value (EDEADLK, FALSE)->name, "EDEADLK");
  assert_string_equal (sbx_errno_to_name (ENOTSUP), "EOPNOTSUPP");
  assert_null (sbx_errno_to_name (EDOM));
  assert_null (sbx_errno_entry_by_name (NULL));
  assert_null (sbx_errno_entry_by_value (0, FALSE));
}

/* The name tables hold their names inline (no relocation at start): a
 * name as long as its array would be stored without its NUL, silently,
 * and read past.  Each must end inside its array. */
#define ASSERT_TERMINATED(table, n, field, what)                                  \
  for (gsize i = 0; i < (n); i++)                                                 \
    if (memchr (table[i] field, '\0', sizeof table[i] field) == NULL)             \
      fail_msg ("%s entry %zu (\"%.*s\") fills its %zu bytes: no room for its NUL", \
                what, i, (int) sizeof table[i] field, table[i] field, sizeof table[i] field)

static void
test_inline_names_terminated (void **state)
{
  ASSERT_TERMINATED (sbx_allow_table, sbx_allow_table_len, , "allow table");
  ASSERT_TERMINATED (sbx_vital_table, sbx_vital_table_len, , "vital table");
  ASSERT_TERMINATED (sbx_decode_table, sbx_decode_table_len, .name, "decode table");
  ASSERT_TERMINATED (sbx_errno_names, sbx_errno_names_size, .name, "errno names");
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
    cmocka_unit_test (test_errno_table),
    cmocka_unit_test (test_inline_names_terminated),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
