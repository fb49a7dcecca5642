/* sbx-profile-warn.c — settings that load but that `sbx attest` will not
 * attest, for `sbx check`: one table row per weakening, with the probes it
 * makes FAIL (tests/31-attest-weakened.sh proves each row, and
 * tests/52-cli-check.sh checks `sbx check` names the same probes), plus
 * variables kept from the host whose names look like secrets. */
#include "config.h"

#include "sbx-profile-internal.h"
#include "catalogue.h"

#include <string.h>
#include <sys/socket.h>

typedef struct {
  const char *group;
  const char *key;
  /* the offending value as text, or NULL when @profile does not weaken */
  char *(*test) (SbxProfile *profile);
  const char *probes;  /* what FAILs */
  const char *why;
} WarnRule;

static char *
exec_lock_weak (SbxProfile *profile)
{
  /* self: the probe program does not lock itself */
  if (profile->exec_lock == SBX_EXEC_LOCK_OFF || profile->exec_lock == SBX_EXEC_LOCK_SELF)
    return g_strdup (sbx_enum_name (sbx_exec_lock_names, profile->exec_lock));
  return NULL;
}

static char *
input_rw (SbxProfile *profile)
{
  return profile->input_writable ? g_strdup (sbx_enum_name (sbx_input_mode_names, TRUE)) : NULL;
}

static char *
network_host (SbxProfile *profile)
{
  return profile->network_mode == SBX_NETWORK_HOST
         ? g_strdup (sbx_enum_name (sbx_network_mode_names, SBX_NETWORK_HOST)) : NULL;
}

/* PR-SOCK-1 creates sockets of these families and wants them denied. */
static char *
families_open (SbxProfile *profile)
{
  static const int probed[] = { AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_VSOCK };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < profile->socket_families->len; i++)
    for (gsize j = 0; j < G_N_ELEMENTS (probed); j++)
      if (g_array_index (profile->socket_families, int, i) == probed[j])
        g_string_append_printf (out, "%s%s", out->len ? ";" : "",
                                sbx_socket_family_to_name (probed[j]));
  return g_string_free (out, out->len == 0);
}

static gboolean
related (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);

  return (strncmp (a, b, lb) == 0 && (a[lb] == '\0' || a[lb] == '/'))
         || (strncmp (b, a, la) == 0 && (b[la] == '\0' || b[la] == '/'));
}

/* What PR-FS-ESC-1 wants unreachable (probes/pr-fs-esc-1.c). */
static const char *const hidden_paths[] = {
  "/home", "/root", "/etc/shadow", "/etc/gshadow", "/etc/ssh", "/run", "/var",
};

static char *
shows_hidden (GPtrArray *paths, const char *(*path_of) (gpointer))
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < paths->len; i++)
    for (gsize j = 0; j < G_N_ELEMENTS (hidden_paths); j++)
      if (related (path_of (paths->pdata[i]), hidden_paths[j]))
        {
          g_string_append_printf (out, "%s%s", out->len ? ";" : "", path_of (paths->pdata[i]));
          break;
        }
  return g_string_free (out, out->len == 0);
}

static const char *
string_of (gpointer p)
{
  return p;
}

static const char *
dest_of (gpointer p)
{
  return ((SbxReadOnlyPath *) p)->dest;
}

static char *
system_hidden (SbxProfile *profile)
{
  return shows_hidden (profile->system, string_of);
}

static char *
read_only_hidden (SbxProfile *profile)
{
  return shows_hidden (profile->read_only, dest_of);
}

static gboolean
is_planted (const char *name)
{
  if (strcmp (name, SBX_ATTEST_CANARY_ENV) == 0)
    return TRUE;
  for (gsize j = 0; sbx_attest_secret_env_names[j] != NULL; j++)
    if (strcmp (name, sbx_attest_secret_env_names[j]) == 0)
      return TRUE;
  return FALSE;
}

static char *
keeps_planted (SbxProfile *profile)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < profile->env_keep->len; i++)
    if (is_planted (profile->env_keep->pdata[i]))
      g_string_append_printf (out, "%s%s", out->len ? ";" : "", (char *) profile->env_keep->pdata[i]);
  return g_string_free (out, out->len == 0);
}

static const WarnRule rules[] = {
  { "filesystem", "input-mode", input_rw, "PR-FS-RO-IN", "the job may change its input" },
  { "filesystem", "system", system_hidden, "PR-FS-ESC-1",
    "the sandbox would show what must stay hidden: /home, /root, /etc/shadow, /etc/gshadow, "
    "/etc/ssh, /run, /var" },
  { "filesystem", "read-only", read_only_hidden, "PR-FS-ESC-1",
    "the sandbox would show what must stay hidden: /home, /root, /etc/shadow, /etc/gshadow, "
    "/etc/ssh, /run, /var" },
  { "network", "mode", network_host, "PR-NET-1, PR-NS-1", "the job shares the host's network" },
  { "network", "socket-families", families_open, "PR-SOCK-1",
    "the job may create network sockets" },
  { "environment", "keep", keeps_planted, "PR-ENV-1",
    "attest plants these in its environment as secrets the job must not see" },
  { "seccomp", "exec-lock", exec_lock_weak, "PR-EXEC-1, PR-SECCOMP-1",
    "the probed job is not exec-locked: off lets it exec, self locks only a job that calls "
    "sbx_profile_lock_self()" },
};

/* Words that mark a variable's value as a credential. */
static const char *const secret_words[] = {
  "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "API_KEY", "APIKEY", "ACCESS_KEY",
  "PRIVATE_KEY", "AUTH", "COOKIE", "SESSION",
};

static gboolean
looks_secret (const char *name)
{
  g_autofree char *upper = g_ascii_strup (name, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (secret_words); i++)
    if (strstr (upper, secret_words[i]) != NULL)
      return TRUE;
  return FALSE;
}

void
sbx_profile_warn_attest (SbxProfile *profile, SbxWarnFunc func, gpointer data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autofree char *value = rules[i].test (profile);

      if (value != NULL)
        {
          g_autofree char *message = g_strdup_printf ("“%s” will fail attestation: %s (%s)", value,
                                                      rules[i].probes, rules[i].why);

          func (rules[i].group, rules[i].key, message, data);
        }
    }
  /* Not planted by attest, so attestation will not notice: say so. */
  for (guint i = 0; i < profile->env_keep->len; i++)
    {
      const char *name = profile->env_keep->pdata[i];

      if (looks_secret (name) && !is_planted (name))
        {
          g_autofree char *message = g_strdup_printf (
            "“%s” looks like a secret: the job will see its value (attestation plants only "
            "decoys of its own and will not notice this one)", name);

          func ("environment", "keep", message, data);
        }
    }
}
