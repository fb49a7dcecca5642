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
#include "sbx-precompiled.h"
#include "sbx-policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One (arg & mask) == value comparison. */
typedef struct {
  guint32 mask;
  guint32 value;
} Block;

/* Comparisons that must all hold, at most one per argument (mask 0: the
 * argument is free).  A clause with no comparison matches every call. */
#define N_ARGS 6

typedef struct {
  guint32 mask[N_ARGS];
  guint32 value[N_ARGS];
} Clause;

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

/* A conjunction of conditions; none: it always holds. */
typedef struct {
  guint n_conds;
  WideCond conds[SBX_TERM_MAX_CONDS];
} WideTerm;

/* The rule each denied syscall ends up with, after merging groups, the
 * profile's extra denials and the stage: denied when any term holds. */
typedef struct {
  const char *name;
  SbxActionKind action;
  gboolean notify;   /* gate stage: SECCOMP_RET_USER_NOTIF (sbx answers) */
  gboolean always;   /* some term has no condition */
  GArray *terms;     /* WideTerm */
} Denial;

static void
denial_free (gpointer data)
{
  Denial *denial = data;

  g_array_unref (denial->terms);
  g_free (denial);
}

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

/* Blocks covering every x whose (x & @mask) is none of @values (each
 * within @mask), for a mask narrower than 32 bits: the mask's bits, from
 * the top, as a binary trie of @values; each branch no value takes is one
 * block.  @decided and @prefix: the bits walked so far and their value. */
static void
add_masked_complement (GArray *blocks, guint32 mask, guint32 decided, guint32 prefix, int bit,
                       const guint32 *values, guint n_values)
{
  guint32 side_values[2][WIDE_MAX_VALUES];
  guint n_side[2] = { 0, 0 };
  guint32 b;

  while (bit >= 0 && (mask & (1u << bit)) == 0)
    bit--;
  if (bit < 0)
    return; /* every bit decided: @prefix is one of @values */
  b = 1u << bit;
  for (guint i = 0; i < n_values; i++)
    {
      guint side = (values[i] & b) != 0;

      side_values[side][n_side[side]++] = values[i];
    }
  for (guint side = 0; side < 2; side++)
    {
      guint32 value = prefix | (side ? b : 0);

      if (n_side[side] == 0)
        {
          Block block = { decided | b, value };

          g_array_append_val (blocks, block);
        }
      else
        add_masked_complement (blocks, mask, decided | b, value, bit - 1, side_values[side],
                               n_side[side]);
    }
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
      else if (cond->mask == 0xffffffffu)
        add_complement_blocks (blocks, cond->values, cond->n_values);
      else
        add_masked_complement (blocks, cond->mask, 0, 0, 31, cond->values, cond->n_values);
      break;
    case SBX_COND_ALWAYS:
    case SBX_COND_NOT_IN_FAMILIES:
    case SBX_COND_TERMS:
    default:
      g_assert_not_reached ();
    }
  return blocks;
}

/* ------------------------------------------------------ sets of clauses
 *
 * A condition compiles to a union of clauses; "and" intersects two unions
 * clause by clause (two blocks on one argument intersect to one block or
 * to nothing), "or" joins them.  A term's negation is the union of its
 * conditions' negations, so both sides of a rule — where it holds, where
 * it does not — are unions of clauses. */

static GArray *
clauses_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (Clause));
}

/* One clause matching every call. */
static GArray *
clauses_true (void)
{
  GArray *set = clauses_new ();
  Clause any = { { 0 }, { 0 } };

  g_array_append_val (set, any);
  return set;
}

static GArray *
clauses_of_cond (const WideCond *cond, gboolean holds)
{
  g_autoptr(GArray) blocks = cond_blocks (cond, holds);
  GArray *set = clauses_new ();

  for (guint i = 0; i < blocks->len; i++)
    {
      Clause c = { { 0 }, { 0 } };

      c.mask[cond->arg] = g_array_index (blocks, Block, i).mask;
      c.value[cond->arg] = g_array_index (blocks, Block, i).value & c.mask[cond->arg];
      g_array_append_val (set, c);
    }
  return set;
}

