/* sbx-seccomp.c — turns the bpf/ tables and a profile into a libseccomp
 * filter for one stage.
 *
 * libseccomp cannot hold an unconditional and a conditional rule for the same
 * syscall, nor two comparisons of one argument in one rule, nor a "not equal"
 * on the low 32 bits.  So every conditional deny rule is compiled to the side
 * that differs from the default action:
 *
 *   allow-list (default errno): the syscall is allowed where the condition
 *     does NOT hold — e.g. clone when (flags & CLONE_NEW*) == 0;
 *   deny-list (default allow): the syscall is denied where the condition
 *     holds — e.g. clone once per CLONE_NEW* bit.
 *
 * Both sides are unions of masked-equal blocks on the low 32 bits; a value
 * set's complement is split into aligned power-of-two blocks (at most 32 per
 * gap), the way a route table covers an address range.
 *
 * Rules are added in a fixed order (groups by id, names sorted), so the same
 * profile always gives the same filter and the same bytes.
 */
#include "config.h"

#include "sbx-private.h"
#include "sbx-policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One (arg & mask) == value comparison. */
typedef struct {
  guint32 mask;
  guint32 value;
} Block;

/* SbxCond with room for every socket family (AF_MAX is 46 today): the
 * tables need few values, a profile's socket-families list may need many. */
#define WIDE_MAX_VALUES 64

typedef struct {
  SbxCondKind kind;
  guint arg;
  guint32 mask;
  guint n_values;
  guint32 values[WIDE_MAX_VALUES];
} WideCond;

/* The rule each denied syscall ends up with, after merging groups, the
 * profile's extra denials and the stage. */
typedef struct {
  const char *name;
  SbxActionKind action;
  gboolean notify;   /* gate stage: SECCOMP_RET_USER_NOTIF (sbx answers) */
  WideCond cond;
} Denial;

static void
set_seccomp_error (GError **error, int rc, const char *what, const char *name)
{
  g_set_error (error, SBX_ERROR, SBX_ERROR_SECCOMP, "seccomp: %s%s%s: %s", what,
               name ? " " : "", name ? name : "", g_strerror (-rc));
}

/* Adds aligned blocks covering [lo, hi] (inclusive, within 32 bits). */
static void
add_range_blocks (GArray *blocks, guint64 lo, guint64 hi)
{
  while (lo <= hi)
    {
      guint64 size = lo == 0 ? G_GUINT64_CONSTANT (1) << 32 : lo & -lo;
      Block b;

      while (lo + size - 1 > hi)
        size >>= 1;
      b.mask = (guint32) ~(size - 1);
      b.value = (guint32) lo;
      g_array_append_val (blocks, b);
      lo += size;
    }
}

/* Blocks covering every 32-bit value that is not in @values (sorted). */
static void
add_complement_blocks (GArray *blocks, const guint32 *values, guint n_values)
{
  guint64 next = 0;

  for (guint i = 0; i < n_values; i++)
    {
      if (values[i] > next)
        add_range_blocks (blocks, next, values[i] - 1);
      next = (guint64) values[i] + 1;
    }
  if (next <= G_MAXUINT32)
    add_range_blocks (blocks, next, G_MAXUINT32);
}

static void
add_value_blocks (GArray *blocks, guint32 mask, const guint32 *values, guint n_values)
{
  for (guint i = 0; i < n_values; i++)
    {
      Block b = { mask, values[i] };
      g_array_append_val (blocks, b);
    }
}

/* The blocks on which @cond holds (@holds) or does not hold (!@holds).
 * NOT_IN_FAMILIES has been resolved to NOT_IN by the caller. */
static GArray *
cond_blocks (const WideCond *cond, gboolean holds)
{
  GArray *blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  gboolean in_set = cond->kind == SBX_COND_IN;

  switch (cond->kind)
    {
    case SBX_COND_ANY_BIT:
      if (!holds)
        add_value_blocks (blocks, cond->mask, &(guint32){ 0 }, 1);
      else
        for (guint bit = 0; bit < 32; bit++)
          if (cond->mask & (1u << bit))
            add_value_blocks (blocks, 1u << bit, &(guint32){ 1u << bit }, 1);
      break;
    case SBX_COND_IN:
    case SBX_COND_NOT_IN:
      if (holds == in_set)
        add_value_blocks (blocks, cond->mask, cond->values, cond->n_values);
      else
        add_complement_blocks (blocks, cond->values, cond->n_values);
      break;
    case SBX_COND_ALWAYS:
    case SBX_COND_NOT_IN_FAMILIES:
    default:
      g_assert_not_reached ();
    }
  return blocks;
}

