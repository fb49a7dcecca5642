/* sbx-read.c — bounded file reads and depth-checked JSON (sbx-read.h). */
#include "config.h"

#include "sbx-read.h"

#include "sbxprofile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return "a folder";
  if (S_ISFIFO (mode))
    return "a FIFO";
  if (S_ISCHR (mode))
    return "a character device";
  if (S_ISBLK (mode))
    return "a block device";
  if (S_ISSOCK (mode))
    return "a socket";
  return "not a regular file";
}

static char *
size_text (gsize size)
{
  if (size % (1024 * 1024) == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", size / (1024 * 1024));
  if (size % 1024 == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " KiB", size / 1024);
  return g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", size);
}

gboolean
sbx_read_file_bounded (const char *path, gsize max_size, char **data, gsize *length, GError **error)
{
  struct stat st;
  g_autofree char *buf = NULL;
  gsize have = 0;
  int fd, saved;

  /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
   * below anyway. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: cannot open: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    {
      saved = errno;
      close (fd);
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: cannot stat: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: refused: %s, not a regular file", path,
                   file_kind (st.st_mode));
      return FALSE;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_autofree char *limit = size_text (max_size);

      close (fd);
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: refused: %" G_GUINT64_FORMAT " bytes, larger than the "
                   "limit of %s", path, (guint64) st.st_size, limit);
      return FALSE;
    }
  buf = g_malloc ((gsize) st.st_size + 2);
  for (;;)
    {
      gsize room = (gsize) st.st_size + 1 - have;
      ssize_t n;

      if (room == 0)
        break;
      n = read (fd, buf + have, room);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved = errno;
          close (fd);
          g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: cannot read: %s", path, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      have += (gsize) n;
    }
  close (fd);
  if (have > (gsize) st.st_size)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: refused: the file grew while it was read", path);
      return FALSE;
    }
  buf[have] = '\0';
  *data = g_steal_pointer (&buf);
  *length = have;
  return TRUE;
}

guint
sbx_json_scan_depth (const char *data, gsize length, guint limit)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++; /* the escaped character cannot end the string */
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > deepest)
            {
              deepest = depth;
              if (deepest > limit)
                return deepest;
            }
          break;
        case ']':
        case '}':
          /* unbalanced text is json-glib's to reject */
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return deepest;
}

JsonNode *
sbx_json_parse_bounded (const char *data, gsize length, guint max_depth, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (sbx_json_scan_depth (data, length, max_depth) > max_depth)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "JSON nested deeper than the limit of %u levels",
                   max_depth);
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not a JSON document: it holds a NUL byte");
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      g_autofree char *quoted = sbx_quote_short (local->message);

      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not a JSON document: %s", quoted);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_EVIDENCE, "not a JSON document: it is empty");
      return NULL;
    }
  return json_node_ref (root);
}

char *
sbx_quote_short (const char *text)
{
  enum { MAX_CHARS = 80 };
  GString *out = g_string_new (NULL);
  const char *p = text != NULL ? text : "";
  guint n = 0;

  for (; *p != '\0' && n < MAX_CHARS; n++)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }
  if (*p != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}