/* FALSE when no call matches both. */
static gboolean
clause_intersect (const Clause *a, const Clause *b, Clause *out)
{
  for (guint i = 0; i < N_ARGS; i++)
    {
      guint32 common = a->mask[i] & b->mask[i];

      if ((a->value[i] & common) != (b->value[i] & common))
        return FALSE;
      out->mask[i] = a->mask[i] | b->mask[i];
      out->value[i] = a->value[i] | b->value[i];
    }
  return TRUE;
}

static GArray *
clauses_and (GArray *a, GArray *b)
{
  GArray *set = clauses_new ();

  for (guint i = 0; i < a->len; i++)
    for (guint j = 0; j < b->len; j++)
      {
        Clause c;

        if (clause_intersect (&g_array_index (a, Clause, i), &g_array_index (b, Clause, j), &c))
          g_array_append_val (set, c);
      }
  return set;
}

/* TRUE when every call @narrow matches, @wide matches too. */
static gboolean
clause_covers (const Clause *wide, const Clause *narrow)
{
  for (guint i = 0; i < N_ARGS; i++)
    if ((wide->mask[i] & ~narrow->mask[i]) != 0
        || (narrow->value[i] & wide->mask[i]) != wide->value[i])
      return FALSE;
  return TRUE;
}

/* Drops clauses another one covers (the first of equal ones stays):
 * libseccomp merges such rules anyway, and the listing stays short. */
static void
clauses_simplify (GArray *set)
{
  for (guint i = set->len; i > 0; i--)
    {
      const Clause *c = &g_array_index (set, Clause, i - 1);

      for (guint j = 0; j < set->len; j++)
        if (j != i - 1 && clause_covers (&g_array_index (set, Clause, j), c)
            && (j < i - 1 || !clause_covers (c, &g_array_index (set, Clause, j))))
          {
            g_array_remove_index (set, i - 1);
            break;
          }
    }
}

/* Where @denial holds (@holds) or does not. */
static GArray *
denial_clauses (const Denial *denial, gboolean holds)
{
  GArray *result = holds ? clauses_new () : clauses_true ();

  for (guint t = 0; t < denial->terms->len; t++)
    {
      const WideTerm *term = &g_array_index (denial->terms, WideTerm, t);
      GArray *side = holds ? clauses_true () : clauses_new ();

      for (guint c = 0; c < term->n_conds; c++)
        {
          g_autoptr(GArray) cond = clauses_of_cond (&term->conds[c], holds);

          if (holds)
            {
              GArray *next = clauses_and (side, cond);

              g_array_unref (side);
              side = next;
            }
          else
            g_array_append_vals (side, cond->data, cond->len);
        }
      if (holds)
        g_array_append_vals (result, side->data, side->len);
      else
        {
          GArray *next = clauses_and (result, side);

          g_array_unref (result);
          result = next;
        }
      g_array_unref (side);
    }
  clauses_simplify (result);
  return result;
}

/* ------------------------------------------------------ collecting rules */

/* @cond as a WideCond; FALSE when it always holds (an empty
 * socket-families list, or more families than fit: fail closed). */
static gboolean
widen_cond (const SbxCond *cond, const SbxSeccompInput *input, WideCond *out)
{
  memset (out, 0, sizeof *out);
  out->kind = cond->kind;
  out->arg = cond->arg;
  out->mask = cond->mask;
  out->n_values = MIN (cond->n_values, SBX_COND_MAX_VALUES);
  memcpy (out->values, cond->values, out->n_values * sizeof (guint32));
  if (cond->kind == SBX_COND_NOT_IN_FAMILIES)
    {
      GArray *families = input->socket_families;
      guint n = families ? families->len : 0;

      if (n == 0 || n > WIDE_MAX_VALUES)
        return FALSE;
      out->kind = SBX_COND_NOT_IN;
      out->n_values = n;
      for (guint i = 0; i < n; i++)
        out->values[i] = (guint32) g_array_index (families, int, i);
    }
  return cond->kind != SBX_COND_ALWAYS;
}

