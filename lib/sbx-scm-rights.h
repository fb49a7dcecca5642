/* sbx-scm-rights.h — one fd over a Unix socket (SCM_RIGHTS), both ways.
 *
 * The exec gate hands its seccomp listener from the in-sandbox helper
 * (exec/sbx-exec.c, static, libc only) to sbx (lib/sbx-gate.c).  Both halves
 * use these header-only functions, so there is one copy of the cmsg code;
 * the bench's stand-ins (tests/bench/) use them too.  libc only: no GLib.
 */
#ifndef SBX_SCM_RIGHTS_H
#define SBX_SCM_RIGHTS_H

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Room for exactly one fd, aligned for struct cmsghdr. */
typedef union {
  char buf[CMSG_SPACE (sizeof (int))];
  struct cmsghdr align;
} SbxScmOneFd;

/* One message of one byte with room for one fd: both directions' msghdr. */
typedef struct {
  char byte;
  struct iovec iov;
  SbxScmOneFd control;
  struct msghdr msg;
} SbxScmMessage;

/* Zeroes @m and points its msghdr at its byte (@byte) and its control
 * buffer.  Returns &m->msg. */
static inline struct msghdr *
sbx_scm_message_init (SbxScmMessage *m, char byte)
{
  memset (m, 0, sizeof *m);
  m->byte = byte;
  m->iov.iov_base = &m->byte;
  m->iov.iov_len = 1;
  m->msg.msg_iov = &m->iov;
  m->msg.msg_iovlen = 1;
  m->msg.msg_control = m->control.buf;
  m->msg.msg_controllen = sizeof m->control.buf;
  return &m->msg;
}

/* Sends one byte with @fd attached on @sock (MSG_NOSIGNAL, retried on
 * EINTR).  Returns what sendmsg returned: 1 on success, -1 with errno. */
static inline ssize_t
sbx_scm_send_fd (int sock, int fd)
{
  SbxScmMessage m;
  struct msghdr *msg = sbx_scm_message_init (&m, 'L');
  struct cmsghdr *cmsg = CMSG_FIRSTHDR (msg);
  ssize_t n;

  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &fd, sizeof (int));
  do
    n = sendmsg (sock, msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n;
}

/* Receives one message on @sock (retried on EINTR) and returns the one fd
 * it carried (close-on-exec), or -1: an error, end of stream (every holder
 * of the other end is gone), or a message without exactly one fd. */
static inline int
sbx_scm_recv_fd (int sock)
{
  SbxScmMessage m;
  struct msghdr *msg = sbx_scm_message_init (&m, 0);
  struct cmsghdr *cmsg;
  ssize_t n;
  int fd = -1;

  do
    n = recvmsg (sock, msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  cmsg = n > 0 ? CMSG_FIRSTHDR (msg) : NULL;
  if (cmsg != NULL && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS
      && cmsg->cmsg_len == CMSG_LEN (sizeof (int)))
    memcpy (&fd, CMSG_DATA (cmsg), sizeof fd);
  return fd;
}

#endif /* SBX_SCM_RIGHTS_H */
