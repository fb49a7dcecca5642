/* sbx-sandbox-private.h — internal pieces of the sandbox runtime (the
 * SbxSandbox half of the public API), shared by its files:
 *
 *   sbx-sandbox.c    object, prepare (bwrap, command, mount sources, fds, argv)
 *   sbx-host.c       finding bwrap and what it supports; safe opens; the
 *                    host's merged-/usr symlinks; the helper folder
 *   sbx-elf.c        resolving the command as the sandbox sees it; PT_INTERP
 *   sbx-tmpfs.c      the noexec /tmp and /dev/shm and everything else done
 *                    right before execv(bwrap): fds, rlimits (async-signal-safe)
 *   sbx-jobuid.c     as root: clones of the mount sources, idmapped /in and
 *                    /out, the job's uid; /out noexec (async-signal-safe)
 *   sbx-supervise.c  exec, spawn, run (wall-seconds supervisor)
 *
 * Nothing here is exported.
 */
#pragma once

#include "sbx-private.h"

#include <sys/types.h>

G_BEGIN_DECLS

/* ---------------------------------------------------------------- sbx-host.c */

/* What the installed bwrap is and supports. */
typedef struct {
  char *path;              /* absolute path of the bwrap that will be exec'd */
  gboolean bind_fd;        /* --bind-fd / --ro-bind-fd */
  gboolean disable_userns; /* --disable-userns and --assert-userns-disabled */
  gboolean setuid;         /* installed setuid root */
} SbxBwrapInfo;

/* @requested: a path (used as is) or NULL (search $PATH).  Fills @info;
 * SBX_ERROR_BWRAP when bwrap is missing, not executable, or lacks an option
 * the argv needs.  Features are read from the binary itself (the option
 * names are strings in it), so no process is started on the run path;
 * a non-ELF bwrap (a wrapper script) is asked with --help instead. */
SBX_INTERNAL gboolean sbx_bwrap_info_find (const char *requested, SbxBwrapInfo *info, GError **error);
/* Sets @info's bind_fd and disable_userns from bwrap's .rodata @data: each
 * option name must end one of its NUL-terminated strings. */
SBX_INTERNAL void sbx_bwrap_features_from_rodata (SbxBwrapInfo *info, const guint8 *data, gsize size);
/* The same read from @fd: @size bytes at @offset.  FALSE when it cannot
 * be read. */
SBX_INTERNAL gboolean sbx_bwrap_features_from_fd (SbxBwrapInfo *info, int fd, guint64 offset,
                                                   guint64 size);
SBX_INTERNAL void sbx_bwrap_info_clear (SbxBwrapInfo *info);

/* Opens @path O_PATH|O_NOFOLLOW|O_CLOEXEC refusing every symlinked
 * component (openat2 RESOLVE_NO_SYMLINKS, else one component at a time).
 * @want: S_IFDIR or S_IFREG to require that type, 0 for either.
 * Returns the fd, or -1 with SBX_ERROR_INVALID_PATH (@what names the role:
 * "input", "system path", ...). */
SBX_INTERNAL int sbx_open_no_symlinks (const char *path, mode_t want, const char *what,
                                       GError **error);

/* The host's /bin, /sbin, /lib, /lib32, /lib64, /libx32 that are symlinks
 * to usr/…: SbxSymlink* with a relative target ("usr/bin"). (transfer full) */
SBX_INTERNAL GPtrArray *sbx_host_usr_symlinks (void);
SBX_INTERNAL void sbx_symlink_free (gpointer link);
SBX_INTERNAL void sbx_mount_free (gpointer mount);

/* The helper folder: $SBX_HELPER_DIR if set, else the folder of
 * /proc/self/exe when it holds sbx-exec (a build tree), else
 * SBX_HELPER_INSTALL_DIR.  (transfer full) */
SBX_INTERNAL char *sbx_helper_dir_find (void);

