/* sbx-program.c — SbxProgram: one compiled stage as classic BPF bytes, with
 * its listing, a sealed memfd for bwrap / the preload, and installation.
 *
 * The bytes are libseccomp's program with a short prologue of ours in front:
 * on the native arch, an x32 number (bit 30 set) kills the process, and a
 * syscall number above the last one libseccomp's table knows answers ENOSYS.  libseccomp could only give
 * such calls its default action (EPERM in allow-list mode, ALLOW in
 * deny-list mode); ENOSYS makes libc fall back to an older call whose
 * arguments the filter can judge, and keeps a call nobody has reviewed
 * (a new mount API, say) out even in deny-list mode.  Everything else,
 * including the kill of other arches (i386), is libseccomp's code, unchanged.
 *
 * The built-in default profile's programs are precompiled at build time
 * (bpf/sbx-precompiled.c, generated into the build folder by
 * bpf/gen-precompiled with the libseccomp installed there): when the
 * profile's key (sbx_program_key()) matches an entry there, the program is
 * that entry's instructions and libseccomp is not called.  Other profiles'
 * programs are kept in the user's cache (sbx-program-cache.c) under the
 * same key and read back from there the next time.  Either way, the
 * filter context, needed only for the PFC listing, is compiled when a
 * listing is asked for (and checked to give the same bytes).
 */
#include "config.h"

#include "sbx-private.h"
#include "sbx-precompiled.h"
#include "bpf/sbx-compiler-version.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct _SbxProgram {
  SbxStage stage;
  SbxCompileFlags flags;
  scmp_filter_ctx ctx; /* kept for the PFC listing; NULL until then when precompiled */
  GBytes *bytes;       /* struct sock_filter[], prologue first */
  /* Precompiled or cached only: the compiler's input, copied out of the
   * profile, so the listing is compiled from what the key was made of even
   * if the caller's profile changes meanwhile. */
  SbxSeccompInput *seccomp_part;
  gboolean cached;     /* read from the user's cache, not the table */
};

/* x32 syscalls on x86_64 carry this bit (__X32_SYSCALL_BIT). */
#define SBX_X32_BIT 0x40000000u
#define SBX_PROLOGUE_LEN 7

static void
build_prologue (struct sock_filter *out, guint32 arch, guint32 max_nr)
{
  const struct sock_filter prologue[SBX_PROLOGUE_LEN] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, arch)),
    /* another arch: libseccomp's code below kills it */
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, arch, 0, 5),
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    /* x32 numbers: libseccomp 2.5 sends them to its bad-arch action too,
     * but this must not depend on a library version */
    BPF_JUMP (BPF_JMP | BPF_JGE | BPF_K, SBX_X32_BIT, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_JUMP (BPF_JMP | BPF_JGT | BPF_K, max_nr, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
    /* libseccomp's code starts here */
  };

  memcpy (out, prologue, sizeof prologue);
}

/* The whole content of @fd, written by a libseccomp export. */
static GBytes *
read_back (int fd, GError **error)
{
  struct stat st;
  g_autofree guint8 *data = NULL;
  gsize done = 0;

  if (fstat (fd, &st) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "seccomp: cannot stat the export");
      return NULL;
    }
  data = g_malloc (st.st_size + 1);
  while (done < (gsize) st.st_size)
    {
      ssize_t n = pread (fd, data + done, st.st_size - done, done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          sbx_set_errno_error (error, SBX_ERROR_IO, n < 0 ? errno : EIO, "seccomp: cannot read the export");
          return NULL;
        }
      done += n;
    }
  data[done] = 0; /* the PFC listing is read as text */
  return g_bytes_new_take (g_steal_pointer (&data), done);
}

typedef int (*ExportFunc) (const scmp_filter_ctx ctx, int fd);

