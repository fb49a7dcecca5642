/* sbx-gate.c — sbx's half of the exec gate (DESIGN.md §2).
 *
 * sbx and the in-sandbox helper (exec/sbx-exec.c) share a SOCK_SEQPACKET
 * socketpair.  Before bwrap starts, sbx queues the gate program on it; the
 * helper installs that program with SECCOMP_FILTER_FLAG_NEW_LISTENER and
 * sends the listener back (SCM_RIGHTS).  From then on every execve/execveat
 * of the job and its descendants waits for sbx's answer:
 *
 *   - the first one is the helper's exec of the job: it continues
 *     (SECCOMP_USER_NOTIF_FLAG_CONTINUE).  Only the helper runs under the
 *     gate program at that point, and it is single-threaded, so no other
 *     thread can be the one asking;
 *   - every later one gets the profile's errno and is reported once per
 *     distinct path.  The path is read from /proc/PID/mem for the message
 *     only (the caller may change it at will: it never decides anything),
 *     and the notification is checked to be still alive after the read.
 *
 * Under --explain (SBX_COMPILE_EXPLAIN) every other refusal notifies too:
 * sbx answers the same errno and reports the call and the rule
 * (sbx-explain.c).  If sbx dies, the kernel answers each notifying call
 * ENOSYS: still refused.
 */
#include "config.h"

#include "sbx-sandbox-private.h"
#include "sbx-scm-rights.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Distinct refusals reported per run; then one last line says so. */
#define MAX_REPORTED 256
#define MAX_PATH_READ 4096

struct _SbxGate {
  SbxProfile *profile;
  SbxCompileFlags flags;
  int sock;            /* our end, until the listener arrives */
  int child_sock;      /* the helper's end, inherited through bwrap */
  int listener;        /* the seccomp listener, or -1 */
  gboolean exec_used;  /* the helper's one exec went through */
  pid_t job_pid;       /* who made it: the job, in our pid namespace */
  GHashTable *seen;    /* "call\nrule" already reported */
  gboolean overflow;   /* MAX_REPORTED reached and said */
  SbxEventFunc func;
  gpointer user_data;
  struct seccomp_notif_sizes sizes;
};

SbxGate *
sbx_gate_new (SbxProfile *profile, SbxCompileFlags flags, GError **error)
{
  g_autoptr(SbxGate) gate = g_new0 (SbxGate, 1);
  int pair[2];

  gate->profile = sbx_profile_ref (profile);
  gate->flags = flags;
  gate->sock = gate->child_sock = gate->listener = -1;
  gate->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_LOCK, errno, "exec gate: socketpair");
      return NULL;
    }
  gate->sock = pair[0];
  gate->child_sock = pair[1];
  return g_steal_pointer (&gate);
}

void
sbx_gate_free (SbxGate *gate)
{
  if (gate == NULL)
    return;
  if (gate->sock >= 0)
    close (gate->sock);
  if (gate->child_sock >= 0)
    close (gate->child_sock);
  if (gate->listener >= 0)
    close (gate->listener);
  g_hash_table_unref (gate->seen);
  sbx_profile_unref (gate->profile);
  g_free (gate);
}

int
sbx_gate_get_child_fd (SbxGate *gate)
{
  return gate->child_sock;
}

int
sbx_gate_get_listener (SbxGate *gate)
{
  return gate->listener;
}

pid_t
sbx_gate_get_job_pid (SbxGate *gate)
{
  return gate->job_pid;
}

void
sbx_gate_set_event_func (SbxGate *gate, SbxEventFunc func, gpointer user_data)
{
  gate->func = func;
  gate->user_data = user_data;
}

gboolean
sbx_gate_queue_program (SbxGate *gate, SbxProgram *program, GError **error)
{
  gsize length;
  const guint8 *bytes = sbx_program_get_bytes (program, &length);
  ssize_t n;

  do
    n = send (gate->sock, bytes, length, MSG_NOSIGNAL | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t) length)
    {
      sbx_set_errno_error (error, SBX_ERROR_LOCK, n < 0 ? errno : EMSGSIZE,
                           "exec gate: cannot queue the gate program");
      return FALSE;
    }
  return TRUE;
}

void
sbx_gate_close_child_end (SbxGate *gate)
{
  if (gate->child_sock >= 0)
    close (gate->child_sock);
  gate->child_sock = -1;
}

/* TRUE when @fd is a seccomp listener (anon_inode:seccomp notify). */
static gboolean
is_listener (int fd)
{
  char path[64];
  g_autofree char *target = NULL;

  g_snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  target = g_file_read_link (path, NULL);
  return target != NULL && strcmp (target, "anon_inode:seccomp notify") == 0;
}

gboolean
sbx_gate_take_listener (SbxGate *gate, GError **error)
{
  int fd;

  /* Blocks until the helper sends, or until every holder of its end is
   * gone (bwrap failed, the helper died): then there is no fd. */
  fd = sbx_scm_recv_fd (gate->sock);
  close (gate->sock);
  gate->sock = -1;
  if (fd < 0 || !is_listener (fd))
    {
      if (fd >= 0)
        close (fd);
      g_set_error (error, SBX_ERROR, SBX_ERROR_LOCK, "the sandbox ended before the exec gate was "
                   "in place (the helper " SBX_SANDBOX_HELPER_DIR "/" SBX_EXEC_HELPER_NAME
                   " did not hand over its listener)");
      return FALSE;
    }
  gate->listener = fd;
  if (syscall (SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &gate->sizes) != 0)
    {
      sbx_set_errno_error (error, SBX_ERROR_LOCK, errno, "exec gate: SECCOMP_GET_NOTIF_SIZES");
      return FALSE;
    }
  return TRUE;
}

