/* sbx-profile.c — SbxProfile: load a GLib key file into the plain model of
 * sbx-private.h, validate it, and write it back as canonical text.
 *
 * The format is data: keys[] below lists every {group, key, parser,
 * writer, default} in canonical order.  Loading is three passes:
 *   1. scan_text() walks the raw text once — syntax, unknown groups and
 *      keys, duplicate keys — and remembers the line of every group and
 *      key, because GKeyFile reports no line for semantic errors (and
 *      silently drops locale keys like "name[de]");
 *   2. GKeyFile parses the text (it does the unescaping of values);
 *   3. each keys[] entry parses its value (or its default) into the model.
 * Canonical text is written by the same table, so it round-trips.
 */
#include "config.h"

#include "sbx-profile-internal.h"
#include "sbx-policy.h"
#include "catalogue.h"

#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* ------------------------------------------------------------ parse context */

typedef struct {
  const char *source;  /* for messages: file name or "<string>" */
  const char *text;
  gsize length;
  GKeyFile *kf;
  GHashTable *lines;   /* "group" / "group\nkey" → line (1-based) */
  GPtrArray *scratch;  /* excerpts made for messages, freed with the context */
  /* Collect mode (sbx_profile_check_file): every problem is added here and
   * loading goes on; scan_text() writes the text with each bad line
   * commented out into @clean, for GKeyFile.  NULL: stop at the first. */
  GPtrArray *problems;
  GString *clean;
} ParseCtx;

typedef struct _KeyDef KeyDef;

/* Parses the value of @def (from ctx->kf; the default was filled in when
 * the key is absent and the default is not computed) into @profile. */
typedef gboolean (*KeyParseFunc) (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx,
                                  GError **error);
/* Writes the normalised value of @def from @profile into @out. */
typedef void (*KeyWriteFunc) (SbxProfile *profile, const KeyDef *def, GKeyFile *out);
/* List keys (parse_list): checks one non-blank @item and adds it to the
 * list at def->offset; FALSE with a key error. */
typedef gboolean (*KeyItemFunc) (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx,
                                 const char *item, GError **error);
/* List keys: what follows the last item (sorting, checks of the whole list). */
typedef gboolean (*KeyFinishFunc) (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx,
                                   GError **error);
/* Lists of plain strings (add_checked): why @item may not be one, or NULL
 * (transfer full). */
typedef char *(*KeyCheckFunc) (ParseCtx *ctx, const char *item);

typedef SbxEnumName EnumName; /* sbx-names.c */

enum {
  KEY_UNLIMITED = 1 << 0, /* "unlimited" allowed (→ RLIM_INFINITY) */
  KEY_UINT = 1 << 1,      /* field is a guint, not a guint64 */
  KEY_RAW = 1 << 2,       /* list items keep their trailing blanks */
  KEY_INT_LIST = 1 << 3,  /* the list is a GArray of int, not a GPtrArray */
};

struct _KeyDef {
  const char *group;
  const char *key;
  KeyParseFunc parse;
  KeyWriteFunc write;
  const char *default_value; /* raw key-file value; NULL: computed by the parser */
  gsize offset;              /* field of SbxProfile the generic parsers fill */
  const EnumName *names;     /* enum keys: NULL-terminated table */
  int flags;                 /* KEY_*, or the SbxHostPathKind of a path key */
  guint64 min;               /* numbers: smallest value allowed */
  guint64 max;               /* numbers: largest value allowed (0: no limit but overflow) */
  const char *expected;      /* the "; expected …" part of messages */
  KeyItemFunc item;          /* list keys: one item (parse_list) */
  KeyFinishFunc finish;      /* list keys: after the items; NULL: nothing */
  KeyCheckFunc check;        /* lists of plain strings: the rule of an item */
};

#define FIELD(type, profile, def) ((type *) (gpointer) ((guint8 *) (profile) + (def)->offset))

static const char *const group_names[] = {
  "sandbox", "filesystem", "network", "environment", "seccomp", "limits", "attest",
};

static char *
line_key (const char *group, const char *key)
{
  return key ? g_strconcat (group, "\n", key, NULL) : g_strdup (group);
}

static guint
ctx_line (ParseCtx *ctx, const char *group, const char *key)
{
  g_autofree char *k = NULL;

  if (ctx == NULL || ctx->lines == NULL)
    return 0;
  k = line_key (group, key);
  return GPOINTER_TO_UINT (g_hash_table_lookup (ctx->lines, k));
}

/* At most SBX_EXCERPT_MAX bytes of @text, for quoting user input in a
 * message: a 100 MB value must not make a 100 MB line. (transfer none:
 * owned by @ctx) */
static const char *
Q (ParseCtx *ctx, const char *text)
{
  char *shown = sbx_excerpt (text, -1);

  g_ptr_array_add (ctx->scratch, shown);
  return shown;
}

/* What leads a message about [@group] @key: "SOURCE:LINE: ", "SOURCE: "
 * without a known line, "" without a context (transfer full). */
static char *
ctx_where (ParseCtx *ctx, const char *group, const char *key)
{
  guint line = ctx_line (ctx, group, key);

  if (ctx == NULL)
    return g_strdup ("");
  if (line > 0)
    return g_strdup_printf ("%s:%u: ", ctx->source, line);
  return g_strdup_printf ("%s: ", ctx->source);
}

/* Remembers where [@def] key's host path came from (sbx-profile-host.c);
 * @suffix: "\nDEST" of a read-only entry, else NULL. */
static void
note_where (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, const char *suffix)
{
  g_autofree char *where = ctx_where (ctx, def->group, def->key);
  g_autofree char *name = g_strconcat (def->key, suffix, NULL);

  sbx_profile_set_where (profile, name, where);
}

/* "SOURCE:LINE: [group] key: MESSAGE".  Without a context (setters) only
 * "[group] key: MESSAGE"; without a known line "SOURCE: [group] key: …". */
static void G_GNUC_PRINTF (6, 7)
set_key_error (GError **error, ParseCtx *ctx, SbxError code, const char *group, const char *key,
               const char *format, ...)
{
  g_autofree char *message = NULL;
  g_autofree char *where = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  where = ctx_where (ctx, group, key);
  if (key != NULL)
    g_set_error (error, SBX_ERROR, code, "%s[%s] %s: %s", where, group, key, message);
  else
    g_set_error (error, SBX_ERROR, code, "%s[%s]: %s", where, group, message);
}

/* ------------------------------------------------------------ value access */

/* The unescaped scalar value, surrounding whitespace stripped unless @raw
 * (GKeyFile already drops leading blanks; "\s" escapes keep them). */
static char *
get_value (const KeyDef *def, ParseCtx *ctx, gboolean raw, GError **error)
{
  g_autoptr(GError) local = NULL;
  char *value = g_key_file_get_string (ctx->kf, def->group, def->key, &local);

  if (value == NULL)
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key, "%s; %s",
                     local->message, def->expected);
      return NULL;
    }
  return raw ? value : g_strstrip (value);
}

static char *
get_scalar (const KeyDef *def, ParseCtx *ctx, GError **error)
{
  return get_value (def, ctx, FALSE, error);
}

/* The unescaped list; elements stripped of whitespace unless @raw. */
static GStrv
get_list (const KeyDef *def, ParseCtx *ctx, gboolean raw, GError **error)
{
  g_autoptr(GError) local = NULL;
  gsize n = 0;
  GStrv list = g_key_file_get_string_list (ctx->kf, def->group, def->key, &n, &local);

  if (list == NULL && local != NULL)
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key, "%s; %s",
                     local->message, def->expected);
      return NULL;
    }
  if (list == NULL)
    list = g_new0 (char *, 1);
  for (gsize i = 0; !raw && list[i] != NULL; i++)
    g_strstrip (list[i]);
  return list;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
