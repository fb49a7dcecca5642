/* sbx-program-cache.c — compiled programs of non-default profiles, kept
 * under $XDG_CACHE_HOME/sbxprofile/ so that running the same profile again
 * costs a small read instead of a libseccomp compile.
 *
 * One file per program, named by its key (sbx_program_key(): the compiler's
 * input, the compiler's own version, libseccomp's version, the arch and the
 * stage), holding a header that repeats the key and the instructions:
 *
 *   "sbxprofile-bpf 1\n" KEY "\n" struct sock_filter[]
 *
 * A read is taken only when the file is a regular file owned by us and
 * writable by nobody else, its header names the very key asked for, and
 * its size is whole instructions within the kernel's limit; anything else
 * is ignored (and replaced by the next write).  Writes go to a temporary
 * file renamed into place, so a reader never sees half a program.  Every
 * failure is silent: the cache only saves time, the compile is the truth.
 */
#include "config.h"

#include "sbx-private.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "sbxprofile-bpf 1\n"
#define KEY_HEX_LEN 64

static char *
cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "sbxprofile", NULL);
}

char *
sbx_program_cache_path (const char *key)
{
  g_autofree char *dir = cache_dir ();
  g_autofree char *name = g_strconcat (key, ".bpf", NULL);

  return g_build_filename (dir, name, NULL);
}

static gboolean
is_hex_key (const char *key)
{
  if (key == NULL || strlen (key) != KEY_HEX_LEN)
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

GBytes *
sbx_program_cache_read (const char *key)
{
  g_autofree char *path = NULL;
  gsize header = strlen (CACHE_MAGIC) + KEY_HEX_LEN + 1;
  gsize max = header + SBX_PROGRAM_MAX_INSNS * sizeof (struct sock_filter);
  g_autofree char *data = NULL;
  struct stat st;
  gsize done = 0;
  int fd;

  if (!is_hex_key (key))
    return NULL;
  path = sbx_program_cache_path (key);
  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid ()
      || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 || (gsize) st.st_size <= header
      || (gsize) st.st_size > max || ((gsize) st.st_size - header) % sizeof (struct sock_filter) != 0)
    {
      close (fd);
      return NULL;
    }
  data = g_malloc (st.st_size);
  while (done < (gsize) st.st_size)
    {
      ssize_t n = read (fd, data + done, st.st_size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  close (fd);
  if (done != (gsize) st.st_size || memcmp (data, CACHE_MAGIC, strlen (CACHE_MAGIC)) != 0
      || memcmp (data + strlen (CACHE_MAGIC), key, KEY_HEX_LEN) != 0 || data[header - 1] != '\n')
    return NULL;
  return g_bytes_new (data + header, done - header);
}

void
sbx_program_cache_write (const char *key, GBytes *bytes)
{
  g_autofree char *dir = cache_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GByteArray) file = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  if (!is_hex_key (key) || length == 0 || g_mkdir_with_parents (dir, 0700) != 0)
    return;
  path = sbx_program_cache_path (key);
  file = g_byte_array_sized_new (strlen (CACHE_MAGIC) + KEY_HEX_LEN + 1 + length);
  g_byte_array_append (file, (const guint8 *) CACHE_MAGIC, strlen (CACHE_MAGIC));
  g_byte_array_append (file, (const guint8 *) key, KEY_HEX_LEN);
  g_byte_array_append (file, (const guint8 *) "\n", 1);
  g_byte_array_append (file, data, length);
  /* a temporary file in the same folder, renamed over PATH */
  g_file_set_contents_full (path, (const char *) file->data, file->len, G_FILE_SET_CONTENTS_CONSISTENT,
                            0600, NULL);
}
