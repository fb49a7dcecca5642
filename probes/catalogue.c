/* catalogue.c — every probe sbx knows, in report order.  The first twelve
 * are the seed probes; "required" marks the default [attest] required list. */
#include "catalogue.h"

#include <string.h>

const char *const sbx_attest_secret_env_names[] = {
  "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "NPM_TOKEN", "SSH_AUTH_SOCK", NULL,
};

const SbxProbeInfo sbx_probe_catalogue[] = {
  { .id = "PR-NET-1", .property = "no network: only lo, own network namespace", .required = 1 },
  { .id = "PR-NET-2", .property = "no network: host loopback listeners unreachable", .required = 1,
    .host_check = "nothing reached the sandbox run's TCP and UDP decoys" },
  { .id = "PR-SOCK-1", .property = "seccomp denies socket/connect/bind", .required = 1 },
  { .id = "PR-SOCK-DOCKER", .property = "no docker socket: daemon sockets absent, decoys unreachable", .required = 1,
    .host_check = "nothing reached the sandbox run's Unix decoys" },
  { .id = "PR-ENV-1", .property = "scrubbed environment: only allow-listed variables", .required = 1 },
  { .id = "PR-FS-RO-IN", .property = "read-only input", .required = 1,
    .host_check = "input folder unchanged after the sandbox run" },
  { .id = "PR-FS-ESC-1", .property = "no home/project/etc/secret mounts", .required = 1 },
  { .id = "PR-FS-ESC-2", .property = "no path escape to the canary", .required = 1 },
  { .id = "PR-FS-OUT-OK", .property = "writable output, seen by the host", .required = 1,
    .host_check = "the nonce written in /out arrived in the host's output folder" },
  { .id = "PR-EXEC-1", .property = "exec denied after the lock", .required = 1 },
  { .id = "PR-MOUNT-1", .property = "read-only root, no mounts, no unshare", .required = 1 },
  { .id = "PR-PTRACE-1", .property = "seccomp denies ptrace and process_vm_readv", .required = 1 },
  { .id = "PR-CAP-1", .property = "all capabilities dropped", .required = 1 },
  { .id = "PR-NNP-1", .property = "no_new_privs set", .required = 1 },
  { .id = "PR-SECCOMP-1", .property = "both seccomp filters loaded", .required = 1 },
  { .id = "PR-NS-1", .property = "no host namespaces", .required = 1 },
  { .id = "PR-RLIMIT-1", .property = "resource limits in force", .required = 1 },
  { .id = "PR-ABI-1", .property = "no ABI bypass (i386, x32)", .required = 0 },
  { .id = "PR-URING-1", .property = "no io_uring", .required = 1 },
  { .id = "PR-TTY-1", .property = "no terminal injection (TIOCSTI)", .required = 0 },
  { .id = "PR-TMP-NOEXEC", .property = "tmpfs_noexec: /tmp and /dev/shm cannot map or run code", .required = 0 },
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
