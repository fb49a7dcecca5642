/* PR-NNP-1 — no new privileges: "NoNewPrivs: 1" in /proc/self/status, and
 * prctl(PR_GET_NO_NEW_PRIVS) agrees when the filter lets it answer. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#define ID "PR-NNP-1"

void
probe_pr_nnp_1 (void)
{
  Probe p;
  char value[64];
  probe_init (&p, ID);
  if (probe_read_status (&p, "NoNewPrivs", 1, value, sizeof value) == 0)
    {
      if (strcmp (value, "1") == 0)
        probe_held (&p, "NoNewPrivs 1");
      else
        probe_violated (&p, "NoNewPrivs %s", value);
    }
  int r = prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  probe_attempt (ID, "prctl", "PR_GET_NO_NEW_PRIVS", r, errno);
  if (r == 0)
    probe_violated (&p, "prctl(PR_GET_NO_NEW_PRIVS) 0");
  else if (r < 0)
    probe_note (&p, "prctl(PR_GET_NO_NEW_PRIVS) %s", probe_errno_name (errno));
  probe_finish (&p);
}
