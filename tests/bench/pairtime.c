/* pairtime — time two commands alternately (A B A B …) and report the
 * median of the per-pair ratios A/B, so that a noisy shared machine still
 * gives a fair comparison (tests/bench/run.sh, `make bench`).
 *
 *   pairtime [OPTIONS] A-ARGV… [--vs B-ARGV…]
 *
 * Each run is fork + execv + waitpid, timed with CLOCK_MONOTONIC from just
 * before fork() to just after waitpid().  Children get stdin and stdout on
 * /dev/null and stderr on a memfd that is shown when a run fails.  Without
 * --vs only A is timed (absolute figures).
 *
 * Side B can be a raw bwrap argv with fd numbers in it (as printed by
 * `sbx run --dry-run`): with --bwrap-fds the B child opens, between fork and
 * exec, what each fd the argv names should carry — the launch program file on
 * the --seccomp fd, an O_PATH fd of the host source on each
 * --ro-bind-fd/--bind-fd, the host file (or --map DEST=HOST) on each
 * --ro-bind-data — and applies --rlimit pairs: the work `sbx run`
 * does, without sbx.  The exec gate: when the command after "--" runs
 * /run/sbx/sbx-exec FD, pairtime makes a SOCK_SEQPACKET socketpair, queues
 * the gate program (--gate FILE, from `sbx compile --gate-bpf`) on it, gives
 * the child its end on FD and plays sbx's half itself: it takes the listener
 * the helper sends back and answers the first exec CONTINUE and every later
 * one EPERM, until the child has exited.  --no-gate queues a one-instruction
 * allow-all program on B's socket instead: the same helpers (sbx-init,
 * sbx-exec, its static exec, a filter with a listener) without the gate.
 * --strip-seccomp / --strip-lock drop the launch program / the helper
 * (/run/sbx/sbx-exec FD) from B's argv (B3's "no seccomp" side).
 * --tmpfs-ns SIZE makes B's /tmp and /dev/shm source a tmpfs mounted noexec
 * in a fresh mount (+user when unprivileged) namespace, like sbx prepares it
 * (used to attribute sbx's cost).  --bwrap-fds-both replays A's argv the
 * same way (--tmpfs-ns, --no-gate and --strip-* still apply to B only): e.g.
 * the cost of the gate alone.
 *
 * With --metric the figure of a run is not its wall time but the number the
 * child printed last on stdout (after its last '='), e.g. ns per syscall from
 * bench-syscall (B3); lower is still "faster".
 *
 * Output: key=value lines on stdout: unit (ms or metric), pairs,
 * a_median/a_min/a_max, and with --vs b_*, ratio_* (per-pair A/B) and diff_*
 * (per-pair A-B).  Exit 0, or 1 when a run failed (its stderr is printed; any
 * status but --expect-status N, default 0, is a failure; --any-status accepts
 * all; a failed pair is run again up to --retries times in a row, default 2,
 * and "retries" counts them), 2 on usage errors.  Libc only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sbx-scm-rights.h"

#define MAX_ITEMS 64

typedef struct {
  char **argv;
  int argc;
  const char *label;
  int errfd;         /* memfd catching the child's stderr */
  int outfd;         /* memfd catching its stdout (--metric) */
  double *times;     /* ms, one per recorded run */
  int failures;
  int gate_fdnum;    /* FD of "/run/sbx/sbx-exec FD" in the replayed argv, or -1 */
} Side;

static struct {
  int pairs, warmup, expect_status;
  bool bwrap_fds, bwrap_fds_both, strip_seccomp, strip_lock, no_gate, metric, any_status;
  const char *launch_file, *gate_file, *helper_dir, *tmpfs_size;
  char *gate_program;
  size_t gate_length;
  const char *map_dest[MAX_ITEMS], *map_host[MAX_ITEMS];
  int n_maps;
  int rl_res[MAX_ITEMS];
  unsigned long long rl_val[MAX_ITEMS];
  int n_rl;
  int retries;
} opt = { .pairs = 30, .warmup = 3, .retries = 2 };