/* "64M", "1G", "4096" … for messages. (transfer full) */
SBX_INTERNAL char *sbx_format_size (guint64 bytes);

/* ----------------------------------------------------------------- sbx-elf.c */

/* The sandbox's file system as far as the command lookup needs it. */
typedef struct {
  GPtrArray *mounts;         /* SbxMount*: dest → host_path */
  GPtrArray *symlinks;       /* SbxSymlink* */
  const char *workdir;       /* for relative paths */
  const char *path_env;      /* PATH inside, or NULL (then /bin:/usr/bin) */
  SbxExecLock exec_lock;
} SbxView;

/* Resolves argv[0] as execvp() inside the sandbox would, then checks that
 * it can run there: a regular, executable file; an ELF of the native ABI
 * whose program interpreter is visible (a dynamic one, under preload); or a
 * #! script whose interpreter passes the same checks.
 * Returns (transfer full) the sandbox path to exec, and the host path of
 * the file in @host_path; NULL with SBX_ERROR_NOT_FOUND or
 * SBX_ERROR_NOT_EXECUTABLE. */
SBX_INTERNAL char *sbx_view_resolve_command (const SbxView *view, const char *name,
                                             char **host_path, GError **error);

/* Under the exec gate: when @argv[0] (a resolved sandbox path) is a script
 * whose #! line runs env(1) ("#!/usr/bin/env NAME", "env -S NAME ARG…"),
 * replaces @argv by NAME resolved through the view's PATH, ARG…, the script
 * and its arguments — what env would have exec'd, a second exec the gate
 * refuses.  Other scripts and programs are left alone.  FALSE with an error
 * when env's arguments cannot be followed or NAME is not found. */
SBX_INTERNAL gboolean sbx_view_expand_env_script (const SbxView *view, GStrv *argv,
                                                  GError **error);

/* --------------------------------------------------------------- sbx-tmpfs.c */

/* What the exec'ing process does right before execv(bwrap).  Filled by the
 * parent; the child only reads it (no allocation after fork). */
/* The uids and gids the job runs as when sbx is run as root: the kernel
 * must never see host uid 0 for the job (uid 0 bypasses RLIMIT_NPROC and
 * owns /proc/sys files), and 65534 is nobody, shared with host daemons and
 * NFS.  Each sandbox root prepares gets its own id, SBX_ROOT_JOB_ID_BASE +
 * ((pid << SBX_ROOT_JOB_ID_SLOT_BITS) | slot): RLIMIT_NPROC is counted per
 * real uid, so a shared id would let one job's forks use up the process
 * budget of every other sandbox root runs at the same time.  sbx's pid is
 * unique on the host while it lives, and it lives as the job's supervisor
 * for the job's whole life; pids stay below 2^22 (PID_MAX_LIMIT, the most
 * /proc/sys/kernel/pid_max accepts), so ids stay below
 * 2000000000 + 2^27 = 2134217728, inside the range systemd documents as
 * unused (1879048192-2147352575): no host account, no container range,
 * below 2^31 so no tool reads it as negative.  The slot, a per-process
 * counter, keeps the sandboxes one library user prepares in one process
 * apart (up to 2^SBX_ROOT_JOB_ID_SLOT_BITS alive at once).  /in and /out are
 * idmapped to the sandbox's id. */
#define SBX_ROOT_JOB_ID_BASE 2000000000u
#define SBX_ROOT_JOB_ID_SLOT_BITS 5

/* A mount source the exec'ing process re-homes under tmp_point before
 * bwrap binds it (bwrap finds a bind fd's object again by its path, which
 * must then be one the job's uid can walk):
 *   - as root, /in, /out and every other fd mount bwrap might not find
 *     again as sbx opened it (a folder above it not root's alone, or not
 *     searchable: plan_binds()): cloned (open_tree) while still in the
 *     host's mount namespace, given its flags there (mount_setattr),
 *     idmapped onto the job's uid for /in and /out, and attached at
 *     tmp_point/NAME;
 *   - otherwise only /out, bound again to add noexec.
 * The fd the argv names is replaced (dup2) by an O_PATH fd of the result.
 * The parent fills the first block; the child (a copy) the second. */