compare_ints (gconstpointer a, gconstpointer b)
{
  int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}

/* Sorts @array (char*) and removes repeated entries. */
static void
sort_unique_strings (GPtrArray *array)
{
  g_ptr_array_sort (array, compare_strings);
  for (guint i = 1; i < array->len;)
    if (strcmp (array->pdata[i - 1], array->pdata[i]) == 0)
      g_ptr_array_remove_index (array, i);
    else
      i++;
}

static gboolean
is_env_name (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

/* Variables sbx sets itself for the exec lock; a profile may not name them. */
static gboolean
is_reserved_env_name (const char *name)
{
  return strcmp (name, SBX_ENV_PRELOAD) == 0 || strcmp (name, SBX_ENV_LOCK_FD) == 0;
}

/* "a/b//c/" → "/a/b/c"; NULL if a component is "." or "..". */
static char *
normalise_sandbox_path (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (strcmp (parts[i], ".") == 0 || strcmp (parts[i], "..") == 0)
        return NULL;
      g_string_append_c (out, '/');
      g_string_append (out, parts[i]);
    }
  if (out->len == 0)
    g_string_append_c (out, '/');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* -------------------------------------------------------------- numbers */

/* Parses a decimal number with an optional size suffix (K, M, G; any case;
 * 1024-based) or "unlimited".  Returns FALSE with the problem text. */
static gboolean
parse_number (const char *text, gboolean allow_suffix, gboolean allow_unlimited, guint64 *out,
              char **problem)
{
  guint64 value = 0, mult = 1;
  const char *p = text;
  g_autofree char *shown = sbx_excerpt (text, -1);

  if (allow_unlimited && strcmp (text, "unlimited") == 0)
    {
      *out = RLIM_INFINITY;
      return TRUE;
    }
  if (*p == '\0')
    {
      *problem = g_strdup ("empty value");
      return FALSE;
    }
  if (*p == '-')
    {
      *problem = g_strdup_printf ("negative value “%s”", shown);
      return FALSE;
    }
  if (!g_ascii_isdigit (*p))
    {
      *problem = g_strdup_printf ("“%s” is not a number", shown);
      return FALSE;
    }
  for (; g_ascii_isdigit (*p); p++)
    {
      guint d = *p - '0';
      if (value > (G_MAXUINT64 - d) / 10)
        {
          *problem = g_strdup_printf ("“%s” is too large", shown);
          return FALSE;
        }
      value = value * 10 + d;
    }
  if (*p != '\0')
    {
      if (!allow_suffix)
        {
          *problem = g_strdup_printf ("“%s” is not a whole number", shown);
          return FALSE;
        }
      switch (*p)
        {
        case 'k': case 'K': mult = G_GUINT64_CONSTANT (1) << 10; break;
        case 'm': case 'M': mult = G_GUINT64_CONSTANT (1) << 20; break;
        case 'g': case 'G': mult = G_GUINT64_CONSTANT (1) << 30; break;
        default: mult = 0; break;
        }
      if (mult == 0 || p[1] != '\0')
        {
          g_autofree char *suffix = sbx_excerpt (p, -1);

          *problem = g_strdup_printf ("bad size suffix “%s” in “%s”", suffix, shown);
          return FALSE;
        }
      if (value > G_MAXUINT64 / mult)
        {
          *problem = g_strdup_printf ("“%s” is too large", shown);
          return FALSE;
        }
      value *= mult;
    }
  /* RLIM_INFINITY is all ones: a number may not reach it by accident. */
  if (value >= RLIM_INFINITY)
    {
      *problem = g_strdup_printf ("“%s” is too large", shown);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_number_key (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, gboolean allow_suffix,
                  GError **error)
{
  g_autofree char *text = get_scalar (def, ctx, error);
  g_autofree char *problem = NULL;
  guint64 value;

  if (text == NULL)
    return FALSE;
  if (!parse_number (text, allow_suffix, (def->flags & KEY_UNLIMITED) != 0, &value, &problem))
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key, "%s; %s",
                     problem, def->expected);
      return FALSE;
    }
  if (value != RLIM_INFINITY
      && (value < def->min || (def->max != 0 && value > def->max)))
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                     "“%s” is out of range; %s", Q (ctx, text), def->expected);
      return FALSE;
    }
  if (def->flags & KEY_UINT)
    *FIELD (guint, profile, def) = (guint) value;
  else
    *FIELD (guint64, profile, def) = value;
  return TRUE;
}

static gboolean
parse_size (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  return parse_number_key (profile, def, ctx, TRUE, error);
}

static gboolean
parse_count (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  return parse_number_key (profile, def, ctx, FALSE, error);
}

static void
write_number (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  guint64 value = (def->flags & KEY_UINT) ? *FIELD (guint, profile, def)
                                          : *FIELD (guint64, profile, def);
  g_autofree char *text = NULL;

  if ((def->flags & KEY_UNLIMITED) && value == RLIM_INFINITY)
    text = g_strdup ("unlimited");
  else
    text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  g_key_file_set_value (out, def->group, def->key, text);
}

/* ---------------------------------------------------------------- enums */

static gboolean
parse_enum (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  g_autofree char *text = get_scalar (def, ctx, error);

  if (text == NULL)
    return FALSE;
  for (const EnumName *n = def->names; n->name != NULL; n++)
    if (strcmp (n->name, text) == 0)
      {
        *FIELD (int, profile, def) = n->value;
        return TRUE;
      }
  set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                 "unknown value “%s”; %s", Q (ctx, text), def->expected);
  return FALSE;
}

static void
write_enum (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  int value = *FIELD (int, profile, def);

  for (const EnumName *n = def->names; n->name != NULL; n++)
    if (n->value == value)
      {
        g_key_file_set_value (out, def->group, def->key, n->name);
        return;
      }
  g_assert_not_reached ();
}

/* ----------------------------------------------------------------- text */

static gboolean
parse_text (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  g_autofree char *text = get_scalar (def, ctx, error);

  if (text == NULL)
    return FALSE;
  if (text[0] == '\0' || strlen (text) > def->max)
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                     "“%s” has the wrong length; %s", Q (ctx, text), def->expected);
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      {
        set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                       "contains a control character; %s", def->expected);
        return FALSE;
      }
  g_free (*FIELD (char *, profile, def));
  *FIELD (char *, profile, def) = g_steal_pointer (&text);
  return TRUE;
}

static void
write_text (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  const char *text = *FIELD (char *, profile, def);
  g_key_file_set_string (out, def->group, def->key, text ? text : "");
}

/* ---------------------------------------------------------------- lists */

/* A list key: the list at def->offset is emptied, then def->item takes
 * each item that is not blank (leading blanks dropped; with KEY_RAW the
 * trailing ones kept) and def->finish the whole.  The first bad item stops
 * it, leaving the items before it. */
static gboolean
parse_list (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  g_auto(GStrv) list = get_list (def, ctx, (def->flags & KEY_RAW) != 0, error);

  if (list == NULL)
    return FALSE;
  if (def->flags & KEY_INT_LIST)
    g_array_set_size (*FIELD (GArray *, profile, def), 0);
  else
    g_ptr_array_set_size (*FIELD (GPtrArray *, profile, def), 0);
  for (guint i = 0; list[i] != NULL; i++)
    {
      const char *item = list[i];

      while (g_ascii_isspace (*item))
        item++;
      if (*item != '\0' && !def->item (profile, def, ctx, item, error))
        return FALSE;
    }
  return def->finish == NULL || def->finish (profile, def, ctx, error);
}

