/* sbx-etc.c — the sandbox's own /etc/passwd and /etc/group.
 *
 * Programs look the current uid up by name (whoami, id, ls -l, python's
 * getpass.getuser()) and fail without an entry.  The host's files must not
 * show (they list the host's accounts), so sbx writes its own: the job's
 * user and group as the sandbox sees them, named "sbx", and the kernel's
 * overflow ids (what an unmapped owner reads as inside a user namespace)
 * as nobody/nogroup.  Nothing of the host's files is read.  bwrap binds
 * each read-only from a sealed memfd (--ro-bind-data). */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SBX_ETC_NAME "sbx"
#define SBX_ETC_DEFAULT_OVERFLOW 65534u

/* A field of a passwd line may not hold ':' or a newline; HOME comes from
 * the profile, which may say anything. */
static const char *
safe_field (const char *text, const char *fallback)
{
  return text != NULL && text[0] == '/' && strpbrk (text, ":\n") == NULL ? text : fallback;
}

char *
sbx_etc_passwd_text (const SbxEtcIds *ids, const char *home)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, SBX_ETC_NAME ":x:%u:%u:sbx job:%s:/bin/sh\n", ids->uid, ids->gid,
                          safe_field (home, "/"));
  if (ids->overflow_uid != ids->uid)
    g_string_append_printf (out, "nobody:x:%u:%u:unmapped owner:/nonexistent:/usr/sbin/nologin\n",
                            ids->overflow_uid, ids->overflow_gid);
  return g_string_free (out, FALSE);
}

char *
sbx_etc_group_text (const SbxEtcIds *ids)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, SBX_ETC_NAME ":x:%u:\n", ids->gid);
  if (ids->overflow_gid != ids->gid)
    g_string_append_printf (out, "nogroup:x:%u:\n", ids->overflow_gid);
  return g_string_free (out, FALSE);
}

/* /proc/sys/kernel/@name, or the kernel's default when it cannot be read.
 * sbx_read_small(), not g_file_get_contents(), which goes through stdio
 * (five more system calls and a 4 KiB buffer per file) at every start
 * (benchmark B1). */
static guint32
read_overflow (const char *name)
{
  char path[64] = "/proc/sys/kernel/", text[32];
  guint64 value;

  g_strlcat (path, name, sizeof path);
  if (sbx_read_small (path, text, sizeof text) <= 0
      || !g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT32, &value, NULL))
    return SBX_ETC_DEFAULT_OVERFLOW;
  return (guint32) value;
}

void
sbx_etc_ids_init (SbxEtcIds *ids, guint32 uid, guint32 gid)
{
  ids->uid = uid;
  ids->gid = gid;
  ids->overflow_uid = read_overflow ("overflowuid");
  ids->overflow_gid = read_overflow ("overflowgid");
}

int
sbx_etc_memfd (const char *name, const char *text, GError **error)
{
  const int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
  gsize length = strlen (text), done = 0;
  int fd = memfd_create (name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

  if (fd < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "%s: memfd_create", name);
      return -1;
    }
  while (done < length)
    {
      ssize_t n = write (fd, text + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0)
        errno = EIO;
      if (n <= 0)
        break;
      done += n;
    }
  /* Sealed and rewound: bwrap reads it from the start; nobody changes it. */
  if (done < length || fcntl (fd, F_ADD_SEALS, seals) != 0 || lseek (fd, 0, SEEK_SET) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "%s: cannot fill the memfd", name);
      close (fd);
      return -1;
    }
  return fd;
}
