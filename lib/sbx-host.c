/* sbx-host.c — what sbx learns from the host before it starts bwrap:
 * which bwrap and what it supports, symlink-free opens of mount sources,
 * the merged-/usr symlinks to recreate, and where sbx's helpers live.
 *
 * The run path stays lean: bwrap's options are found by looking for their
 * names in the binary (its option parser compares against string literals
 * in .rodata), which costs one read of ~14 KiB instead of a process start
 * (`bwrap --help` costs ~2 ms).  Only a bwrap that is not an ELF file (a
 * wrapper script) is asked with --help.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ------------------------------------------------------------------ bwrap */

#define BWRAP_INSTALL_HINT \
  "install the package “bubblewrap” (Debian/Ubuntu: apt install bubblewrap; " \
  "Fedora: dnf install bubblewrap) or name it with --bwrap PATH"

/* The option names bwrap's parser compares against, each a string
 * literal in .rodata.  A linker may store one as the tail of a longer
 * literal: a name is there when some string of bwrap's .rodata (a run up
 * to a NUL) ends with it.  One pass over the strings (memchr finds each
 * NUL) rather than one memmem() per name: four memmem scans of bwrap's
 * 14 KiB cost ~50 us at every start (benchmark B1). */
#define OPTION_NAME(s) { s, sizeof s - 1 }
static const struct {
  const char *name;
  gsize len;
} option_names[] = {
  OPTION_NAME ("--ro-bind-fd"), OPTION_NAME ("--bind-fd"), OPTION_NAME ("--disable-userns"),
  OPTION_NAME ("--assert-userns-disabled"),
};
#undef OPTION_NAME
/* The longest of them: how much of a string still open at a chunk's end
 * the chunked scan keeps. */
#define LONGEST_OPTION_NAME (sizeof "--assert-userns-disabled" - 1)

/* Marks in @found each name that ends a NUL-terminated string of @data;
 * returns how many bytes follow the last NUL (a string still open). */
static gsize
scan_strings (const guint8 *data, gsize size, gboolean found[])
{
  const guint8 *p = data, *end = data + size;

  for (;;)
    {
      const guint8 *nul = memchr (p, '\0', (gsize) (end - p));
      gsize len;

      if (nul == NULL)
        return (gsize) (end - p);
      len = (gsize) (nul - p);
      for (gsize i = 0; i < G_N_ELEMENTS (option_names); i++)
        {
          gsize n = option_names[i].len;

          if (len >= n && memcmp (nul - n, option_names[i].name, n) == 0)
            found[i] = TRUE;
        }
      p = nul + 1;
    }
}

static void
set_features (SbxBwrapInfo *info, const gboolean found[])
{
  info->bind_fd = found[0] && found[1];
  info->disable_userns = found[2] && found[3];
}

void
sbx_bwrap_features_from_rodata (SbxBwrapInfo *info, const guint8 *data, gsize size)
{
  gboolean found[G_N_ELEMENTS (option_names)] = { FALSE };

  scan_strings (data, size, found);
  set_features (info, found);
}

/* The same, read from @fd (@size bytes at @offset) through a buffer on
 * the stack: a 14 KiB heap buffer meant fresh pages for the copy, ~50 us
 * at every start.  A string still open at the end of a chunk keeps only
 * its last bytes: all that matters is whether a name ends it. */
gboolean
sbx_bwrap_features_from_fd (SbxBwrapInfo *info, int fd, guint64 offset, guint64 size)
{
  gboolean found[G_N_ELEMENTS (option_names)] = { FALSE };
  guint8 buf[LONGEST_OPTION_NAME + 4096];
  gsize keep = 0;

  while (size > 0)
    {
      gsize want = (gsize) MIN (size, (guint64) (sizeof buf - keep));
      ssize_t n = pread (fd, buf + keep, want, (off_t) offset);
      gsize len, open;

      if (n <= 0)
        {
          if (n == 0)
            errno = EIO; /* shorter than its section headers say */
          return FALSE;
        }
      offset += (guint64) n;
      size -= (guint64) n;
      len = keep + (gsize) n;
      open = scan_strings (buf, len, found);
      keep = MIN (open, (gsize) LONGEST_OPTION_NAME);
      memmove (buf, buf + len - keep, keep);
    }
  set_features (info, found);
  return TRUE;
}

