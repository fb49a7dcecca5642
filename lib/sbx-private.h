/* sbx-private.h — struct bodies and internal prototypes shared inside lib/.
 *
 * The profile is parsed once into SbxProfile (the plain model below); every
 * emitter reads only this model: sbx-seccomp.c (launch and lock programs),
 * sbx-bwrap.c (argv), sbx-program.c (listing).  Nothing here is exported.
 */
#pragma once

#include "sbxprofile.h"

#include <seccomp.h>

G_BEGIN_DECLS

#define SBX_INTERNAL __attribute__ ((visibility ("hidden")))

/* Fixed paths inside the sandbox: SBX_SANDBOX_* in sbxprofile.h. */
#define SBX_SANDBOX_SHM "/dev/shm"
#define SBX_INIT_NAME "sbx-init"
/* The exec gate's static helper (exec/sbx-exec.c), bwrap's command. */
#define SBX_EXEC_HELPER_NAME "sbx-exec"
/* Names a profile may not set or keep: the loader's preload variable, and
 * the variable of the old LD_PRELOAD lock. */
#define SBX_ENV_LOCK_FD "SBX_LOCK_FD"
#define SBX_ENV_PRELOAD "LD_PRELOAD"

typedef enum {
  SBX_NETWORK_NONE, /* own empty network namespace */
  SBX_NETWORK_HOST, /* share the host's (a weakening; attest must notice) */
} SbxNetworkMode;

/* Index into SbxProfile.limits; the order is the canonical order. */
typedef enum {
  SBX_LIMIT_CPU_SECONDS,
  SBX_LIMIT_ADDRESS_SPACE,
  SBX_LIMIT_OPEN_FILES,
  SBX_LIMIT_PROCESSES,
  SBX_LIMIT_FILE_SIZE,
  SBX_LIMIT_CORE_SIZE,
  SBX_N_LIMITS,
} SbxLimitId;

/* open-files below this leaves bwrap no fds for its own set-up (measured:
 * bwrap 0.8.0 opens about SBX_BWRAP_OWN_FDS more than sbx hands it). */
#define SBX_OPEN_FILES_FLOOR 16
#define SBX_BWRAP_OWN_FDS 4

struct _SbxProfile {
  gint ref_count;
  char *source;         /* file name, "<default>" or the caller's name */

  /* [sandbox] */
  char *name;

  /* [filesystem] */
  char *input;          /* absolute host dir or NULL */
  char *output;         /* absolute host dir or NULL */
  gboolean input_writable; /* input-mode=rw: a weakening */
  GPtrArray *system;    /* char*: absolute host paths, bound read-only at the same path */
  GPtrArray *read_only; /* SbxReadOnlyPath*: extra read-only binds (read-only=, --ro), by dest */
  guint64 tmp_size;     /* bytes */
  char *workdir;        /* path inside the sandbox */
  gboolean workdir_set;  /* workdir came from the profile; else it follows output */

  /* [network] */
  SbxNetworkMode network_mode;
  GArray *socket_families; /* int AF_*, sorted, unique; empty = socket() denied */

  /* [environment] */
  GPtrArray *env_keep;  /* char* names, sorted */
  GPtrArray *env_set;   /* char* "NAME=value", in profile order */

  /* [seccomp] */
  SbxSeccompMode seccomp_mode;
  int errno_value;
  GPtrArray *deny_extra; /* char* syscall names, sorted, unique */
  SbxExecLock exec_lock;

  /* [limits] */
  SbxRlimit limits[SBX_N_LIMITS];
  guint wall_seconds;

  /* [attest] */
  GStrv required_probes;

  /* what the command line changed after loading ("--timeout=30" …) */
  GPtrArray *overrides;
};

/* One [filesystem] read-only entry: @host shown read-only at @dest. */
typedef struct {
  char *host;  /* canonical absolute host path (file or folder) */
  char *dest;  /* normalised absolute path inside the sandbox */
} SbxReadOnlyPath;

/* Runtime pieces the argv builder needs besides the profile: what sbx
 * opened and where.  fds are -1 when absent. */
typedef struct {
  char *dest;    /* symlink path inside the sandbox, e.g. "/bin" */
  char *target;  /* its target, e.g. "usr/bin" */
} SbxSymlink;

