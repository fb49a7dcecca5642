/* PR-NET-1 — no network: only the loopback interface exists, and the
 * network namespace is not the host's (host_ns_net=). */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#define ID "PR-NET-1"

/* Interface names from /proc/net/dev (the calling process's namespace),
 * comma-separated into @names.  Returns the count, or -1 with errno. */
static int
list_proc_net_dev (char *names, size_t size)
{
  char buf[16384];
  if (probe_read_file ("/proc/net/dev", buf, sizeof buf) < 0)
    return -1;
  int n = 0;
  names[0] = 0;
  char *save = NULL;
  int lineno = 0;
  for (char *line = strtok_r (buf, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      if (++lineno <= 2)        /* two header lines */
        continue;
      char *colon = strchr (line, ':');
      if (!colon)
        continue;
      *colon = 0;
      while (*line == ' ')
        line++;
      size_t len = strlen (names);
      snprintf (names + len, size - len, "%s%s", n ? "," : "", line);
      n++;
    }
  return n;
}

static int
list_if_nameindex (char *names, size_t size)
{
  struct if_nameindex *ifs = if_nameindex ();
  if (!ifs)
    return -1;
  int n = 0;
  names[0] = 0;
  for (struct if_nameindex *i = ifs; i->if_index != 0 && i->if_name; i++, n++)
    {
      size_t len = strlen (names);
      snprintf (names + len, size - len, "%s%s", n ? "," : "", i->if_name);
    }
  if_freenameindex (ifs);
  return n;
}

static void
judge_names (Probe *p, const char *source, const char *names)
{
  char copy[4096], others[4096] = "";
  snprintf (copy, sizeof copy, "%s", names);
  char *save = NULL;
  for (char *name = strtok_r (copy, ",", &save); name; name = strtok_r (NULL, ",", &save))
    if (strcmp (name, "lo") != 0)
      {
        size_t len = strlen (others);
        snprintf (others + len, sizeof others - len, "%s%s", len ? "," : "", name);
      }
  if (others[0])
    probe_violated (p, "interfaces other than lo (%s): %s", source, others);
  else
    probe_held (p, "only %s (%s)", names[0] ? names : "no interface at all", source);
}

void
probe_pr_net_1 (void)
{
  Probe p;
  char names[4096];
  probe_init (&p, ID);

  int n = list_proc_net_dev (names, sizeof names);
  probe_attempt_text (ID, "read", "/proc/net/dev (interface names)", n >= 0 ? names : "-",
                      n >= 0 ? 0 : errno);
  if (n >= 0)
    judge_names (&p, "/proc/net/dev", names);
  else
    {
      n = list_if_nameindex (names, sizeof names);
      probe_attempt_text (ID, "if_nameindex", "-", n >= 0 ? names : "-", n >= 0 ? 0 : errno);
      if (n >= 0)
        judge_names (&p, "if_nameindex", names);
      else
        probe_untestable (&p, "could not list the interfaces (%s)", probe_errno_name (errno));
    }

  unsigned long long mine = probe_ns_inode ("net");
  char r[32];
  snprintf (r, sizeof r, "%llu", mine);
  probe_attempt_text (ID, "stat", "/proc/self/ns/net inode", mine ? r : "-", mine ? 0 : errno);
  long long host = expect_number ("host_ns_net");
  if (!mine)
    probe_untestable (&p, "cannot read /proc/self/ns/net");
  else if (host < 0)
    probe_untestable (&p, "expectations lack host_ns_net");
  else if ((unsigned long long) host == mine)
    probe_violated (&p, "network namespace is the host's (inode %llu)", mine);
  else
    probe_held (&p, "own network namespace (%llu, host %lld)", mine, host);
  probe_finish (&p);
}
