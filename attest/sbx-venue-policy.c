/* sbx-venue-policy.c — the verifier's venue policy (sbx-venue-policy.h). */
#include "config.h"

#include "sbx-venue-policy.h"
#include "sbx-read.h"

#include "sbxprofile.h"

#include <string.h>

static const char *const userns_modes[] = {
  "unprivileged-allowed", "root-only", "apparmor-restricted", "disabled", NULL,
};

/* The groups and keys a policy may hold. */
static const struct { const char *group, *key; } known_keys[] = {
  { "venue", "bwrap-sha256" },
  { "venue", "kernel-min" },
  { "venue", "caller" },
  { "venue", "userns" },
  { "tool", "sbx-sha256" },
  { "tool", "sbx-probe-sha256" },
  { "signer", "keys" },
};

void
sbx_venue_policy_free (SbxVenuePolicy *policy)
{
  if (policy == NULL)
    return;
  g_free (policy->path);
  g_strfreev (policy->bwrap_sha256);
  g_free (policy->kernel_min);
  g_strfreev (policy->userns);
  g_strfreev (policy->sbx_sha256);
  g_strfreev (policy->sbx_probe_sha256);
  g_strfreev (policy->signer_keys);
  g_free (policy);
}

#define policy_error(...) \
  G_STMT_START { \
    g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

static gboolean
check_known (GKeyFile *kf, const char *path, GError **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);

  for (gsize g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);
      gboolean group_known = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (known_keys); i++)
        group_known |= strcmp (known_keys[i].group, groups[g]) == 0;
      if (!group_known)
        {
          g_autofree char *q = sbx_quote_short (groups[g]);

          policy_error ("%s: unknown group [%s] (a policy has [venue], [tool] and [signer])", path, q);
        }
      for (gsize k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          gboolean known = FALSE;

          for (gsize i = 0; i < G_N_ELEMENTS (known_keys); i++)
            known |= strcmp (known_keys[i].group, groups[g]) == 0 && strcmp (known_keys[i].key, keys[k]) == 0;
          if (!known)
            {
              g_autofree char *q = sbx_quote_short (keys[k]);

              policy_error ("%s: [%s] unknown key \"%s\"", path, groups[g], q);
            }
        }
    }
  return TRUE;
}

/* The list at [@group] @key in *@out, its items stripped (absent: NULL);
 * an empty one is an error saying it should hold @what. */
static gboolean
get_list (GKeyFile *kf, const char *path, const char *group, const char *key, const char *what, GStrv *out,
          GError **error)
{
  gsize n = 0;

  if (!g_key_file_has_key (kf, group, key, NULL))
    return TRUE;
  *out = g_key_file_get_string_list (kf, group, key, &n, NULL);
  if (*out == NULL || n == 0)
    policy_error ("%s: [%s] %s: empty (%s)", path, group, key, what);
  for (gsize i = 0; i < n; i++)
    g_strstrip ((*out)[i]);
  return TRUE;
}

/* A list of 64-hex-digit digests (lower-cased); absent → NULL. */
static gboolean
get_digests (GKeyFile *kf, const char *path, const char *group, const char *key, GStrv *out, GError **error)
{
  g_auto(GStrv) list = NULL;

  if (!get_list (kf, path, group, key, "a list of sha256 digests, separated by ';'", &list, error))
    return FALSE;
  for (gsize i = 0; list != NULL && list[i] != NULL; i++)
    {
      char *d = list[i];
      gboolean hex = strlen (d) == 64;

      for (const char *p = d; hex && *p != '\0'; p++)
        hex = g_ascii_isxdigit (*p);
      if (!hex)
        {
          g_autofree char *q = sbx_quote_short (d);

          policy_error ("%s: [%s] %s: \"%s\" is not a sha256 digest (64 hex digits)", path, group, key, q);
        }
      for (char *p = d; *p != '\0'; p++)
        *p = g_ascii_tolower (*p);
    }
  *out = g_steal_pointer (&list);
  return TRUE;
}