/* Fills a NOT_IN condition from [network] socket-families; an empty list
 * makes the rule unconditional. */
static void
resolve_families (Denial *denial, SbxProfile *profile)
{
  GArray *families = profile->socket_families;
  guint n = families ? families->len : 0;

  if (n == 0 || n > WIDE_MAX_VALUES)
    {
      /* More than 64 families cannot happen (AF_MAX < 64); were it ever
       * so, fail closed rather than truncate. */
      denial->cond.kind = SBX_COND_ALWAYS;
      return;
    }
  denial->cond.kind = SBX_COND_NOT_IN;
  denial->cond.n_values = n;
  for (guint i = 0; i < n; i++)
    denial->cond.values[i] = (guint32) g_array_index (families, int, i);
}

/* Records @rule in @denials (name → Denial), an unconditional denial
 * winning over a conditional one; ENOSYS stays ENOSYS (clone3 must keep
 * answering "not implemented" so libc falls back). */
static void
merge_denial (GTree *denials, const SbxRule *rule, gboolean notify, SbxProfile *profile)
{
  Denial *old = g_tree_lookup (denials, rule->name);
  Denial *denial;

  if (old != NULL && (old->cond.kind == SBX_COND_ALWAYS || rule->cond.kind != SBX_COND_ALWAYS))
    return;
  denial = g_new0 (Denial, 1);
  denial->name = rule->name;
  denial->action = rule->action;
  denial->notify = notify;
  denial->cond.kind = rule->cond.kind;
  denial->cond.arg = rule->cond.arg;
  denial->cond.mask = rule->cond.mask;
  denial->cond.n_values = MIN (rule->cond.n_values, SBX_COND_MAX_VALUES);
  memcpy (denial->cond.values, rule->cond.values, denial->cond.n_values * sizeof (guint32));
  if (denial->cond.kind == SBX_COND_NOT_IN_FAMILIES)
    resolve_families (denial, profile);
  g_tree_replace (denials, (gpointer) denial->name, denial);
}

static int
compare_names (gconstpointer a, gconstpointer b, gpointer unused)
{
  return strcmp (a, b);
}

static GTree *
collect_denials (SbxProfile *profile, SbxStage stage)
{
  GTree *denials = g_tree_new_full (compare_names, NULL, NULL, g_free);

  for (guint g = 0; g < SBX_N_GROUPS; g++)
    {
      const SbxGroup *group = &sbx_deny_groups[g];

      if (group->lock_only && stage == SBX_STAGE_LAUNCH)
        continue;
      for (gsize i = 0; i < group->n_rules; i++)
        merge_denial (denials, &group->rules[i], group->gate_notify && stage == SBX_STAGE_GATE,
                      profile);
    }
  for (guint i = 0; profile->deny_extra && i < profile->deny_extra->len; i++)
    {
      SbxRule extra = { .name = g_ptr_array_index (profile->deny_extra, i),
                        .action = SBX_ACTION_DENY,
                        .cond = { .kind = SBX_COND_ALWAYS } };
      merge_denial (denials, &extra, FALSE, profile);
    }
  return denials;
}

typedef struct {
  scmp_filter_ctx ctx;
  guint32 default_action;
  guint32 deny_action;
  gboolean allow_list;
  GError **error;
  gboolean failed;
} Builder;

/* Native syscall number of @name; -1 when this ABI has no such call.
 * libseccomp searches its table by name linearly: each name is resolved
 * once per compile, not once per masked block. */
static int
resolve (const char *name)
{
  int nr = seccomp_syscall_resolve_name (name);

  return nr < 0 ? -1 : nr;
}