/* libseccomp 2.5 exports only to an fd; a memfd keeps it off the disk. */
static GBytes *
export_to_bytes (scmp_filter_ctx ctx, ExportFunc export, GError **error)
{
  int fd = memfd_create ("sbx-export", MFD_CLOEXEC);
  GBytes *bytes = NULL;
  int rc;

  if (fd < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "seccomp: memfd_create");
      return NULL;
    }
  rc = export (ctx, fd);
  if (rc < 0)
    g_set_error (error, SBX_ERROR, SBX_ERROR_SECCOMP, "seccomp: cannot export the filter: %s",
                 g_strerror (-rc));
  else
    bytes = read_back (fd, error);
  close (fd);
  return bytes;
}

static GBytes *
assemble (scmp_filter_ctx ctx, GError **error)
{
  g_autoptr(GBytes) body = export_to_bytes (ctx, seccomp_export_bpf, error);
  gsize body_len, n_insns;
  guint8 *data;

  if (body == NULL)
    return NULL;
  body_len = g_bytes_get_size (body);
  n_insns = SBX_PROLOGUE_LEN + body_len / sizeof (struct sock_filter);
  if (body_len % sizeof (struct sock_filter) != 0 || n_insns > SBX_PROGRAM_MAX_INSNS)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_SECCOMP,
                   "seccomp: the program has %zu bytes (%zu instructions); the kernel takes "
                   "whole instructions, at most %d", body_len, n_insns, SBX_PROGRAM_MAX_INSNS);
      return NULL;
    }
  data = g_malloc (n_insns * sizeof (struct sock_filter));
  build_prologue ((struct sock_filter *) data, seccomp_arch_native (),
                  (guint32) sbx_seccomp_max_known_syscall ());
  memcpy (data + SBX_PROLOGUE_LEN * sizeof (struct sock_filter),
          g_bytes_get_data (body, NULL), body_len);
  return g_bytes_new_take (data, n_insns * sizeof (struct sock_filter));
}

const char *
sbx_program_compiler_version (void)
{
  return SBX_COMPILER_VERSION;
}

char *
sbx_program_key_for (const char *seccomp_key, const char *compiler_version)
{
  g_autofree char *input = g_strdup_printf ("sbx program key 1\n"
                                            "seccomp=%s\n"
                                            "compiler=%s\n",
                                            seccomp_key, compiler_version);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);
}

char *
sbx_program_key (SbxProfile *profile, SbxStage stage)
{
  g_autofree char *seccomp_key = sbx_seccomp_key (profile, stage);

  return sbx_program_key_for (seccomp_key, SBX_COMPILER_VERSION);
}

const SbxPrecompiled *
sbx_precompiled_lookup (const SbxPrecompiled *table, gsize n_entries, const char *key, int stage)
{
  for (gsize i = 0; i < n_entries; i++)
    {
      const SbxPrecompiled *entry = &table[i];

      if (entry->stage == stage && strcmp (entry->key, key) == 0)
        return entry;
    }
  return NULL;
}

const char *
sbx_stage_to_string (SbxStage stage)
{
  switch (stage)
    {
    case SBX_STAGE_LAUNCH:
      return "launch";
    case SBX_STAGE_LOCK:
      return "lock";
    case SBX_STAGE_GATE:
      return "gate";
    default:
      return "unknown";
    }
}

static SbxProgram *
program_alloc (SbxStage stage)
{
  SbxProgram *program = g_atomic_rc_box_new0 (SbxProgram);

  program->stage = stage;
  return program;
}

