/* sbx-elf.c — the command as the sandbox will see it.
 *
 * bwrap execs the job with execvp() inside the new root, so a command that
 * is missing, not executable, or unlockable would only fail after the
 * sandbox was built, with a terse message from inside.  sbx looks first:
 * it walks the path through the sandbox's own view (the mounts of the argv:
 * system paths at their host path, /in and /out mapped back to their host
 * folders, /run/sbx/NAME to sbx's helpers, the merged-/usr symlinks), and
 * follows symlinks the way the sandbox would, so a link that leaves the
 * visible tree is "not found" here as it would be there.
 *
 * A #! script is run by its interpreter within the same execve (the
 * kernel allows 4 levels): the interpreter is checked instead.  Under the
 * exec gate (exec-lock=on) only that one exec passes, so a script whose
 * interpreter is env(1) — "#!/usr/bin/env python3" — would have env's own
 * exec of python3 refused: sbx_view_expand_env_script() resolves NAME
 * through the profile's PATH here, before the lock, and the job execs it
 * directly.  Static and dynamic programs are locked alike by the gate.
 */
#include "config.h"

#include "sbx-sandbox-private.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define MAX_SYMLINKS 40
#define MAX_INTERP_DEPTH 4 /* the kernel's BINPRM_MAX_RECURSION */

#if defined(__x86_64__)
#define NATIVE_CLASS ELFCLASS64
#define NATIVE_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define NATIVE_CLASS ELFCLASS64
#define NATIVE_MACHINE EM_AARCH64
#elif defined(__i386__)
#define NATIVE_CLASS ELFCLASS32
#define NATIVE_MACHINE EM_386
#endif

/* TRUE when @path is @dir or below it ("/" contains everything). */
static gboolean
path_within (const char *path, const char *dir)
{
  gsize len = strlen (dir);

  if (strcmp (dir, "/") == 0)
    return TRUE;
  return strncmp (path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* The host path behind sandbox path @spath (absolute, no symlinks to
 * follow in it), or NULL.  *@synthetic is TRUE when @spath is a directory
 * bwrap creates on its root to hold a mount point or a symlink (it holds
 * nothing else). */
static char *
view_host_path (const SbxView *view, const char *spath, gboolean *synthetic)
{
  const SbxMount *best = NULL;

  *synthetic = FALSE;
  for (guint i = 0; view->mounts != NULL && i < view->mounts->len; i++)
    {
      const SbxMount *m = view->mounts->pdata[i];

      if (path_within (spath, m->dest) && (best == NULL || strlen (m->dest) >= strlen (best->dest)))
        best = m;
    }
  if (best != NULL)
    return g_strconcat (best->host_path, spath + strlen (best->dest), NULL);

  for (guint i = 0; view->mounts != NULL && i < view->mounts->len; i++)
    *synthetic = *synthetic || path_within (((SbxMount *) view->mounts->pdata[i])->dest, spath);
  for (guint i = 0; view->symlinks != NULL && i < view->symlinks->len; i++)
    *synthetic = *synthetic || path_within (((SbxSymlink *) view->symlinks->pdata[i])->dest, spath);
  return NULL;
}

static const SbxSymlink *
view_symlink (const SbxView *view, const char *spath)
{
  for (guint i = 0; view->symlinks != NULL && i < view->symlinks->len; i++)
    {
      const SbxSymlink *link = view->symlinks->pdata[i];

      if (strcmp (link->dest, spath) == 0)
        return link;
    }
  return NULL;
}

/* Pushes the components of @path on @stack so that the first one is on top. */
static void
push_components (GPtrArray *stack, const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (guint n = g_strv_length (parts); n > 0; n--)
    if (parts[n - 1][0] != '\0')
      g_ptr_array_add (stack, g_strdup (parts[n - 1]));
}

/* Resolves @path (relative ones from the workdir) inside the sandbox.
 * Returns the sandbox path with every symlink followed, and in @host the
 * host path behind it (NULL for a synthetic directory); or NULL with errno
 * set (ENOENT, ENOTDIR, ELOOP, EACCES …). */
static char *
view_resolve (const SbxView *view, const char *path, char **host, struct stat *st)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) cur = g_string_new ("");
  int links = 0;

  *host = NULL;
  push_components (stack, path);
  if (path[0] != '/')
    push_components (stack, view->workdir);

  while (stack->len > 0)
    {
      g_autofree char *part = g_ptr_array_steal_index (stack, stack->len - 1);
      g_autofree char *next = NULL;
      g_autofree char *host_next = NULL;
      const SbxSymlink *link;
      gboolean synthetic;
      struct stat lst;

      if (strcmp (part, ".") == 0)
        continue;
      if (strcmp (part, "..") == 0)
        {
          char *slash = strrchr (cur->str, '/');

          if (slash != NULL)
            g_string_truncate (cur, slash - cur->str);
          continue;
        }
      next = g_strconcat (cur->str, "/", part, NULL);
      link = view_symlink (view, next);
      if (link != NULL)
        {
          if (++links > MAX_SYMLINKS)
            goto loop;
          push_components (stack, link->target);
          if (link->target[0] == '/')
            g_string_truncate (cur, 0);
          continue;
        }
      host_next = view_host_path (view, next, &synthetic);
      if (host_next == NULL)
        {
          if (!synthetic)
            {
              errno = ENOENT;
              return NULL;
            }
          g_string_assign (cur, next);
          continue;
        }
      if (lstat (host_next, &lst) != 0)
        return NULL;
      if (S_ISLNK (lst.st_mode))
        {
          g_autofree char *target = g_file_read_link (host_next, NULL);

          if (target == NULL)
            return NULL;
          if (++links > MAX_SYMLINKS)
            goto loop;
          push_components (stack, target);
          if (target[0] == '/')
            g_string_truncate (cur, 0);
          continue;
        }
      if (stack->len > 0 && !S_ISDIR (lst.st_mode))
        {
          errno = ENOTDIR;
          return NULL;
        }
      g_string_assign (cur, next);
    }

  if (cur->len == 0)
    g_string_assign (cur, "/");
  {
    gboolean synthetic;

    *host = view_host_path (view, cur->str, &synthetic);
    if (*host == NULL)
      {
        memset (st, 0, sizeof *st);
        st->st_mode = S_IFDIR | 0755;
      }
    else if (stat (*host, st) != 0)
      {
        g_clear_pointer (host, g_free);
        return NULL;
      }
  }
  return g_string_free (g_steal_pointer (&cur), FALSE);

loop:
  errno = ELOOP;
  return NULL;
}