/* An item of a list of plain strings, as def->check allows. */
static gboolean
add_checked (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, const char *item,
             GError **error)
{
  g_autofree char *problem = def->check (ctx, item);

  if (problem != NULL)
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key, "%s; %s", problem,
                     def->expected);
      return FALSE;
    }
  g_ptr_array_add (*FIELD (GPtrArray *, profile, def), g_strdup (item));
  return TRUE;
}

/* Sorts the list of strings and drops repeated ones. */
static gboolean
finish_sorted (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  sort_unique_strings (*FIELD (GPtrArray *, profile, def));
  return TRUE;
}

/* ----------------------------------------------------------- filesystem */

static gboolean
parse_host_dir (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  /* Not stripped: a folder name may end in a blank; canonical text keeps it. */
  g_autofree char *text = get_value (def, ctx, TRUE, error);
  g_autofree char *canonical = NULL;
  g_autofree char *problem = NULL;

  if (text == NULL)
    return FALSE;
  /* No host I/O: sbx_profile_check_host() looks at the folder. */
  if (text[0] != '\0'
      && !sbx_profile_normalise_host_path (text, def->flags, &canonical, &problem))
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_PATH, def->group, def->key, "%s", problem);
      return FALSE;
    }
  g_free (*FIELD (char *, profile, def));
  *FIELD (char *, profile, def) = g_steal_pointer (&canonical);
  note_where (profile, def, ctx, NULL);
  return TRUE;
}

static gboolean
add_system (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, const char *item,
            GError **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *problem = NULL;

  if (!sbx_profile_normalise_host_path (item, SBX_HOST_PATH_SYSTEM, &canonical, &problem))
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_PATH, def->group, def->key, "%s", problem);
      return FALSE;
    }
  g_ptr_array_add (profile->system, g_steal_pointer (&canonical));
  return TRUE;
}

static gboolean
finish_system (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  note_where (profile, def, ctx, NULL);
  /* Sorted order also puts a parent before anything bound below it. */
  return finish_sorted (profile, def, ctx, error);
}

static void
write_string_array (GPtrArray *array, const KeyDef *def, GKeyFile *out)
{
  g_key_file_set_string_list (out, def->group, def->key, (const char *const *) array->pdata,
                              array->len);
}

static void
write_system (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  write_string_array (profile->system, def, out);
}

/* ------------------------------------------------------ read-only paths */

static void
read_only_path_free (gpointer data)
{
  SbxReadOnlyPath *ro = data;

  g_free (ro->host);
  g_free (ro->dest);
  g_free (ro);
}

static int
compare_read_only (gconstpointer a, gconstpointer b)
{
  const SbxReadOnlyPath *x = *(SbxReadOnlyPath *const *) a, *y = *(SbxReadOnlyPath *const *) b;

  return strcmp (x->dest, y->dest);
}

static gboolean
path_at_or_below (const char *path, const char *dir)
{
  gsize len = strlen (dir);

  return strncmp (path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* Why @dest (normalised) cannot take a read-only bind, or NULL.  The
 * sandbox's own places stay sbx's: a bind at, above or below them would
 * hide or shadow them. */
static const char *
read_only_dest_problem (const char *dest)
{
  static const char *const reserved[] = {
    SBX_SANDBOX_IN, SBX_SANDBOX_OUT, SBX_SANDBOX_TMP, "/proc", "/dev", SBX_SANDBOX_HELPER_DIR,
    SBX_SANDBOX_PASSWD, SBX_SANDBOX_GROUP,
  };

  if (strcmp (dest, "/") == 0)
    return "the sandbox's root";
  for (gsize i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (path_at_or_below (dest, reserved[i]) || path_at_or_below (reserved[i], dest))
      return reserved[i];
  return NULL;
}

/* Checks one HOST[:SANDBOX] entry (split at the last ':' that a '/'
 * follows; without one, SANDBOX is HOST) and adds it to @profile unless its
 * destination is taken.  @ctx names the source in messages.  HOST is looked
 * at on the host only when @on_host (sbx_profile_add_read_only), not while
 * a profile is loaded. */
static gboolean
add_read_only (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, const char *host,
               const char *dest, gboolean on_host, GError **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *norm = NULL;
  const char *clash;
  SbxReadOnlyPath *ro;

  if (!(on_host ? sbx_profile_check_host_path : sbx_profile_normalise_host_path)
      (host, SBX_HOST_PATH_SYSTEM, &canonical, &problem))
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_PATH, def->group, def->key, "%s", problem);
      return FALSE;
    }
  if (dest == NULL)
    dest = canonical;
  if (dest[0] == '/')
    norm = normalise_sandbox_path (dest);
  if (norm == NULL)
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                     "sandbox path “%s” is not absolute or has a . or .. component; %s",
                     Q (ctx, dest), def->expected);
      return FALSE;
    }
  clash = read_only_dest_problem (norm);
  if (clash != NULL)
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                     "sandbox path “%s” would cover or sit in %s, which sbx sets up itself; %s",
                     Q (ctx, norm), clash, def->expected);
      return FALSE;
    }
  for (guint i = 0; i < profile->read_only->len; i++)
    if (strcmp (((SbxReadOnlyPath *) profile->read_only->pdata[i])->dest, norm) == 0)
      {
        set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                       "sandbox path “%s” is given twice; %s", Q (ctx, norm), def->expected);
        return FALSE;
      }
  {
    g_autofree char *suffix = g_strconcat ("\n", norm, NULL);
    note_where (profile, def, ctx, suffix);
  }
  ro = g_new0 (SbxReadOnlyPath, 1);
  ro->host = g_steal_pointer (&canonical);
  ro->dest = g_steal_pointer (&norm);
  g_ptr_array_add (profile->read_only, ro);
  g_ptr_array_sort (profile->read_only, compare_read_only);
  return TRUE;
}

/* "HOST:SANDBOX" → host, sandbox (NULL when there is no ":/"). */
static void
split_read_only (const char *entry, char **host, char **dest)
{
  const char *colon = NULL;

  for (const char *p = entry; *p != '\0'; p++)
    if (p[0] == ':' && p[1] == '/')
      colon = p;
  *host = colon ? g_strndup (entry, colon - entry) : g_strdup (entry);
  *dest = colon ? g_strdup (colon + 1) : NULL;
}

static gboolean
add_read_only_item (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, const char *item,
                    GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *dest = NULL;

  split_read_only (item, &host, &dest);
  return add_read_only (profile, def, ctx, host, dest, FALSE, error);
}

/* Written only when set, so profiles without it keep their canonical text. */
static void
write_read_only (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);

  if (profile->read_only->len == 0)
    return;
  for (guint i = 0; i < profile->read_only->len; i++)
    {
      const SbxReadOnlyPath *ro = profile->read_only->pdata[i];

      g_ptr_array_add (entries, strcmp (ro->host, ro->dest) == 0
                                  ? g_strdup (ro->host)
                                  : g_strconcat (ro->host, ":", ro->dest, NULL));
    }
  write_string_array (entries, def, out);
}

static void
set_default_workdir (SbxProfile *profile)
{
  g_free (profile->workdir);
  profile->workdir = g_strdup (profile->output ? SBX_SANDBOX_OUT : SBX_SANDBOX_TMP);
  profile->workdir_set = FALSE;
}

static gboolean
parse_workdir (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *norm = NULL;

  if (!g_key_file_has_key (ctx->kf, def->group, def->key, NULL))
    {
      set_default_workdir (profile);
      return TRUE;
    }
  text = get_scalar (def, ctx, error);
  if (text == NULL)
    return FALSE;
  if (text[0] == '/')
    norm = normalise_sandbox_path (text);
  if (norm == NULL || !sbx_profile_workdir_is_valid (norm))
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                     "“%s” is not a valid working directory; %s", Q (ctx, text), def->expected);
      return FALSE;
    }
  g_free (profile->workdir);
  profile->workdir = g_steal_pointer (&norm);
  profile->workdir_set = TRUE;
  return TRUE;
}