SbxProgram *
sbx_program_new_with_flags (SbxProfile *profile, SbxStage stage, SbxCompileFlags flags,
                            GError **error)
{
  g_autoptr(SbxProgram) program = NULL;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (stage <= SBX_STAGE_GATE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  program = program_alloc (stage);
  program->flags = flags;
  {
    g_autoptr(SbxSeccompInput) input = sbx_seccomp_input_new (profile);

    program->ctx = sbx_seccomp_build (input, stage, flags, error);
  }
  if (program->ctx == NULL)
    return NULL;
  program->bytes = assemble (program->ctx, error);
  if (program->bytes == NULL)
    return NULL;
  return g_steal_pointer (&program);
}

SbxProgram *
sbx_program_new_compiled (SbxProfile *profile, SbxStage stage, GError **error)
{
  return sbx_program_new_with_flags (profile, stage, SBX_COMPILE_NONE, error);
}

SbxProgram *
sbx_program_new (SbxProfile *profile, SbxStage stage, GError **error)
{
  const SbxPrecompiled *entry;
  g_autofree char *key = NULL;
  GBytes *cached;
  SbxProgram *program;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (stage <= SBX_STAGE_GATE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = sbx_program_key (profile, stage);
  entry = sbx_precompiled_lookup (sbx_precompiled_table, sbx_precompiled_table_len, key, stage);
  cached = entry == NULL ? sbx_program_cache_read (key) : NULL;
  if (entry == NULL && cached == NULL)
    {
      program = sbx_program_new_compiled (profile, stage, error);
      if (program != NULL)
        sbx_program_cache_write (key, program->bytes);
      return program;
    }
  program = program_alloc (stage);
  if (entry != NULL)
    program->bytes = g_bytes_new_static (entry->instructions,
                                         entry->n_instructions * sizeof (struct sock_filter));
  else
    program->bytes = cached;
  program->cached = cached != NULL;
  program->seccomp_part = sbx_seccomp_input_new (profile);
  return program;
}

gboolean
sbx_program_is_precompiled (SbxProgram *program)
{
  g_return_val_if_fail (program != NULL, FALSE);
  return program->seccomp_part != NULL && !program->cached;
}

gboolean
sbx_program_is_cached (SbxProgram *program)
{
  g_return_val_if_fail (program != NULL, FALSE);
  return program->cached;
}

/* The filter context behind @program's bytes.  A precompiled program gets
 * it compiled now, once; the compile must give the very bytes the program
 * has, or the listing would describe another program. */
static scmp_filter_ctx
program_get_ctx (SbxProgram *program, GError **error)
{
  scmp_filter_ctx ctx;
  g_autoptr(GBytes) bytes = NULL;

  ctx = g_atomic_pointer_get (&program->ctx);
  if (ctx != NULL)
    return ctx;
  ctx = sbx_seccomp_build (program->seccomp_part, program->stage, program->flags, error);
  if (ctx == NULL)
    return NULL;
  bytes = assemble (ctx, error);
  if (bytes == NULL)
    {
      seccomp_release (ctx);
      return NULL;
    }
  if (!g_bytes_equal (bytes, program->bytes))
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_SECCOMP,
                   "seccomp: the %s %s program differs from libseccomp's compile of the same "
                   "profile: %s", program->cached ? "cached" : "precompiled",
                   sbx_stage_to_string (program->stage),
                   program->cached ? "remove the cache folder (sbx_program_cache_path())"
                                   : "bpf/sbx-precompiled.c of this build is stale; rebuild");
      seccomp_release (ctx);
      return NULL;
    }
  /* Two threads listing at once: the first context stays. */
  if (!g_atomic_pointer_compare_and_exchange (&program->ctx, NULL, ctx))
    {
      seccomp_release (ctx);
      ctx = g_atomic_pointer_get (&program->ctx);
    }
  return ctx;
}

SbxProgram *
sbx_program_ref (SbxProgram *program)
{
  g_return_val_if_fail (program != NULL, NULL);
  return g_atomic_rc_box_acquire (program);
}

/* Releases what @data (a SbxProgram) owns; the box itself is g_atomic_rc_box's. */
static void
program_clear (gpointer data)
{
  SbxProgram *program = data;

  if (program->ctx != NULL)
    seccomp_release (program->ctx);
  g_clear_pointer (&program->bytes, g_bytes_unref);
  g_clear_pointer (&program->seccomp_part, sbx_seccomp_input_free);
}

void
sbx_program_unref (SbxProgram *program)
{
  if (program != NULL)
    g_atomic_rc_box_release_full (program, program_clear);
}