/* Whether the sandbox's user may execute @st: the sandbox drops every
 * capability, so root gets no DAC override there either. */
static gboolean
mode_allows_exec (const struct stat *st)
{
  if (st->st_uid == geteuid ())
    return (st->st_mode & S_IXUSR) != 0;
  if (st->st_gid == getegid ())
    return (st->st_mode & S_IXGRP) != 0;
  {
    gid_t groups[256];
    int n = getgroups (G_N_ELEMENTS (groups), groups);

    for (int i = 0; i < n; i++)
      if (groups[i] == st->st_gid)
        return (st->st_mode & S_IXGRP) != 0;
  }
  return (st->st_mode & S_IXOTH) != 0;
}

/* NULL when @host (sandbox path @spath) may be exec'd, else why not. */
static char *
exec_problem (const char *spath, const char *host, const struct stat *st)
{
  struct statvfs vfs;

  if (S_ISDIR (st->st_mode))
    return g_strdup_printf ("“%s” is a directory", spath);
  if (!S_ISREG (st->st_mode))
    return g_strdup_printf ("“%s” is not a regular file", spath);
  if (!mode_allows_exec (st))
    return g_strdup_printf ("“%s” is not executable (mode %04o): chmod +x it on the host (%s)", spath,
                            (unsigned) (st->st_mode & 07777), host);
  if (statvfs (host, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC) != 0)
    return g_strdup_printf ("“%s” lies on a file system mounted noexec on the host (%s)", spath, host);
  return NULL;
}

static gboolean check_program (const SbxView *view, const char *spath, const char *host,
                               int depth, GError **error);