/* The same from `bwrap --help` text, where a name is followed by a blank. */
static void
features_from_help_text (SbxBwrapInfo *info, const char *text)
{
  gsize size = strlen (text);

  info->bind_fd = memmem (text, size, "--ro-bind-fd ", 13) != NULL;
  info->disable_userns = memmem (text, size, "--disable-userns", 16) != NULL
                         && memmem (text, size, "--assert-userns-disabled", 24) != NULL;
}

static gboolean
features_from_help (SbxBwrapInfo *info, GError **error)
{
  const char *argv[] = { info->path, "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) local = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, NULL,
                     &local))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_BWRAP, "cannot run “%s --help”: %s", info->path,
                   local->message);
      return FALSE;
    }
  features_from_help_text (info, out);
  if (!info->bind_fd || !info->disable_userns)
    {
      SbxBwrapInfo more = { 0 };

      features_from_help_text (&more, err);
      info->bind_fd = info->bind_fd || more.bind_fd;
      info->disable_userns = info->disable_userns || more.disable_userns;
    }
  return TRUE;
}

/* Offset and size of the .rodata section of 64-bit ELF @fd (where the option
 * names of the parser live); FALSE when it cannot be found. */
static gboolean
find_rodata (int fd, const Elf64_Ehdr *eh, guint64 *offset, guint64 *size)
{
  g_autofree Elf64_Shdr *sh = NULL;
  g_autofree char *names = NULL;
  gsize n = eh->e_shnum;

  if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof (Elf64_Shdr) || n == 0
      || n > 512 || eh->e_shstrndx >= n)
    return FALSE;
  sh = g_new (Elf64_Shdr, n);
  if (pread (fd, sh, n * sizeof *sh, eh->e_shoff) != (ssize_t) (n * sizeof *sh)
      || sh[eh->e_shstrndx].sh_size > 65536)
    return FALSE;
  names = g_malloc0 (sh[eh->e_shstrndx].sh_size + 1);
  if (pread (fd, names, sh[eh->e_shstrndx].sh_size, sh[eh->e_shstrndx].sh_offset)
      != (ssize_t) sh[eh->e_shstrndx].sh_size)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (sh[i].sh_name < sh[eh->e_shstrndx].sh_size && strcmp (names + sh[i].sh_name, ".rodata") == 0
        && sh[i].sh_type == SHT_PROGBITS)
      {
        *offset = sh[i].sh_offset;
        *size = sh[i].sh_size;
        return TRUE;
      }
  return FALSE;
}