typedef struct {
  int fd;        /* O_PATH fd of the source, or -1 (then host_path is used) */
  char *host_path;
  char *dest;    /* path inside the sandbox */
  gboolean writable;
  const char *what; /* for --dry-run: "input", "output", "system path", "helper" */
  char *bind_path;  /* where sbx re-homes it before bwrap starts (sbx-jobuid.c), or NULL;
                       bound by this path instead of host_path when there is no fd */
} SbxMount;

typedef struct {
  gboolean bind_fd_supported;  /* bwrap knows --bind-fd / --ro-bind-fd */
  int launch_fd;               /* memfd with the launch program */
  int gate_fd;                 /* the exec helper's end of the gate socket, or -1:
                                  the command is then run without the helper */
  int tmp_fd;                  /* O_PATH fd of the prepared noexec tmpfs */
  const char *tmp_path;        /* where that tmpfs is mounted in sbx's namespace: bound
                                  with --bind PATH when bind_fd_supported is FALSE */
  int shm_fd;                  /* O_PATH fd of the folder of the same tmpfs for /dev/shm */
  const char *shm_path;        /* its path in sbx's namespace; NULL: no /dev/shm mount (it
                                  stays an empty folder of the read-only /dev) */
  const char *const *proc_ro;  /* /proc paths bound read-only over themselves (NULL-terminated
                                  or NULL): only ones that exist, bwrap aborts otherwise */
  const char *const *proc_masked; /* /proc files /dev/null is bound over (same rules) */
  const char *init;            /* sandbox path of sbx-init, run as pid 1 (--as-pid-1) ahead
                                  of the command; NULL: bwrap's own reaper is pid 1 */
  GPtrArray *mounts;           /* SbxMount*: system paths, input, output, helpers */
  GPtrArray *symlinks;         /* SbxSymlink*: merged-/usr links of the host */
  const char *const *host_env; /* environ to pick [environment] keep from */
  const char *const *command;  /* resolved job argv */
} SbxRuntime;

/* sbx-error.c */
SBX_INTERNAL void sbx_set_errno_error (GError **error, SbxError code, int saved_errno,
                                       const char *format, ...) G_GNUC_PRINTF (4, 5);

/* sbx-read.c: reads @path (a regular file or a pipe; devices, sockets and
 * folders are refused before they are opened) into @contents (transfer
 * full, NUL-terminated), at most @limit bytes, waiting at most @timeout_ms
 * for each piece of a pipe's data.  SBX_ERROR_IO naming @what ("profile")
 * and the limit. */
#define SBX_PROFILE_MAX_BYTES (1024 * 1024)
#define SBX_PIPE_TIMEOUT_MS 10000
SBX_INTERNAL gboolean sbx_read_bounded (const char *path, const char *what, gsize limit,
                                        int timeout_ms, char **contents, gsize *length,
                                        GError **error);
/* sbx-read.c: at most SBX_EXCERPT_MAX bytes of @text (cut at a character
 * boundary, "…" appended when cut), for quoting user input in messages.
 * (transfer full) */
#define SBX_EXCERPT_MAX 80
SBX_INTERNAL char *sbx_excerpt (const char *text, gssize length);

/* sbx-bwrap.c: the full argv (bwrap path first is NOT included: element 0
 * is the first option).  (transfer full) NULL-terminated: the last element
 * is NULL and counted in ->len, so ->pdata works as a char **argv. */
SBX_INTERNAL GPtrArray *sbx_bwrap_build_args (SbxProfile *profile, const SbxRuntime *runtime);

/* How a program is compiled beyond its stage. */
typedef enum {
  SBX_COMPILE_NONE = 0,
  /* Every refusal with the profile's errno answers SECCOMP_RET_USER_NOTIF
   * instead: sbx run --explain answers it and names the rule.  Never
   * precompiled. */
  SBX_COMPILE_EXPLAIN = 1 << 0,
} SbxCompileFlags;

/* sbx-seccomp.c: a libseccomp filter for @stage; the caller releases it. */
/* sbx-seccomp.c: what the compiler reads, and nothing else — its own input
 * type, copied out of a profile by sbx_seccomp_input_new() (transfer full). */