static gboolean
kernel_release_valid (const char *s)
{
  if (!g_ascii_isdigit (s[0]))
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s) && *s != '.')
      return FALSE;
  return TRUE;
}

int
sbx_kernel_release_compare (const char *a, const char *b)
{
  const char *p = a, *q = b;

  for (int part = 0; part < 4; part++)
    {
      guint64 x = 0, y = 0;

      for (; g_ascii_isdigit (*p); p++)
        x = MIN (x * 10 + (guint64) (*p - '0'), G_MAXUINT32);
      for (; g_ascii_isdigit (*q); q++)
        y = MIN (y * 10 + (guint64) (*q - '0'), G_MAXUINT32);
      if (x != y)
        return x < y ? -1 : 1;
      /* a part is followed by '.' and another number, or the numbers end */
      p = (*p == '.' && g_ascii_isdigit (p[1])) ? p + 1 : p + strlen (p);
      q = (*q == '.' && g_ascii_isdigit (q[1])) ? q + 1 : q + strlen (q);
    }
  return 0;
}

SbxVenuePolicy *
sbx_venue_policy_new_from_data (const char *data, gsize length, const char *path, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(SbxVenuePolicy) p = g_new0 (SbxVenuePolicy, 1);
  gboolean any_rule = FALSE;

  p->path = g_strdup (path);
  if (!g_key_file_load_from_data (kf, data, length, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_PARSE, "%s: not a key file: %s", path, local->message);
      return NULL;
    }
  if (!check_known (kf, path, error)
      || !get_digests (kf, path, "venue", "bwrap-sha256", &p->bwrap_sha256, error)
      || !get_digests (kf, path, "tool", "sbx-sha256", &p->sbx_sha256, error)
      || !get_digests (kf, path, "tool", "sbx-probe-sha256", &p->sbx_probe_sha256, error))
    return NULL;
  if (g_key_file_has_key (kf, "venue", "kernel-min", NULL))
    {
      g_autofree char *v = g_key_file_get_string (kf, "venue", "kernel-min", NULL);

      if (v == NULL || !kernel_release_valid (g_strstrip (v)))
        {
          g_autofree char *q = sbx_quote_short (v);

          g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: [venue] kernel-min: \"%s\" is not a kernel "
                       "release like 6.1 or 5.15.0", path, q);
          return NULL;
        }
      p->kernel_min = g_steal_pointer (&v);
    }
  if (g_key_file_has_key (kf, "venue", "caller", NULL))
    {
      g_autofree char *v = g_key_file_get_string (kf, "venue", "caller", NULL);

      g_strstrip (v != NULL ? v : (v = g_strdup ("")));
      if (strcmp (v, "non-root") == 0)
        p->caller = SBX_CALLER_NON_ROOT;
      else if (strcmp (v, "root") == 0)
        p->caller = SBX_CALLER_ROOT;
      else if (strcmp (v, "any") == 0)
        p->caller = SBX_CALLER_ANY;
      else
        {
          g_autofree char *q = sbx_quote_short (v);

          g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: [venue] caller: \"%s\" is not one of "
                       "non-root, root, any", path, q);
          return NULL;
        }
      any_rule |= p->caller != SBX_CALLER_ANY;
    }
  if (!get_list (kf, path, "venue", "userns", "one or more of unprivileged-allowed, root-only, apparmor-restricted, "
                 "disabled", &p->userns, error)
      || !get_list (kf, path, "signer", "keys", "public key files, separated by ';'", &p->signer_keys, error))
    return NULL;
  if (p->userns != NULL)
    {
      for (gsize i = 0; p->userns[i] != NULL; i++)
        if (!g_strv_contains (userns_modes, p->userns[i]))
          {
            g_autofree char *q = sbx_quote_short (p->userns[i]);

            g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: [venue] userns: \"%s\" is not one of "
                         "unprivileged-allowed, root-only, apparmor-restricted, disabled", path, q);
            return NULL;
          }
    }
  if (p->signer_keys != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      for (gsize i = 0; p->signer_keys[i] != NULL; i++)
        {
          char *abs = g_canonicalize_filename (p->signer_keys[i], dir);

          g_free (p->signer_keys[i]);
          p->signer_keys[i] = abs;
        }
    }
  any_rule |= p->bwrap_sha256 != NULL || p->kernel_min != NULL || p->userns != NULL || p->sbx_sha256 != NULL
              || p->sbx_probe_sha256 != NULL || p->signer_keys != NULL;
  if (!any_rule)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_VALUE, "%s: the policy states no rule (see sbx(1), "
                   "VENUE POLICY)", path);
      return NULL;
    }
  return g_steal_pointer (&p);
}