static void
die (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  fputs ("pairtime: ", stderr);
  vfprintf (stderr, fmt, ap);
  fputc ('\n', stderr);
  va_end (ap);
  exit (2);
}

static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ------------------------------------------------- child-side fd set-up */

/* The child's end of the gate socket (set in the child before set-up). */
static int child_gate_sock = -1;

static void
child_fail (const char *what, const char *arg)
{
  dprintf (2, "pairtime child: %s %s: %s\n", what, arg ? arg : "", strerror (errno));
  _exit (125);
}

static void
write_file (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write (fd, text, strlen (text)) != (ssize_t) strlen (text))
    child_fail ("write", path);
  close (fd);
}

/* A noexec,nosuid,nodev tmpfs in a namespace of our own, like sbx's /tmp. */
static const char *
prepare_tmpfs (void)
{
  static const char *const points[] = { "/dev/shm", "/var/tmp", "/mnt", "/tmp" };
  uid_t uid = getuid ();
  gid_t gid = getgid ();
  char buf[64], data[64];
  const char *point = NULL;

  if (geteuid () == 0)
    {
      if (unshare (CLONE_NEWNS) < 0)
        child_fail ("unshare", "CLONE_NEWNS");
    }
  else
    {
      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) < 0)
        child_fail ("unshare", "CLONE_NEWUSER|CLONE_NEWNS");
      snprintf (buf, sizeof buf, "%u %u 1", (unsigned) uid, (unsigned) uid);
      write_file ("/proc/self/uid_map", buf);
      write_file ("/proc/self/setgroups", "deny");
      snprintf (buf, sizeof buf, "%u %u 1", (unsigned) gid, (unsigned) gid);
      write_file ("/proc/self/gid_map", buf);
    }
  if (mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
    child_fail ("mount", "/ rslave");
  for (size_t i = 0; i < sizeof points / sizeof points[0]; i++)
    {
      struct stat st;
      if (stat (points[i], &st) == 0 && S_ISDIR (st.st_mode))
        {
          point = points[i];
          break;
        }
    }
  if (point == NULL)
    child_fail ("no mount point for the tmpfs", NULL);
  snprintf (data, sizeof data, "size=%s,mode=1777", opt.tmpfs_size);
  if (mount ("tmpfs", point, "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, data) < 0)
    child_fail ("mount tmpfs on", point);
  return point;
}

static const char *
host_path_for (const char *dest)
{
  static char buf[4096];

  for (int i = 0; i < opt.n_maps; i++)
    if (strcmp (opt.map_dest[i], dest) == 0)
      return opt.map_host[i];
  if (strncmp (dest, "/run/sbx/", 9) == 0 && opt.helper_dir != NULL)
    {
      snprintf (buf, sizeof buf, "%s/%s", opt.helper_dir, dest + 9);
      return buf;
    }
  return dest;   /* system paths are bound at their host path */
}

/* How many arguments a bwrap option takes (bwrap 0.8's set). */
static int
bwrap_nargs (const char *o)
{
  static const char *const one[] = {
    "--args", "--userns", "--userns2", "--pidns", "--chdir", "--unsetenv", "--lock-file",
    "--sync-fd", "--remount-ro", "--exec-label", "--file-label", "--proc", "--dev", "--tmpfs",
    "--mqueue", "--dir", "--seccomp", "--add-seccomp-fd", "--info-fd", "--json-status-fd",
    "--block-fd", "--userns-block-fd", "--hostname", "--uid", "--gid", "--cap-add",
    "--cap-drop", "--perms", "--size", "--argv0", NULL };
  static const char *const two[] = {
    "--setenv", "--bind", "--bind-try", "--dev-bind", "--dev-bind-try", "--ro-bind",
    "--ro-bind-try", "--bind-fd", "--ro-bind-fd", "--file", "--bind-data", "--ro-bind-data",
    "--symlink", "--chmod", NULL };
  for (int i = 0; one[i]; i++)
    if (strcmp (o, one[i]) == 0)
      return 1;
  for (int i = 0; two[i]; i++)
    if (strcmp (o, two[i]) == 0)
      return 2;
  return 0;
}

/* Runs in the B child: opens what the argv's fd numbers name, edits the argv
 * for --strip-*, and returns the argv to exec. */
static char **
setup_bwrap_fds (char **argv, int argc, bool is_b)
{
  char **out = calloc (argc + 1, sizeof *out);
  int target[MAX_ITEMS], src[MAX_ITEMS], n = 0, k = 0;
  const char *tmp_point = NULL;

  if (out == NULL)
    child_fail ("calloc", NULL);
  out[k++] = argv[0];   /* the bwrap binary */
  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i];
      const char *path = NULL;
      int flags = O_RDONLY, fdnum = -1, nargs = 0;

      if (strcmp (a, "--") == 0)
        {
          while (i < argc)
            {
              size_t len = strlen (argv[i]);
              if (len >= 9 && strcmp (argv[i] + len - 9, "/sbx-exec") == 0 && i + 1 < argc)
                {
                  if (opt.strip_lock && is_b)
                    {
                      i += 2;
                      continue;
                    }
                  if (child_gate_sock < 0)
                    {
                      errno = EINVAL;
                      child_fail ("no gate socket for", argv[i]);
                    }
                  if (n == MAX_ITEMS)
                    child_fail ("too many fds", NULL);
                  src[n] = child_gate_sock;
                  target[n++] = atoi (argv[i + 1]);
                }
              out[k++] = argv[i++];
            }
          break;
        }
      if ((strcmp (a, "--seccomp") == 0 || strcmp (a, "--add-seccomp-fd") == 0) && i + 1 < argc)
        {
          if (opt.strip_seccomp && is_b)
            {
              i += 1;
              continue;
            }
          fdnum = atoi (argv[i + 1]);
          path = opt.launch_file;
          nargs = 1;
          if (path == NULL)
            child_fail ("--launch FILE needed for", a);
        }
      else if ((strcmp (a, "--ro-bind-fd") == 0 || strcmp (a, "--bind-fd") == 0) && i + 2 < argc)
        {
          fdnum = atoi (argv[i + 1]);
          if ((strcmp (argv[i + 2], "/tmp") == 0 || strcmp (argv[i + 2], "/dev/shm") == 0)
              && opt.tmpfs_size != NULL && is_b)
            path = tmp_point = tmp_point != NULL ? tmp_point : prepare_tmpfs ();
          else
            path = host_path_for (argv[i + 2]);
          flags = O_PATH | O_NOFOLLOW;
          nargs = 2;
        }
      else if (strcmp (a, "--ro-bind-data") == 0 && i + 2 < argc)
        {
          /* generated files (/etc/passwd, /etc/group): the host file at
           * --map DEST=HOST or at DEST itself, read by bwrap from the fd */
          fdnum = atoi (argv[i + 1]);
          path = host_path_for (argv[i + 2]);
          nargs = 2;
        }
      else if (strcmp (a, "--args") == 0 || strcmp (a, "--file") == 0
               || strcmp (a, "--bind-data") == 0
               || strcmp (a, "--userns") == 0 || strcmp (a, "--sync-fd") == 0
               || strcmp (a, "--block-fd") == 0 || strcmp (a, "--info-fd") == 0
               || strcmp (a, "--json-status-fd") == 0 || strcmp (a, "--seccomp-fd") == 0)
        {
          errno = ENOTSUP;
          child_fail ("option not supported by --bwrap-fds:", a);
        }
      else
        nargs = bwrap_nargs (a);
      if (i + nargs >= argc)
        {
          errno = EINVAL;
          child_fail ("option lacks its arguments:", a);
        }
      if (fdnum >= 0)
        {
          if (n == MAX_ITEMS)
            child_fail ("too many fds", NULL);
          src[n] = open (path, flags);
          if (src[n] < 0)
            child_fail ("open", path);
          /* Park above every target so later dup2()s cannot clobber it. */
          int high = fcntl (src[n], F_DUPFD, 200);
          if (high < 0)
            child_fail ("F_DUPFD", path);
          close (src[n]);
          src[n] = high;
          target[n++] = fdnum;
        }
      for (int j = 0; j <= nargs; j++)
        out[k++] = argv[i + j];
      i += nargs;
    }
  out[k] = NULL;
  (void) tmp_point;
  for (int j = 0; j < n; j++)
    if (dup2 (src[j], target[j]) < 0)
      child_fail ("dup2", NULL);
  for (int j = 0; j < n; j++)
    close (src[j]);
  for (int j = 0; j < opt.n_rl; j++)
    {
      struct rlimit rl = { opt.rl_val[j], opt.rl_val[j] };
      if (setrlimit (opt.rl_res[j], &rl) < 0)
        child_fail ("setrlimit", NULL);
    }
  return out;
}

