/* probe.h — records, verdicts and expectations shared by every probe of
 * sbx-probe (DESIGN §4).  libc only: sbx-probe runs inside the sandbox.
 *
 * A probe is one function, run by the dispatcher in a forked child with
 * stdout connected to a pipe.  It records every attempt it makes with
 * probe_attempt() (one ATTEMPT line: call, arguments in words, return value,
 * errno name), classifies each observation as a leg that held, a leg that was
 * violated, a leg that could not be observed, or a note, and ends with
 * probe_finish(), which writes the one RESULT line:
 *
 *   ATTEMPT <id> <call> <arguments in words> <return value> <errno name or "0">
 *   RESULT  <id> <HOLDS|VIOLATED|UNTESTABLE|ERROR> <one-line summary>
 *
 * Fields are separated by one tab; no field contains a tab or a newline.
 * Records are written with write(2), never through a stdio buffer, so a
 * probe that execs or crashes loses nothing it already recorded.
 *
 * Verdict from the legs: any violated leg → VIOLATED; otherwise any leg
 * that could not be observed → UNTESTABLE; otherwise at least one leg held
 * → HOLDS; nothing observed at all → UNTESTABLE. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* An address no process can map (below vm.mmap_min_addr): a pointer
 * argument the kernel answers with EFAULT. */
#define PROBE_BADPTR ((void *) 16)

/* ------------------------------------------------------------- records */

/* ATTEMPT line with a numeric return value; @err is errno (0: none). */
void probe_attempt (const char *id, const char *call, const char *args, long ret, int err);
/* ATTEMPT line whose "return value" is an observed text (a value read from
 * /proc, a list of names); @err 0 when the read worked. */
void probe_attempt_text (const char *id, const char *call, const char *args,
                         const char *ret, int err);
/* RESULT line.  @verdict: "HOLDS", "VIOLATED", "UNTESTABLE" or "ERROR". */
void probe_result (const char *id, const char *verdict, const char *summary);

/* "EPERM", "ENOENT" …; "0" for 0; "E#<n>" for a number the table lacks. */
const char *probe_errno_name (int err);
/* The number of errno name @name ("EPERM"), or -1. */
int probe_errno_from_name (const char *name);
/* "SIGSEGV", …; "SIG#<n>" for a number the table lacks. */
const char *probe_signal_name (int sig);

/* ------------------------------------------------------ expectations */

/* Reads a key=value file (`#` comments, blank lines ignored, the last of
 * repeated keys wins).  Returns 0, or -1 with a message in @msg. */
int expect_load (const char *path, char *msg, size_t msg_size);
/* The value of @key, or NULL when the file does not set it. */
const char *expect_get (const char *key);
/* 1 when the ;-separated list under @key contains @item exactly. */
int expect_list_has (const char *key, const char *item);
/* Iterates the ;-separated list @list: copies the next non-empty item into
 * @buf and returns 1, 0 at the end.  *@cursor starts at @list. */
int expect_list_next (const char **cursor, char *buf, size_t size);
/* 1 when mode=control. */
int expect_control (void);
/* The profile's errno (errno=, default EPERM). */
int expect_errno (void);
/* The value of @key parsed as a non-negative integer; -1 when absent or
 * not a number. */
long long expect_number (const char *key);
/* Parses a limit: "unlimited" (sets *unlimited), N, Nk, NM, NG (1024-based).
 * Returns 0, or -1 when @text is not a limit. */
int probe_parse_limit (const char *text, unsigned long long *value, int *unlimited);

/* ---------------------------------------------------- a probe's legs */

#define PROBE_TEXT 1200

typedef struct {
  const char *id;
  int n_violated, n_held, n_untestable;
  char violated[PROBE_TEXT];
  char held[PROBE_TEXT];
  char untestable[PROBE_TEXT];
  char notes[PROBE_TEXT];
  int dropped[4];             /* items that did not fit, per list above */
  /* filled by a child leg (probe_run_child) for its parent to read */
  long child_ret;
  int child_err;
  int child_done;
} Probe;

