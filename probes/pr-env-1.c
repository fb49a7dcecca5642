/* PR-ENV-1 — scrubbed environment: environ and /proc/self/environ (the
 * environment the program was started with) hold only names listed in
 * env_allowed=; the canary variable (canary_env=), the secret-looking
 * variables (secret_env=) and the nonce (part of the canary's value) are
 * absent from both.  Only names are recorded, never values. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ID "PR-ENV-1"

extern char **environ;

static void
add_name (char *list, size_t size, const char *name)
{
  size_t len = strlen (list);
  snprintf (list + len, size - len, "%s%s", len ? "," : "", name);
}

/* Checks one NAME=value entry; appends NAME to @names, and to @extra when
 * env_allowed does not list it. */
static void
check_entry (Probe *p, const char *source, const char *entry, const char *nonce,
             int have_allowed, char *names, size_t names_size, char *extra, int *n_extra)
{
  char name[256];
  const char *eq = strchr (entry, '=');
  size_t n = eq ? (size_t) (eq - entry) : strlen (entry);
  snprintf (name, sizeof name, "%.*s", (int) (n < sizeof name ? n : sizeof name - 1), entry);
  add_name (names, names_size, name);

  const char *canary = expect_get ("canary_env");
  if (canary && *canary && strcmp (name, canary) == 0)
    probe_violated (p, "%s: the canary variable %s is present", source, name);
  else if (expect_list_has ("secret_env", name))
    probe_violated (p, "%s: secret variable %s is present", source, name);
  else if (have_allowed && !expect_list_has ("env_allowed", name))
    {
      if ((*n_extra)++ < 12)
        add_name (extra, 400, name);
    }
  if (nonce && *nonce && eq && strstr (eq + 1, nonce))
    probe_violated (p, "%s: the value of %s contains the nonce", source, name);
}

void
probe_pr_env_1 (void)
{
  Probe p;
  char names[3000];
  probe_init (&p, ID);
  const char *nonce = expect_get ("nonce");
  int have_allowed = expect_get ("env_allowed") != NULL;
  if (!have_allowed)
    probe_untestable (&p, "expectations lack env_allowed");
  if (!expect_get ("canary_env") || !nonce)
    probe_untestable (&p, "expectations lack canary_env or nonce");

  int before = p.n_violated, count = 0, n_extra = 0;
  char extra[400] = "";
  names[0] = 0;
  for (char **e = environ; e && *e; e++, count++)
    check_entry (&p, "environ", *e, nonce, have_allowed, names, sizeof names, extra, &n_extra);
  if (n_extra)
    probe_violated (&p, "environ: %d names not in env_allowed (%s%s)", n_extra, extra,
                    n_extra > 12 ? ",…" : "");
  char r[3100];
  snprintf (r, sizeof r, "%d variables: %s", count, names);
  probe_attempt_text (ID, "read", "environ (names only)", r, 0);
  if (p.n_violated == before)
    probe_held (&p, "environ clean (%d variables)", count);

  static char buf[256 * 1024];
  ssize_t n = probe_read_file ("/proc/self/environ", buf, sizeof buf);
  if (n < 0)
    {
      probe_attempt (ID, "read", "/proc/self/environ (names only)", -1, errno);
      probe_untestable (&p, "cannot read /proc/self/environ (%s)", probe_errno_name (errno));
    }
  else
    {
      before = p.n_violated;
      count = n_extra = 0;
      names[0] = extra[0] = 0;
      for (char *e = buf; e < buf + n; e += strlen (e) + 1, count++)
        check_entry (&p, "/proc/self/environ", e, nonce, have_allowed, names, sizeof names,
                     extra, &n_extra);
      if (n_extra)
        probe_violated (&p, "/proc/self/environ: %d names not in env_allowed (%s%s)", n_extra,
                        extra, n_extra > 12 ? ",…" : "");
      snprintf (r, sizeof r, "%d variables: %s", count, names);
      probe_attempt_text (ID, "read", "/proc/self/environ (names only)", r, 0);
      /* a nonce split across entries would be missed above: look at it whole */
      if (nonce && *nonce && p.n_violated == before
          && memmem (buf, (size_t) n, nonce, strlen (nonce)))
        probe_violated (&p, "/proc/self/environ contains the nonce");
      if (p.n_violated == before)
        probe_held (&p, "/proc/self/environ clean (%d variables)", count);
    }
  /* what sbx attest compares with the plan: names and salted digests */
  observe_environ (ID);
  probe_finish (&p);
}
