/* sbx-stdio.c — what a job may get as its stdin, stdout and stderr.
 *
 * bwrap passes fds 0-2 on to the job unchanged, so whatever they are, the
 * job holds: a directory lets it openat(0, "../..") anywhere on the host,
 * an O_PATH fd the same, a listening socket accepts the host's clients, a
 * datagram socket sends to any socket path, a block device is a disk.  So
 * only what stdio is for passes: a pipe or FIFO, a regular file, /dev/null,
 * a terminal, a connected stream socket.
 *
 * A regular file on stdin is refused when the job's uid could write it:
 * the job can reopen it through /proc/self/fd/0 with O_RDWR, and that open
 * is judged by the file's mode, not by how the caller opened it.  The owner
 * always could (chmod through the same link, then reopen), so a file the
 * job's uid owns is refused whatever its mode; otherwise the mode bits are
 * read as the kernel does for a process without capabilities (the job has
 * none), and where an ACL may grant more, the group bits (its mask) count
 * as granted.  Stdout and stderr are the job's to write anyway.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *const fd_names[] = { "stdin", "stdout", "stderr" };

static const char stdio_rule[] =
  "a job's stdin, stdout and stderr may be a pipe, a regular file, /dev/null, a terminal or a "
  "connected stream socket";

static gboolean
in_groups (gid_t gid)
{
  gid_t groups[256];
  int n;

  if (gid == getegid ())
    return TRUE;
  n = getgroups (G_N_ELEMENTS (groups), groups);
  for (int i = 0; i < n; i++)
    if (groups[i] == gid)
      return TRUE;
  return n < 0; /* cannot tell: count it as a member */
}

/* TRUE when @uid without capabilities could open the file of @fd for
 * writing. */
static gboolean
job_could_write (int fd, const struct stat *st, uid_t uid)
{
  char acl[1];
  gboolean has_acl = fgetxattr (fd, "system.posix_acl_access", acl, 0) >= 0 || errno == ERANGE;

  if (st->st_uid == uid)
    return TRUE; /* chmod u+w through /proc/self/fd/0, then reopen */
  if ((st->st_mode & S_IWGRP) != 0 && (has_acl || in_groups (st->st_gid)))
    return TRUE;
  return (st->st_mode & S_IWOTH) != 0;
}

/* What a socket is, or NULL when it is a connected stream socket. */
static const char *
socket_problem (int fd)
{
  int type = 0, listening = 0;
  socklen_t len = sizeof type;
  struct sockaddr_storage peer;
  socklen_t peer_len = sizeof peer;

  if (getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
    return "a socket sbx cannot inspect";
  len = sizeof listening;
  if (getsockopt (fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && listening)
    return "a listening socket";
  if (type == SOCK_DGRAM || type == SOCK_RAW)
    return "a datagram socket";
  if (type != SOCK_STREAM)
    return "a socket that is not a stream (seqpacket, packet …)";
  if (getpeername (fd, (struct sockaddr *) &peer, &peer_len) != 0)
    return "an unconnected socket";
  return NULL;
}

/* Where @fd points, for the message; "" when unknown. */
static char *
fd_target (int fd)
{
  char link[64];
  char target[4096];
  ssize_t n;

  g_snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, target, sizeof target - 1);
  if (n <= 0)
    return g_strdup ("");
  target[n] = '\0';
  return g_strdup_printf (" (%s)", target);
}

/* @slot: the job's fd (0-2); @fd: ours that it will get. */
static gboolean
refuse (GError **error, int slot, int fd, const char *what, const char *hint)
{
  g_autofree char *target = fd_target (fd);

  g_set_error (error, SBX_ERROR, SBX_ERROR_STDIO, "%s (fd %d) is %s%s: %s%s", fd_names[slot], slot,
               what, target, stdio_rule, hint ? hint : "");
  return FALSE;
}

gboolean
sbx_stdio_check (const int fds[3], uid_t job_uid, GError **error)
{
  for (int slot = 0; slot <= 2; slot++)
    {
      struct stat st;
      int fd = fds[slot];
      int flags = fd >= 0 ? fcntl (fd, F_GETFL) : -1;
      const char *problem;

      if (flags < 0)
        {
          /* closed: the next open would land on it, in bwrap or the job */
          g_set_error (error, SBX_ERROR, SBX_ERROR_STDIO, "%s (fd %d) is closed: %s (give it "
                       "/dev/null)", fd_names[slot], slot, stdio_rule);
          return FALSE;
        }
      if ((flags & O_PATH) == O_PATH)
        return refuse (error, slot, fd, "an O_PATH fd", NULL);
      if (fstat (fd, &st) != 0)
        {
          sbx_set_errno_error (error, SBX_ERROR_STDIO, errno, "%s (fd %d): fstat", fd_names[slot], slot);
          return FALSE;
        }
      switch (st.st_mode & S_IFMT)
        {
        case S_IFIFO:
          continue;
        case S_IFREG:
          if (slot == 0 && job_could_write (fd, &st, job_uid))
            return refuse (error, slot, fd, "a regular file the job could write (its uid owns it or "
                           "may write it, and /proc/self/fd/0 reopens it)", "; feed it through a "
                           "pipe instead (cat FILE | sbx run …)");
          continue;
        case S_IFCHR:
          if ((major (st.st_rdev) == 1 && minor (st.st_rdev) == 3) || isatty (fd))
            continue;
          {
            g_autofree char *what = g_strdup_printf ("a character device (%u:%u) other than "
                                                     "/dev/null or a terminal",
                                                     major (st.st_rdev), minor (st.st_rdev));

            return refuse (error, slot, fd, what, NULL);
          }
        case S_IFSOCK:
          problem = socket_problem (fd);
          if (problem == NULL)
            continue;
          return refuse (error, slot, fd, problem, NULL);
        case S_IFDIR:
          return refuse (error, slot, fd, "a directory", NULL);
        case S_IFBLK:
          return refuse (error, slot, fd, "a block device", NULL);
        default:
          return refuse (error, slot, fd, "of an unknown type", NULL);
        }
    }
  return TRUE;
}