typedef struct {
  int fd;                    /* the O_PATH fd the argv names */
  const char *host_path;     /* for messages, and the non-root re-bind */
  char name[16];             /* mount point under tmp_point: "m0", "m1" … */
  gboolean is_dir;
  gboolean idmap;            /* onto job_id (root: /in and /out) */
  guint64 attr;              /* MOUNT_ATTR_* to set (nosuid, nodev, noexec, rdonly) */
  gboolean is_out;           /* checked writable with the job's credentials */

  int tree;                  /* child: the detached clone, or -1 */
  gboolean idmapped;         /* child: the idmap took */
  guint32 host_uid, host_gid, host_mode; /* child: the source as the host sees it */
} SbxLaunchBind;

typedef struct {
  const char *tmp_point;     /* where the tmpfs is mounted in our namespace */
  guint64 tmp_size;          /* bytes, /tmp and /dev/shm together */
  guint64 tmp_inodes;        /* nr_inodes of that tmpfs */
  int tmp_fd;                /* fd number reserved for its tmp/ (a /dev/null placeholder) */
  int shm_fd;                /* the same for its shm/ (/dev/shm), or -1 */
  guint32 job_id;            /* 0: run as the caller; else setresuid/gid to it (root only) */
  gboolean no_new_privs;     /* set PR_SET_NO_NEW_PRIVS before exec'ing bwrap */
  SbxLaunchBind *binds;      /* re-homed mount sources (a copy the child may write) */
  gsize n_binds;
  const int *inherit_fds;    /* fds whose FD_CLOEXEC is cleared for bwrap */
  gsize n_inherit_fds;
  const SbxRlimit *rlimits;
  gsize n_rlimits;
  const char *bwrap;
  char *const *argv;
  char *const *envp;
} SbxLaunchPlan;

/* What failed, in a form that crosses a pipe. */
typedef struct {
  int code;                  /* SbxError */
  int saved_errno;
  char step[1024];           /* the call that failed, with its arguments */
} SbxLaunchFailure;

/* Async-signal-safe pieces shared by sbx-tmpfs.c and sbx-jobuid.c. */
SBX_INTERNAL void sbx_launch_append (char *buf, gsize size, const char *text);
SBX_INTERNAL void sbx_launch_append_u64 (char *buf, gsize size, guint64 value, guint base);
SBX_INTERNAL void sbx_launch_fail (SbxLaunchFailure *failure, SbxError code, int saved_errno,
                                   const char *step, const char *arg);
SBX_INTERNAL gboolean sbx_launch_write_file (const char *path, const char *text);
/* "POINT/NAME" into @buf; FALSE when it does not fit. */
SBX_INTERNAL gboolean sbx_launch_join (char *buf, gsize size, const char *point, const char *name);

/* sbx-jobuid.c, in this order around the tmpfs: clone and flag the bind
 * sources while still in the host's mount namespace (root only); attach
 * them under tmp_point once the tmpfs is there; become the job's uid
 * (root only: setgroups, setresgid, setresuid, no_new_privs) and check
 * that /out is writable with those credentials. */
SBX_INTERNAL gboolean sbx_launch_clone_binds (const SbxLaunchPlan *plan, SbxLaunchFailure *failure);
SBX_INTERNAL gboolean sbx_launch_attach_binds (const SbxLaunchPlan *plan, SbxLaunchFailure *failure);
SBX_INTERNAL gboolean sbx_launch_become_job (const SbxLaunchPlan *plan, SbxLaunchFailure *failure);

/* Prepares the tmpfs, the fds and the limits, and execs bwrap.  Only
 * returns on failure, filling @failure.  Async-signal-safe: it runs in a
 * forked child. */