static void
append_term (GArray *terms, const SbxCond *conds, guint n_conds, const SbxSeccompInput *input)
{
  WideTerm term = { 0 };

  for (guint i = 0; i < n_conds; i++)
    if (widen_cond (&conds[i], input, &term.conds[term.n_conds]))
      term.n_conds++;
  g_array_append_val (terms, term);
}

/* Records @rule in @denials (name → Denial): an unconditional denial wins
 * over a conditional one, two conditional ones are joined (denied when
 * either holds); ENOSYS stays ENOSYS (clone3 must keep answering "not
 * implemented" so libc falls back). */
static void
merge_denial (GTree *denials, const SbxRule *rule, gboolean notify,
              const SbxSeccompInput *input)
{
  Denial *denial = g_tree_lookup (denials, rule->name);

  if (denial != NULL && denial->always)
    return;
  if (denial == NULL)
    {
      denial = g_new0 (Denial, 1);
      denial->name = rule->name;
      denial->action = rule->action;
      denial->notify = notify;
      denial->terms = g_array_new (FALSE, TRUE, sizeof (WideTerm));
      g_tree_insert (denials, (gpointer) denial->name, denial);
    }
  if (rule->cond.kind == SBX_COND_TERMS)
    for (gsize t = 0; t < rule->n_terms; t++)
      append_term (denial->terms, rule->terms[t].all, SBX_TERM_MAX_CONDS, input);
  else
    append_term (denial->terms, &rule->cond, 1, input);
  for (guint t = 0; t < denial->terms->len; t++)
    if (g_array_index (denial->terms, WideTerm, t).n_conds == 0)
      denial->always = TRUE;
  /* made unconditional by this rule: its action counts */
  if (denial->always)
    {
      denial->action = rule->action;
      denial->notify = notify;
    }
}

static int
compare_names (gconstpointer a, gconstpointer b, gpointer unused)
{
  return strcmp (a, b);
}

