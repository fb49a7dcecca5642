/* sbx-read.c — reading a file a user named, with bounds: a size limit, a
 * time limit for pipes, and no devices.  Also the excerpt helper that keeps
 * a bad value from flooding an error message.
 *
 * Why not g_file_get_contents(): it reads a device like /dev/zero until an
 * allocation fails, and a FIFO without a writer blocks it forever.  Here a
 * regular file larger than the limit is refused from its size alone, a
 * device or socket is refused before it is opened (opening some devices
 * has effects), and a pipe (`-p <(cmd)`, a named FIFO) is read up to the
 * limit with a deadline for the data to arrive.  And the small reader of
 * kernel files (/proc) that the run path and the spawn child share.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *
file_kind (mode_t mode)
{
  switch (mode & S_IFMT)
    {
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    case S_IFSOCK:
      return "a socket";
    case S_IFDIR:
      return "a directory";
    default:
      return "not a regular file";
    }
}

/* Waits up to @timeout_ms for @fd to be readable (data, or every writer
 * gone).  A FIFO opened before any writer reports neither until a writer
 * comes, so this is also the wait for a writer. */
static gboolean
wait_readable (int fd, const char *path, const char *what, int timeout_ms, GError **error)
{
  struct pollfd p = { .fd = fd, .events = POLLIN };
  int r;

  do
    r = poll (&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  if (r == 0)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO,
                   "%s “%s”: no data within %d seconds (a pipe or FIFO nothing writes to?)", what,
                   path, timeout_ms / 1000);
      return FALSE;
    }
  if (r < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "cannot read %s “%s”", what, path);
      return FALSE;
    }
  return TRUE;
}

/* Reads @fd (O_NONBLOCK) into @buf until EOF or more than @limit bytes; a
 * pipe is polled before each read, with @timeout_ms for each wait. */
static gboolean
read_all (int fd, gboolean is_pipe, const char *path, const char *what, gsize limit,
          int timeout_ms, GString *buf, GError **error)
{
  char chunk[16384];

  for (;;)
    {
      ssize_t n;

      if (is_pipe && !wait_readable (fd, path, what, timeout_ms, error))
        return FALSE;
      n = read (fd, chunk, sizeof chunk);
      if (n > 0)
        {
          g_string_append_len (buf, chunk, n);
          if (buf->len > limit)
            {
              g_autofree char *size = sbx_format_size (limit);

              g_set_error (error, SBX_ERROR, SBX_ERROR_IO,
                           "%s “%s” is larger than %s, the limit for a %s", what, path, size, what);
              return FALSE;
            }
          continue;
        }
      if (n == 0)
        return TRUE;
      if (errno == EINTR || errno == EAGAIN)
        continue;
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "cannot read %s “%s”", what, path);
      return FALSE;
    }
}

gboolean
sbx_read_bounded (const char *path, const char *what, gsize limit, int timeout_ms,
                  char **contents, gsize *length, GError **error)
{
  g_autoptr(GString) buf = NULL;
  struct stat before, st;
  gboolean ok;
  int fd;

  g_return_val_if_fail (path != NULL && contents != NULL, FALSE);
  *contents = NULL;
  if (length != NULL)
    *length = 0;

  /* Judge the object before opening it: opening a device can have effects
   * (a tape rewinds, a terminal becomes the controlling one). */
  if (stat (path, &before) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "cannot read %s “%s”", what, path);
      return FALSE;
    }
  if (!S_ISREG (before.st_mode) && !S_ISFIFO (before.st_mode))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO,
                   "%s “%s” is %s; expected a regular file or a pipe", what, path,
                   file_kind (before.st_mode));
      return FALSE;
    }
  if (S_ISREG (before.st_mode) && (guint64) before.st_size > limit)
    {
      g_autofree char *size = sbx_format_size (limit);

      g_set_error (error, SBX_ERROR, SBX_ERROR_IO,
                   "%s “%s” is larger than %s (%" G_GUINT64_FORMAT " bytes), the limit for a %s",
                   what, path, size, (guint64) before.st_size, what);
      return FALSE;
    }

  /* O_NONBLOCK: opening a FIFO without a writer does not hang here; the
   * wait for data below has a deadline instead. */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "cannot read %s “%s”", what, path);
      return FALSE;
    }
  /* The object opened must be the one judged (no swap in between). */
  if (fstat (fd, &st) != 0 || st.st_dev != before.st_dev || st.st_ino != before.st_ino
      || (st.st_mode & S_IFMT) != (before.st_mode & S_IFMT))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s “%s” changed while it was opened", what,
                   path);
      close (fd);
      return FALSE;
    }
  buf = g_string_sized_new (S_ISREG (st.st_mode) ? (gsize) st.st_size + 1 : 4096);
  ok = read_all (fd, S_ISFIFO (st.st_mode), path, what, limit, timeout_ms, buf, error);
  close (fd);
  if (!ok)
    return FALSE;
  if (length != NULL)
    *length = buf->len;
  *contents = g_string_free (g_steal_pointer (&buf), FALSE);
  return TRUE;
}

char *
sbx_excerpt (const char *text, gssize length)
{
  g_autofree char *head = NULL;
  gsize len;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  len = length < 0 ? strlen (text) : (gsize) length;
  if (len <= SBX_EXCERPT_MAX && g_utf8_validate (text, len, NULL))
    return g_strndup (text, len);
  /* Cut at a character boundary (invalid UTF-8 is cut where it starts). */
  g_utf8_validate (text, MIN (len, SBX_EXCERPT_MAX), &end);
  head = g_strndup (text, end - text);
  return g_strconcat (head, "…", NULL);
}

gssize
sbx_read_small (const char *path, char *buf, gsize size)
{
  gsize len = 0;
  ssize_t n = 0;
  int fd;

  if (size == 0)
    {
      errno = EINVAL;
      return -1;
    }
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  while (len < size - 1 && (n = read (fd, buf + len, size - 1 - len)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      len += (gsize) n;
    }
  close (fd);
  buf[len] = '\0';
  return n < 0 ? -1 : (gssize) len;
}