SBX_INTERNAL void sbx_launch_exec (const SbxLaunchPlan *plan, SbxLaunchFailure *failure);
/* In the spawn child, before its signal mask is emptied: each caught
 * signal and SIGPIPE back to SIG_DFL (sbx-supervise.c). */
SBX_INTERNAL void sbx_launch_reset_signals (void);

/* Turns @failure into a GError with what to check (user namespaces, setuid
 * bwrap …). */
/* sbx-sandbox.c: the plan's fields that concern the tmpfs, the re-homed
 * mounts and the job's uid (the rest is filled by sbx-supervise.c). */
SBX_INTERNAL void sbx_sandbox_fill_launch_plan (SbxSandbox *sandbox, SbxLaunchPlan *plan);

SBX_INTERNAL void sbx_launch_failure_to_error (const SbxLaunchFailure *failure,
                                               const SbxBwrapInfo *bwrap, GError **error);

/* ---------------------------------------------------------------- sbx-gate.c */

typedef struct _SbxGate SbxGate;

/* A socketpair for the helper; nothing is started.  @flags: the programs'
 * compile flags (SBX_COMPILE_EXPLAIN makes every refusal a report). */
SBX_INTERNAL SbxGate *sbx_gate_new (SbxProfile *profile, SbxCompileFlags flags, GError **error);
SBX_INTERNAL void sbx_gate_free (SbxGate *gate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxGate, sbx_gate_free)
/* The helper's end: bwrap inherits it (its number is the helper's argv[1]). */
SBX_INTERNAL int sbx_gate_get_child_fd (SbxGate *gate);
/* The listener once taken, else -1: poll it for POLLIN. */
SBX_INTERNAL int sbx_gate_get_listener (SbxGate *gate);
SBX_INTERNAL void sbx_gate_set_event_func (SbxGate *gate, SbxEventFunc func, gpointer user_data);
/* Queues @program for the helper (before bwrap starts). */
SBX_INTERNAL gboolean sbx_gate_queue_program (SbxGate *gate, SbxProgram *program, GError **error);
/* After the spawn: only the sandbox holds the helper's end. */
SBX_INTERNAL void sbx_gate_close_child_end (SbxGate *gate);
/* Waits for the helper's listener; SBX_ERROR_LOCK when the sandbox ended
 * first. */
SBX_INTERNAL gboolean sbx_gate_take_listener (SbxGate *gate, GError **error);
/* The job's pid (in our namespace) once its exec went through, else 0. */
SBX_INTERNAL pid_t sbx_gate_get_job_pid (SbxGate *gate);
/* Answers one notification (call when the listener polls readable). */
SBX_INTERNAL gboolean sbx_gate_dispatch (SbxGate *gate, GError **error);
struct seccomp_notif;
/* The answer half of sbx_gate_dispatch(), for a notification @req already
 * received from the listener (tests make its caller vanish in between). */
SBX_INTERNAL gboolean sbx_gate_answer (SbxGate *gate, const struct seccomp_notif *req,
                                       GError **error);

/* ------------------------------------------------------------- sbx-explain.c */

struct seccomp_data;
/* "socket(AF_INET6, SOCK_DGRAM, 0)" (transfer full) */
SBX_INTERNAL char *sbx_explain_call (const struct seccomp_data *data);
/* "[network] socket-families" (transfer none) */
SBX_INTERNAL const char *sbx_explain_rule (SbxProfile *profile, const struct seccomp_data *data);

/* --------------------------------------------------------------- sbx-stdio.c */

/* Checks @fds, the fds the job will get as its 0-2: each must be a pipe
 * or FIFO, a regular file (on stdin: one @job_uid could not write, see
 * sbx-stdio.c), /dev/null, a terminal or a connected stream socket.
 * SBX_ERROR_STDIO names the fd and what it is otherwise. */
SBX_INTERNAL gboolean sbx_stdio_check (const int fds[3], uid_t job_uid, GError **error);