/* -------------------------------------------------------------- network */

static gboolean
add_family (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, const char *item,
            GError **error)
{
  int family = sbx_socket_family_from_name (item);

  if (family < 0)
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                     "unknown socket family “%s”; %s", Q (ctx, item), def->expected);
      return FALSE;
    }
  g_array_append_val (profile->socket_families, family);
  return TRUE;
}

static gboolean
finish_families (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  g_array_sort (profile->socket_families, compare_ints);
  for (guint i = 1; i < profile->socket_families->len;)
    if (g_array_index (profile->socket_families, int, i - 1)
        == g_array_index (profile->socket_families, int, i))
      g_array_remove_index (profile->socket_families, i);
    else
      i++;
  return TRUE;
}

static void
write_families (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  GArray *families = profile->socket_families;
  g_autofree const char **names = g_new0 (const char *, families->len + 1);

  for (guint i = 0; i < families->len; i++)
    names[i] = sbx_socket_family_to_name (g_array_index (families, int, i));
  g_key_file_set_string_list (out, def->group, def->key, names, families->len);
}

/* ---------------------------------------------------------- environment */

static char *
check_env_keep (ParseCtx *ctx, const char *item)
{
  if (is_env_name (item) && !is_reserved_env_name (item))
    return NULL;
  return g_strdup_printf ("“%s” is not an allowed variable name", Q (ctx, item));
}

static void
write_env_keep (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  write_string_array (profile->env_keep, def, out);
}

/* Values keep their spaces (KEY_RAW): only the text before '=' is stripped. */
static gboolean
add_env_set (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, const char *item,
             GError **error)
{
  const char *eq = strchr (item, '=');
  g_autofree char *name = eq ? g_strstrip (g_strndup (item, eq - item)) : g_strdup (item);
  gsize len = strlen (name);

  if (eq == NULL || !is_env_name (name) || is_reserved_env_name (name))
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                     "“%s” is not NAME=value with an allowed name; %s", Q (ctx, item), def->expected);
      return FALSE;
    }
  for (guint i = 0; i < profile->env_set->len; i++)
    {
      const char *entry = profile->env_set->pdata[i];

      if (strncmp (entry, name, len) == 0 && entry[len] == '=')
        {
          set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                         "variable “%s” is set twice; %s", Q (ctx, name), def->expected);
          return FALSE;
        }
    }
  g_ptr_array_add (profile->env_set, g_strconcat (name, eq, NULL));
  return TRUE;
}

static void
write_env_set (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  write_string_array (profile->env_set, def, out);
}

/* -------------------------------------------------------------- seccomp */

static gboolean
parse_errno (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  g_autofree char *text = get_scalar (def, ctx, error);

  if (text == NULL)
    return FALSE;
  profile->errno_value = sbx_errno_from_name (text);
  if (profile->errno_value <= 0)
    {
      set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                     "unknown errno name “%s”; %s", Q (ctx, text), def->expected);
      return FALSE;
    }
  return TRUE;
}

static void
write_errno (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  g_key_file_set_value (out, def->group, def->key, sbx_errno_to_name (profile->errno_value));
}

/* Denying a call no job can live without gives a job that dies at start
 * with no word (a SIGSEGV, say): refused here, naming each such call. */
static gboolean
check_vital (GPtrArray *deny, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  g_autoptr(GString) named = g_string_new (NULL);

  for (guint i = 0; i < deny->len; i++)
    for (gsize v = 0; v < sbx_vital_table_len; v++)
      if (strcmp (deny->pdata[i], sbx_vital_table[v]) == 0)
        g_string_append_printf (named, "%s%s", named->len ? ", " : "", sbx_vital_table[v]);
  if (named->len == 0)
    return TRUE;
  set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                 "%s: no job can run without %s (bwrap, the loader and libc need them)",
                 named->str, strchr (named->str, ',') ? "them" : "it");
  return FALSE;
}

static char *
check_deny (ParseCtx *ctx, const char *item)
{
  /* Resolved on the native ABI, the only one the programs allow. */
  if (seccomp_syscall_resolve_name (item) != __NR_SCMP_ERROR)
    return NULL;
  return g_strdup_printf ("unknown syscall “%s”", Q (ctx, item));
}

static gboolean
finish_deny (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  sort_unique_strings (profile->deny_extra);
  return check_vital (profile->deny_extra, def, ctx, error);
}

static void
write_deny (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  write_string_array (profile->deny_extra, def, out);
}

/* --------------------------------------------------------------- attest */

static gboolean
parse_required (SbxProfile *profile, const KeyDef *def, ParseCtx *ctx, GError **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_auto(GStrv) list = NULL;
  gboolean *wanted = g_newa (gboolean, sbx_probe_catalogue_size);
  guint n;

  memset (wanted, 0, sizeof (gboolean) * sbx_probe_catalogue_size);
  if (!g_key_file_has_key (ctx->kf, def->group, def->key, NULL))
    {
      for (guint i = 0; i < sbx_probe_catalogue_size; i++)
        wanted[i] = sbx_probe_catalogue[i].required != 0;
    }
  else
    {
      list = get_list (def, ctx, FALSE, error);
      if (list == NULL)
        return FALSE;
      for (guint i = 0; list[i] != NULL; i++)
        {
          const SbxProbeInfo *info;

          if (list[i][0] == '\0')
            continue;
          info = sbx_probe_catalogue_find (list[i]);
          if (info == NULL)
            {
              set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                             "unknown probe id “%s”; %s", Q (ctx, list[i]), def->expected);
              return FALSE;
            }
          wanted[info - sbx_probe_catalogue] = TRUE;
        }
      /* an attestation that requires nothing would attest nothing */
      for (n = 0; n < sbx_probe_catalogue_size && !wanted[n]; n++)
        ;
      if (n == sbx_probe_catalogue_size)
        {
          set_key_error (error, ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                         "empty list; expected at least one probe id of the catalogue (sbx-probe --list)");
          return FALSE;
        }
    }
  /* Catalogue (report) order, each id once. */
  for (guint i = 0; i < sbx_probe_catalogue_size; i++)
    if (wanted[i])
      g_ptr_array_add (ids, g_strdup (sbx_probe_catalogue[i].id));
  g_ptr_array_add (ids, NULL);
  g_strfreev (profile->required_probes);
  profile->required_probes = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  return TRUE;
}

static void
write_required (SbxProfile *profile, const KeyDef *def, GKeyFile *out)
{
  g_key_file_set_string_list (out, def->group, def->key,
                              (const char *const *) profile->required_probes,
                              g_strv_length (profile->required_probes));
}

/* ---------------------------------------------------------------- table */

#define OFF(field) offsetof (SbxProfile, field)
#define LIMIT(id) offsetof (SbxProfile, limits[id].value)
#define SIZE_EXPECTED "a size: N, NK, NM or NG (1024-based bytes)"

/* Every key of the format, in canonical order.  The default is the raw
 * key-file value used when the key is absent. */
