/* PR-SOCK-1 — the seccomp filter denies socket() for INET, INET6, NETLINK,
 * PACKET and VSOCK, and denies bind() and connect().
 *
 * socket() with these families works on an unfiltered kernel in any network
 * namespace (PACKET needs CAP_NET_RAW: without it the kernel also says
 * EPERM, noted), so errno= can only be the filter.  bind() and connect() get
 * fd -1: an unfiltered kernel answers EBADF, the filter errno=. */
#include "config.h"

#include "probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

#define ID "PR-SOCK-1"

void
probe_pr_sock_1 (void)
{
  static const struct { int family, type, proto; const char *words; } calls[] = {
    { AF_INET,    SOCK_STREAM, 0,             "AF_INET, SOCK_STREAM, 0" },
    { AF_INET6,   SOCK_STREAM, 0,             "AF_INET6, SOCK_STREAM, 0" },
    { AF_NETLINK, SOCK_RAW,    NETLINK_ROUTE, "AF_NETLINK, SOCK_RAW, NETLINK_ROUTE" },
    { AF_PACKET,  SOCK_DGRAM,  0,             "AF_PACKET, SOCK_DGRAM, 0" },
    { AF_VSOCK,   SOCK_STREAM, 0,             "AF_VSOCK, SOCK_STREAM, 0" },
  };
  Probe p;
  probe_init (&p, ID);
  int want = expect_errno ();

  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
    {
      int fd = socket (calls[i].family, calls[i].type | SOCK_CLOEXEC, calls[i].proto);
      int e = errno;
      probe_filter_leg (&p, 1, "socket", calls[i].words, fd, e);
      if (fd >= 0)
        close (fd);
      else if (calls[i].family == AF_PACKET && e == EPERM && want == EPERM)
        probe_note (&p, "AF_PACKET: EPERM is also the kernel's answer without CAP_NET_RAW");
    }

  struct sockaddr_in a;
  memset (&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  int r = bind (-1, (struct sockaddr *) &a, sizeof a);
  probe_filter_leg (&p, 1, "bind", "fd -1, 127.0.0.1:0 (unfiltered: EBADF)", r, errno);
  long long port = expect_number ("tcp_port");
  a.sin_port = htons ((unsigned short) (port > 0 && port < 65536 ? port : 9));
  r = connect (-1, (struct sockaddr *) &a, sizeof a);
  probe_filter_leg (&p, 1, "connect", "fd -1, 127.0.0.1:tcp_port (unfiltered: EBADF)", r, errno);
  probe_finish (&p);
}
