/* sbx-plan.h — what the sandbox should be, and how the observed one
 * differs (DESIGN §4: attest what the job got, not what sbx asked for).
 *
 * Three steps, the middle and last pure:
 *   1. sbx_plan_facts_collect(): what the host says about the argv's
 *      sources (the mount each bind comes from, its flags and file system
 *      type, its submounts; the device nodes bwrap's --dev binds).
 *   2. sbx_plan_new(): the bwrap argument vector sbx built, read the way
 *      bwrap 0.8 carries it out (mounts, their flags, /dev, the
 *      environment, the filters), with those facts → an SbxPlan.
 *   3. sbx_plan_compare(): the plan and what sbx-probe recorded inside
 *      (probes/observe.c, probes/sweep.c) → one line per difference, each
 *      charged to the probe whose property it breaks.
 *
 * Nothing here is hard-coded from sbx's own mount list: a mount another
 * part of sbx adds to the argv becomes part of the plan by itself. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Per-mount flags: 1 set, 0 clear, -1 unknown (not compared). */
typedef struct {
  int ro, nosuid, nodev, noexec;
} SbxPlanFlags;

/* A mount below a bind source on the host (bwrap binds recursively). */
typedef struct {
  char *rel;          /* path below the source, "sub/dir" */
  char *fstype;
  SbxPlanFlags flags;
} SbxPlanSubmount;

/* What the host says about one source of the argv. */
typedef struct {
  char *fstype;       /* NULL: unknown */
  SbxPlanFlags flags; /* of the mount the source sits on */
  char *describe;     /* host path, for messages */
  GPtrArray *submounts; /* SbxPlanSubmount* */
  char *node;         /* device nodes: "char 1:3"; NULL otherwise */
} SbxPlanSource;

typedef struct {
  /* key: a path as the argv names it, or "fd:N" */
  GHashTable *sources;      /* char* → SbxPlanSource* */
  char *args_blob;          /* contents of --args FD (NUL-separated), or NULL */
  gsize args_blob_len;
  gboolean stdout_is_tty;   /* bwrap binds /dev/console then */
} SbxPlanFacts;

typedef struct {
  char *point;
  char *fstype;       /* NULL: any */
  SbxPlanFlags flags;
  gboolean optional;  /* bwrap makes it only when the host allows (its /proc covers) */
  char *what;         /* "--ro-bind-fd 5 /usr", for messages */
} SbxPlanMount;

typedef struct {
  char *name;
  char *digest;       /* "sha256:HEX" of salt ":" NAME "=" VALUE, never the value */
  gboolean any_value; /* bwrap decides it (PWD without --chdir) */
} SbxPlanEnv;

typedef struct {
  char *path;         /* "/dev/null" */
  char *node;         /* "char 1:3", "dir", "symlink /proc/self/fd" */
  gboolean optional;
} SbxPlanDev;

typedef struct {
  GPtrArray *mounts;  /* SbxPlanMount*, in the order bwrap makes them */
  GPtrArray *env;     /* SbxPlanEnv* */
  GPtrArray *dev;     /* SbxPlanDev*; empty when the argv has no --dev */
  gboolean env_cleared;
  int n_argv_filters; /* --seccomp and --add-seccomp-fd */
  char *problem;      /* an option the reader does not know, or NULL */
  /* Identity.  bwrap 0.8 gives the job --uid/--gid (default: its own ids)
   * in a user namespace of its own; with --disable-userns that namespace
   * sits in a second one where bwrap's ids are 0, so the job's maps read
   * "ID 0 1".  job_uid/job_gid, the ids bwrap and the job run as on the
   * host, are not in the argv: the caller sets them
   * (sbx_sandbox_get_job_ids()); -1 unknown. */
  gboolean userns_nested;   /* --disable-userns */
  gint64 uid_in, gid_in;    /* --uid/--gid; -1: not given */
  gint64 job_uid, job_gid;
} SbxPlan;