static const KeyDef keys[] = {
  { .group = "sandbox", .key = "name", .parse = parse_text, .write = write_text,
    .default_value = "offline-job", .offset = OFF (name), .min = 1, .max = 128,
    .expected = "expected a text of 1 to 128 characters without control characters" },

  { .group = "filesystem", .key = "input", .parse = parse_host_dir, .write = write_text,
    .default_value = "", .offset = OFF (input), .flags = SBX_HOST_DIR_INPUT,
    .expected = "expected an absolute path of an existing readable directory, or nothing" },
  { .group = "filesystem", .key = "output", .parse = parse_host_dir, .write = write_text,
    .default_value = "", .offset = OFF (output), .flags = SBX_HOST_DIR_OUTPUT,
    .expected = "expected an absolute path of an existing writable directory, or nothing" },
  { .group = "filesystem", .key = "input-mode", .parse = parse_enum, .write = write_enum,
    .default_value = "ro", .offset = OFF (input_writable), .names = sbx_input_mode_names,
    .expected = "expected ro or rw" },
  { .group = "filesystem", .key = "system", .parse = parse_list, .write = write_system,
    .default_value = "/usr;/etc/ld.so.cache;/etc/alternatives", .offset = OFF (system),
    .item = add_system, .finish = finish_system,
    .expected = "expected a list of absolute host paths" },
  { .group = "filesystem", .key = "read-only", .parse = parse_list, .write = write_read_only,
    .default_value = "", .offset = OFF (read_only), .item = add_read_only_item,
    .expected = "expected a list of HOST or HOST:SANDBOX, absolute paths, each sandbox path once "
                "and away from /in, /out, /tmp, /proc, /dev and /run/sbx" },
  { .group = "filesystem", .key = "tmp-size", .parse = parse_size, .write = write_number,
    .default_value = "64M", .offset = OFF (tmp_size), .min = 4096,
    .expected = "expected " SIZE_EXPECTED ", at least 4K" },
  { .group = "filesystem", .key = "workdir", .parse = parse_workdir, .write = write_text,
    .offset = OFF (workdir),
    .expected = "expected an absolute path at or below /in, /out or /tmp, without . or .." },

  { .group = "network", .key = "mode", .parse = parse_enum, .write = write_enum,
    .default_value = "none", .offset = OFF (network_mode), .names = sbx_network_mode_names,
    .expected = "expected none or host" },
  { .group = "network", .key = "socket-families", .parse = parse_list, .write = write_families,
    .default_value = "", .offset = OFF (socket_families), .flags = KEY_INT_LIST,
    .item = add_family, .finish = finish_families,
    .expected = "expected a list of address families such as unix, inet, inet6, netlink, packet, vsock" },

  { .group = "environment", .key = "keep", .parse = parse_list, .write = write_env_keep,
    .default_value = "LANG;TZ", .offset = OFF (env_keep), .item = add_checked,
    .check = check_env_keep, .finish = finish_sorted,
    .expected = "expected a list of variable names ([A-Za-z_][A-Za-z0-9_]*, not LD_PRELOAD or SBX_LOCK_FD)" },
  { .group = "environment", .key = "set", .parse = parse_list, .write = write_env_set,
    .default_value = "PATH=/usr/bin:/bin;HOME=/tmp", .offset = OFF (env_set), .flags = KEY_RAW,
    .item = add_env_set,
    .expected = "expected a list of NAME=value, each name once (not LD_PRELOAD or SBX_LOCK_FD)" },

  { .group = "seccomp", .key = "mode", .parse = parse_enum, .write = write_enum,
    .default_value = "allow-list", .offset = OFF (seccomp_mode), .names = sbx_seccomp_mode_names,
    .expected = "expected allow-list or deny-list" },
  { .group = "seccomp", .key = "errno", .parse = parse_errno, .write = write_errno,
    .default_value = "EPERM", .expected = "expected an errno name such as EPERM, EACCES, ENOSYS" },
  { .group = "seccomp", .key = "deny", .parse = parse_list, .write = write_deny,
    .default_value = "", .offset = OFF (deny_extra), .item = add_checked,
    .check = check_deny, .finish = finish_deny,
    .expected = "expected a list of syscall names known on this architecture" },
  { .group = "seccomp", .key = "exec-lock", .parse = parse_enum, .write = write_enum,
    .default_value = "on", .offset = OFF (exec_lock), .names = sbx_exec_lock_names,
    .expected = "expected on, self or off (preload is read as on)" },

  { .group = "limits", .key = "cpu-seconds", .parse = parse_count, .write = write_number,
    .default_value = "60", .offset = LIMIT (SBX_LIMIT_CPU_SECONDS), .flags = KEY_UNLIMITED,
    .min = 1, .expected = "expected a whole number of seconds (at least 1) or unlimited" },
  /* The floors of the next three are what bwrap's own set-up needs (the
   * limits bind it too): below them it fails, and the failure would look
   * like the job's.  Measured with bwrap 0.8.0: open-files 16 (the fds sbx
   * hands it, up to 11 with the default system paths, and ~4 of its own;
   * sbx_sandbox_prepare checks the real highest fd), processes 3 (bwrap,
   * its pid 1, the job), address-space 16M (python3 starts in it). */
  { .group = "limits", .key = "address-space", .parse = parse_size, .write = write_number,
    .default_value = "2G", .offset = LIMIT (SBX_LIMIT_ADDRESS_SPACE), .flags = KEY_UNLIMITED,
    .min = 16 << 20,
    .expected = "expected " SIZE_EXPECTED " or unlimited, at least 16M (bwrap and the loader need that much)" },
  { .group = "limits", .key = "open-files", .parse = parse_count, .write = write_number,
    .default_value = "256", .offset = LIMIT (SBX_LIMIT_OPEN_FILES), .min = SBX_OPEN_FILES_FLOOR,
    .expected = "expected a whole number, at least 16 (bwrap needs fds of its own for the set-up)" },
  { .group = "limits", .key = "processes", .parse = parse_count, .write = write_number,
    .default_value = "64", .offset = LIMIT (SBX_LIMIT_PROCESSES), .flags = KEY_UNLIMITED, .min = 3,
    .expected = "expected a whole number, at least 3 (bwrap, its pid 1 and the job), or unlimited" },
  { .group = "limits", .key = "file-size", .parse = parse_size, .write = write_number,
    .default_value = "1G", .offset = LIMIT (SBX_LIMIT_FILE_SIZE), .flags = KEY_UNLIMITED,
    .expected = "expected " SIZE_EXPECTED " or unlimited" },
  { .group = "limits", .key = "core-size", .parse = parse_size, .write = write_number,
    .default_value = "0", .offset = LIMIT (SBX_LIMIT_CORE_SIZE),
    .expected = "expected " SIZE_EXPECTED },
  { .group = "limits", .key = "wall-seconds", .parse = parse_count, .write = write_number,
    .default_value = "0", .offset = OFF (wall_seconds), .flags = KEY_UINT, .max = G_MAXUINT,
    .expected = "expected a whole number of seconds, 0 = none" },

  { .group = "attest", .key = "required", .parse = parse_required, .write = write_required,
    .expected = "expected a list of probe ids of the catalogue (sbx-probe --list)" },
};

static const int limit_resources[SBX_N_LIMITS] = {
  [SBX_LIMIT_CPU_SECONDS] = RLIMIT_CPU,
  [SBX_LIMIT_ADDRESS_SPACE] = RLIMIT_AS,
  [SBX_LIMIT_OPEN_FILES] = RLIMIT_NOFILE,
  [SBX_LIMIT_PROCESSES] = RLIMIT_NPROC,
  [SBX_LIMIT_FILE_SIZE] = RLIMIT_FSIZE,
  [SBX_LIMIT_CORE_SIZE] = RLIMIT_CORE,
};

static gboolean
is_known_group (const char *group)
{
  for (gsize i = 0; i < G_N_ELEMENTS (group_names); i++)
    if (strcmp (group_names[i], group) == 0)
      return TRUE;
  return FALSE;
}

static const KeyDef *
find_key (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strcmp (keys[i].group, group) == 0 && strcmp (keys[i].key, key) == 0)
      return &keys[i];
  return NULL;
}

