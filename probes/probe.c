/* probe.c — records, expectations and child legs for sbx-probe (probe.h). */
#include "config.h"

#include "probe.h"
#include "sbx-errnos.h"

#include <sys/prctl.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------- records */

/* Copies @src into @dst making it one field: tabs, newlines and other
 * control characters become spaces, so a field never splits a record. */
static size_t
put_field (char *dst, size_t room, const char *src)
{
  size_t n = 0;
  if (!src || !*src)
    src = "-";
  for (; *src && n + 1 < room; src++, n++)
    dst[n] = ((unsigned char) *src < 0x20 || *src == 0x7f) ? ' ' : *src;
  dst[n] = 0;
  return n;
}

/* One record, written whole with write(2).  Records stay below PIPE_BUF
 * so a line is never interleaved with another writer's. */
static void
write_record (const char *const *fields, int n)
{
  char line[3800];
  size_t len = 0;
  for (int i = 0; i < n; i++)
    {
      if (i > 0 && len + 1 < sizeof line)
        line[len++] = '\t';
      len += put_field (line + len, sizeof line - len - 1, fields[i]);
    }
  line[len++] = '\n';
  const char *p = line;
  while (len > 0)
    {
      ssize_t w = write (STDOUT_FILENO, p, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return;
      p += w;
      len -= (size_t) w;
    }
}

void
probe_attempt_text (const char *id, const char *call, const char *args, const char *ret, int err)
{
  const char *f[] = { "ATTEMPT", id, call, args, ret, probe_errno_name (err) };
  write_record (f, 6);
}

void
probe_attempt (const char *id, const char *call, const char *args, long ret, int err)
{
  char r[32];
  snprintf (r, sizeof r, "%ld", ret);
  probe_attempt_text (id, call, args, r, ret < 0 ? err : 0);
}

void
probe_result (const char *id, const char *verdict, const char *summary)
{
  const char *f[] = { "RESULT", id, verdict, summary };
  write_record (f, 4);
}

const char *
probe_errno_name (int err)
{
  static char other[8][16];
  static unsigned next;
  const SbxErrnoName *e = sbx_errno_entry_by_value (err, 0);

  if (err == 0)
    return "0";
  if (e != NULL)
    return e->name;
  char *b = other[next++ % 8];
  snprintf (b, sizeof other[0], "E#%d", err);
  return b;
}

int
probe_errno_from_name (const char *name)
{
  const SbxErrnoName *e = sbx_errno_entry_by_name (name);

  return e != NULL ? e->value : -1;
}

#define E(x) { x, #x }
static const struct { int num; const char *name; } signal_table[] = {
  E (SIGHUP), E (SIGINT), E (SIGQUIT), E (SIGILL), E (SIGTRAP), E (SIGABRT), E (SIGBUS),
  E (SIGFPE), E (SIGKILL), E (SIGUSR1), E (SIGSEGV), E (SIGUSR2), E (SIGPIPE), E (SIGALRM),
  E (SIGTERM), E (SIGSTKFLT), E (SIGCHLD), E (SIGCONT), E (SIGSTOP), E (SIGTSTP),
  E (SIGTTIN), E (SIGTTOU), E (SIGURG), E (SIGXCPU), E (SIGXFSZ), E (SIGVTALRM),
  E (SIGPROF), E (SIGWINCH), E (SIGIO), E (SIGPWR), E (SIGSYS),
};
#undef E

const char *
probe_signal_name (int sig)
{
  static char other[4][16];
  static unsigned next;
  for (size_t i = 0; i < sizeof signal_table / sizeof signal_table[0]; i++)
    if (signal_table[i].num == sig)
      return signal_table[i].name;
  char *b = other[next++ % 4];
  snprintf (b, sizeof other[0], "SIG#%d", sig);
  return b;
}

/* ------------------------------------------------------ expectations */

#define MAX_KEYS 128
static struct { char *key; char *value; } expect_kv[MAX_KEYS];
static int expect_n;

static char *
trim (char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  char *e = s + strlen (s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
    *--e = 0;
  return s;
}

int
expect_load (const char *path, char *msg, size_t msg_size)
{
  FILE *f = fopen (path, "re");
  if (!f)
    {
      snprintf (msg, msg_size, "%s: %s", path, strerror (errno));
      return -1;
    }
  char line[8192];
  int lineno = 0;
  while (fgets (line, sizeof line, f))
    {
      lineno++;
      if (!strchr (line, '\n') && !feof (f))
        {
          snprintf (msg, msg_size, "%s:%d: line longer than %zu bytes", path, lineno,
                    sizeof line - 2);
          fclose (f);
          return -1;
        }
      char *s = trim (line);
      if (*s == 0 || *s == '#')
        continue;
      char *eq = strchr (s, '=');
      if (!eq || eq == s)
        {
          snprintf (msg, msg_size, "%s:%d: expected key=value", path, lineno);
          fclose (f);
          return -1;
        }
      *eq = 0;
      char *key = trim (s), *value = trim (eq + 1);
      int i;
      for (i = 0; i < expect_n; i++)
        if (strcmp (expect_kv[i].key, key) == 0)
          break;
      if (i == MAX_KEYS)
        {
          snprintf (msg, msg_size, "%s:%d: more than %d keys", path, lineno, MAX_KEYS);
          fclose (f);
          return -1;
        }
      if (i == expect_n)
        {
          expect_kv[i].key = strdup (key);
          expect_n++;
        }
      else
        free (expect_kv[i].value);
      expect_kv[i].value = strdup (value);
      if (!expect_kv[i].key || !expect_kv[i].value)
        {
          snprintf (msg, msg_size, "out of memory");
          fclose (f);
          return -1;
        }
    }
  fclose (f);
  return 0;
}

const char *
expect_get (const char *key)
{
  for (int i = 0; i < expect_n; i++)
    if (strcmp (expect_kv[i].key, key) == 0)
      return expect_kv[i].value;
  return NULL;
}

int
expect_list_next (const char **cursor, char *buf, size_t size)
{
  const char *s = *cursor;
  if (!s)
    return 0;
  for (;;)
    {
      while (*s == ';' || *s == ' ')
        s++;
      if (*s == 0)
        {
          *cursor = s;
          return 0;
        }
      const char *e = strchr (s, ';');
      size_t n = e ? (size_t) (e - s) : strlen (s);
      while (n > 0 && s[n - 1] == ' ')
        n--;
      *cursor = e ? e : s + strlen (s);
      if (n == 0)
        {
          s = *cursor;
          continue;
        }
      if (n >= size)
        n = size - 1;
      memcpy (buf, s, n);
      buf[n] = 0;
      return 1;
    }
}

int
expect_list_has (const char *key, const char *item)
{
  const char *cur = expect_get (key);
  char buf[512];
  while (expect_list_next (&cur, buf, sizeof buf))
    if (strcmp (buf, item) == 0)
      return 1;
  return 0;
}

int
expect_control (void)
{
  const char *m = expect_get ("mode");
  return m && strcmp (m, "control") == 0;
}

int
expect_errno (void)
{
  const char *e = expect_get ("errno");
  int n = e ? probe_errno_from_name (e) : -1;
  return n > 0 ? n : EPERM;
}

long long
expect_number (const char *key)
{
  const char *v = expect_get (key);
  if (!v || !*v)
    return -1;
  char *end;
  errno = 0;
  long long n = strtoll (v, &end, 10);
  if (errno || *end || n < 0)
    return -1;
  return n;
}

int
probe_parse_limit (const char *text, unsigned long long *value, int *unlimited)
{
  *unlimited = 0;
  *value = 0;
  if (!text || !*text)
    return -1;
  if (strcmp (text, "unlimited") == 0 || strcmp (text, "infinity") == 0)
    {
      *unlimited = 1;
      return 0;
    }
  if (!isdigit ((unsigned char) text[0]))
    return -1;
  char *end;
  errno = 0;
  unsigned long long n = strtoull (text, &end, 10);
  if (errno)
    return -1;
  unsigned shift = 0;
  switch (*end)
    {
    case 0: break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: return -1;
    }
  if (*end || (shift && n > (~0ULL >> shift)))
    return -1;
  *value = n << shift;
  return 0;
}

/* ---------------------------------------------------- a probe's legs */

void
probe_init (Probe *p, const char *id)
{
  memset (p, 0, sizeof *p);
  p->id = id;
}

/* Appends one "; "-separated item to @list; an item that does not fit
 * whole is counted in *@dropped instead (the first items matter most). */
static void
append (char *list, int *dropped, const char *fmt, va_list ap)
{
  char item[PROBE_TEXT];
  vsnprintf (item, sizeof item, fmt, ap);
  size_t len = strlen (list), n = strlen (item);
  /* keep room for the "; … and N more" that probe_finish adds */
  if (len + 2 + n + 24 >= PROBE_TEXT)
    {
      (*dropped)++;
      return;
    }
  if (len > 0)
    {
      memcpy (list + len, "; ", 2);
      len += 2;
    }
  memcpy (list + len, item, n + 1);
}

#define APPEND(field, index, counter) \
  va_list ap; va_start (ap, fmt); append (p->field, &p->dropped[index], fmt, ap); va_end (ap); counter

void probe_violated (Probe *p, const char *fmt, ...) { APPEND (violated, 0, p->n_violated++;) }
void probe_held (Probe *p, const char *fmt, ...) { APPEND (held, 1, p->n_held++;) }
void probe_untestable (Probe *p, const char *fmt, ...) { APPEND (untestable, 2, p->n_untestable++;) }
void probe_note (Probe *p, const char *fmt, ...) { APPEND (notes, 3, (void) 0;) }

/* @list plus "; … and N more" when items were dropped. */
static const char *
with_more (char *buf, size_t size, const char *list, int dropped)
{
  if (dropped)
    snprintf (buf, size, "%s; … and %d more", list, dropped);
  else
    snprintf (buf, size, "%s", list);
  return buf;
}

void
probe_finish (Probe *p)
{
  char summary[3 * PROBE_TEXT], main_text[PROBE_TEXT + 32], notes[PROBE_TEXT + 32];
  const char *verdict;
  if (p->n_violated)
    verdict = "VIOLATED", with_more (main_text, sizeof main_text, p->violated, p->dropped[0]);
  else if (p->n_untestable)
    verdict = "UNTESTABLE", with_more (main_text, sizeof main_text, p->untestable, p->dropped[2]);
  else if (p->n_held)
    verdict = "HOLDS", with_more (main_text, sizeof main_text, p->held, p->dropped[1]);
  else
    verdict = "UNTESTABLE", snprintf (main_text, sizeof main_text, "nothing could be observed");
  with_more (notes, sizeof notes, p->notes, p->dropped[3]);
  snprintf (summary, sizeof summary, "%s%s%s%s", main_text, notes[0] ? " [" : "", notes,
            notes[0] ? "]" : "");
  probe_result (p->id, verdict, summary);
}

int
probe_read_status (Probe *p, const char *name, int decisive, char *buf, size_t size)
{
  char what[96];

  snprintf (what, sizeof what, "/proc/self/status %s", name);
  if (probe_status_field (name, buf, size) < 0)
    {
      probe_attempt (p->id, "read", what, -1, errno);
      if (decisive)
        probe_untestable (p, "cannot read %s", name);
      return -1;
    }
  probe_attempt_text (p->id, "read", what, buf, 0);
  return 0;
}

ProbeOutcome
probe_filter_leg (Probe *p, int decisive, int unfiltered, const char *call, const char *args,
                  long ret, int err)
{
  int want = expect_errno ();
  probe_attempt (p->id, call, args, ret, err);
  if (ret >= 0)
    {
      if (decisive)
        probe_violated (p, "%s(%s) succeeded", call, args);
      else
        probe_note (p, "%s(%s) succeeded", call, args);
      return PROBE_ALLOWED;
    }
  if (err == want && unfiltered > 0 && unfiltered == want)
    {
      /* errno= is also what the kernel itself says to these arguments */
      probe_note (p, "%s(%s) %s: profile errno equals the kernel's own answer; cannot attribute",
                  call, args, probe_errno_name (err));
      return PROBE_UNATTRIBUTED;
    }
  if (err == want)
    {
      if (decisive)
        probe_held (p, "%s %s", call, probe_errno_name (err));
      return PROBE_FILTERED;
    }
  if (decisive)
    probe_violated (p, "%s(%s) reached the kernel (%s, not the filter's %s)", call, args,
                    probe_errno_name (err), probe_errno_name (want));
  else
    probe_note (p, "%s reached the kernel (%s)", call, probe_errno_name (err));
  return PROBE_KERNEL;
}

static long
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

pid_t
probe_fork (void)
{
  pid_t parent = getpid ();
  pid_t pid = fork ();

  if (pid == 0)
    {
      /* Best effort: where prctl is refused the dispatcher's kill still
       * reaches the probe's own process group. */
      (void) prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (getppid () != parent)
        _exit (127); /* the parent died before the prctl */
    }
  return pid;
}

int
probe_run_child (Probe *p, void (*fn) (Probe *p, void *arg), void *arg, int timeout_ms,
                 ProbeChild *end)
{
  int fds[2];
  memset (end, 0, sizeof *end);
  if (pipe2 (fds, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = probe_fork ();
  if (pid < 0)
    {
      int e = errno;
      close (fds[0]);
      close (fds[1]);
      errno = e;
      return -1;
    }
  if (pid == 0)
    {
      close (fds[0]);
      fn (p, arg);
      const char *b = (const char *) p;
      size_t left = sizeof *p;
      while (left > 0)
        {
          ssize_t w = write (fds[1], b, left);
          if (w < 0 && errno == EINTR)
            continue;
          if (w <= 0)
            break;
          b += w;
          left -= (size_t) w;
        }
      _exit (0);
    }
  close (fds[1]);
  Probe back;
  size_t got = 0;
  long deadline = now_ms () + timeout_ms;
  for (;;)
    {
      long left = deadline - now_ms ();
      if (left <= 0)
        {
          end->timed_out = 1;
          break;
        }
      struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
      int r = poll (&pfd, 1, (int) left);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        {
          end->timed_out = (r == 0);
          break;
        }
      ssize_t n = read (fds[0], (char *) &back + got, sizeof back - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      got += (size_t) n;
      if (got == sizeof back)
        break;
    }
  close (fds[0]);
  if (end->timed_out)
    kill (pid, SIGKILL);
  int status;
  /* The child may still be running after it reported (it exits right
   * away); an exec'd program gets the rest of the budget. */
  for (;;)
    {
      pid_t w = waitpid (pid, &status, end->timed_out ? 0 : WNOHANG);
      if (w == pid)
        break;
      if (w < 0 && errno != EINTR)
        {
          status = 0;
          break;
        }
      if (w == 0)
        {
          if (now_ms () >= deadline)
            {
              end->timed_out = 1;
              kill (pid, SIGKILL);
              continue;
            }
          struct timespec ts = { 0, 5 * 1000 * 1000 };
          nanosleep (&ts, NULL);
        }
    }
  if (WIFEXITED (status))
    end->exited = 1, end->code = WEXITSTATUS (status);
  else if (WIFSIGNALED (status))
    end->sig = WTERMSIG (status);
  if (got == sizeof back && !end->timed_out)
    {
      back.id = p->id;
      *p = back;
      end->reported = 1;
    }
  return 0;
}

const char *
probe_child_words (const ProbeChild *end, char *buf, size_t size)
{
  if (end->timed_out)
    snprintf (buf, size, "timed out");
  else if (end->sig)
    snprintf (buf, size, "killed by %s", probe_signal_name (end->sig));
  else if (end->exited)
    snprintf (buf, size, "%sexit %d", end->reported ? "reported, " : "", end->code);
  else
    snprintf (buf, size, "ended");
  return buf;
}

/* ------------------------------------------------------------ helpers */

ssize_t
probe_read_file (const char *path, char *buf, size_t size)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return -1;
  size_t got = 0;
  while (got + 1 < size)
    {
      ssize_t n = read (fd, buf + got, size - 1 - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          close (fd);
          errno = e;
          return -1;
        }
      if (n == 0)
        break;
      got += (size_t) n;
    }
  buf[got] = 0;
  close (fd);
  return (ssize_t) got;
}

int
probe_status_field (const char *name, char *buf, size_t size)
{
  char status[8192];
  if (probe_read_file ("/proc/self/status", status, sizeof status) < 0)
    return -1;
  size_t nl = strlen (name);
  for (char *line = status; line && *line;)
    {
      char *next = strchr (line, '\n');
      if (next)
        *next++ = 0;
      if (strncmp (line, name, nl) == 0 && line[nl] == ':')
        {
          snprintf (buf, size, "%s", trim (line + nl + 1));
          return 0;
        }
      line = next;
    }
  errno = ENOENT;
  return -1;
}

unsigned long long
probe_ns_inode (const char *name)
{
  char path[64];
  struct stat st;
  snprintf (path, sizeof path, "/proc/self/ns/%s", name);
  if (stat (path, &st) < 0)
    return 0;
  return (unsigned long long) st.st_ino;
}

int
probe_file_contains (const char *id, const char *path, const char *text)
{
  char buf[65536];
  ssize_t n = probe_read_file (path, buf, sizeof buf);
  if (n < 0)
    {
      int e = errno;
      probe_attempt (id, "open+read", path, -1, e);
      errno = e;
      return -1;
    }
  int found = text && *text && memmem (buf, (size_t) n, text, strlen (text)) != NULL;
  char r[96];
  snprintf (r, sizeof r, "%zd bytes, canary text %s", n, found ? "present" : "absent");
  probe_attempt_text (id, "open+read", path, r, 0);
  return found;
}

/* Undoes mountinfo's octal escapes (\040 for a space …) in place. */
static void
unescape (char *s)
{
  char *d = s;
  while (*s)
    {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7'
          && s[3] >= '0' && s[3] <= '7')
        {
          *d++ = (char) (((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
          s += 4;
        }
      else
        *d++ = *s++;
    }
  *d = 0;
}

int
probe_mount_readonly (const char *id, const char *path, char *mnt, size_t mnt_size)
{
  char real[4096];
  char args[4200];
  if (!realpath (path, real))
    {
      int e = errno;
      snprintf (args, sizeof args, "%s (resolving the path)", path);
      probe_attempt (id, "read /proc/self/mountinfo", args, -1, e);
      return -1;
    }
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  if (!f)
    {
      probe_attempt (id, "read /proc/self/mountinfo", real, -1, errno);
      return -1;
    }
  char line[8192], best_opts[512] = "";
  size_t best_len = 0;
  int found = 0;
  mnt[0] = 0;
  while (fgets (line, sizeof line, f))
    {
      /* id parent maj:min root mount-point per-mount-options … */
      char *fld[6];
      char *save = NULL, *s = line;
      int i;
      for (i = 0; i < 6; i++, s = NULL)
        if (!(fld[i] = strtok_r (s, " ", &save)))
          break;
      if (i < 6)
        continue;
      unescape (fld[4]);
      size_t ml = strlen (fld[4]);
      int root = strcmp (fld[4], "/") == 0;
      if (!root && !(strncmp (real, fld[4], ml) == 0 && (real[ml] == 0 || real[ml] == '/')))
        continue;
      if (root)
        ml = 1;
      /* longest mount point wins; among equals the later line, which is
       * stacked on top of the earlier one */
      if (ml >= best_len)
        {
          best_len = ml;
          snprintf (best_opts, sizeof best_opts, "%s", fld[5]);
          snprintf (mnt, mnt_size, "%s", fld[4]);
          found = 1;
        }
    }
  fclose (f);
  if (!found)
    {
      probe_attempt_text (id, "read /proc/self/mountinfo", real, "no mount found", ENOENT);
      return -1;
    }
  int ro = 0;
  char *save = NULL;
  for (char *o = strtok_r (best_opts, ",", &save); o; o = strtok_r (NULL, ",", &save))
    if (strcmp (o, "ro") == 0)
      ro = 1;
  snprintf (args, sizeof args, "per-mount flags of %s (mount point %s)", real, mnt);
  probe_attempt_text (id, "read /proc/self/mountinfo", args, ro ? "ro" : "rw", 0);
  return ro;
}
