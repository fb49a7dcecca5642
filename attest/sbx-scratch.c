/* sbx-scratch.c — the scratch area of an attestation and its decoys.
 *
 *   <tmp>/sbx-attest-XXXXXX/          0755: the sandbox user must reach in/ and out/
 *     in/            fixtures + planted symlink → canary     (sandbox /in, read-only)
 *     in-control/    the same, for the control (which tries to write there)
 *     out/           the sandbox's /out
 *     tmp/           the control's tmp
 *     canary/secret  0600, outside every mount
 *     sock-sandbox/docker.sock, sock-control/docker.sock   decoy listeners
 *     expect-sandbox, expect-control
 *
 * The control's out (out-control) is deliberately never created: PR-FS-OUT-OK
 * must be seen failing there.  Everything is removed by sbx_scratch_free();
 * a user's --in / --out folder is never planted in nor removed.
 */
#include "config.h"

#include "sbx-attest-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define PLANTED_SYMLINK "escape-link"

/* ---------------------------------------------------------------- removal */

static gboolean
remove_at (int parent, const char *name, int depth)
{
  struct stat st;
  int fd;
  DIR *d;
  struct dirent *e;
  gboolean ok = TRUE;

  if (fstatat (parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT;
  if (!S_ISDIR (st.st_mode))
    return unlinkat (parent, name, 0) == 0 || errno == ENOENT;
  if (depth > 64)
    {
      errno = ELOOP;
      return FALSE;
    }
  /* a probe (the control) may have chmod'ed a folder: it is ours */
  if ((st.st_mode & 0700) != 0700 && fchmodat (parent, name, 0700, 0) != 0)
    return FALSE;
  fd = openat (parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return FALSE;
    }
  while ((e = readdir (d)) != NULL)
    {
      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
        continue;
      if (!remove_at (dirfd (d), e->d_name, depth + 1))
        ok = FALSE;
    }
  closedir (d);
  if (unlinkat (parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
    ok = FALSE;
  return ok;
}

gboolean
sbx_remove_tree (const char *path)
{
  return remove_at (AT_FDCWD, path, 0);
}

/* -------------------------------------------------------------- snapshots */

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

char *
sbx_dir_snapshot (const char *dir, guint max_files, GError **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  DIR *d = opendir (dir);
  struct dirent *e;
  guint hashed = 0;

  if (d == NULL)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "%s", dir);
      return g_string_free (out, TRUE);
    }
  while ((e = readdir (d)) != NULL)
    {
      struct stat st;
      g_autofree char *what = NULL;

      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
        continue;
      if (fstatat (dirfd (d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        what = g_strdup_printf ("unstatable %s", g_strerror (errno));
      else if (S_ISREG (st.st_mode))
        {
          g_autofree char *path = g_build_filename (dir, e->d_name, NULL);
          g_autofree char *sha = hashed++ < max_files ? sbx_file_sha256 (path, NULL) : NULL;

          what = g_strdup_printf ("file mode %04o size %lld mtime %lld.%09ld sha256 %s", st.st_mode & 07777,
                                  (long long) st.st_size, (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                                  sha != NULL ? sha : "(not hashed)");
        }
      else if (S_ISLNK (st.st_mode))
        {
          char target[4096];
          ssize_t n = readlinkat (dirfd (d), e->d_name, target, sizeof target - 1);

          target[n > 0 ? n : 0] = '\0';
          what = g_strdup_printf ("symlink -> %s", target);
        }
      else
        what = g_strdup_printf ("%s mode %04o mtime %lld.%09ld", S_ISDIR (st.st_mode) ? "dir" : "other",
                                st.st_mode & 07777, (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
      g_ptr_array_add (lines, g_strdup_printf ("%s\t%s", e->d_name, what));
    }
  closedir (d);
  qsort (lines->pdata, lines->len, sizeof (char *), compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

char *
sbx_snapshot_first_difference (const char *before, const char *after)
{
  g_auto(GStrv) a = g_strsplit (before, "\n", -1);
  g_auto(GStrv) b = g_strsplit (after, "\n", -1);

  for (gsize i = 0;; i++)
    {
      if (a[i] == NULL && b[i] == NULL)
        return g_strdup ("no difference");
      if (a[i] == NULL)
        return g_strdup_printf ("new entry: %s", b[i]);
      if (b[i] == NULL)
        return g_strdup_printf ("entry gone: %s", a[i]);
      if (strcmp (a[i], b[i]) != 0)
        return g_strdup_printf ("before: %s; after: %s", a[i], b[i]);
    }
}

/* ------------------------------------------------------------------ files */

static gboolean
make_dir (const char *path, mode_t mode, GError **error)
{
  if (mkdir (path, mode) != 0 || chmod (path, mode) != 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: cannot create %s", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_file (const char *path, const void *data, gsize length, mode_t mode, GError **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  const guint8 *p = data;

  if (fd < 0)
    goto fail;
  while (length > 0)
    {
      ssize_t n = write (fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : EIO;

          close (fd);
          errno = saved;
          goto fail;
        }
      p += n;
      length -= n;
    }
  if (fchmod (fd, mode) != 0 || close (fd) != 0)
    goto fail;
  return TRUE;

fail:
  sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: cannot write %s", path);
  return FALSE;
}

static char *
random_hex (guint n_bytes)
{
  GString *s = g_string_new (NULL);
  guint8 buf[64];

  g_assert (n_bytes <= sizeof buf);
  if (getentropy (buf, n_bytes) != 0)
    for (guint i = 0; i < n_bytes; i++)
      buf[i] = g_random_int_range (0, 256);
  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (s, "%02x", buf[i]);
  return g_string_free (s, FALSE);
}

/* Fixtures: a text file carrying the nonce, a binary file, a nested file. */
static gboolean
make_fixtures (const char *dir, const char *nonce, const char *canary_path, GError **error)
{
  g_autofree char *text = g_strdup_printf ("sbx attest fixture\nnonce %s\n", nonce);
  g_autofree char *a = g_build_filename (dir, "fixture-a.txt", NULL);
  g_autofree char *b = g_build_filename (dir, "fixture-b.bin", NULL);
  g_autofree char *sub = g_build_filename (dir, "fixture-dir", NULL);
  g_autofree char *c = g_build_filename (sub, "fixture-c.txt", NULL);
  g_autofree char *link = g_build_filename (dir, PLANTED_SYMLINK, NULL);
  guint8 bin[4096];

  for (gsize i = 0; i < sizeof bin; i++)
    bin[i] = (guint8) (i * 131 + nonce[i % 32]);
  if (!make_dir (dir, 0755, error)
      || !write_file (a, text, strlen (text), 0644, error)
      || !write_file (b, bin, sizeof bin, 0644, error)
      || !make_dir (sub, 0755, error)
      || !write_file (c, text, strlen (text), 0644, error))
    return FALSE;
  if (symlink (canary_path, link) != 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: cannot create %s", link);
      return FALSE;
    }
  return TRUE;
}

/* The regular files at the top of a user's input folder (at most 64), for
 * PR-FS-RO-IN to read. */
static GStrv
list_regular_files (const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  DIR *d = opendir (dir);
  struct dirent *e;

  while (d != NULL && (e = readdir (d)) != NULL && names->len < 64)
    {
      struct stat st;

      if (e->d_name[0] != '.' && strchr (e->d_name, ';') == NULL
          && fstatat (dirfd (d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG (st.st_mode))
        g_ptr_array_add (names, g_strdup (e->d_name));
    }
  if (d != NULL)
    closedir (d);
  qsort (names->pdata, names->len, sizeof (char *), compare_strings);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* ----------------------------------------------------------------- decoys */

static int
loopback_socket (int type, guint16 *port, GError **error)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof a;
  int fd = socket (AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

  if (fd < 0 || bind (fd, (struct sockaddr *) &a, sizeof a) != 0
      || (type == SOCK_STREAM && listen (fd, 16) != 0)
      || getsockname (fd, (struct sockaddr *) &a, &len) != 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: cannot open a %s decoy on 127.0.0.1",
                              type == SOCK_STREAM ? "TCP" : "UDP");
      if (fd >= 0)
        close (fd);
      return -1;
    }
  *port = ntohs (a.sin_port);
  return fd;
}

/* @abstract: @name is an abstract socket name (without the leading NUL). */
static int
unix_listener (const char *name, gboolean abstract, GError **error)
{
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  gsize n = strlen (name);
  socklen_t len;
  int fd;

  if (n + 2 > sizeof a.sun_path)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "attest: decoy socket path too long: %s", name);
      return -1;
    }
  memcpy (a.sun_path + (abstract ? 1 : 0), name, n);
  len = offsetof (struct sockaddr_un, sun_path) + n + 1;
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0 || bind (fd, (struct sockaddr *) &a, len) != 0 || listen (fd, 16) != 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: cannot listen on the decoy %s%s",
                              abstract ? "@" : "", name);
      if (fd >= 0)
        close (fd);
      return -1;
    }
  return fd;
}

static gboolean
decoys_open (SbxDecoys *d, const char *dir, const char *tag, const char *nonce, GError **error)
{
  d->unix_path = g_build_filename (dir, "docker.sock", NULL);
  d->abstract_name = g_strdup_printf ("sbx-attest-%s-%.16s", tag, nonce);
  if (!make_dir (dir, 0755, error)
      || (d->tcp_fd = loopback_socket (SOCK_STREAM, &d->tcp_port, error)) < 0
      || (d->udp_fd = loopback_socket (SOCK_DGRAM, &d->udp_port, error)) < 0
      || (d->unix_fd = unix_listener (d->unix_path, FALSE, error)) < 0
      || (d->abstract_fd = unix_listener (d->abstract_name, TRUE, error)) < 0)
    return FALSE;
  chmod (d->unix_path, 0666); /* like a daemon socket the user may reach */
  return TRUE;
}

static void
decoys_close (SbxDecoys *d)
{
  int *fds[] = { &d->tcp_fd, &d->udp_fd, &d->unix_fd, &d->abstract_fd };

  for (gsize i = 0; i < G_N_ELEMENTS (fds); i++)
    if (*fds[i] >= 0)
      {
        close (*fds[i]);
        *fds[i] = -1;
      }
  g_clear_pointer (&d->unix_path, g_free);
  g_clear_pointer (&d->abstract_name, g_free);
}

/* ------------------------------------------------------------------ scratch */

void
sbx_scratch_free (SbxScratch *s)
{
  if (s == NULL)
    return;
  for (int i = 0; i < SBX_N_SIDES; i++)
    {
      decoys_close (&s->decoys[i]);
      g_free (s->expect_path[i]);
    }
  if (s->root != NULL)
    sbx_remove_tree (s->root);
  g_free (s->root);
  g_free (s->in);
  g_free (s->out);
  g_free (s->in_control);
  g_free (s->out_control);
  g_free (s->tmp_control);
  g_free (s->canary_path);
  g_free (s->canary_text);
  g_free (s->nonce);
  g_free (s->planted_symlink);
  g_strfreev (s->fixtures);
  g_strfreev (s->control_fixtures);
  g_free (s);
}

SbxScratch *
sbx_scratch_new (const char *user_in, const char *user_out, GError **error)
{
  SbxScratch *s = g_new0 (SbxScratch, 1);
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  g_autofree char *canary_dir = NULL;
  g_autofree char *canary_body = NULL;
  g_autofree char *sock_sandbox = NULL;
  g_autofree char *sock_control = NULL;
  static const char *const fixture_names[] = { "fixture-a.txt", "fixture-b.bin", NULL };

  for (int i = 0; i < SBX_N_SIDES; i++)
    s->decoys[i].tcp_fd = s->decoys[i].udp_fd = s->decoys[i].unix_fd = s->decoys[i].abstract_fd = -1;

  /* the profile loader refuses symlinked components: resolve the base */
  base = realpath (g_get_tmp_dir (), NULL);
  if (base == NULL)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: temporary folder %s", g_get_tmp_dir ());
      goto fail;
    }
  tmpl = g_build_filename (base, "sbx-attest-XXXXXX", NULL);
  if (mkdtemp (tmpl) == NULL)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: cannot create a scratch folder in %s", base);
      goto fail;
    }
  s->root = g_strdup (tmpl);
  if (chmod (s->root, 0755) != 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "attest: %s", s->root);
      goto fail;
    }

  s->nonce = random_hex (16);
  s->canary_text = g_strdup_printf ("sbx-canary-secret-%s", s->nonce);
  canary_dir = g_build_filename (s->root, "canary", NULL);
  s->canary_path = g_build_filename (canary_dir, "secret", NULL);
  canary_body = g_strdup_printf ("%s\n", s->canary_text);
  if (!make_dir (canary_dir, 0755, error)
      || !write_file (s->canary_path, canary_body, strlen (canary_body), 0600, error))
    goto fail;

  s->planted_symlink = g_strdup (PLANTED_SYMLINK);
  s->in_control = g_build_filename (s->root, "in-control", NULL);
  if (!make_fixtures (s->in_control, s->nonce, s->canary_path, error))
    goto fail;
  s->control_fixtures = g_strdupv ((GStrv) fixture_names);
  if (user_in != NULL)
    {
      s->in = g_strdup (user_in);
      s->in_is_user = TRUE;
      s->fixtures = list_regular_files (user_in);
    }
  else
    {
      s->in = g_build_filename (s->root, "in", NULL);
      if (!make_fixtures (s->in, s->nonce, s->canary_path, error))
        goto fail;
      s->fixtures = g_strdupv ((GStrv) fixture_names);
    }

  if (user_out != NULL)
    {
      s->out = g_strdup (user_out);
      s->out_is_user = TRUE;
    }
  else
    {
      s->out = g_build_filename (s->root, "out", NULL);
      if (!make_dir (s->out, 0755, error))
        goto fail;
    }
  s->out_control = g_build_filename (s->root, "out-control", NULL);
  s->tmp_control = g_build_filename (s->root, "tmp", NULL);
  if (!make_dir (s->tmp_control, 0755, error))
    goto fail;

  sock_sandbox = g_build_filename (s->root, "sock-sandbox", NULL);
  sock_control = g_build_filename (s->root, "sock-control", NULL);
  if (!decoys_open (&s->decoys[SBX_SIDE_SANDBOX], sock_sandbox, "s", s->nonce, error)
      || !decoys_open (&s->decoys[SBX_SIDE_CONTROL], sock_control, "c", s->nonce, error))
    goto fail;
  s->expect_path[SBX_SIDE_SANDBOX] = g_build_filename (s->root, "expect-sandbox", NULL);
  s->expect_path[SBX_SIDE_CONTROL] = g_build_filename (s->root, "expect-control", NULL);
  return s;

fail:
  sbx_scratch_free (s);
  return NULL;
}