typedef struct {
  SbxSeccompMode seccomp_mode;
  int errno_value;
  GPtrArray *deny_extra;       /* char* syscall names, sorted, unique */
  GArray *socket_families;     /* int AF_*, sorted, unique; empty = socket() denied */
} SbxSeccompInput;
SBX_INTERNAL SbxSeccompInput *sbx_seccomp_input_new (SbxProfile *profile);
SBX_INTERNAL void sbx_seccomp_input_free (SbxSeccompInput *input);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxSeccompInput, sbx_seccomp_input_free)
/* sbx_seccomp_key_text() of an input. */
SBX_INTERNAL char *sbx_seccomp_input_key_text (const SbxSeccompInput *input);
SBX_INTERNAL scmp_filter_ctx sbx_seccomp_build (const SbxSeccompInput *input, SbxStage stage,
                                                SbxCompileFlags flags, GError **error);
/* sbx-seccomp.c: the highest syscall number libseccomp knows on the native
 * ABI; sbx-program.c answers larger ones ENOSYS before libseccomp's code. */
SBX_INTERNAL int sbx_seccomp_max_known_syscall (void);
/* sbx-seccomp.c: the precompile key (bpf/sbx-precompiled.c).  key_text is
 * the canonical text of what sbx_seccomp_build() reads from @profile;
 * key is the hex sha256 over libseccomp's runtime version, the native arch,
 * @stage, the bpf/ tables (names resolved here) and that text. */
SBX_INTERNAL char *sbx_seccomp_key_text (SbxProfile *profile);
SBX_INTERNAL char *sbx_seccomp_key (SbxProfile *profile, SbxStage stage);
SBX_INTERNAL char *sbx_seccomp_key_libseccomp (void); /* "major.minor.micro" */
/* sbx-program.c: a fresh libseccomp compile, never the precompiled table
 * (bpf/gen-precompiled and the tests); whether @program came from it. */
SBX_INTERNAL SbxProgram *sbx_program_new_compiled (SbxProfile *profile, SbxStage stage,
                                                   GError **error);
/* sbx-program.c: a fresh compile with @flags (--explain). */
SBX_INTERNAL SbxProgram *sbx_program_new_with_flags (SbxProfile *profile, SbxStage stage,
                                                     SbxCompileFlags flags, GError **error);
SBX_INTERNAL gboolean sbx_program_is_precompiled (SbxProgram *program);
/* sbx-program.c: the key of a compiled program: sbx_seccomp_key() (the
 * compiler's input, libseccomp, arch, stage, tables) and the compiler's own
 * version, the sha256 of its sources (bpf/sbx-compiler-version.h, made at
 * build time).  The precompiled table and the cache are looked up by it.
 * (transfer full) */
SBX_INTERNAL char *sbx_program_key (SbxProfile *profile, SbxStage stage);
SBX_INTERNAL char *sbx_program_key_for (const char *seccomp_key, const char *compiler_version);
SBX_INTERNAL const char *sbx_program_compiler_version (void);
/* Whether @program was read from the user's cache (sbx-program-cache.c). */
SBX_INTERNAL gboolean sbx_program_is_cached (SbxProgram *program);
/* sbx-program-cache.c: $XDG_CACHE_HOME/sbxprofile/KEY.bpf.  read: the
 * instructions, or NULL when absent or not to be trusted (not ours,
 * writable by others, another key, not whole instructions); write: atomic,
 * mode 0600, failures ignored.  (transfer full) */
SBX_INTERNAL char *sbx_program_cache_path (const char *key);
SBX_INTERNAL GBytes *sbx_program_cache_read (const char *key);
SBX_INTERNAL void sbx_program_cache_write (const char *key, GBytes *bytes);

/* sbx-profile.c: name ↔ value tables shared with the seccomp compiler. */
SBX_INTERNAL int sbx_errno_from_name (const char *name);          /* -1 unknown */
/* sbx_errno_to_name() is public (sbxprofile.h). */
SBX_INTERNAL int sbx_socket_family_from_name (const char *name);  /* -1 unknown */
SBX_INTERNAL const char *sbx_socket_family_to_name (int family);

G_END_DECLS
