/* PR-SOCK-DOCKER — no container-daemon socket: the usual docker, containerd
 * and podman socket paths are absent, and the host's decoy sockets — a
 * listening Unix socket at a path (unix_socket=) and an abstract one
 * (abstract_socket=) — cannot be connected to.  socket(AF_UNIX) denied by
 * the filter also counts as unreachable (recorded as such). */
#include "config.h"

#include "probe.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define ID "PR-SOCK-DOCKER"

static void
check_absent (Probe *p, const char *path)
{
  struct stat st;
  int r = lstat (path, &st);
  probe_attempt (ID, "lstat", path, r, errno);
  if (r == 0)
    probe_violated (p, "%s is present%s", path, S_ISSOCK (st.st_mode) ? " (a socket)" : "");
}

/* Daemon sockets of rootless podman/docker live under /run/user/UID. */
static void
check_user_runtime_dirs (Probe *p)
{
  static const char *const tails[] = { "docker.sock", "podman/podman.sock" };
  char path[600];
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  if (xdg && *xdg)
    for (size_t t = 0; t < 2; t++)
      {
        snprintf (path, sizeof path, "%s/%s", xdg, tails[t]);
        check_absent (p, path);
      }
  DIR *d = opendir ("/run/user");
  probe_attempt (ID, "opendir", "/run/user", d ? 0 : -1, errno);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir (d)))
    {
      if (e->d_name[0] == '.')
        continue;
      for (size_t t = 0; t < 2; t++)
        {
          snprintf (path, sizeof path, "/run/user/%s/%s", e->d_name, tails[t]);
          check_absent (p, path);
        }
    }
  closedir (d);
}

/* Connects a new AF_UNIX stream socket to @addr.  @words names it. */
static void
try_connect (Probe *p, const struct sockaddr_un *addr, socklen_t len, const char *words)
{
  char args[200];
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int e = errno;
  probe_attempt (ID, "socket", "AF_UNIX, SOCK_STREAM, 0", fd, e);
  if (fd < 0)
    {
      probe_held (p, "%s unreachable: socket(AF_UNIX) denied (%s)", words, probe_errno_name (e));
      return;
    }
  int r = connect (fd, (const struct sockaddr *) addr, len);
  e = errno;
  snprintf (args, sizeof args, "unix fd, %s", words);
  probe_attempt (ID, "connect", args, r, e);
  if (r == 0)
    probe_violated (p, "connected to the %s", words);
  else
    probe_held (p, "%s unreachable (%s)", words, probe_errno_name (e));
  close (fd);
}

void
probe_pr_sock_docker (void)
{
  static const char *const fixed[] = {
    "/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock", "/run/podman/podman.sock",
    "/var/run/podman/podman.sock", "/run/crio/crio.sock",
  };
  Probe p;
  probe_init (&p, ID);
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    check_absent (&p, fixed[i]);
  check_user_runtime_dirs (&p);
  if (p.n_violated == 0)
    probe_held (&p, "no daemon socket path present");

  struct sockaddr_un a;
  const char *path = expect_get ("unix_socket");
  if (path && *path && strlen (path) < sizeof a.sun_path)
    {
      memset (&a, 0, sizeof a);
      a.sun_family = AF_UNIX;
      memcpy (a.sun_path, path, strlen (path));
      try_connect (&p, &a, (socklen_t) (offsetof (struct sockaddr_un, sun_path) + strlen (path) + 1),
                   "decoy unix socket (unix_socket)");
    }
  else
    probe_untestable (&p, "expectations lack a usable unix_socket");

  const char *name = expect_get ("abstract_socket");
  if (name && *name && strlen (name) < sizeof a.sun_path - 1)
    {
      memset (&a, 0, sizeof a);
      a.sun_family = AF_UNIX;
      memcpy (a.sun_path + 1, name, strlen (name));    /* sun_path[0] = 0: abstract */
      try_connect (&p, &a, (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + strlen (name)),
                   "decoy abstract socket (abstract_socket)");
    }
  else
    probe_untestable (&p, "expectations lack a usable abstract_socket");
  probe_finish (&p);
}