/* sbx-etc.c: the sandbox's own /etc/passwd and /etc/group, generated for
 * the job's uid and gid as the sandbox sees them (named "sbx") and the
 * kernel's overflow ids (nobody/nogroup, when they differ); nothing of the
 * host's files.  _init reads /proc/sys/kernel/overflow[ug]id (65534 when
 * unreadable); the texts are pure (transfer full); _memfd gives a sealed,
 * rewound memfd holding @text, or -1 with SBX_ERROR_IO. */
typedef struct {
  guint32 uid, gid;                   /* the job's, inside the sandbox */
  guint32 overflow_uid, overflow_gid; /* what unmapped owners read as */
} SbxEtcIds;
SBX_INTERNAL void sbx_etc_ids_init (SbxEtcIds *ids, guint32 uid, guint32 gid);
SBX_INTERNAL char *sbx_etc_passwd_text (const SbxEtcIds *ids, const char *home);
SBX_INTERNAL char *sbx_etc_group_text (const SbxEtcIds *ids);
SBX_INTERNAL int sbx_etc_memfd (const char *name, const char *text, GError **error);

/* ------------------------------------------------------------- sbx-sandbox.c */

struct _SbxSandbox {
  SbxProfile *profile;
  GStrv command;             /* as given */
  SbxProgram *launch;
  SbxProgram *lock;
  char *bwrap_requested;     /* sbx_sandbox_set_bwrap() or NULL */
  char *helper_dir;          /* sbx_sandbox_set_helper_dir() or NULL */
  GStrv host_env;            /* sbx_sandbox_set_environment() or NULL (environ) */
  GPtrArray *extra_files;    /* SbxMount* without fd, from add_ro_file */
  int stdio[3];              /* sbx_sandbox_set_stdio(); -1 = the caller's own */
  gboolean explain;          /* sbx_sandbox_set_explain() */
  SbxEventFunc event_func;
  gpointer event_data;
  SbxProgram *gate_program;  /* what the exec helper installs, or NULL */

  /* filled by prepare */
  gboolean prepared;
  gboolean dry_run;
  SbxBwrapInfo bwrap;
  SbxRuntime runtime;
  GStrv resolved_command;
  char *command_host_path;
  char *tmp_point;
  char *tmp_dir;             /* tmp_point/tmp and tmp_point/shm: /tmp and /dev/shm */
  char *shm_dir;
  GArray *binds;             /* SbxLaunchBind: what the exec'ing process re-homes */
  gboolean as_root;          /* sbx runs as root: the job runs as job_id */
  guint32 job_id;            /* as_root: this sandbox's own host uid and gid (SBX_ROOT_JOB_ID_BASE) */
  GPtrArray *proc_ro;        /* const char*, NULL-terminated: the /proc masks that exist */
  GPtrArray *proc_masked;
  GArray *owned_fds;         /* int: every fd we opened (closed on unref) */
  GArray *inherit_fds;       /* int: the subset bwrap must inherit */
  GPtrArray *argv;           /* char*, NULL-terminated: bwrap --args FD -- COMMAND… */
  GPtrArray *redacted_argv;  /* char*, NULL-terminated: bwrap OPTIONS… -- COMMAND…, kept
                                values as SBX_KEPT_REDACTED */
  int args_fd;               /* the sealed memfd with bwrap's options, NUL-separated */
  GArray *steps;             /* SbxStep: what the argv and the fd description render */
  GStrv envp;                /* environment for bwrap */
  SbxGate *gate;             /* the exec gate, or NULL */

  /* filled by spawn */
  GPid pid;                  /* bwrap, or 0 */
  int pidfd;                 /* pidfd of bwrap, or -1 */
  gboolean reaped;
  gint64 job_cpu_ms;         /* the job's own CPU time, last sampled */
  gboolean gate_hung_up;     /* the gate's listener reported POLLHUP */
};

G_END_DECLS