/* The programs the job runs under, newest first (the lock, then launch). */
typedef struct {
  const guint8 *bytes;
  gsize length;
  const char *name;   /* "lock", "launch" */
} SbxPlanProgram;

typedef struct {
  const SbxPlanProgram *programs;
  gsize n_programs;
  int errno_value;    /* the profile's errno= */
  guint32 audit_arch; /* AUDIT_ARCH_X86_64 … */
} SbxPlanSeccomp;

/* One ATTEMPT record, as both runs printed it. */
typedef struct {
  const char *probe;
  const char *call;
  const char *args;
  const char *ret;
  const char *errno_name;
} SbxPlanSeen;

typedef struct {
  char *probe;        /* the probe whose property the difference breaks */
  char *text;         /* one line: "extra mount /host (ro, from /)" */
} SbxPlanDiff;

/* How many arguments bwrap 0.8's option @name takes; -1 for one it does
 * not have. */
int sbx_plan_option_nargs (const char *name);

/* Step 1.  (transfer full) */
SbxPlanFacts *sbx_plan_facts_collect (const char *const *argv);
/* @argv without argv[0], with the --args FD blob of @facts spliced in where
 * the argv names it: the options as bwrap reads them, NULL-terminated.
 * The strings are borrowed from @argv and @facts. */
GPtrArray *sbx_plan_expand_args (const char *const *argv, const SbxPlanFacts *facts);
void sbx_plan_facts_free (SbxPlanFacts *facts);

/* Step 2, pure.  @salt keys the value digests.  (transfer full) */
SbxPlan *sbx_plan_new (const char *const *argv, const SbxPlanFacts *facts, const char *salt);
void sbx_plan_free (SbxPlan *plan);

/* "sha256:HEX" of @salt ":" @entry ("NAME=VALUE"), as probes/observe.c
 * computes it.  (transfer full) */
char *sbx_plan_env_digest (const char *salt, const char *entry);

/* Step 3, pure.  @sandbox and @control: SbxPlanSeen* of both runs.
 * @n_filters_planned: filters the job should carry (argv's plus the lock
 * when sbx's exec lock installs one).  Returns SbxPlanDiff*; fills
 * *@n_unattributed with the swept numbers whose answer equals the kernel's
 * own (counted, not a difference).  (transfer full) */
GPtrArray *sbx_plan_compare (const SbxPlan *plan, const SbxPlanSeccomp *seccomp,
                             int n_filters_planned, GPtrArray *sandbox, GPtrArray *control,
                             guint *n_unattributed);
void sbx_plan_diff_free (gpointer diff);

/* The identity part of sbx_plan_compare(), alone: host uid/gid 0, the uid
 * and gid maps and the four status ids against the plan (job_uid/job_gid
 * set), pid 1, capabilities and no_new_privs (charged to PR-NS-1, PR-CAP-1,
 * PR-NNP-1).  sbx verify calls it on the recorded observations with the
 * recorded job ids.  Returns SbxPlanDiff*.  (transfer full) */
GPtrArray *sbx_plan_compare_identity (const SbxPlan *plan, GPtrArray *sandbox);

/* The job's uid (@gid: gid) inside its user namespace: --uid/--gid when
 * the argv gives them, else bwrap's default, the job's host id; -1
 * unknown. */
gint64 sbx_plan_id_in (const SbxPlan *plan, gboolean gid);

/* The plan as text lines for the expectations file and the bundle:
 * "mount POINT TYPE ro,nosuid,nodev,exec [optional]", "env NAME DIGEST",
 * "dev PATH NODE", "uid_map IN OUT 1", "gid_map IN OUT 1", "job-ids
 * UID GID" (on the host).  (transfer full) */
GPtrArray *sbx_plan_to_lines (const SbxPlan *plan);

/* The name of the host check that records the comparison for probe @id,
 * or NULL when no difference is ever charged to it. */
const char *sbx_plan_check_name (const char *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxPlan, sbx_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxPlanFacts, sbx_plan_facts_free)

G_END_DECLS