static char *
known_list (const char *group)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (group == NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (group_names); i++)
      g_string_append_printf (s, "%s%s", i ? ", " : "", group_names[i]);
  else
    for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
      if (strcmp (keys[i].group, group) == 0)
        g_string_append_printf (s, "%s%s", s->len ? ", " : "", keys[i].key);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* -------------------------------------------------------------- scanning */

/* Pass 1 over the raw text, following GKeyFile's line rules: blank lines
 * and lines starting with '#' (after leading blanks) are comments, "[name]"
 * starts a group, anything else must be "key=value".  Records the line of
 * every group and key; rejects what GKeyFile would take silently (locale
 * keys, repeated keys) and unknown names. */
static gboolean
scan_text (ParseCtx *ctx, GError **error)
{
  g_autofree char *group = NULL;
  const char *p = ctx->text, *end = ctx->text + ctx->length;
  guint line = 0;
  gboolean skip_group = FALSE; /* collect mode: inside an unknown group */

  if (memchr (ctx->text, '\0', ctx->length) != NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_PARSE, "%s: contains a NUL byte; expected text",
                   ctx->source);
      if (ctx->problems != NULL)
        g_ptr_array_add (ctx->problems, g_strdup ((*error)->message));
      return FALSE;
    }
  if (!g_utf8_validate (ctx->text, ctx->length, NULL))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_PARSE, "%s: not valid UTF-8; expected UTF-8 text",
                   ctx->source);
      if (ctx->problems != NULL)
        g_ptr_array_add (ctx->problems, g_strdup ((*error)->message));
      return FALSE;
    }

/* A problem on the current line: in collect mode it is recorded, the line
 * is left out of the clean text and the scan goes on with the next line. */
#define SCAN_FAIL(code, ...)                                                  \
  G_STMT_START {                                                              \
    if (ctx->problems == NULL)                                                \
      {                                                                       \
        g_set_error (error, SBX_ERROR, code, __VA_ARGS__);                    \
        return FALSE;                                                         \
      }                                                                       \
    g_ptr_array_add (ctx->problems, g_strdup_printf (__VA_ARGS__));           \
    g_string_append (ctx->clean, "#\n");                                      \
    goto next_line;                                                           \
  } G_STMT_END

  while (p < end)
    {
      const char *start = p;
      const char *nl = memchr (p, '\n', end - p);
      g_autofree char *text = g_strndup (p, (nl ? nl : end) - p);
      char *s = g_strstrip (text);
      char *eq;

      line++;
      p = nl ? nl + 1 : end;

      if (s[0] == '\0' || s[0] == '#')
        goto keep_line;

      if (s[0] == '[')
        {
          gsize len = strlen (s);
          g_autofree char *name = NULL;

          if (s[len - 1] != ']' || len < 3 || strpbrk (s + 1, "[") != NULL
              || strchr (s + 1, ']') != s + len - 1)
            {
              skip_group = TRUE;
              SCAN_FAIL (SBX_ERROR_PARSE, "%s:%u: “%s” is not a group header; expected [group]",
                         ctx->source, line, Q (ctx, s));
            }
          name = g_strndup (s + 1, len - 2);
          if (!is_known_group (name))
            {
              g_autofree char *known = known_list (NULL);

              skip_group = TRUE;
              SCAN_FAIL (SBX_ERROR_UNKNOWN_GROUP, "%s:%u: [%s]: unknown group; expected one of %s",
                         ctx->source, line, Q (ctx, name), known);
            }
          if (!g_hash_table_contains (ctx->lines, name))
            g_hash_table_insert (ctx->lines, g_strdup (name), GUINT_TO_POINTER (line));
          g_free (group);
          group = g_steal_pointer (&name);
          skip_group = FALSE;
          goto keep_line;
        }

      /* the keys of a group already reported are not reported again */
      if (skip_group)
        {
          g_string_append (ctx->clean, "#\n");
          continue;
        }

      eq = strchr (s, '=');
      if (eq == NULL || eq == s)
        {
          SCAN_FAIL (SBX_ERROR_PARSE,
                     "%s:%u: “%s” is not a valid line; expected key=value, [group] or a # comment",
                     ctx->source, line, Q (ctx, s));
        }
      *eq = '\0';
      g_strchomp (s);
      if (group == NULL)
        {
          SCAN_FAIL (SBX_ERROR_PARSE,
                     "%s:%u: key “%s” comes before any group; expected a [group] line first",
                     ctx->source, line, Q (ctx, s));
        }
      if (find_key (group, s) == NULL)
        {
          g_autofree char *known = known_list (group);

          SCAN_FAIL (SBX_ERROR_UNKNOWN_KEY, "%s:%u: [%s] %s: unknown key; expected one of %s",
                     ctx->source, line, group, Q (ctx, s), known);
        }
      else
        {
          g_autofree char *k = line_key (group, s);
          guint first = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->lines, k));

          if (first != 0)
            SCAN_FAIL (SBX_ERROR_PARSE,
                       "%s:%u: [%s] %s: given again (first on line %u); expected each key once",
                       ctx->source, line, group, s, first);
          g_hash_table_insert (ctx->lines, g_steal_pointer (&k), GUINT_TO_POINTER (line));
        }
    keep_line:
      if (ctx->clean != NULL)
        {
          g_string_append_len (ctx->clean, start, p - start);
          if (nl == NULL)
            g_string_append_c (ctx->clean, '\n');
        }
      continue;
    next_line:
      continue;
    }
#undef SCAN_FAIL
  return ctx->problems == NULL || ctx->problems->len == 0;
}

/* ------------------------------------------------------------- lifecycle */

static SbxProfile *
profile_alloc (const char *source)
{
  SbxProfile *profile = g_atomic_rc_box_new0 (SbxProfile);

  profile->source = g_strdup (source);
  profile->system = g_ptr_array_new_with_free_func (g_free);
  profile->socket_families = g_array_new (FALSE, FALSE, sizeof (int));
  profile->env_keep = g_ptr_array_new_with_free_func (g_free);
  profile->env_set = g_ptr_array_new_with_free_func (g_free);
  profile->deny_extra = g_ptr_array_new_with_free_func (g_free);
  profile->required_probes = g_new0 (char *, 1);
  profile->read_only = g_ptr_array_new_with_free_func (read_only_path_free);
  profile->overrides = g_ptr_array_new_with_free_func (g_free);
  profile->where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (int i = 0; i < SBX_N_LIMITS; i++)
    profile->limits[i].resource = limit_resources[i];
  return profile;
}

/* Releases what @data owns; the box itself is g_atomic_rc_box's. */
static void
profile_clear (gpointer data)
{
  SbxProfile *profile = data;

  g_free (profile->source);
  g_free (profile->name);
  g_free (profile->input);
  g_free (profile->output);
  g_ptr_array_unref (profile->system);
  g_free (profile->workdir);
  g_array_unref (profile->socket_families);
  g_ptr_array_unref (profile->env_keep);
  g_ptr_array_unref (profile->env_set);
  g_ptr_array_unref (profile->deny_extra);
  g_strfreev (profile->required_probes);
  g_ptr_array_unref (profile->read_only);
  g_ptr_array_unref (profile->overrides);
  g_hash_table_unref (profile->where);
}

SbxProfile *
sbx_profile_ref (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return g_atomic_rc_box_acquire (profile);
}

void
sbx_profile_unref (SbxProfile *profile)
{
  if (profile != NULL)
    g_atomic_rc_box_release_full (profile, profile_clear);
}

typedef struct {
  ParseCtx *ctx;
  GPtrArray *warnings;
} WarnCtx;

