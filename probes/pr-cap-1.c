/* PR-CAP-1 — all capabilities dropped: CapEff, CapPrm, CapBnd and CapAmb
 * in /proc/self/status are zero (CapInh is recorded and noted). */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID "PR-CAP-1"

void
probe_pr_cap_1 (void)
{
  static const struct { const char *name; int decisive; } sets[] = {
    { "CapEff", 1 }, { "CapPrm", 1 }, { "CapBnd", 1 }, { "CapAmb", 1 }, { "CapInh", 0 },
  };
  Probe p;
  char value[64];
  probe_init (&p, ID);
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
    {
      if (probe_read_status (&p, sets[i].name, sets[i].decisive, value, sizeof value) < 0)
        continue;
      char *end;
      unsigned long long v = strtoull (value, &end, 16);
      if (*end || !value[0])
        probe_untestable (&p, "%s unreadable: %s", sets[i].name, value);
      else if (v && sets[i].decisive)
        probe_violated (&p, "%s %s", sets[i].name, value);
      else if (v)
        probe_note (&p, "%s %s", sets[i].name, value);
      else if (sets[i].decisive)
        probe_held (&p, "%s 0", sets[i].name);
    }
  probe_finish (&p);
}