SbxVenuePolicy *
sbx_venue_policy_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!sbx_read_file_bounded (path, SBX_SMALL_FILE_MAX_SIZE, &data, &len, error))
    return NULL;
  return sbx_venue_policy_new_from_data (data, len, path, error);
}

static void
check_digest (GPtrArray *out, const char *rule, const char *const *allowed, const char *what, const char *value)
{
  g_autofree char *q = NULL;

  if (allowed == NULL)
    return;
  if (value != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (value, -1);

      if (g_strv_contains (allowed, lower))
        return;
    }
  q = sbx_quote_short (value != NULL ? value : "(not recorded)");
  g_ptr_array_add (out, g_strdup_printf ("%s: the bundle's %s sha256 is %s, not one of the %u allowed", rule,
                                         what, q, g_strv_length ((GStrv) allowed)));
}

GPtrArray *
sbx_venue_policy_check (const SbxVenuePolicy *policy, const SbxVenueFacts *f)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  check_digest (out, "[venue] bwrap-sha256", (const char *const *) policy->bwrap_sha256, "bwrap", f->bwrap_sha256);
  if (policy->kernel_min != NULL
      && (f->kernel_release == NULL || sbx_kernel_release_compare (f->kernel_release, policy->kernel_min) < 0))
    {
      g_autofree char *q = sbx_quote_short (f->kernel_release != NULL ? f->kernel_release : "(not recorded)");

      g_ptr_array_add (out, g_strdup_printf ("[venue] kernel-min=%s: the bundle's kernel is %s", policy->kernel_min,
                                             q));
    }
  if (policy->caller != SBX_CALLER_ANY)
    {
      gboolean root = f->have_ids && (f->uid == 0 || f->euid == 0);
      gboolean non_root = f->have_ids && f->uid != 0 && f->euid != 0;

      if (policy->caller == SBX_CALLER_NON_ROOT && !non_root)
        g_ptr_array_add (out, f->have_ids
                         ? g_strdup_printf ("[venue] caller=non-root: attest ran as uid %" G_GINT64_FORMAT
                                            ", euid %" G_GINT64_FORMAT, f->uid, f->euid)
                         : g_strdup ("[venue] caller=non-root: the bundle does not record who ran attest"));
      if (policy->caller == SBX_CALLER_ROOT && !root)
        g_ptr_array_add (out, f->have_ids
                         ? g_strdup_printf ("[venue] caller=root: attest ran as uid %" G_GINT64_FORMAT
                                            ", euid %" G_GINT64_FORMAT, f->uid, f->euid)
                         : g_strdup ("[venue] caller=root: the bundle does not record who ran attest"));
    }
  if (policy->userns != NULL
      && (f->userns_mode == NULL || !g_strv_contains ((const char *const *) policy->userns, f->userns_mode)))
    {
      g_autofree char *allowed = g_strjoinv (";", policy->userns);
      g_autofree char *q = sbx_quote_short (f->userns_mode != NULL ? f->userns_mode : "(not recorded)");

      g_ptr_array_add (out, g_strdup_printf ("[venue] userns=%s: the bundle's user-namespace mode is %s", allowed, q));
    }
  check_digest (out, "[tool] sbx-sha256", (const char *const *) policy->sbx_sha256, "sbx", f->sbx_sha256);
  check_digest (out, "[tool] sbx-probe-sha256", (const char *const *) policy->sbx_probe_sha256, "sbx-probe",
                f->sbx_probe_sha256);
  return out;
}