/* The interpreter of a #! script; checked like a command. */
static gboolean
check_script (const SbxView *view, const char *spath, const char *line, int depth, GError **error)
{
  g_autofree char *interp = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *host = NULL;
  g_autofree char *problem = NULL;
  const char *p = line + 2;
  struct stat st;
  gsize len;

  while (*p == ' ' || *p == '\t')
    p++;
  len = strcspn (p, " \t\n");
  if (len == 0)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE, "“%s” starts with #! but names no "
                   "interpreter", spath);
      return FALSE;
    }
  if (depth >= MAX_INTERP_DEPTH)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE, "“%s”: too many levels of #! "
                   "interpreters", spath);
      return FALSE;
    }
  interp = g_strndup (p, len);
  resolved = view_resolve (view, interp, &host, &st);
  if (resolved == NULL || host == NULL)
    {
      int saved = resolved == NULL ? errno : EISDIR;

      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_FOUND, "the interpreter “%s” of script “%s” is "
                   "not visible in the sandbox (%s); add its folder to [filesystem] system", interp,
                   spath, g_strerror (saved));
      return FALSE;
    }
  problem = exec_problem (interp, host, &st);
  if (problem != NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE, "interpreter of script “%s”: %s",
                   spath, problem);
      return FALSE;
    }
  return check_program (view, interp, host, depth + 1, error);
}

static gboolean
read_exact (int fd, void *buf, gsize size, off_t offset)
{
  ssize_t n = pread (fd, buf, size, offset);

  return n >= 0 && (gsize) n == size;
}

/* The PT_INTERP string of ELF @fd, "" when there is none, NULL when the file
 * is malformed.  @native: whether it is of the native ABI. (transfer full) */
static char *
elf_interp (int fd, const guint8 *ident, gboolean *native)
{
  gboolean is64 = ident[EI_CLASS] == ELFCLASS64;
  guint64 phoff;
  guint phnum, phentsize;
  guint16 machine;

  if (is64)
    {
      Elf64_Ehdr eh;

      if (!read_exact (fd, &eh, sizeof eh, 0))
        return NULL;
      phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize, machine = eh.e_machine;
    }
  else
    {
      Elf32_Ehdr eh;

      if (!read_exact (fd, &eh, sizeof eh, 0))
        return NULL;
      phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize, machine = eh.e_machine;
    }
#ifdef NATIVE_MACHINE
  *native = ident[EI_CLASS] == NATIVE_CLASS && machine == NATIVE_MACHINE;
#else
  *native = TRUE;
#endif
  if (!*native)
    return g_strdup ("");  /* refused for its ABI whatever its headers say */
  if (phentsize != (is64 ? sizeof (Elf64_Phdr) : sizeof (Elf32_Phdr)) || phnum > 4096)
    return NULL;
  for (guint i = 0; i < phnum; i++)
    {
      guint64 off, size;
      guint32 type;
      char *text;

      if (is64)
        {
          Elf64_Phdr ph;

          if (!read_exact (fd, &ph, sizeof ph, phoff + (guint64) i * phentsize))
            return NULL;
          type = ph.p_type, off = ph.p_offset, size = ph.p_filesz;
        }
      else
        {
          Elf32_Phdr ph;

          if (!read_exact (fd, &ph, sizeof ph, phoff + (guint64) i * phentsize))
            return NULL;
          type = ph.p_type, off = ph.p_offset, size = ph.p_filesz;
        }
      if (type != PT_INTERP)
        continue;
      if (size == 0 || size > 4096)
        return NULL;
      text = g_malloc0 (size + 1);
      if (!read_exact (fd, text, size, off))
        {
          g_free (text);
          return NULL;
        }
      return text;
    }
  return g_strdup ("");
}