/* The NUL-terminated string at @addr in process @pid, or NULL. */
static char *
read_string (pid_t pid, guint64 addr)
{
  char path[64];
  g_autoptr(GString) out = g_string_new (NULL);
  int fd;

  g_snprintf (path, sizeof path, "/proc/%d/mem", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  while (out->len < MAX_PATH_READ)
    {
      char buf[256];
      /* up to the next 256-byte boundary: never across an unmapped page */
      gsize want = sizeof buf - (addr + out->len) % sizeof buf;
      ssize_t n = pread (fd, buf, want, (off_t) (addr + out->len));
      char *nul;

      if (n <= 0)
        break;
      nul = memchr (buf, '\0', n);
      g_string_append_len (out, buf, nul != NULL ? nul - buf : n);
      if (nul != NULL)
        {
          close (fd);
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
    }
  close (fd);
  return NULL;
}

/* "execve(\"/usr/bin/sort\")" for the message; the read is checked to
 * belong to the still-waiting call. */
static char *
describe_exec (SbxGate *gate, const struct seccomp_notif *req, gboolean at)
{
  g_autofree char *path = read_string (req->pid, req->data.args[at ? 1 : 0]);
  g_autofree char *escaped = NULL;
  g_autofree char *quoted = NULL;
  guint64 id = req->id;

  if (ioctl (gate->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) != 0)
    return NULL; /* the caller is gone: what we read may be anyone's */
  escaped = path != NULL ? g_strescape (path, NULL) : NULL;
  quoted = escaped != NULL ? g_strdup_printf ("\"%s\"", escaped) : g_strdup ("?");
  if (at)
    {
      int dirfd = (int) req->data.args[0];

      if (dirfd == AT_FDCWD)
        return g_strdup_printf ("execveat(AT_FDCWD, %s)", quoted);
      return g_strdup_printf ("execveat(%d, %s)", dirfd, quoted);
    }
  return g_strdup_printf ("execve(%s)", quoted);
}

static void
report (SbxGate *gate, const char *call, const char *rule, int errno_value)
{
  g_autofree char *key = g_strconcat (call, "\n", rule, NULL);
  SbxEvent event = { SBX_EVENT_REFUSED, call, rule, errno_value };

  if (gate->func == NULL || g_hash_table_contains (gate->seen, key))
    return;
  if (g_hash_table_size (gate->seen) >= MAX_REPORTED)
    {
      if (!gate->overflow)
        {
          event.call = "…";
          event.rule = "more distinct refusals than sbx reports; the rest are not shown";
          gate->func (&event, gate->user_data);
        }
      gate->overflow = TRUE;
      return;
    }
  g_hash_table_add (gate->seen, g_steal_pointer (&key));
  gate->func (&event, gate->user_data);
}

static gboolean
respond (SbxGate *gate, struct seccomp_notif_resp *resp, GError **error)
{
  if (ioctl (gate->listener, SECCOMP_IOCTL_NOTIF_SEND, resp) == 0)
    return TRUE;
  /* ENOENT: the caller was interrupted by a signal or died meanwhile. */
  if (errno == ENOENT)
    return TRUE;
  sbx_set_errno_error (error, SBX_ERROR_LOCK, errno, "exec gate: SECCOMP_IOCTL_NOTIF_SEND");
  return FALSE;
}

gboolean
sbx_gate_dispatch (SbxGate *gate, GError **error)
{
  g_autofree struct seccomp_notif *req = NULL;

  if (gate->listener < 0)
    return TRUE;
  req = g_malloc0 (MAX (sizeof *req, gate->sizes.seccomp_notif));
  if (ioctl (gate->listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0)
    {
      /* ENOENT: the caller went away before we read it. */
      if (errno == EINTR || errno == ENOENT)
        return TRUE;
      sbx_set_errno_error (error, SBX_ERROR_LOCK, errno, "exec gate: SECCOMP_IOCTL_NOTIF_RECV");
      return FALSE;
    }
  return sbx_gate_answer (gate, req, error);
}

/* Answers @req, received from the listener; split from the receive so a
 * test can make the caller go away in between (the NOTIF_ID_VALID
 * re-check in describe_exec). */
gboolean
sbx_gate_answer (SbxGate *gate, const struct seccomp_notif *req, GError **error)
{
  g_autofree struct seccomp_notif_resp *resp = NULL;
  int errno_value = sbx_profile_get_errno (gate->profile);
  int nr_execve = seccomp_syscall_resolve_name ("execve");
  int nr_execveat = seccomp_syscall_resolve_name ("execveat");
  gboolean is_exec;

  resp = g_malloc0 (MAX (sizeof *resp, gate->sizes.seccomp_notif_resp));
  resp->id = req->id;
  is_exec = req->data.nr == nr_execve || req->data.nr == nr_execveat;
  if (is_exec && !gate->exec_used)
    {
      gate->exec_used = TRUE;
      gate->job_pid = (pid_t) req->pid;
      resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      return respond (gate, resp, error);
    }
  resp->error = -errno_value;
  if (gate->func != NULL)
    {
      g_autofree char *call = NULL;
      const char *rule;

      /* Only the gate program notifies an exec: any exec here is the lock's. */
      if (is_exec)
        {
          call = describe_exec (gate, req, req->data.nr == nr_execveat);
          rule = "exec lock ([seccomp] exec-lock, see sbx(1))";
        }
      else
        {
          call = sbx_explain_call (&req->data);
          rule = sbx_explain_rule (gate->profile, &req->data);
        }
      if (call != NULL)
        report (gate, call, rule, errno_value);
    }
  return respond (gate, resp, error);
}
