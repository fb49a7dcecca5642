/* PR-SECCOMP-1 — both filters loaded: "Seccomp: 2" (filter mode) and
 * "Seccomp_filters" at least 2 (bwrap's launch program and the lock) in
 * /proc/self/status. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID "PR-SECCOMP-1"

void
probe_pr_seccomp_1 (void)
{
  Probe p;
  char value[64];
  probe_init (&p, ID);
  if (probe_read_status (&p, "Seccomp", 1, value, sizeof value) == 0)
    {
      if (strcmp (value, "2") == 0)
        probe_held (&p, "Seccomp 2");
      else
        probe_violated (&p, "Seccomp %s (filter mode is 2)", value);
    }
  if (probe_read_status (&p, "Seccomp_filters", 1, value, sizeof value) == 0)
    {
      char *end;
      long n = strtol (value, &end, 10);
      if (*end || !value[0])
        probe_untestable (&p, "Seccomp_filters unreadable: %s", value);
      else if (n >= 2)
        probe_held (&p, "Seccomp_filters %ld", n);
      else
        probe_violated (&p, "Seccomp_filters %ld (launch and lock make 2)", n);
    }
  /* what sbx attest compares with the programs: every syscall number */
  observe_syscalls (ID);
  probe_finish (&p);
}