static gboolean
read_features (SbxBwrapInfo *info, GError **error)
{
  struct stat st;
  Elf64_Ehdr eh;
  guint64 offset = 0, size;
  int fd = open (info->path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_BWRAP, errno, "cannot read bwrap “%s”", info->path);
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || pread (fd, &eh, sizeof eh, 0) != (ssize_t) sizeof eh
      || memcmp (eh.e_ident, ELFMAG, SELFMAG) != 0 || st.st_size > 64 * 1024 * 1024)
    {
      close (fd);
      return features_from_help (info, error);
    }
  /* Only .rodata (~14 KiB of bwrap 0.8's 70) when the sections say where. */
  if (!find_rodata (fd, &eh, &offset, &size) || offset + size > (guint64) st.st_size)
    {
      offset = 0;
      size = st.st_size;
    }
  if (!sbx_bwrap_features_from_fd (info, fd, offset, size))
    {
      sbx_set_errno_error (error, SBX_ERROR_BWRAP, errno, "cannot read bwrap “%s”", info->path);
      close (fd);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
sbx_bwrap_info_find (const char *requested, SbxBwrapInfo *info, GError **error)
{
  struct stat st;

  memset (info, 0, sizeof *info);
  if (requested == NULL || strchr (requested, '/') == NULL)
    {
      const char *name = requested != NULL ? requested : "bwrap";

      info->path = g_find_program_in_path (name);
      if (info->path == NULL)
        {
          g_set_error (error, SBX_ERROR, SBX_ERROR_BWRAP, "bwrap (“%s”) is not on PATH: " BWRAP_INSTALL_HINT,
                       name);
          return FALSE;
        }
    }
  else
    info->path = g_canonicalize_filename (requested, NULL);

  if (stat (info->path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, SBX_ERROR, SBX_ERROR_BWRAP, "bwrap “%s”: %s: " BWRAP_INSTALL_HINT, info->path,
                   g_strerror (saved));
      g_clear_pointer (&info->path, g_free);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) || access (info->path, X_OK) != 0)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_BWRAP, "bwrap “%s” is not an executable file: "
                   BWRAP_INSTALL_HINT, info->path);
      g_clear_pointer (&info->path, g_free);
      return FALSE;
    }
  info->setuid = (st.st_mode & S_ISUID) != 0 && st.st_uid == 0;
  if (!read_features (info, error))
    {
      g_clear_pointer (&info->path, g_free);
      return FALSE;
    }
  if (!info->disable_userns)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_BWRAP,
                   "bwrap “%s” lacks --disable-userns / --assert-userns-disabled, which sbx needs "
                   "to keep the job from making namespaces of its own: install bubblewrap 0.8.0 "
                   "or newer", info->path);
      g_clear_pointer (&info->path, g_free);
      return FALSE;
    }
  return TRUE;
}

void
sbx_bwrap_info_clear (SbxBwrapInfo *info)
{
  g_clear_pointer (&info->path, g_free);
}

/* ------------------------------------------------------------- safe opens */

static const char *
type_name (mode_t want)
{
  switch (want)
    {
    case S_IFDIR:
      return "a directory";
    case S_IFREG:
      return "a regular file";
    default:
      return "a file or a directory";
    }
}

static void
set_path_error (GError **error, int saved_errno, const char *what, const char *path,
                const char *culprit)
{
  if (saved_errno == ELOOP)
    g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH,
                 "%s “%s”: “%s” is a symbolic link; mount sources are opened without following "
                 "links (one could be swapped between check and use): name the real path",
                 what, path, culprit != NULL ? culprit : path);
  else
    g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH, "%s “%s”: %s", what, path,
                 g_strerror (saved_errno));
}

/* The first symlinked prefix of @path, for the message. (transfer full) */
static char *
find_symlink_component (const char *path)
{
  g_autoptr(GString) prefix = g_string_new (NULL);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      struct stat st;

      if (parts[i][0] == '\0')
        continue;
      g_string_append_c (prefix, '/');
      g_string_append (prefix, parts[i]);
      if (lstat (prefix->str, &st) == 0 && S_ISLNK (st.st_mode))
        return g_string_free (g_steal_pointer (&prefix), FALSE);
    }
  return NULL;
}

