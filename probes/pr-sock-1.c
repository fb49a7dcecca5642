/* PR-SOCK-1 — the seccomp filter denies socket() for INET, INET6, NETLINK,
 * PACKET and VSOCK, and denies bind() and connect().
 *
 * socket() with these families works on an unfiltered kernel in any network
 * namespace, so errno= can only be the filter — except PACKET, which needs
 * CAP_NET_RAW: without it (CapEff bit 13 clear or unreadable) the kernel
 * also says EPERM, so with errno=EPERM that leg is only noted.  bind() and
 * connect() get fd -1: an unfiltered kernel answers EBADF, the filter
 * errno= (noted, not decisive, when errno= is EBADF itself). */
#include "config.h"

#include "probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

#define ID "PR-SOCK-1"

/* 1 when CapEff has CAP_NET_RAW (bit 13), 0 when not or unknown. */
static int
have_net_raw (void)
{
  char v[64];
  if (probe_status_field ("CapEff", v, sizeof v) < 0)
    return 0;
  char *end;
  unsigned long long caps = strtoull (v, &end, 16);
  return end != v && (caps >> 13 & 1);
}

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
  int net_raw = have_net_raw ();

  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
    {
      int fd = socket (calls[i].family, calls[i].type | SOCK_CLOEXEC, calls[i].proto);
      int e = errno;
      /* without CAP_NET_RAW the kernel itself refuses AF_PACKET with EPERM */
      int unfiltered = calls[i].family == AF_PACKET && !net_raw ? EPERM : 0;
      probe_filter_leg (&p, 1, unfiltered, "socket", calls[i].words, fd, e);
      if (fd >= 0)
        close (fd);
    }

  struct sockaddr_in a;
  memset (&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  int r = bind (-1, (struct sockaddr *) &a, sizeof a);
  probe_filter_leg (&p, 1, EBADF, "bind", "fd -1, 127.0.0.1:0 (unfiltered: EBADF)", r, errno);
  long long port = expect_number ("tcp_port");
  a.sin_port = htons ((unsigned short) (port > 0 && port < 65536 ? port : 9));
  r = connect (-1, (struct sockaddr *) &a, sizeof a);
  probe_filter_leg (&p, 1, EBADF, "connect", "fd -1, 127.0.0.1:tcp_port (unfiltered: EBADF)",
                      r, errno);
  probe_finish (&p);
}
