/* catalogue.c — every probe sbx knows, in report order.  The first twelve
 * are the seed probes; "required" marks the default [attest] required list. */
#include "catalogue.h"

#include <string.h>

const char *const sbx_attest_secret_env_names[] = {
  "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "NPM_TOKEN", "SSH_AUTH_SOCK", NULL,
};

const SbxProbeInfo sbx_probe_catalogue[] = {
  { "PR-NET-1",       "no network: only lo, own network namespace", 1 },
  { "PR-NET-2",       "no network: host loopback listeners unreachable", 1 },
  { "PR-SOCK-1",      "seccomp denies socket/connect/bind", 1 },
  { "PR-SOCK-DOCKER", "no docker socket: daemon sockets absent, decoys unreachable", 1 },
  { "PR-ENV-1",       "scrubbed environment: only allow-listed variables", 1 },
  { "PR-FS-RO-IN",    "read-only input", 1 },
  { "PR-FS-ESC-1",    "no home/project/etc/secret mounts", 1 },
  { "PR-FS-ESC-2",    "no path escape to the canary", 1 },
  { "PR-FS-OUT-OK",   "writable output, seen by the host", 1 },
  { "PR-EXEC-1",      "exec denied after the lock", 1 },
  { "PR-MOUNT-1",     "read-only root, no mounts, no unshare", 1 },
  { "PR-PTRACE-1",    "seccomp denies ptrace and process_vm_readv", 1 },
  { "PR-CAP-1",       "all capabilities dropped", 1 },
  { "PR-NNP-1",       "no_new_privs set", 1 },
  { "PR-SECCOMP-1",   "both seccomp filters loaded", 1 },
  { "PR-NS-1",        "no host namespaces", 1 },
  { "PR-RLIMIT-1",    "resource limits in force", 1 },
  { "PR-ABI-1",       "no ABI bypass (i386, x32)", 0 },
  { "PR-URING-1",     "no io_uring", 1 },
  { "PR-TTY-1",       "no terminal injection (TIOCSTI)", 0 },
  { "PR-TMP-NOEXEC",  "tmpfs_noexec: /tmp and /dev/shm cannot map or run code", 0 },
};

const unsigned sbx_probe_catalogue_size = sizeof sbx_probe_catalogue / sizeof sbx_probe_catalogue[0];

const SbxProbeInfo *
sbx_probe_catalogue_find (const char *id)
{
  for (unsigned i = 0; i < sbx_probe_catalogue_size; i++)
    if (strcmp (sbx_probe_catalogue[i].id, id) == 0)
      return &sbx_probe_catalogue[i];
  return 0;
}