/* One rule for @name (native number @nr); a rule whose action is the
 * default is implied, and libseccomp refuses it, so it is skipped. */
static gboolean
add_rule (Builder *b, guint32 action, const char *name, int nr, guint arg, const Block *block)
{
  struct scmp_arg_cmp cmp;
  int rc;

  if (action == b->default_action)
    return TRUE;
  if (nr < 0)
    {
      /* Tables are checked to resolve; a profile's extra name may exist
       * only on other ABIs: then the native ABI cannot make the call. */
      return TRUE;
    }
  if (block == NULL)
    rc = seccomp_rule_add_exact_array (b->ctx, action, nr, 0, NULL);
  else
    {
      cmp = (struct scmp_arg_cmp){ arg, SCMP_CMP_MASKED_EQ, block->mask, block->value };
      rc = seccomp_rule_add_exact_array (b->ctx, action, nr, 1, &cmp);
    }
  if (rc < 0)
    {
      set_seccomp_error (b->error, rc, "cannot add a rule for", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_blocks (Builder *b, guint32 action, const char *name, int nr, const WideCond *cond,
            gboolean holds)
{
  g_autoptr(GArray) blocks = NULL;

  if (action == b->default_action || nr < 0)
    return TRUE; /* add_rule would skip every block */
  blocks = cond_blocks (cond, holds);
  for (guint i = 0; i < blocks->len; i++)
    if (!add_rule (b, action, name, nr, cond->arg, &g_array_index (blocks, Block, i)))
      return FALSE;
  return TRUE;
}

/* Deny side: unconditional denials (in allow-list mode only those that
 * differ from the default, i.e. ENOSYS), and, in deny-list mode, the
 * conditional ones where their condition holds. */
static gboolean
emit_denial (gpointer key, gpointer value, gpointer data)
{
  Builder *b = data;
  Denial *d = value;
  guint32 action = d->action == SBX_ACTION_ENOSYS ? SCMP_ACT_ERRNO (ENOSYS)
                  : d->notify ? SCMP_ACT_NOTIFY : b->deny_action;

  if (d->cond.kind == SBX_COND_ALWAYS)
    b->failed = !add_rule (b, action, d->name, resolve (d->name), 0, NULL);
  else if (!b->allow_list)
    b->failed = !add_blocks (b, action, d->name, resolve (d->name), &d->cond, TRUE);
  return b->failed;
}

/* Allow side (allow-list mode): each table entry passes, except where a
 * denial says otherwise. */
static gboolean
emit_allows (Builder *b, GTree *denials)
{
  for (gsize i = 0; i < sbx_allow_table_len; i++)
    {
      const char *name = sbx_allow_table[i];
      Denial *d = g_tree_lookup (denials, name);

      if (d == NULL)
        {
          if (!add_rule (b, SCMP_ACT_ALLOW, name, resolve (name), 0, NULL))
            return FALSE;
        }
      else if (d->cond.kind != SBX_COND_ALWAYS)
        {
          if (!add_blocks (b, SCMP_ACT_ALLOW, name, resolve (name), &d->cond, FALSE))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
set_attributes (scmp_filter_ctx ctx, GError **error)
{
  int rc;

  /* Another ABI (i386 int $0x80; x32 numbers, which libseccomp routes to
   * the bad-arch action on x86_64) kills the whole process. */
  rc = seccomp_attr_set (ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  /* A binary tree over syscall numbers: about 15% more instructions than
   * libseccomp's linear priority list (404 against 348 for the default
   * launch program), but each call walks ~10 of them instead of up to
   * ~200, and every syscall of the job pays that. */
  if (rc == 0)
    rc = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  /* sbx_program_install() sets no_new_privs itself; the filter is only
   * exported here, never loaded by libseccomp. */
  if (rc == 0)
    rc = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0);
  if (rc < 0)
    set_seccomp_error (error, rc, "cannot set filter attributes", NULL);
  return rc == 0;
}

/* Reads only seccomp_mode, errno_value, deny_extra and socket_families of
 * @profile: sbx_seccomp_key_text() (below) renders exactly these, and
 * sbx-program.c copies exactly these for a precompiled program's listing.
 * Reading anything else here means updating both. */
scmp_filter_ctx
sbx_seccomp_build (SbxProfile *profile, SbxStage stage, SbxCompileFlags flags, GError **error)
{
  Builder b = { 0 };
  g_autoptr(GTree) denials = NULL;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (profile->errno_value > 0 && profile->errno_value < 4096, NULL);

  b.allow_list = profile->seccomp_mode == SBX_SECCOMP_ALLOW_LIST;
  /* --explain: every refusal goes to sbx, which answers the same errno
   * and says which rule refused.  Both programs notify (a launch ERRNO
   * would win over the gate's USER_NOTIF); the newest filter, the gate's,
   * is the one whose listener hears it. */
  b.deny_action = (flags & SBX_COMPILE_EXPLAIN) ? SCMP_ACT_NOTIFY : SCMP_ACT_ERRNO (profile->errno_value);
  b.default_action = b.allow_list ? b.deny_action : SCMP_ACT_ALLOW;
  b.error = error;
  b.ctx = seccomp_init (b.default_action);
  if (b.ctx == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_SECCOMP, "seccomp: cannot create a filter");
      return NULL;
    }
  if (!set_attributes (b.ctx, error))
    goto fail;
  denials = collect_denials (profile, stage);
  g_tree_foreach (denials, emit_denial, &b);
  if (b.failed)
    goto fail;
  if (b.allow_list && !emit_allows (&b, denials))
    goto fail;
  return b.ctx;

fail:
  seccomp_release (b.ctx);
  return NULL;
}

/* ------------------------------------------------------- precompile key
 *
 * sbx_program_new() takes a program from bpf/sbx-precompiled.c instead of
 * compiling it when the key below matches.  The key must change with
 * everything the compile above depends on; keep the three in step:
 *
 *   - the profile: sbx_seccomp_build() reads seccomp_mode, errno_value,
 *     deny_extra and socket_families, nothing else — exactly what
 *     sbx_seccomp_key_text() renders;
 *   - the bpf/ tables: tables_fingerprint();
 *   - libseccomp itself and the native ABI: version and arch token.
 */

static const char *
mode_name (SbxSeccompMode mode)
{
  switch (mode)
    {
    case SBX_SECCOMP_ALLOW_LIST:
      return "allow-list";
    case SBX_SECCOMP_DENY_LIST:
      return "deny-list";
    default:
      return NULL;
    }
}

char *
sbx_seccomp_key_text (SbxProfile *profile)
{
  GString *text;
  const char *mode;

  g_return_val_if_fail (profile != NULL, NULL);

  text = g_string_new ("[seccomp]\n");
  mode = mode_name (profile->seccomp_mode);
  if (mode != NULL)
    g_string_append_printf (text, "mode=%s\n", mode);
  else
    g_string_append_printf (text, "mode=%d\n", (int) profile->seccomp_mode);
  g_string_append_printf (text, "errno=%d\n", profile->errno_value);
  /* One line per name, escaped: no name can run into the next line. */
  for (guint i = 0; profile->deny_extra && i < profile->deny_extra->len; i++)
    {
      g_autofree char *name = g_strescape (g_ptr_array_index (profile->deny_extra, i), NULL);

      g_string_append_printf (text, "deny=%s\n", name);
    }
  g_string_append (text, "[network]\nsocket-families=");
  for (guint i = 0; profile->socket_families && i < profile->socket_families->len; i++)
    g_string_append_printf (text, "%s%d", i ? ";" : "",
                            g_array_index (profile->socket_families, int, i));
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}

/* FNV-1a, 64 bits: the fingerprint only has to notice a change of the
 * tables (whoever can edit them can edit bpf/sbx-precompiled.c too), and
 * it runs in every process that takes the table, where sha256 over the
 * tables would cost more than the rest of the lookup. */
#define FNV_OFFSET G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define FNV_PRIME G_GUINT64_CONSTANT (0x100000001b3)

static guint64
fnv_bytes (guint64 h, const void *data, gsize length)
{
  const guint8 *p = data;

  for (gsize i = 0; i < length; i++)
    h = (h ^ p[i]) * FNV_PRIME;
  return h;
}

static guint64
fnv_u32 (guint64 h, guint32 value)
{
  guint8 le[4] = { value, value >> 8, value >> 16, value >> 24 };

  return fnv_bytes (h, le, sizeof le);
}

/* Names with their NUL, so "ab","c" and "a","bc" differ. */
static guint64
fnv_name (guint64 h, const char *name)
{
  return fnv_bytes (h, name, strlen (name) + 1);
}

static guint64
compute_tables_fingerprint (void)
{
  guint64 h = FNV_OFFSET;

  h = fnv_u32 (h, SBX_N_GROUPS);
  for (guint g = 0; g < SBX_N_GROUPS; g++)
    {
      const SbxGroup *group = &sbx_deny_groups[g];

      h = fnv_name (h, group->name);
      h = fnv_u32 (h, group->lock_only ? 1 : 0);
      h = fnv_u32 (h, group->gate_notify ? 1 : 0);
      h = fnv_u32 (h, group->n_rules);
      for (gsize i = 0; i < group->n_rules; i++)
        {
          const SbxRule *rule = &group->rules[i];
          guint n_values = MIN (rule->cond.n_values, SBX_COND_MAX_VALUES);

          h = fnv_name (h, rule->name);
          h = fnv_u32 (h, rule->action);
          h = fnv_u32 (h, rule->cond.kind);
          h = fnv_u32 (h, rule->cond.arg);
          h = fnv_u32 (h, rule->cond.mask);
          h = fnv_u32 (h, n_values);
          for (guint v = 0; v < n_values; v++)
            h = fnv_u32 (h, rule->cond.values[v]);
        }
    }
  h = fnv_u32 (h, sbx_allow_table_len);
  for (gsize i = 0; i < sbx_allow_table_len; i++)
    h = fnv_name (h, sbx_allow_table[i]);
  return h;
}

/* Every field of the deny groups and the allow table that the compile
 * reads; the names' numbers are libseccomp's, whose version is in the key
 * (and the tables only name calls libseccomp knows: test-tables).
 * Computed once per process: the tables are compiled in. */
static guint64
tables_fingerprint (void)
{
  static gsize done = 0;
  static guint64 fingerprint;

  if (g_once_init_enter (&done))
    {
      fingerprint = compute_tables_fingerprint ();
      g_once_init_leave (&done, 1);
    }
  return fingerprint;
}

char *
sbx_seccomp_key_libseccomp (void)
{
  const struct scmp_version *v = seccomp_version ();

  return g_strdup_printf ("%u.%u.%u", v->major, v->minor, v->micro);
}

char *
sbx_libseccomp_version_dup (void)
{
  return sbx_seccomp_key_libseccomp ();
}

char *
sbx_seccomp_key (SbxProfile *profile, SbxStage stage)
{
  g_autofree char *text = NULL;
  g_autofree char *version = sbx_seccomp_key_libseccomp ();
  g_autofree char *input = NULL;

  g_return_val_if_fail (profile != NULL, NULL);

  text = sbx_seccomp_key_text (profile);
  input = g_strdup_printf ("sbx seccomp key 1\n"
                           "libseccomp=%s\n"
                           "arch=0x%08x\n"
                           "stage=%s\n"
                           "tables=%016" G_GINT64_MODIFIER "x\n"
                           "%s",
                           version, seccomp_arch_native (),
                           stage == SBX_STAGE_LOCK ? "lock" : stage == SBX_STAGE_LAUNCH ? "launch"
                           : stage == SBX_STAGE_GATE ? "gate" : "?",
                           tables_fingerprint (), text);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);
}

/* Scanned once: libseccomp's table does not change while we run. */
int
sbx_seccomp_max_known_syscall (void)
{
  static gsize cached = 0;

  if (g_once_init_enter (&cached))
    {
      int max = 0;

      /* x86_64 numbers end near 470 today; 1024 leaves room for years.
       * Downwards: the first name found is the answer. */
      for (int nr = 1023; nr > 0 && max == 0; nr--)
        {
          char *name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);

          if (name != NULL)
            max = nr;
          free (name);
        }
      g_once_init_leave (&cached, (gsize) max + 1);
    }
  return (int) cached - 1;
}