/* One component at a time, for kernels without openat2 (< 5.6). */
static int
open_walk (const char *path, int *saved_errno)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  int fd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

  for (guint i = 0; fd >= 0 && parts[i] != NULL; i++)
    {
      struct stat st;
      int next;

      if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (strcmp (parts[i], "..") == 0)
        {
          close (fd);
          *saved_errno = EINVAL;
          return -1;
        }
      next = openat (fd, parts[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
      close (fd);
      fd = next;
      if (fd >= 0 && fstat (fd, &st) == 0 && S_ISLNK (st.st_mode))
        {
          close (fd);
          *saved_errno = ELOOP;
          return -1;
        }
    }
  if (fd < 0)
    *saved_errno = errno;
  return fd;
}

int
sbx_open_no_symlinks (const char *path, mode_t want, const char *what, GError **error)
{
  struct open_how how = {
    .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
    .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
  };
  struct stat st;
  int saved = 0;
  int fd;

  if (path == NULL || path[0] != '/')
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH, "%s “%s” is not an absolute path", what,
                   path != NULL ? path : "");
      return -1;
    }
  fd = (int) syscall (SYS_openat2, AT_FDCWD, path, &how, sizeof how);
  if (fd < 0 && (errno == ENOSYS || errno == EPERM || errno == E2BIG))
    fd = open_walk (path, &saved);
  else if (fd < 0)
    saved = errno;
  /* O_PATH|O_NOFOLLOW hands back the link itself when the last part is one.
   * One fstat() serves this check and the type check below. */
  if (fd >= 0 && fstat (fd, &st) != 0)
    {
      saved = errno;
      close (fd);
      fd = -1;
    }
  else if (fd >= 0 && S_ISLNK (st.st_mode))
    {
      close (fd);
      fd = -1;
      saved = ELOOP;
    }
  if (fd < 0)
    {
      g_autofree char *culprit = saved == ELOOP ? find_symlink_component (path) : NULL;

      set_path_error (error, saved, what, path, culprit);
      return -1;
    }
  if ((want == 0 && !S_ISDIR (st.st_mode) && !S_ISREG (st.st_mode))
      || (want != 0 && (st.st_mode & S_IFMT) != want))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_INVALID_PATH, "%s “%s” is not %s", what, path,
                   type_name (want));
      close (fd);
      return -1;
    }
  return fd;
}

/* -------------------------------------------------------- merged /usr links */

void
sbx_symlink_free (gpointer data)
{
  SbxSymlink *link = data;

  g_free (link->dest);
  g_free (link->target);
  g_free (link);
}

void
sbx_mount_free (gpointer data)
{
  SbxMount *mount = data;

  g_free (mount->host_path);
  g_free (mount->dest);
  g_free (mount->bind_path);
  g_free (mount);
}

GPtrArray *
sbx_host_usr_symlinks (void)
{
  static const char *const names[] = { "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32" };
  GPtrArray *links = g_ptr_array_new_with_free_func (sbx_symlink_free);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      char target[256];
      const char *rel;
      ssize_t n = readlink (names[i], target, sizeof target - 1);
      SbxSymlink *link;

      if (n <= 0)
        continue;
      target[n] = '\0';
      rel = target[0] == '/' ? target + 1 : target;
      /* Only the merged-/usr kind: usr/<something>, no way out of /usr. */
      if (!g_str_has_prefix (rel, "usr/") || strstr (rel, "..") != NULL)
        continue;
      link = g_new0 (SbxSymlink, 1);
      link->dest = g_strdup (names[i]);
      link->target = g_strdup (rel);
      g_ptr_array_add (links, link);
    }
  return links;
}

/* ------------------------------------------------------------------ misc */

char *
sbx_helper_dir_find (void)
{
  const char *env = g_getenv ("SBX_HELPER_DIR");
  g_autofree char *exe = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *helper = g_build_filename (dir, SBX_EXEC_HELPER_NAME, NULL);

      if (access (helper, F_OK) == 0)
        return g_steal_pointer (&dir);
    }
  return g_strdup (SBX_HELPER_INSTALL_DIR);
}

char *
sbx_helper_dir_dup_default (void)
{
  return sbx_helper_dir_find ();
}

char *
sbx_format_size (guint64 bytes)
{
  static const char units[] = "KMGT";
  int unit = -1;

  if (bytes == 0)
    return g_strdup ("0");
  while (unit < 3 && bytes % 1024 == 0)
    {
      bytes /= 1024;
      unit++;
    }
  if (unit < 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
  return g_strdup_printf ("%" G_GUINT64_FORMAT "%c", bytes, units[unit]);
}