static GTree *
collect_denials (const SbxSeccompInput *input, SbxStage stage)
{
  GTree *denials = g_tree_new_full (compare_names, NULL, NULL, denial_free);

  for (guint g = 0; g < SBX_N_GROUPS; g++)
    {
      const SbxGroup *group = &sbx_deny_groups[g];

      if (group->lock_only && stage == SBX_STAGE_LAUNCH)
        continue;
      for (gsize i = 0; i < group->n_rules; i++)
        merge_denial (denials, &group->rules[i], group->gate_notify && stage == SBX_STAGE_GATE,
                      input);
    }
  for (guint i = 0; input->deny_extra && i < input->deny_extra->len; i++)
    {
      SbxRule extra = { .name = g_ptr_array_index (input->deny_extra, i),
                        .action = SBX_ACTION_DENY,
                        .cond = { .kind = SBX_COND_ALWAYS } };
      merge_denial (denials, &extra, FALSE, input);
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
 * once per compile, not once per clause. */
static int
resolve (const char *name)
{
  int nr = seccomp_syscall_resolve_name (name);

  return nr < 0 ? -1 : nr;
}

/* One rule for @name (native number @nr) matching @clause (NULL: every
 * call); a rule whose action is the default is implied, and libseccomp
 * refuses it, so it is skipped. */
static gboolean
add_rule (Builder *b, guint32 action, const char *name, int nr, const Clause *clause)
{
  struct scmp_arg_cmp cmp[N_ARGS];
  guint n = 0;
  int rc;

  if (action == b->default_action)
    return TRUE;
  if (nr < 0)
    {
      /* Tables are checked to resolve (optional rules aside); a profile's
       * extra name may exist only on other ABIs: then the native ABI
       * cannot make the call. */
      return TRUE;
    }
  for (guint i = 0; clause != NULL && i < N_ARGS; i++)
    if (clause->mask[i] != 0)
      cmp[n++] = (struct scmp_arg_cmp){ i, SCMP_CMP_MASKED_EQ, clause->mask[i], clause->value[i] };
  rc = seccomp_rule_add_exact_array (b->ctx, action, nr, n, n ? cmp : NULL);
  if (rc < 0)
    {
      set_seccomp_error (b->error, rc, "cannot add a rule for", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_clauses (Builder *b, guint32 action, const Denial *denial, gboolean holds)
{
  g_autoptr(GArray) clauses = NULL;
  int nr;

  if (action == b->default_action || (nr = resolve (denial->name)) < 0)
    return TRUE; /* add_rule would skip every clause */
  clauses = denial_clauses (denial, holds);
  for (guint i = 0; i < clauses->len; i++)
    if (!add_rule (b, action, denial->name, nr, &g_array_index (clauses, Clause, i)))
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

  if (d->always)
    b->failed = !add_rule (b, action, d->name, resolve (d->name), NULL);
  else if (!b->allow_list)
    b->failed = !add_clauses (b, action, d, TRUE);
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
          if (!add_rule (b, SCMP_ACT_ALLOW, name, resolve (name), NULL))
            return FALSE;
        }
      else if (!d->always)
        {
          if (!add_clauses (b, SCMP_ACT_ALLOW, d, FALSE))
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

SbxSeccompInput *
sbx_seccomp_input_new (SbxProfile *profile)
{
  SbxSeccompInput *input;

  g_return_val_if_fail (profile != NULL, NULL);
  input = g_new0 (SbxSeccompInput, 1);
  input->seccomp_mode = profile->seccomp_mode;
  input->errno_value = profile->errno_value;
  input->socket_families = g_array_new (FALSE, FALSE, sizeof (int));
  if (profile->socket_families != NULL)
    g_array_append_vals (input->socket_families, profile->socket_families->data,
                         profile->socket_families->len);
  input->deny_extra = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; profile->deny_extra != NULL && i < profile->deny_extra->len; i++)
    g_ptr_array_add (input->deny_extra, g_strdup (g_ptr_array_index (profile->deny_extra, i)));
  return input;
}

void
sbx_seccomp_input_free (SbxSeccompInput *input)
{
  if (input == NULL)
    return;
  g_array_unref (input->socket_families);
  g_ptr_array_unref (input->deny_extra);
  g_free (input);
}

/* Reads only @input, the compiler's own type: sbx_seccomp_key_text()
 * (below) renders all of it. */
scmp_filter_ctx
sbx_seccomp_build (const SbxSeccompInput *input, SbxStage stage, SbxCompileFlags flags,
                   GError **error)
{
  Builder b = { 0 };
  g_autoptr(GTree) denials = NULL;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (input->errno_value > 0 && input->errno_value < 4096, NULL);

  b.allow_list = input->seccomp_mode == SBX_SECCOMP_ALLOW_LIST;
  /* --explain: every refusal goes to sbx, which answers the same errno
   * and says which rule refused.  Both programs notify (a launch ERRNO
   * would win over the gate's USER_NOTIF); the newest filter, the gate's,
   * is the one whose listener hears it. */
  b.deny_action = (flags & SBX_COMPILE_EXPLAIN) ? SCMP_ACT_NOTIFY : SCMP_ACT_ERRNO (input->errno_value);
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
  denials = collect_denials (input, stage);
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
 *   - the profile: sbx_seccomp_build() reads its SbxSeccompInput and
 *     nothing else — all of which sbx_seccomp_input_key_text() renders;
 *   - the bpf/ tables: tables_fingerprint();
 *   - libseccomp itself and the native ABI: version and arch token, and
 *     the highest syscall number its table knows (distributions patch
 *     newer calls in without a new version: Debian's 2.5.4-1+deb12u1 knows
 *     fchmodat2 and the rest up to 456), which sets the prologue's ENOSYS
 *     and whether the optional rules resolve.
 */

static const char *
mode_name (SbxSeccompMode mode)
{
  return sbx_enum_name (sbx_seccomp_mode_names, mode);
}

char *
sbx_seccomp_key_text (SbxProfile *profile)
{
  g_autoptr(SbxSeccompInput) input = NULL;

  g_return_val_if_fail (profile != NULL, NULL);
  input = sbx_seccomp_input_new (profile);
  return sbx_seccomp_input_key_text (input);
}

char *
sbx_seccomp_input_key_text (const SbxSeccompInput *input)
{
  GString *text;
  const char *mode;

  g_return_val_if_fail (input != NULL, NULL);

  text = g_string_new ("[seccomp]\n");
  mode = mode_name (input->seccomp_mode);
  if (mode != NULL)
    g_string_append_printf (text, "mode=%s\n", mode);
  else
    g_string_append_printf (text, "mode=%d\n", (int) input->seccomp_mode);
  g_string_append_printf (text, "errno=%d\n", input->errno_value);
  /* One line per name, escaped: no name can run into the next line. */
  for (guint i = 0; input->deny_extra && i < input->deny_extra->len; i++)
    {
      g_autofree char *name = g_strescape (g_ptr_array_index (input->deny_extra, i), NULL);

      g_string_append_printf (text, "deny=%s\n", name);
    }
  g_string_append (text, "[network]\nsocket-families=");
  for (guint i = 0; input->socket_families && i < input->socket_families->len; i++)
    g_string_append_printf (text, "%s%d", i ? ";" : "",
                            g_array_index (input->socket_families, int, i));
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
fnv_cond (guint64 h, const SbxCond *cond)
{
  guint n_values = MIN (cond->n_values, SBX_COND_MAX_VALUES);

  h = fnv_u32 (h, cond->kind);
  h = fnv_u32 (h, cond->arg);
  h = fnv_u32 (h, cond->mask);
  h = fnv_u32 (h, n_values);
  for (guint v = 0; v < n_values; v++)
    h = fnv_u32 (h, cond->values[v]);
  return h;
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

          h = fnv_name (h, rule->name);
          h = fnv_u32 (h, rule->action);
          h = fnv_u32 (h, rule->optional ? 1 : 0);
          h = fnv_cond (h, &rule->cond);
          h = fnv_u32 (h, rule->cond.kind == SBX_COND_TERMS ? rule->n_terms : 0);
          for (gsize t = 0; rule->cond.kind == SBX_COND_TERMS && t < rule->n_terms; t++)
            for (guint c = 0; c < SBX_TERM_MAX_CONDS; c++)
              h = fnv_cond (h, &rule->terms[t].all[c]);
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
                           "max-syscall=%d\n"
                           "%s",
                           version, seccomp_arch_native (),
                           stage == SBX_STAGE_LOCK ? "lock" : stage == SBX_STAGE_LAUNCH ? "launch"
                           : stage == SBX_STAGE_GATE ? "gate" : "?",
                           tables_fingerprint (), sbx_seccomp_max_known_syscall (), text);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);
}

static gboolean
known_syscall (int nr)
{
  char *name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);

  free (name);
  return name != NULL;
}

/* Whether @nr is libseccomp's highest: known, and none of the next 8.
 * New calls get the next free numbers (one table for every arch since
 * Linux 5.1: x86_64 went 424, 425, ... with no hole), so a libseccomp
 * newer than the hint knows @nr + 1; 8 leaves room for a withdrawn
 * number or two.  Each unknown number walks libseccomp's whole table:
 * 64 of them cost every start ~50 us (benchmark B1). */
#define MAX_KNOWN_WINDOW 8

static gboolean
is_max_known (int nr)
{
  if (nr <= 0 || !known_syscall (nr))
    return FALSE;
  for (int above = nr + 1; above <= nr + MAX_KNOWN_WINDOW; above++)
    if (known_syscall (above))
      return FALSE;
  return TRUE;
}

/* libseccomp's highest call number for the native arch: @hint when
 * is_max_known() says so, else the scan.  A right hint costs 9 lookups
 * instead of the scan's ~570, which cost every sbx start about 0.1 ms
 * (benchmark B1). */
int
sbx_seccomp_find_max_syscall (int hint)
{
  if (is_max_known (hint))
    return hint;
  /* x86_64 numbers end near 470 today; 1024 leaves room for years.
   * Downwards: the first name found is the answer. */
  for (int nr = 1023; nr > 0; nr--)
    if (known_syscall (nr))
      return nr;
  return 0;
}

/* Found once, with the build's answer as the hint: libseccomp's table
 * does not change while we run. */
int
sbx_seccomp_max_known_syscall (void)
{
  static gsize cached = 0;

  if (g_once_init_enter (&cached))
    g_once_init_leave (&cached, (gsize) sbx_seccomp_find_max_syscall (sbx_precompiled_max_syscall) + 1);
  return (int) cached - 1;
}