static void
add_warning (const char *group, const char *key, const char *message, gpointer data)
{
  WarnCtx *w = data;
  g_autoptr(GError) local = NULL;

  set_key_error (&local, w->ctx, SBX_ERROR_INVALID_VALUE, group, key, "warning: %s", message);
  g_ptr_array_add (w->warnings, g_strdup (local->message));
}

static void
collect_warnings (SbxProfile *profile, ParseCtx *ctx, GPtrArray *warnings)
{
  WarnCtx w = { ctx, warnings };

  sbx_profile_warn_attest (profile, add_warning, &w);
}

/* Loads @data.  With @problems (collect mode) every problem is added there
 * and loading goes on as far as it can; @warnings then gets the settings
 * that will fail attestation.  Returns the profile only when it is valid. */
static SbxProfile *
profile_load_full (const char *data, gsize length, const char *source, GPtrArray *problems,
                   GPtrArray *warnings, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(SbxProfile) profile = profile_alloc (source);
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) scratch = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) clean = problems != NULL ? g_string_new (NULL) : NULL;
  ParseCtx ctx = { source, data, length, kf, lines, scratch, problems, clean };
  gboolean valid = TRUE;

  if (!scan_text (&ctx, &local))
    {
      if (problems == NULL || local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      valid = FALSE;
    }
  if (!g_key_file_load_from_data (kf, clean != NULL ? clean->str : data,
                                  clean != NULL ? clean->len : length, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_PARSE, "%s: %s", source, local->message);
      if (problems != NULL)
        g_ptr_array_add (problems, g_strdup ((*error)->message));
      return NULL;
    }

  /* Absent keys take their default; computed defaults stay absent. */
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].default_value != NULL && !g_key_file_has_key (kf, keys[i].group, keys[i].key, NULL))
      g_key_file_set_value (kf, keys[i].group, keys[i].key, keys[i].default_value);

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (!keys[i].parse (profile, &keys[i], &ctx, &local))
      {
        if (problems == NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local));
            return NULL;
          }
        g_ptr_array_add (problems, g_strdup (local->message));
        g_clear_error (&local);
        valid = FALSE;
      }

  if (profile->input != NULL && profile->output != NULL)
    {
      g_autofree char *problem = sbx_profile_check_overlap (profile->input, profile->output, FALSE);
      if (problem != NULL)
        {
          set_key_error (&local, &ctx, SBX_ERROR_OVERLAP, "filesystem", "output", "%s", problem);
          if (problems == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          g_ptr_array_add (problems, g_strdup (local->message));
          g_clear_error (&local);
          valid = FALSE;
        }
    }
  /* Collect mode is sbx_profile_check_file(), which also checks the host;
   * loading alone never looks at it. */
  if (problems != NULL && !sbx_profile_check_host_full (profile, problems, NULL))
    valid = FALSE;
  if (warnings != NULL)
    collect_warnings (profile, &ctx, warnings);
  if (!valid)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_PARSE, "%s: %u problems", source, problems->len);
      return NULL;
    }
  return g_steal_pointer (&profile);
}

static SbxProfile *
profile_load (const char *data, gsize length, const char *source, GError **error)
{
  return profile_load_full (data, length, source, NULL, NULL, error);
}

/* The line of a "SOURCE:LINE: …" message of @source, else 0. */
static guint
message_line (const char *message, const char *source)
{
  gsize len = strlen (source);

  if (strncmp (message, source, len) != 0 || message[len] != ':' || !g_ascii_isdigit (message[len + 1]))
    return 0;
  return (guint) g_ascii_strtoull (message + len + 1, NULL, 10);
}

typedef struct {
  guint line;
  guint index;
} LineOrder;

static int
compare_line_order (gconstpointer a, gconstpointer b)
{
  const LineOrder *x = a, *y = b;

  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

/* Sorts @messages by their line (stable; messages without one first). */
static void
sort_by_line (GPtrArray *messages, const char *source)
{
  g_autofree LineOrder *order = g_new (LineOrder, messages->len + 1);
  g_autofree gpointer *copy = g_memdup2 (messages->pdata, sizeof (gpointer) * messages->len);

  for (guint i = 0; i < messages->len; i++)
    order[i] = (LineOrder) { message_line (messages->pdata[i], source), i };
  qsort (order, messages->len, sizeof *order, compare_line_order);
  for (guint i = 0; i < messages->len; i++)
    messages->pdata[i] = copy[order[i].index];
}

gboolean
sbx_profile_check_file (const char *path, char ***problems, char ***warnings)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) warned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(SbxProfile) profile = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, FALSE);
  if (!sbx_read_bounded (path, "profile", SBX_PROFILE_MAX_BYTES, SBX_PIPE_TIMEOUT_MS, &contents,
                         &length, &local))
    g_ptr_array_add (found, g_strdup (local->message));
  else
    profile = profile_load_full (contents, length, path, found, warned, &local);
  /* a failure that added nothing (cannot happen today) still counts */
  if (profile == NULL && found->len == 0)
    g_ptr_array_add (found, g_strdup (local != NULL ? local->message : "invalid profile"));
  sort_by_line (found, path);
  sort_by_line (warned, path);
  g_ptr_array_add (found, NULL);
  g_ptr_array_add (warned, NULL);
  if (problems != NULL)
    *problems = (char **) g_ptr_array_steal (found, NULL);
  if (warnings != NULL)
    *warnings = (char **) g_ptr_array_steal (warned, NULL);
  return profile != NULL;
}

SbxProfile *
sbx_profile_new_from_data (const char *data, gssize length, const char *source_name,
                           GError **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  return profile_load (data, length < 0 ? strlen (data) : (gsize) length,
                       source_name ? source_name : "<string>", error);
}

SbxProfile *
sbx_profile_new_from_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  /* Bounded: a profile is small; /dev/zero or a FIFO nothing writes to
   * must not take sbx with it. */
  if (!sbx_read_bounded (path, "profile", SBX_PROFILE_MAX_BYTES, SBX_PIPE_TIMEOUT_MS, &contents,
                         &length, error))
    return NULL;
  return profile_load (contents, length, path, error);
}

SbxProfile *
sbx_profile_new_default (GError **error)
{
  return profile_load (sbx_profile_default_text, strlen (sbx_profile_default_text), "<default>",
                       error);
}

const char *
sbx_profile_get_default_text (void)
{
  return sbx_profile_default_text;
}

/* ------------------------------------------------------------- canonical */