/* ------------------------------------------------ the gate, sbx's half */

/* Whether this run of side @s gets a gate socket, and with which program. */
static bool
gate_program_for (const Side *s, bool is_b, const char **bytes, size_t *length)
{
  static const struct sock_filter allow = BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

  if (s->gate_fdnum < 0 || !((is_b && opt.bwrap_fds) || opt.bwrap_fds_both))
    return false;
  if (is_b && opt.strip_lock)
    return false;
  if (is_b && opt.no_gate)
    {
      *bytes = (const char *) &allow;
      *length = sizeof allow;
      return true;
    }
  if (opt.gate_program == NULL)
    die ("the replayed argv runs the exec gate helper: --gate FILE (sbx compile --gate-bpf) or --no-gate needed");
  *bytes = opt.gate_program;
  *length = opt.gate_length;
  return true;
}

/* sbx's half of the gate until child @pid has exited: the first exec
 * continues, every later one gets EPERM (what `sbx run` does). */
static void
serve_gate (pid_t pid, int sock)
{
  int pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
  int listener = -1;
  bool exec_used = false;
  union {
    struct seccomp_notif req;
    char pad[256];
  } req;
  union {
    struct seccomp_notif_resp resp;
    char pad[256];
  } resp;

  if (pidfd < 0)
    die ("pidfd_open: %s", strerror (errno));
  for (;;)
    {
      struct pollfd p[2] = {
        { .fd = pidfd, .events = POLLIN },
        { .fd = listener >= 0 ? listener : sock, .events = POLLIN },
      };
      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll: %s", strerror (errno));
        }
      if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          if (listener < 0 && sock >= 0)
            {
              listener = sbx_scm_recv_fd (sock);
              if (listener < 0)
                sock = -1;   /* no listener: nothing more to serve */
            }
          else if (listener >= 0 && (p[1].revents & POLLIN))
            {
              memset (&req, 0, sizeof req);
              if (ioctl (listener, SECCOMP_IOCTL_NOTIF_RECV, &req.req) == 0)
                {
                  memset (&resp, 0, sizeof resp);
                  resp.resp.id = req.req.id;
                  if (!exec_used)
                    resp.resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
                  else
                    resp.resp.error = -EPERM;
                  exec_used = true;
                  ioctl (listener, SECCOMP_IOCTL_NOTIF_SEND, &resp.resp);
                }
            }
          else if (listener >= 0)
            {
              close (listener);   /* POLLHUP: every task under the filter is gone */
              listener = -2;
              sock = -1;
            }
        }
      if (p[0].revents & POLLIN)
        break;
    }
  if (listener >= 0)
    close (listener);
  close (pidfd);
}