static gboolean
check_elf (const SbxView *view, const char *spath, int fd, const guint8 *ident, GError **error)
{
  gboolean native = TRUE;
  g_autofree char *interp = elf_interp (fd, ident, &native);
  g_autofree char *resolved = NULL;
  g_autofree char *host = NULL;
  struct stat st;

  if (interp == NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE, "“%s” is not a valid ELF program",
                   spath);
      return FALSE;
    }
  if (!native)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE,
                   "“%s” is built for another architecture or ABI; the sandbox's seccomp filter "
                   "kills every system call not made through the native ABI", spath);
      return FALSE;
    }
  if (interp[0] == '\0')
    return TRUE; /* static: the gate locks it like any other program */
  resolved = view_resolve (view, interp, &host, &st);
  if (resolved == NULL || host == NULL || !S_ISREG (st.st_mode))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_FOUND, "the program interpreter “%s” of “%s” is "
                   "not visible in the sandbox; add its folder to [filesystem] system", interp,
                   spath);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_program (const SbxView *view, const char *spath, const char *host, int depth,
               GError **error)
{
  guint8 head[256] = { 0 };
  ssize_t n;
  int fd = open (host, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  gboolean ok;

  if (fd < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_NOT_EXECUTABLE, errno, "cannot read “%s” (%s)", spath,
                           host);
      return FALSE;
    }
  n = pread (fd, head, sizeof head - 1, 0);
  if (n >= 2 && head[0] == '#' && head[1] == '!')
    ok = check_script (view, spath, (const char *) head, depth, error);
  else if (n >= EI_NIDENT && memcmp (head, ELFMAG, SELFMAG) == 0)
    ok = check_elf (view, spath, fd, head, error);
  else
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE, "“%s” is neither an ELF program nor "
                   "a #! script", spath);
      ok = FALSE;
    }
  close (fd);
  return ok;
}

char *
sbx_view_resolve_command (const SbxView *view, const char *name, char **host_path,
                          GError **error)
{
  g_auto(GStrv) dirs = NULL;
  g_autofree char *first_problem = NULL;
  const char *path_env;

  *host_path = NULL;
  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_FOUND, "no command given");
      return NULL;
    }

  /* A name with a slash is tried as it is (one round), like execvp(). */
  path_env = view->path_env != NULL ? view->path_env : "/bin:/usr/bin";
  dirs = g_strsplit (strchr (name, '/') != NULL ? "" : path_env, ":", -1);
  if (dirs[0] == NULL)
    {
      g_strfreev (dirs);
      dirs = g_new0 (char *, 2);
      dirs[0] = g_strdup ("");
    }

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *candidate = NULL;
      g_autofree char *resolved = NULL;
      g_autofree char *host = NULL;
      g_autofree char *problem = NULL;
      struct stat st;

      if (strchr (name, '/') != NULL)
        candidate = g_strdup (name);
      else if (dirs[i][0] == '\0')
        candidate = g_strdup (name); /* an empty PATH entry: the working directory */
      else
        candidate = g_build_filename (dirs[i], name, NULL);
      resolved = view_resolve (view, candidate, &host, &st);
      if (resolved == NULL)
        continue;
      problem = host == NULL ? g_strdup_printf ("“%s” is a directory", candidate)
                             : exec_problem (candidate, host, &st);
      if (problem != NULL)
        {
          /* execvp() goes on past a file it may not run. */
          if (first_problem == NULL)
            first_problem = g_steal_pointer (&problem);
          continue;
        }
      if (!check_program (view, candidate, host, 0, error))
        return NULL;
      if (dirs[i][0] == '\0' && strchr (name, '/') == NULL)
        {
          g_free (candidate);
          candidate = g_build_filename (view->workdir, name, NULL);
        }
      *host_path = g_steal_pointer (&host);
      return g_steal_pointer (&candidate);
    }

  if (first_problem != NULL)
    g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE, "%s", first_problem);
  else if (strchr (name, '/') != NULL)
    g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_FOUND,
                 "command “%s” not found in the sandbox (it sees /in, /out, /tmp and the system "
                 "paths only; relative paths start at the workdir %s)", name, view->workdir);
  else
    g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_FOUND,
                 "command “%s” not found in the sandbox's PATH (%s)", name,
                 view->path_env != NULL ? view->path_env : "/bin:/usr/bin");
  return NULL;
}

/* ------------------------------------------------- #!/usr/bin/env NAME */

/* The #! line of @host split the kernel's way: the interpreter, and the
 * rest of the line as one argument (or NULL).  FALSE when @host is not a
 * script. */