char *
sbx_profile_to_canonical (SbxProfile *profile)
{
  g_autoptr(GKeyFile) out = g_key_file_new ();

  g_return_val_if_fail (profile != NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    keys[i].write (profile, &keys[i], out);
  return g_key_file_to_data (out, NULL, NULL);
}

char *
sbx_profile_dup_sha256 (SbxProfile *profile)
{
  g_autofree char *text = sbx_profile_to_canonical (profile);

  g_return_val_if_fail (text != NULL, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* --------------------------------------------------------------- setters */

static gboolean
set_dir (SbxProfile *profile, gboolean is_input, const char *host_path, GError **error)
{
  const char *key = is_input ? "input" : "output";
  g_autofree char *canonical = NULL;
  g_autofree char *problem = NULL;
  const char *other = is_input ? profile->output : profile->input;

  if (host_path != NULL
      && !sbx_profile_check_host_path (host_path,
                                       is_input ? SBX_HOST_DIR_INPUT : SBX_HOST_DIR_OUTPUT,
                                       &canonical, &problem))
    {
      set_key_error (error, NULL, SBX_ERROR_INVALID_PATH, "filesystem", key, "%s", problem);
      return FALSE;
    }
  if (canonical != NULL && other != NULL)
    {
      problem = is_input ? sbx_profile_check_overlap (canonical, other, TRUE)
                         : sbx_profile_check_overlap (other, canonical, TRUE);
      if (problem != NULL)
        {
          set_key_error (error, NULL, SBX_ERROR_OVERLAP, "filesystem", key, "%s", problem);
          return FALSE;
        }
    }

  if (is_input)
    {
      g_free (profile->input);
      profile->input = g_steal_pointer (&canonical);
    }
  else
    {
      g_free (profile->output);
      profile->output = g_steal_pointer (&canonical);
      if (!profile->workdir_set)
        set_default_workdir (profile);
    }
  /* a later host check's messages read as this call's: no location */
  sbx_profile_set_where (profile, key, host_path != NULL ? "" : NULL);
  return TRUE;
}

gboolean
sbx_profile_set_input (SbxProfile *profile, const char *host_path, GError **error)
{
  g_return_val_if_fail (profile != NULL, FALSE);
  return set_dir (profile, TRUE, host_path, error);
}

gboolean
sbx_profile_set_output (SbxProfile *profile, const char *host_path, GError **error)
{
  g_return_val_if_fail (profile != NULL, FALSE);
  return set_dir (profile, FALSE, host_path, error);
}

/* -------------------------------------------------------------- overrides */

/* A parse context for one value given outside a file: messages read
 * "ORIGIN: [group] key: …". */
typedef struct {
  GKeyFile *kf;
  GHashTable *lines;
  GPtrArray *scratch;
  ParseCtx ctx;
} OverrideCtx;

static void
override_ctx_init (OverrideCtx *o, const char *origin)
{
  o->kf = g_key_file_new ();
  o->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  o->scratch = g_ptr_array_new_with_free_func (g_free);
  o->ctx = (ParseCtx) { origin != NULL ? origin : "<override>", "", 0, o->kf, o->lines, o->scratch, NULL, NULL };
}

static void
override_ctx_clear (OverrideCtx *o)
{
  g_key_file_unref (o->kf);
  g_hash_table_unref (o->lines);
  g_ptr_array_unref (o->scratch);
}

static void
record_override (SbxProfile *profile, const char *origin, const char *value)
{
  if (origin != NULL)
    g_ptr_array_add (profile->overrides, g_strdup_printf ("%s=%s", origin, value));
}

gboolean
sbx_profile_set_value (SbxProfile *profile, const char *group, const char *key, const char *value,
                       const char *origin, GError **error)
{
  const KeyDef *def;
  OverrideCtx o;
  gboolean ok;

  g_return_val_if_fail (profile != NULL && group != NULL && key != NULL && value != NULL, FALSE);
  def = find_key (group, key);
  if (def == NULL || def->parse == parse_host_dir)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_UNKNOWN_KEY,
                   "%s: [%s] %s: %s", origin != NULL ? origin : "<override>", group, key,
                   def == NULL ? "unknown key" : "set with sbx_profile_set_input/output");
      return FALSE;
    }
  override_ctx_init (&o, origin);
  /* as a string: the parser's unescaping gives @value back unchanged */
  g_key_file_set_string (o.kf, group, key, value);
  ok = def->parse (profile, def, &o.ctx, error);
  override_ctx_clear (&o);
  if (ok)
    record_override (profile, origin, value);
  return ok;
}

gboolean
sbx_profile_add_env (SbxProfile *profile, const char *spec, const char *origin, GError **error)
{
  const char *eq;
  g_autofree char *name = NULL;
  const KeyDef *def;
  OverrideCtx o;
  gboolean ok = TRUE;

  g_return_val_if_fail (profile != NULL && spec != NULL, FALSE);
  eq = strchr (spec, '=');
  name = eq != NULL ? g_strndup (spec, eq - spec) : g_strdup (spec);
  def = find_key ("environment", eq != NULL ? "set" : "keep");
  override_ctx_init (&o, origin);
  if (!is_env_name (name) || is_reserved_env_name (name))
    {
      if (eq != NULL)
        set_key_error (error, &o.ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                       "“%s” is not NAME=value with an allowed name; %s", Q (&o.ctx, spec),
                       def->expected);
      else
        set_key_error (error, &o.ctx, SBX_ERROR_INVALID_VALUE, def->group, def->key,
                       "“%s” is not an allowed variable name; %s", Q (&o.ctx, spec),
                       def->expected);
      ok = FALSE;
    }
  override_ctx_clear (&o);
  if (!ok)
    return FALSE;

  /* The last word wins: NAME=value replaces what keep or set said of NAME,
   * and NAME alone passes the host's value even if set named it. */
  for (guint i = profile->env_set->len; i > 0; i--)
    {
      const char *entry = profile->env_set->pdata[i - 1];

      if (g_str_has_prefix (entry, name) && entry[strlen (name)] == '=')
        g_ptr_array_remove_index (profile->env_set, i - 1);
    }
  for (guint i = profile->env_keep->len; i > 0; i--)
    if (strcmp (profile->env_keep->pdata[i - 1], name) == 0)
      g_ptr_array_remove_index (profile->env_keep, i - 1);
  if (eq != NULL)
    g_ptr_array_add (profile->env_set, g_strdup (spec));
  else
    {
      g_ptr_array_add (profile->env_keep, g_strdup (name));
      sort_unique_strings (profile->env_keep);
    }
  record_override (profile, origin, spec);
  return TRUE;
}

gboolean
sbx_profile_add_read_only (SbxProfile *profile, const char *host_path, const char *sandbox_path,
                           const char *origin, GError **error)
{
  const KeyDef *def = find_key ("filesystem", "read-only");
  g_autofree char *shown = NULL;
  OverrideCtx o;
  gboolean ok;

  g_return_val_if_fail (profile != NULL && host_path != NULL, FALSE);
  override_ctx_init (&o, origin);
  ok = add_read_only (profile, def, &o.ctx, host_path, sandbox_path, TRUE, error);
  override_ctx_clear (&o);
  if (!ok)
    return FALSE;
  shown = sandbox_path != NULL ? g_strconcat (host_path, ":", sandbox_path, NULL) : g_strdup (host_path);
  record_override (profile, origin, shown);
  return TRUE;
}

char **
sbx_profile_dup_overrides (SbxProfile *profile)
{
  char **out;

  g_return_val_if_fail (profile != NULL, NULL);
  out = g_new0 (char *, profile->overrides->len + 1);
  for (guint i = 0; i < profile->overrides->len; i++)
    out[i] = g_strdup (profile->overrides->pdata[i]);
  return out;
}

/* --------------------------------------------------------------- getters */

const char *
sbx_profile_get_name (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->name;
}

const char *
sbx_profile_get_source (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->source;
}

const char *
sbx_profile_get_input (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->input;
}

const char *
sbx_profile_get_output (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->output;
}

SbxExecLock
sbx_profile_get_exec_lock (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, SBX_EXEC_LOCK_ON);
  return profile->exec_lock;
}

SbxSeccompMode
sbx_profile_get_seccomp_mode (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, SBX_SECCOMP_ALLOW_LIST);
  return profile->seccomp_mode;
}

int
sbx_profile_get_errno (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, EPERM);
  return profile->errno_value;
}

guint
sbx_profile_get_wall_seconds (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0);
  return profile->wall_seconds;
}

const SbxRlimit *
sbx_profile_get_rlimits (SbxProfile *profile, gsize *n_rlimits)
{
  g_return_val_if_fail (profile != NULL, NULL);
  if (n_rlimits != NULL)
    *n_rlimits = SBX_N_LIMITS;
  return profile->limits;
}

const char *const *
sbx_profile_get_required_probes (SbxProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return (const char *const *) profile->required_probes;
}