/* ---------------------------------------------------------- timing runs */

/* The number after the last '=' of the child's stdout; -1 if none. */
static double
read_metric (Side *s)
{
  char buf[4096];
  ssize_t n = pread (s->outfd, buf, sizeof buf - 1, 0);
  char *eq, *end;
  double v;

  if (n <= 0)
    return -1;
  buf[n] = '\0';
  eq = strrchr (buf, '=');
  v = strtod (eq ? eq + 1 : buf, &end);
  return end == (eq ? eq + 1 : buf) ? -1 : v;
}

static double
run_once (Side *s, bool is_b, int *status_out)
{
  double t0, t1;
  int status, pair[2] = { -1, -1 };
  pid_t pid;
  const char *gate_bytes = NULL;
  size_t gate_length = 0;
  bool gate = gate_program_for (s, is_b, &gate_bytes, &gate_length);

  if (lseek (s->errfd, 0, SEEK_SET) < 0 || ftruncate (s->errfd, 0) < 0
      || lseek (s->outfd, 0, SEEK_SET) < 0 || ftruncate (s->outfd, 0) < 0)
    die ("memfd: %s", strerror (errno));
  t0 = now_ms ();
  if (gate)
    {
      if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
        die ("socketpair: %s", strerror (errno));
      if (send (pair[0], gate_bytes, gate_length, MSG_NOSIGNAL) != (ssize_t) gate_length)
        die ("queueing the gate program: %s", strerror (errno));
    }
  pid = fork ();
  if (pid < 0)
    die ("fork: %s", strerror (errno));
  if (pid == 0)
    {
      char **argv = s->argv;
      int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      if (null < 0 || dup2 (null, 0) < 0 || dup2 (opt.metric ? s->outfd : null, 1) < 0
          || dup2 (s->errfd, 2) < 0)
        _exit (125);
      if (gate && (child_gate_sock = fcntl (pair[1], F_DUPFD, 200)) < 0)
        child_fail ("F_DUPFD", "gate socket");
      if ((is_b && opt.bwrap_fds) || opt.bwrap_fds_both)
        argv = setup_bwrap_fds (s->argv, s->argc, is_b);
      execv (argv[0], argv);
      dprintf (2, "pairtime child: execv %s: %s\n", argv[0], strerror (errno));
      _exit (127);
    }
  if (gate)
    {
      close (pair[1]);
      serve_gate (pid, pair[0]);
      close (pair[0]);
    }
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      die ("waitpid: %s", strerror (errno));
  t1 = now_ms ();
  /* Orphans of the run (bwrap's sandbox pid 1 outlives bwrap's monitor by a
   * moment) are reparented to us, the subreaper, and reaped here, untimed:
   * left to a lazy init they would pile up as zombies and, with the
   * profile's RLIMIT_NPROC, make later runs fail with EAGAIN. */
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
  *status_out = status;
  if (opt.metric)
    return read_metric (s);
  return t1 - t0;
}