static gboolean
read_shebang (const char *host, char **interp, char **arg)
{
  char head[256] = { 0 };
  int fd = open (host, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  ssize_t n;
  char *p, *end;

  *interp = *arg = NULL;
  if (fd < 0)
    return FALSE;
  n = pread (fd, head, sizeof head - 1, 0);
  close (fd);
  if (n < 2 || head[0] != '#' || head[1] != '!')
    return FALSE;
  head[n] = '\0';
  end = strchr (head, '\n');
  if (end != NULL)
    *end = '\0';
  p = head + 2;
  while (*p == ' ' || *p == '\t')
    p++;
  *interp = g_strndup (p, strcspn (p, " \t"));
  p += strlen (*interp);
  *arg = g_strstrip (g_strdup (p));
  if (**arg == '\0')
    g_clear_pointer (arg, g_free);
  return TRUE;
}

/* The words env(1) would run for the argument @arg of a #! line: "NAME"
 * or "-S NAME WORD…"; NULL with an error for anything env does beyond
 * that (options, NAME=value). */
static GStrv
env_words (const char *spath, const char *arg, GError **error)
{
  g_auto(GStrv) words = NULL;

  if (arg != NULL && g_str_has_prefix (arg, "-S"))
    words = g_strsplit_set (arg + 2, " \t", -1);
  else if (arg != NULL && arg[0] != '-' && strpbrk (arg, " \t") == NULL)
    words = g_strsplit (arg, " ", -1);
  if (words != NULL)
    {
      /* drop the empty words of repeated blanks */
      guint j = 0;

      for (guint i = 0; words[i] != NULL; i++)
        if (words[i][0] != '\0')
          words[j++] = words[i];
        else
          g_free (words[i]);
      words[j] = NULL;
    }
  if (words == NULL || words[0] == NULL || strchr (words[0], '=') != NULL)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE,
                   "script “%s” starts with “#!…env %s”: under the exec lock sbx runs the program "
                   "env would start directly, and understands only “env NAME” and “env -S NAME "
                   "ARG…”; name the interpreter's path in the #! line, or use exec-lock=off",
                   spath, arg != NULL ? arg : "");
      return NULL;
    }
  return g_steal_pointer (&words);
}

gboolean
sbx_view_expand_env_script (const SbxView *view, GStrv *argv, GError **error)
{
  for (int depth = 0; depth <= MAX_INTERP_DEPTH; depth++)
    {
      g_autofree char *host = NULL;
      g_autofree char *interp = NULL;
      g_autofree char *arg = NULL;
      g_autofree char *resolved = NULL;
      g_auto(GStrv) words = NULL;
      g_autofree char *name_host = NULL;
      g_autofree char *name_path = NULL;
      GPtrArray *next;
      struct stat st;

      resolved = view_resolve (view, (*argv)[0], &host, &st);
      if (resolved == NULL || host == NULL || !read_shebang (host, &interp, &arg))
        return TRUE;
      if (strcmp (interp, "env") != 0 && !g_str_has_suffix (interp, "/env"))
        return TRUE; /* the kernel runs it in the one exec */
      if (depth == MAX_INTERP_DEPTH)
        break;
      words = env_words ((*argv)[0], arg, error);
      if (words == NULL)
        return FALSE;
      name_path = sbx_view_resolve_command (view, words[0], &name_host, error);
      if (name_path == NULL)
        {
          g_prefix_error (error, "script “%s” (#!%s %s): ", (*argv)[0], interp, arg);
          return FALSE;
        }
      next = g_ptr_array_new ();
      g_ptr_array_add (next, g_steal_pointer (&name_path));
      for (guint i = 1; words[i] != NULL; i++)
        g_ptr_array_add (next, g_strdup (words[i]));
      for (guint i = 0; (*argv)[i] != NULL; i++)
        g_ptr_array_add (next, g_strdup ((*argv)[i]));
      g_ptr_array_add (next, NULL);
      g_strfreev (*argv);
      *argv = (GStrv) g_ptr_array_free (next, FALSE);
    }
  g_set_error (error, SBX_ERROR, SBX_ERROR_NOT_EXECUTABLE, "“%s”: too many levels of #! "
               "interpreters", (*argv)[0]);
  return FALSE;
}
