/* PR-NET-2 — no network (reach): the host's TCP and UDP listeners on
 * 127.0.0.1 (tcp_port=, udp_port=) cannot be reached.
 *
 * Exchange (served by sbx-attest on the host, probes/README.md):
 *   TCP: connect; send "sbx-probe tcp <nonce>\n"; the host echoes it back.
 *        A completed connect is already the violation; the echo is noted.
 *   UDP: send "sbx-probe udp <nonce>\n" (twice, 0.5 s apart); the host
 *        echoes each datagram to its sender.  The violation is receiving
 *        that exact datagram back within 1.5 s. */
#include "config.h"

#include "probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define ID "PR-NET-2"

static struct sockaddr_in
loopback (long long port)
{
  struct sockaddr_in a;
  memset (&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons ((unsigned short) port);
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  return a;
}

/* Waits up to @ms for @expect to come back on @fd.  1 echoed, 0 not (errno
 * set to ETIMEDOUT or the socket's error). */
static int
await_echo (int fd, const char *expect, int ms, char *what, size_t what_size)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };
  int r = poll (&pfd, 1, ms);
  if (r <= 0)
    {
      snprintf (what, what_size, "nothing within %d ms", ms);
      errno = r == 0 ? ETIMEDOUT : errno;
      return 0;
    }
  char buf[256];
  ssize_t n = recv (fd, buf, sizeof buf - 1, MSG_DONTWAIT);
  if (n < 0)
    {
      snprintf (what, what_size, "receive failed");
      return 0;
    }
  buf[n] = 0;
  int same = (size_t) n == strlen (expect) && memcmp (buf, expect, (size_t) n) == 0;
  snprintf (what, what_size, "%zd bytes, %s", n, same ? "the nonce echoed" : "not the echo");
  return same;
}

static void
tcp_leg (Probe *p, long long port, const char *nonce)
{
  char args[128], msg[128], what[96];
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  probe_attempt (ID, "socket", "AF_INET, SOCK_STREAM, 0", fd, errno);
  if (fd < 0)
    {
      probe_held (p, "TCP: socket denied (%s)", probe_errno_name (errno));
      return;
    }
  struct timeval tv = { 1, 0 };
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  struct sockaddr_in a = loopback (port);
  int r = connect (fd, (struct sockaddr *) &a, sizeof a);
  int e = errno;
  snprintf (args, sizeof args, "tcp fd, 127.0.0.1:%lld", port);
  probe_attempt (ID, "connect", args, r, e);
  if (r < 0)
    {
      probe_held (p, "TCP 127.0.0.1:%lld unreachable (%s)", port, probe_errno_name (e));
      close (fd);
      return;
    }
  snprintf (msg, sizeof msg, "sbx-probe tcp %s\n", nonce);
  ssize_t s = send (fd, msg, strlen (msg), MSG_NOSIGNAL);
  probe_attempt (ID, "send", "\"sbx-probe tcp <nonce>\\n\" on the connection", (long) s, errno);
  int echoed = s > 0 && await_echo (fd, msg, 1000, what, sizeof what);
  probe_attempt_text (ID, "recv", "echo from the host, 1 s", what, 0);
  probe_violated (p, "TCP connect to 127.0.0.1:%lld succeeded%s", port,
                  echoed ? " and the host echoed the nonce" : "");
  close (fd);
}

static void
udp_leg (Probe *p, long long port, const char *nonce)
{
  char args[128], msg[128], what[96];
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  probe_attempt (ID, "socket", "AF_INET, SOCK_DGRAM, 0", fd, errno);
  if (fd < 0)
    {
      probe_held (p, "UDP: socket denied (%s)", probe_errno_name (errno));
      return;
    }
  struct sockaddr_in a = loopback (port);
  int r = connect (fd, (struct sockaddr *) &a, sizeof a);
  int e = errno;
  snprintf (args, sizeof args, "udp fd, 127.0.0.1:%lld", port);
  probe_attempt (ID, "connect", args, r, e);
  if (r < 0)
    {
      probe_held (p, "UDP 127.0.0.1:%lld unreachable (%s)", port, probe_errno_name (e));
      close (fd);
      return;
    }
  snprintf (msg, sizeof msg, "sbx-probe udp %s\n", nonce);
  int echoed = 0, last_err = 0;
  for (int i = 0; i < 2 && !echoed; i++)
    {
      ssize_t s = send (fd, msg, strlen (msg), MSG_NOSIGNAL);
      last_err = s < 0 ? errno : 0;
      probe_attempt (ID, "send", "\"sbx-probe udp <nonce>\\n\" datagram", (long) s, errno);
      if (s < 0)
        continue;
      echoed = await_echo (fd, msg, i == 0 ? 500 : 1000, what, sizeof what);
      if (!echoed)
        last_err = errno;
      probe_attempt_text (ID, "recv", "echo from the host", what, echoed ? 0 : errno);
    }
  if (echoed)
    probe_violated (p, "UDP exchange with 127.0.0.1:%lld: the host echoed the nonce", port);
  else
    probe_held (p, "UDP 127.0.0.1:%lld: no echo (%s)", port, probe_errno_name (last_err));
  close (fd);
}

void
probe_pr_net_2 (void)
{
  Probe p;
  probe_init (&p, ID);
  long long tcp = expect_number ("tcp_port"), udp = expect_number ("udp_port");
  const char *nonce = expect_get ("nonce");
  if (!nonce || !*nonce)
    nonce = "no-nonce";
  if (tcp > 0 && tcp < 65536)
    tcp_leg (&p, tcp, nonce);
  else
    probe_untestable (&p, "expectations lack tcp_port");
  if (udp > 0 && udp < 65536)
    udp_leg (&p, udp, nonce);
  else
    probe_untestable (&p, "expectations lack udp_port");
  probe_finish (&p);
}