void probe_init (Probe *p, const char *id);
void probe_violated (Probe *p, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
void probe_held (Probe *p, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
void probe_untestable (Probe *p, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
void probe_note (Probe *p, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* Writes the RESULT line from the legs (see the top of this file). */
void probe_finish (Probe *p);

/* A call that the profile's seccomp filter must answer with errno= :
 * records the attempt and classifies it.  A call whose property is the
 * filter itself (PR-SOCK-1, PR-PTRACE-1, PR-EXEC-1, PR-URING-1, PR-TTY-1,
 * PR-ABI-1) passes @decisive=1: ALLOWED and KERNEL then count as violated
 * legs, FILTERED as a held leg.  With @decisive=0 the outcome is only noted.
 * A failure with errno= decides only when errno= differs from what an
 * unfiltered kernel answers to these arguments (@unfiltered: EBADF, EFAULT,
 * EINVAL, ESRCH …; 0 when the call would work unfiltered).  When they are
 * equal the leg is only noted ("cannot attribute") and UNATTRIBUTED is
 * returned, whatever @decisive says. */
typedef enum {
  PROBE_ALLOWED,      /* the call worked */
  PROBE_FILTERED,     /* failed with errno= : only the filter answers that here */
  PROBE_KERNEL,       /* failed with another errno: it reached the kernel */
  PROBE_UNATTRIBUTED, /* failed with errno=, which is also the kernel's own answer */
} ProbeOutcome;
ProbeOutcome probe_filter_leg (Probe *p, int decisive, int unfiltered, const char *call,
                               const char *args, long ret, int err);

/* How a child leg ended. */
typedef struct {
  int reported;   /* the child sent its Probe back (it did not exec or die) */
  int exited;     /* exited normally, with status @code */
  int code;
  int sig;        /* killed by this signal (0: not killed) */
  int timed_out;  /* killed by us after the time budget */
} ProbeChild;

/* Forks; the child runs @fn on its copy of @p and sends that copy back
 * through a close-on-exec pipe, then _exit(0).  The parent waits at most
 * @timeout_ms (then SIGKILL), adopts the child's copy when it came back
 * whole and fills @end.  A child that execs sends nothing: @end->reported
 * is 0 and @end->exited/code tell how the new program ended.
 * Returns 0, or -1 with errno when fork or pipe failed. */
int probe_run_child (Probe *p, void (*fn) (Probe *p, void *arg), void *arg,
                     int timeout_ms, ProbeChild *end);
/* "exit 0", "killed by SIGSYS", "timed out", "reported" in words. */
const char *probe_child_words (const ProbeChild *end, char *buf, size_t size);

/* ------------------------------------------------------------ helpers */

/* Reads at most @size-1 bytes of @path into @buf (NUL-terminated).
 * Returns the byte count, or -1 with errno. */
ssize_t probe_read_file (const char *path, char *buf, size_t size);
/* The value of "Name:" in /proc/self/status (trimmed), or -1 with errno. */
int probe_status_field (const char *name, char *buf, size_t size);
/* probe_status_field() recorded as a "read" attempt of @p; when the field
 * cannot be read, a @decisive field makes the probe untestable.  Returns 0
 * with the value in @buf, or -1. */
int probe_read_status (Probe *p, const char *name, int decisive, char *buf, size_t size);
/* The inode of /proc/self/ns/@name, or 0 with errno. */
unsigned long long probe_ns_inode (const char *name);
/* Opens @path read-only and tells whether its first 64 KiB contain @text:
 * 1 yes, 0 no, -1 could not open/read (errno set).  Records the attempt. */
int probe_file_contains (const char *id, const char *path, const char *text);
/* The "ro"/"rw" per-mount flag of the mount holding @path, per
 * /proc/self/mountinfo: 1 read-only, 0 read-write, -1 unknown (records it). */
int probe_mount_readonly (const char *id, const char *path, char *mnt, size_t mnt_size);

/* ------------------------------------------------------------- probes */

#define PROBE_FN(name) void name (void)
PROBE_FN (probe_pr_net_1);
PROBE_FN (probe_pr_net_2);
PROBE_FN (probe_pr_sock_1);
PROBE_FN (probe_pr_sock_docker);
PROBE_FN (probe_pr_env_1);
PROBE_FN (probe_pr_fs_ro_in);
PROBE_FN (probe_pr_fs_esc_1);
PROBE_FN (probe_pr_fs_esc_2);
PROBE_FN (probe_pr_fs_out_ok);
PROBE_FN (probe_pr_exec_1);
PROBE_FN (probe_pr_mount_1);
PROBE_FN (probe_pr_ptrace_1);
PROBE_FN (probe_pr_cap_1);
PROBE_FN (probe_pr_nnp_1);
PROBE_FN (probe_pr_seccomp_1);
PROBE_FN (probe_pr_ns_1);
PROBE_FN (probe_pr_rlimit_1);
PROBE_FN (probe_pr_abi_1);
PROBE_FN (probe_pr_uring_1);
PROBE_FN (probe_pr_tty_1);
PROBE_FN (probe_pr_tmp_noexec);

/* ------------------------------------------------------ observations */

/* Raw observations for the comparison with the plan, made by sbx attest
 * outside the sandbox (observe.c, sweep.c; probes/README.md).  They record
 * ATTEMPT lines only and decide nothing; in the control run they record
 * nothing, except the sweep (its answers tell the kernel's own errno). */
void observe_mounts (const char *id);
void observe_dev (const char *id);
void observe_environ (const char *id);
void observe_identity (const char *id);
void observe_syscalls (const char *id);

/* fork(2) for probes: the child is killed (PR_SET_PDEATHSIG) when its parent
 * dies, so killing the dispatcher — attest does on a timeout or Ctrl-C —
 * leaves no probe process behind, however deep. */
pid_t probe_fork (void);