SbxStage
sbx_program_get_stage (SbxProgram *program)
{
  g_return_val_if_fail (program != NULL, SBX_STAGE_LAUNCH);
  return program->stage;
}

const guint8 *
sbx_program_get_bytes (SbxProgram *program, gsize *length)
{
  g_return_val_if_fail (program != NULL, NULL);
  return g_bytes_get_data (program->bytes, length);
}

gsize
sbx_program_get_n_instructions (SbxProgram *program)
{
  g_return_val_if_fail (program != NULL, 0);
  return g_bytes_get_size (program->bytes) / sizeof (struct sock_filter);
}

char *
sbx_program_dup_sha256 (SbxProgram *program)
{
  g_return_val_if_fail (program != NULL, NULL);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, program->bytes);
}

char *
sbx_program_to_pfc (SbxProgram *program, GError **error)
{
  g_autoptr(GBytes) pfc = NULL;
  g_autofree char *sha256 = NULL;
  scmp_filter_ctx ctx;

  g_return_val_if_fail (program != NULL, NULL);
  ctx = program_get_ctx (program, error);
  if (ctx == NULL)
    return NULL;
  pfc = export_to_bytes (ctx, seccomp_export_pfc, error);
  if (pfc == NULL)
    return NULL;
  sha256 = sbx_program_dup_sha256 (program);
  return g_strdup_printf ("#\n"
                          "# sbxprofile %s program: %zu instructions, sha256 %s\n"
                          "#\n"
                          "# sbx prologue, ahead of libseccomp's code (lib/sbx-program.c):\n"
                          "#   if ($arch == %u)\n"
                          "#     if ($syscall >= 0x%x)  (x32 numbers, and -1)\n"
                          "#       action KILL_PROCESS;\n"
                          "#     if ($syscall > %d)  (newer than libseccomp's table)\n"
                          "#       action ERRNO(%d);\n"
                          "%s",
                          sbx_stage_to_string (program->stage),
                          sbx_program_get_n_instructions (program), sha256,
                          seccomp_arch_native (), SBX_X32_BIT, sbx_seccomp_max_known_syscall (),
                          ENOSYS, (const char *) g_bytes_get_data (pfc, NULL));
}

static gboolean
write_all (int fd, const guint8 *data, gsize length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

int
sbx_program_to_memfd (SbxProgram *program, GError **error)
{
  const int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
  gsize length;
  const guint8 *data;
  int fd;

  g_return_val_if_fail (program != NULL, -1);
  data = sbx_program_get_bytes (program, &length);
  fd = memfd_create ("sbx-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "seccomp: memfd_create");
      return -1;
    }
  /* Sealed, so nobody holding the fd (bwrap, the job) can change the
   * program between our check and its installation. */
  if (!write_all (fd, data, length) || fcntl (fd, F_ADD_SEALS, seals) != 0
      || lseek (fd, 0, SEEK_SET) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_IO, errno, "seccomp: cannot fill the program memfd");
      close (fd);
      return -1;
    }
  return fd;
}

gboolean
sbx_program_install (SbxProgram *program, GError **error)
{
  gsize length;
  const guint8 *data;
  struct sock_fprog fprog;
  long rc;

  g_return_val_if_fail (program != NULL, FALSE);
  data = sbx_program_get_bytes (program, &length);
  fprog.len = length / sizeof (struct sock_filter);
  fprog.filter = (struct sock_filter *) data;

  /* Without no_new_privs an unprivileged process may not install a filter,
   * and a set-uid exec could shed it. */
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_LOCK, errno, "cannot set no_new_privs");
      return FALSE;
    }
  rc = syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fprog);
  if (rc > 0)
    {
      g_set_error (error, SBX_ERROR, SBX_ERROR_LOCK,
                   "cannot install the seccomp program: thread %ld cannot be synchronised", rc);
      return FALSE;
    }
  if (rc != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_LOCK, errno, "cannot install the seccomp program");
      return FALSE;
    }
  return TRUE;
}
