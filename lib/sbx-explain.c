/* sbx-explain.c — `sbx run --explain`: a refused call as text, and the
 * profile rule that refused it.
 *
 * The rule is found the way the compiler (sbx-seccomp.c) builds the
 * programs: the profile's extra denials, then the deny groups with their
 * argument conditions (the low 32 bits, masked, as in the programs), then,
 * in allow-list mode, the allow table.  Arguments are shown as
 * bpf/sbx-decode.c says.
 */
#include "config.h"

#include "sbx-sandbox-private.h"
#include "sbx-policy.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const SbxDecode *
decode_entry (const char *name)
{
  for (gsize i = 0; i < sbx_decode_table_len; i++)
    if (strcmp (sbx_decode_table[i].name, name) == 0)
      return &sbx_decode_table[i];
  return NULL;
}

static void
append_socktype (GString *out, guint32 value)
{
  static const char *const types[] = {
    [SOCK_STREAM] = "SOCK_STREAM", [SOCK_DGRAM] = "SOCK_DGRAM", [SOCK_RAW] = "SOCK_RAW",
    [SOCK_RDM] = "SOCK_RDM", [SOCK_SEQPACKET] = "SOCK_SEQPACKET", [SOCK_PACKET] = "SOCK_PACKET",
  };
  guint32 type = value & 0xf;

  if (type < G_N_ELEMENTS (types) && types[type] != NULL)
    g_string_append (out, types[type]);
  else
    g_string_append_printf (out, "%u", type);
  if (value & SOCK_NONBLOCK)
    g_string_append (out, "|SOCK_NONBLOCK");
  if (value & SOCK_CLOEXEC)
    g_string_append (out, "|SOCK_CLOEXEC");
  if (value & ~(guint32) (0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
    g_string_append_printf (out, "|0x%x", value & ~(guint32) (0xf | SOCK_NONBLOCK | SOCK_CLOEXEC));
}

static void
append_arg (GString *out, SbxArgKind kind, guint64 raw)
{
  guint32 low = (guint32) raw; /* what the kernel reads of an int argument */

  switch (kind)
    {
    case SBX_ARG_INT:
      g_string_append_printf (out, "%d", (int) low);
      break;
    case SBX_ARG_HEX:
      g_string_append_printf (out, "0x%x", low);
      break;
    case SBX_ARG_FAMILY:
      {
        const char *name = sbx_socket_family_to_name ((int) low);

        if (name != NULL)
          {
            g_autofree char *upper = g_ascii_strup (name, -1);

            g_string_append_printf (out, "AF_%s", upper);
          }
        else
          g_string_append_printf (out, "%d", (int) low);
        break;
      }
    case SBX_ARG_SOCKTYPE:
      append_socktype (out, low);
      break;
    case SBX_ARG_PTR:
    case SBX_ARG_END:
    default:
      g_string_append (out, "…");
      break;
    }
}

char *
sbx_explain_call (const struct seccomp_data *data)
{
  g_autofree char *name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, data->nr);
  const SbxDecode *decode = name != NULL ? decode_entry (name) : NULL;
  GString *out = g_string_new (NULL);

  if (name == NULL)
    {
      g_string_append_printf (out, "syscall %d(…)", data->nr);
      return g_string_free (out, FALSE);
    }
  g_string_append_printf (out, "%s(", name);
  if (decode == NULL)
    g_string_append (out, "…");
  for (guint i = 0; decode != NULL && i < SBX_DECODE_MAX_ARGS && decode->args[i] != SBX_ARG_END; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_arg (out, decode->args[i], data->args[i]);
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

static gboolean
in_values (guint32 x, const guint32 *values, guint n)
{
  for (guint i = 0; i < n; i++)
    if (values[i] == x)
      return TRUE;
  return FALSE;
}

/* Whether @rule's condition holds for @data (the programs' own test). */
static gboolean
cond_holds (const SbxCond *cond, SbxProfile *profile, const struct seccomp_data *data)
{
  guint32 x = (guint32) data->args[cond->arg] & cond->mask;

  switch (cond->kind)
    {
    case SBX_COND_ALWAYS:
      return TRUE;
    case SBX_COND_ANY_BIT:
      return x != 0;
    case SBX_COND_IN:
      return in_values (x, cond->values, cond->n_values);
    case SBX_COND_NOT_IN:
      return !in_values (x, cond->values, cond->n_values);
    case SBX_COND_NOT_IN_FAMILIES:
      for (guint i = 0; profile->socket_families != NULL && i < profile->socket_families->len; i++)
        if ((guint32) g_array_index (profile->socket_families, int, i) == x)
          return FALSE;
      return TRUE;
    case SBX_COND_TERMS:
    default:
      return TRUE;
    }
}

/* Whether @rule refuses @data; *@families: the condition that holds is
 * the profile's [network] socket-families. */
static gboolean
rule_holds (const SbxRule *rule, SbxProfile *profile, const struct seccomp_data *data,
            gboolean *families)
{
  *families = FALSE;
  if (rule->cond.kind != SBX_COND_TERMS)
    {
      *families = rule->cond.kind == SBX_COND_NOT_IN_FAMILIES;
      return cond_holds (&rule->cond, profile, data);
    }
  for (gsize t = 0; t < rule->n_terms; t++)
    {
      gboolean all = TRUE, fam = FALSE;

      for (guint c = 0; c < SBX_TERM_MAX_CONDS && all; c++)
        {
          const SbxCond *cond = &rule->terms[t].all[c];

          all = cond_holds (cond, profile, data);
          fam = fam || cond->kind == SBX_COND_NOT_IN_FAMILIES;
        }
      if (all)
        {
          *families = fam;
          return TRUE;
        }
    }
  return FALSE;
}

/* Rules whose condition is a profile key name the key; the others name
 * their built-in group. */
static const char *
group_rule_text (const SbxGroup *group, gboolean families)
{
  static GHashTable *texts; /* group name → text, built once */
  static GMutex lock;
  const char *text;

  if (families)
    return "[network] socket-families";
  g_mutex_lock (&lock);
  if (texts == NULL)
    texts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  text = g_hash_table_lookup (texts, group->name);
  if (text == NULL)
    {
      char *made = g_strdup_printf ("[seccomp] built-in deny group “%s” (%s)", group->name,
                                    group->help);

      g_hash_table_insert (texts, (gpointer) group->name, made);
      text = made;
    }
  g_mutex_unlock (&lock);
  return text;
}

const char *
sbx_explain_rule (SbxProfile *profile, const struct seccomp_data *data)
{
  g_autofree char *name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, data->nr);

  if (name == NULL)
    return "[seccomp] a syscall newer than libseccomp's table";
  for (guint i = 0; profile->deny_extra != NULL && i < profile->deny_extra->len; i++)
    if (strcmp (g_ptr_array_index (profile->deny_extra, i), name) == 0)
      return "[seccomp] deny";
  for (guint g = 0; g < SBX_N_GROUPS; g++)
    {
      const SbxGroup *group = &sbx_deny_groups[g];

      for (gsize i = 0; i < group->n_rules; i++)
        {
          gboolean families;

          if (strcmp (group->rules[i].name, name) == 0
              && rule_holds (&group->rules[i], profile, data, &families))
            return group_rule_text (group, families);
        }
    }
  if (profile->seccomp_mode == SBX_SECCOMP_ALLOW_LIST)
    return "[seccomp] mode=allow-list (not among the calls an offline job needs)";
  return "[seccomp]";
}