static bool
check_status (Side *s, int status)
{
  char buf[2048];
  ssize_t n;

  if (WIFEXITED (status) && (opt.any_status || WEXITSTATUS (status) == opt.expect_status))
    return true;
  s->failures++;
  if (s->failures == 1)
    {
      if (WIFEXITED (status))
        fprintf (stderr, "pairtime: %s exited %d (expected %d); its stderr:\n", s->label,
                 WEXITSTATUS (status), opt.expect_status);
      else
        fprintf (stderr, "pairtime: %s killed by signal %d; its stderr:\n", s->label,
                 WTERMSIG (status));
      if (lseek (s->errfd, 0, SEEK_SET) == 0)
        while ((n = read (s->errfd, buf, sizeof buf)) > 0)
          fwrite (buf, 1, n, stderr);
    }
  return false;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
stats (const char *prefix, const double *v, int n)
{
  double *c = malloc (n * sizeof *c);
  double med;

  memcpy (c, v, n * sizeof *c);
  qsort (c, n, sizeof *c, cmp_double);
  med = (n % 2) ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  printf ("%s_median=%.4f\n%s_min=%.4f\n%s_max=%.4f\n", prefix, med, prefix, c[0], prefix, c[n - 1]);
  free (c);
}

/* FD of "/run/sbx/sbx-exec FD" after "--" in @argv, or -1. */
static int
gate_fdnum_of (char **argv, int argc)
{
  int i = 0;

  while (i < argc && strcmp (argv[i], "--") != 0)
    i++;
  for (; i + 1 < argc; i++)
    {
      size_t len = strlen (argv[i]);
      if (len >= 9 && strcmp (argv[i] + len - 9, "/sbx-exec") == 0)
        return atoi (argv[i + 1]);
    }
  return -1;
}

static void
usage (void)
{
  fputs ("usage: pairtime [-n PAIRS] [-w WARMUP] [--retries N] [--expect-status N | --any-status]\n"
         "                [--metric]\n"
         "                [--bwrap-fds|--bwrap-fds-both [--launch F] [--gate F] [--helper-dir D]\n"
         "                 [--map DEST=HOST]… [--rlimit RES=VALUE]… [--tmpfs-ns SIZE]\n"
         "                 [--no-gate] [--strip-seccomp] [--strip-lock]]\n"
         "                [--label-a L] [--label-b L] A-ARGV… [--vs B-ARGV…]\n", stderr);
  exit (2);
}

int
main (int argc, char **argv)
{
  Side a = { .label = "A" }, b = { .label = "B" };
  bool have_b = false;
  int i, retries = 0;

  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      const char *o = argv[i];
      const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
      bool takes = true;

      if (strcmp (o, "-n") == 0 && v) opt.pairs = atoi (v);
      else if (strcmp (o, "-w") == 0 && v) opt.warmup = atoi (v);
      else if (strcmp (o, "--expect-status") == 0 && v) opt.expect_status = atoi (v);
      else if (strcmp (o, "--retries") == 0 && v) opt.retries = atoi (v);
      else if (strcmp (o, "--launch") == 0 && v) opt.launch_file = v;
      else if (strcmp (o, "--gate") == 0 && v) opt.gate_file = v;
      else if (strcmp (o, "--helper-dir") == 0 && v) opt.helper_dir = v;
      else if (strcmp (o, "--tmpfs-ns") == 0 && v) opt.tmpfs_size = v;
      else if (strcmp (o, "--label-a") == 0 && v) a.label = v;
      else if (strcmp (o, "--label-b") == 0 && v) b.label = v;
      else if (strcmp (o, "--map") == 0 && v && strchr (v, '=') && opt.n_maps < MAX_ITEMS)
        {
          char *d = strdup (v), *eq = strchr (d, '=');
          *eq = '\0';
          opt.map_dest[opt.n_maps] = d;
          opt.map_host[opt.n_maps++] = eq + 1;
        }
      else if (strcmp (o, "--rlimit") == 0 && v && strchr (v, '=') && opt.n_rl < MAX_ITEMS)
        {
          opt.rl_res[opt.n_rl] = atoi (v);
          opt.rl_val[opt.n_rl++] = strtoull (strchr (v, '=') + 1, NULL, 10);
        }
      else
        {
          takes = false;
          if (strcmp (o, "--bwrap-fds") == 0) opt.bwrap_fds = true;
          else if (strcmp (o, "--bwrap-fds-both") == 0) opt.bwrap_fds = opt.bwrap_fds_both = true;
          else if (strcmp (o, "--strip-seccomp") == 0) opt.strip_seccomp = true;
          else if (strcmp (o, "--strip-lock") == 0) opt.strip_lock = true;
          else if (strcmp (o, "--no-gate") == 0) opt.no_gate = true;
          else if (strcmp (o, "--metric") == 0) opt.metric = true;
          else if (strcmp (o, "--any-status") == 0) opt.any_status = true;
          else if (strcmp (o, "--") == 0) { i++; break; }
          else usage ();
        }
      if (takes)
        i++;
    }
  if (i >= argc || opt.pairs < 1 || opt.warmup < 0)
    usage ();
  a.argv = argv + i;
  for (; i < argc; i++)
    if (strcmp (argv[i], "--vs") == 0)
      {
        argv[i] = NULL;
        have_b = true;
        b.argv = argv + i + 1;
        b.argc = argc - i - 1;
        break;
      }
  a.argc = (int) ((have_b ? (b.argv - 1) : (argv + argc)) - a.argv);
  if (a.argc < 1 || (have_b && b.argc < 1))
    usage ();
  a.gate_fdnum = gate_fdnum_of (a.argv, a.argc);
  b.gate_fdnum = have_b ? gate_fdnum_of (b.argv, b.argc) : -1;
  if (opt.gate_file != NULL)
    {
      static char buf[65536];
      int fd = open (opt.gate_file, O_RDONLY | O_CLOEXEC);
      ssize_t n = fd < 0 ? -1 : read (fd, buf, sizeof buf);
      if (n <= 0 || n % (ssize_t) sizeof (struct sock_filter) != 0)
        die ("--gate %s: cannot read a seccomp program", opt.gate_file);
      opt.gate_program = buf;
      opt.gate_length = (size_t) n;
      close (fd);
    }

  if (prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    die ("PR_SET_CHILD_SUBREAPER: %s", strerror (errno));
  a.errfd = memfd_create ("pairtime-a", MFD_CLOEXEC);
  b.errfd = memfd_create ("pairtime-b", MFD_CLOEXEC);
  a.outfd = memfd_create ("pairtime-a-out", MFD_CLOEXEC);
  b.outfd = memfd_create ("pairtime-b-out", MFD_CLOEXEC);
  a.times = calloc (opt.pairs, sizeof (double));
  b.times = calloc (opt.pairs, sizeof (double));
  if (a.errfd < 0 || b.errfd < 0 || a.outfd < 0 || b.outfd < 0 || a.times == NULL || b.times == NULL)
    die ("set-up: %s", strerror (errno));

  for (int r = 0, tries = 0; r < opt.warmup + opt.pairs; r++)
    {
      int st;
      double ta = run_once (&a, false, &st);
      bool ok = check_status (&a, st);
      double tb = 0;
      if (have_b)
        {
          tb = run_once (&b, true, &st);
          ok = check_status (&b, st) && ok;
        }
      if (ok && opt.metric && (ta < 0 || (have_b && tb < 0)))
        {
          fprintf (stderr, "pairtime: --metric: a child printed no number\n");
          ok = false;
        }
      if (!ok)
        {
          /* A pair whose run failed is run again (a transient EAGAIN from
           * RLIMIT_NPROC while other jobs of the same user run, say), at
           * most --retries times in a row; the count is reported. */
          if (++tries > opt.retries)
            {
              printf ("error=run %d failed %d times in a row\n", r, tries);
              return 1;
            }
          retries++;
          r--;
          continue;
        }
      tries = 0;
      if (r >= opt.warmup)
        {
          a.times[r - opt.warmup] = ta;
          b.times[r - opt.warmup] = tb;
        }
    }

  printf ("unit=%s\npairs=%d\nwarmup=%d\nretries=%d\n", opt.metric ? "metric" : "ms", opt.pairs,
          opt.warmup, retries);
  stats ("a", a.times, opt.pairs);
  if (have_b)
    {
      double *ratio = calloc (opt.pairs, sizeof (double));
      double *diff = calloc (opt.pairs, sizeof (double));
      stats ("b", b.times, opt.pairs);
      for (int r = 0; r < opt.pairs; r++)
        {
          ratio[r] = a.times[r] / b.times[r];
          diff[r] = a.times[r] - b.times[r];
        }
      stats ("ratio", ratio, opt.pairs);
      stats ("diff", diff, opt.pairs);
    }
  return 0;
}
