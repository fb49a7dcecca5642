/* PR-NS-1 — no host namespaces: the pid, net, ipc, uts, mnt, user and cgroup
 * namespace inodes (/proc/self/ns/…) differ from the host's (host_ns_…=).
 * The hostname against host_hostname= is noted. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ID "PR-NS-1"

void
probe_pr_ns_1 (void)
{
  static const char *const names[] = { "pid", "net", "ipc", "uts", "mnt", "user", "cgroup" };
  Probe p;
  char args[64], key[32], r[32];
  probe_init (&p, ID);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      unsigned long long mine = probe_ns_inode (names[i]);
      snprintf (args, sizeof args, "/proc/self/ns/%s inode", names[i]);
      snprintf (r, sizeof r, "%llu", mine);
      probe_attempt_text (ID, "stat", args, mine ? r : "-", mine ? 0 : errno);
      snprintf (key, sizeof key, "host_ns_%s", names[i]);
      long long host = expect_number (key);
      if (!mine)
        probe_untestable (&p, "cannot read /proc/self/ns/%s", names[i]);
      else if (host < 0)
        probe_untestable (&p, "expectations lack %s", key);
      else if ((unsigned long long) host == mine)
        probe_violated (&p, "%s namespace is the host's", names[i]);
      else
        probe_held (&p, "%s differs", names[i]);
    }
  char name[256];
  const char *host_name = expect_get ("host_hostname");
  if (gethostname (name, sizeof name) == 0)
    {
      probe_attempt_text (ID, "gethostname", "-", name, 0);
      if (host_name && strcmp (host_name, name) == 0)
        probe_note (&p, "hostname equals the host's");
    }
  /* what sbx attest compares with the plan: maps, pid 1 */
  observe_identity (ID);
  probe_finish (&p);
}
