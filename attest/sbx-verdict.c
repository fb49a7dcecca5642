/* sbx-verdict.c — the verdict rules (sbx-verdict.h).  Pure. */
#include "config.h"

#include "sbx-verdict.h"

#include <string.h>
#include <sys/resource.h>

typedef enum { OBS_NOTE, OBS_HELD, OBS_WEAK } Judged;

typedef enum {
  R_NOTE,            /* decides nothing */
  R_DENIED,          /* held when the call failed (or SIGSYS killed it); weak when it worked */
  R_SUCCEEDS,        /* held when it worked; weak when it failed (PR-FS-OUT-OK) */
  R_HELD_IF_FAILS,   /* held when it failed; a note when it worked (a later leg decides) */
  R_VALUE_IS,        /* held when the value read is @value; weak when it is another */
  R_VALUE_NOT,       /* held when the value read is not @value; weak when it is */
  R_NOT_HOST_NS,     /* held when the inode is not the host's namespace @value ("": named in the arguments) */
  R_ENV_NAMES,       /* "N variables: A,B": weak when a name is not allowed */
  R_NO_ENTRIES,      /* a folder listing: held when absent or empty */
  R_ABI,             /* another ABI's call: held when killed by SIGSYS or answered errno=, weak when it reached the kernel */
  R_EXEC,            /* an exec in a child: R_DENIED, and weak when the program ran ("exit N") */
  R_LIMIT,           /* "/proc/self/limits LABEL (soft hard)": held when both are the profile's, weak when not */
  R_HOST_UID,        /* the host uid a run was told: a note when it is the run's (host_uid), weak when another */
  R_NPROC,           /* R_DENIED, but a refusal shows nothing unless the run's host uid is known and not 0 */
} Rule;

/* One rule per probe and calls (@calls: the call names, ";" between
 * them); @args, when not empty, is a prefix of the arguments in words
 * (constant in both runs); @value, the rule's value ("" when it takes
 * none).  First match wins; an
 * observation no rule names is a note.  Arguments carrying
 * "(unfiltered: EXXX)" are judged before this table (judge_unfiltered). */
static const struct {
  const char *probe, *calls, *args;
  Rule rule;
  const char *value;
} rules[] = {
  { "PR-NET-1", "read", "/proc/net/dev", R_VALUE_IS, "lo" },
  { "PR-NET-1", "if_nameindex", "", R_VALUE_IS, "lo" },
  { "PR-NET-1", "stat", "/proc/self/ns/net", R_NOT_HOST_NS, "net" },
  { "PR-NET-2", "socket", "", R_HELD_IF_FAILS, "" },
  { "PR-NET-2", "connect", "tcp", R_DENIED, "" },
  { "PR-NET-2", "connect;send", "", R_HELD_IF_FAILS, "" },
  { "PR-NET-2", "recv", "", R_DENIED, "" },
  { "PR-SOCK-1", "socket;bind;connect", "", R_DENIED, "" },
  { "PR-SOCK-DOCKER", "lstat", "", R_DENIED, "" },
  { "PR-SOCK-DOCKER", "socket", "", R_HELD_IF_FAILS, "" },
  { "PR-SOCK-DOCKER", "connect", "", R_DENIED, "" },
  { "PR-ENV-1", "read", "", R_ENV_NAMES, "" },
  { "PR-FS-RO-IN", "read /proc/self/mountinfo", "", R_VALUE_IS, "ro" },
  { "PR-FS-RO-IN", "open+read", "", R_NOTE, "" },
  { "PR-FS-RO-IN", "open;write;truncate;chmod;utimensat;rename;unlink", "", R_DENIED, "" },
  { "PR-FS-ESC-1", "open+read;open", "", R_DENIED, "" },
  { "PR-FS-ESC-1", "opendir", "", R_NO_ENTRIES, "" },
  { "PR-FS-ESC-2", "open+read;open_by_handle_at;read", "", R_DENIED, "" },
  { "PR-FS-OUT-OK", "open;write;fsync;close;rename;open+read", "", R_SUCCEEDS, "" },
  { "PR-EXEC-1", "execve;execveat", "", R_EXEC, "" },
  { "PR-MOUNT-1", "open", "", R_DENIED, "" },
  { "PR-MOUNT-1", "read /proc/self/mountinfo", "", R_VALUE_IS, "ro" },
  { "PR-MOUNT-1", "unshare;open_tree;fsopen;umount2;pivot_root;mount", "", R_DENIED, "" },
  { "PR-PTRACE-1", "ptrace;process_vm_readv", "", R_DENIED, "" },
  { "PR-CAP-1", "read", "/proc/self/status Cap", R_VALUE_IS, "0000000000000000" },
  { "PR-NNP-1", "read", "/proc/self/status NoNewPrivs", R_VALUE_IS, "1" },
  { "PR-NNP-1", "prctl", "PR_GET_NO_NEW_PRIVS", R_VALUE_IS, "1" },
  { "PR-SECCOMP-1", "read", "/proc/self/status Seccomp_filters", R_VALUE_NOT, "0" },
  { "PR-SECCOMP-1", "read", "/proc/self/status Seccomp", R_VALUE_IS, "2" },
  { "PR-NS-1", "stat", "/proc/self/ns/", R_NOT_HOST_NS, "" },
  { "PR-RLIMIT-1", "read", "/proc/self/limits ", R_LIMIT, "" },
  { "PR-RLIMIT-1", "read", "host_uid from the expectations", R_HOST_UID, "" },
  { "PR-RLIMIT-1", "pwrite", "", R_DENIED, "" },
  { "PR-RLIMIT-1", "fork", "", R_NPROC, "" },
  { "PR-ABI-1", "syscall;int $0x80", "", R_ABI, "" },
  { "PR-URING-1", "io_uring_setup;io_uring_enter;io_uring_register", "", R_DENIED, "" },
  { "PR-TTY-1", "ioctl", "", R_DENIED, "" },
  { "PR-TMP-NOEXEC", "mmap", "", R_DENIED, "" },
};

/* Probes whose property is the filter itself (probe.h, probe_filter_leg
 * with decisive=1): the kernel's own answer to arguments it rejects shows
 * the filter absent.  Elsewhere it only goes unattributed. */
static const char *const decisive_probes[] = {
  "PR-SOCK-1", "PR-PTRACE-1", "PR-EXEC-1", "PR-URING-1", "PR-TTY-1", "PR-ABI-1", NULL,
};

static const char *const ns_names[] = SBX_VERDICT_NS_NAMES;

const SbxVerdictLimit sbx_verdict_limits[SBX_VERDICT_N_LIMITS] = {
  { RLIMIT_CPU, "limit_cpu", "Max cpu time" },
  { RLIMIT_AS, "limit_as", "Max address space" },
  { RLIMIT_NOFILE, "limit_nofile", "Max open files" },
  { RLIMIT_NPROC, "limit_nproc", "Max processes" },
  { RLIMIT_FSIZE, "limit_fsize", "Max file size" },
  { RLIMIT_CORE, "limit_core", "Max core file size" },
};

const char *
sbx_verdict_limit_key (int resource)
{
  for (gsize i = 0; i < SBX_VERDICT_N_LIMITS; i++)
    if (sbx_verdict_limits[i].resource == resource)
      return sbx_verdict_limits[i].key;
  return NULL;
}

/* The profile's limits: parsed from the text in memory (a pure parse). */
static void
context_limits (SbxVerdictContext *ctx, const char *canonical)
{
  g_autoptr(SbxProfile) profile = canonical != NULL ? sbx_profile_new_from_data (canonical, -1, "profile.canonical", NULL)
                                                    : NULL;
  const SbxRlimit *limits;
  gsize n = 0;

  if (profile == NULL)
    return;
  limits = sbx_profile_get_rlimits (profile, &n);
  for (gsize i = 0; i < n; i++)
    for (gsize k = 0; k < SBX_VERDICT_N_LIMITS; k++)
      if (sbx_verdict_limits[k].resource == limits[i].resource)
        {
          ctx->limit_set[k] = TRUE;
          ctx->limit[k] = limits[i].value;
        }
}

void
sbx_verdict_context_init (SbxVerdictContext *ctx, const char *canonical)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) keep = NULL;
  g_auto(GStrv) set = NULL;
  g_autofree char *err = NULL;

  memset (ctx, 0, sizeof *ctx);
  if (canonical != NULL && g_key_file_load_from_data (kf, canonical, -1, G_KEY_FILE_NONE, NULL))
    {
      keep = g_key_file_get_string_list (kf, "environment", "keep", NULL, NULL);
      set = g_key_file_get_string_list (kf, "environment", "set", NULL, NULL);
      err = g_key_file_get_string (kf, "seccomp", "errno", NULL);
    }
  for (gsize i = 0; keep != NULL && keep[i] != NULL; i++)
    if (keep[i][0] != '\0')
      g_ptr_array_add (names, g_strdup (keep[i]));
  for (gsize i = 0; set != NULL && set[i] != NULL; i++)
    if (strchr (set[i], '=') != NULL && set[i][0] != '=')
      g_ptr_array_add (names, g_strndup (set[i], strchr (set[i], '=') - set[i]));
  g_ptr_array_add (names, g_strdup ("PWD"));
  g_ptr_array_add (names, NULL);
  ctx->env_allowed = (GStrv) g_ptr_array_steal (names, NULL);
  ctx->errno_name = err != NULL && err[0] != '\0' ? g_steal_pointer (&err) : g_strdup ("EPERM");
  ctx->host_uid[0] = ctx->host_uid[1] = -1;
  context_limits (ctx, canonical);
}

void
sbx_verdict_context_clear (SbxVerdictContext *ctx)
{
  g_clear_pointer (&ctx->errno_name, g_free);
  g_clear_pointer (&ctx->env_allowed, g_strfreev);
}

void
sbx_verdict_output_clear (SbxVerdictOutput *out)
{
  g_clear_pointer (&out->reason, g_free);
}

SbxVerdict
sbx_verdict_decide (SbxProbeResult sandbox, SbxProbeResult control, gboolean host_checks_ok)
{
  if (sandbox == SBX_PROBE_VIOLATED || sandbox == SBX_PROBE_ERROR || sandbox == SBX_PROBE_MISSING
      || !host_checks_ok)
    return SBX_VERDICT_FAIL;
  if (sandbox == SBX_PROBE_HOLDS && control == SBX_PROBE_VIOLATED)
    return SBX_VERDICT_PASS;
  return SBX_VERDICT_INCONCLUSIVE;
}

/* ------------------------------------------------------ one observation */

static gboolean
worked (const SbxObservation *o)
{
  return g_strcmp0 (o->errno_name, "0") == 0;
}

/* A decimal integer that fits in 64 bits ("-1", "3"), nothing else. */
static gboolean
is_integer (const char *s)
{
  return s != NULL && s[0] != '+' && g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, NULL, NULL);
}

/* How a child leg ended when it did not report (probe_child_words():
 * "exit 0", "reported, exit 1", "killed by SIGSEGV", "timed out",
 * "ended"): says nothing about the call by itself. */
static gboolean
child_words (const char *ret)
{
  return g_str_has_prefix (ret, "exit ") || g_str_has_prefix (ret, "reported, ") || g_str_has_prefix (ret, "killed by ")
         || strcmp (ret, "timed out") == 0 || strcmp (ret, "ended") == 0;
}

/* "N variables: A,B,C": the first name not in @allowed, or NULL. */
static char *
env_intruder (const char *ret, const char *const *allowed)
{
  const char *list = ret != NULL ? strstr (ret, ": ") : NULL;
  g_auto(GStrv) names = NULL;

  if (list == NULL)
    return NULL;
  names = g_strsplit (list + 2, ",", -1);
  for (gsize i = 0; names[i] != NULL; i++)
    if (names[i][0] != '\0' && !g_strv_contains (allowed, names[i]))
      return g_strdup (names[i]);
  return NULL;
}

/* Arguments that say what an unfiltered kernel answers: "(unfiltered: EBADF)". */
static gboolean
judge_unfiltered (const char *id, const SbxObservation *o, const SbxVerdictContext *ctx, Judged *j)
{
  const char *mark = o->args != NULL ? strstr (o->args, "(unfiltered: ") : NULL;
  g_autofree char *kernel = NULL;
  const char *end;

  if (mark == NULL || (end = strchr (mark, ')')) == NULL)
    return FALSE;
  mark += strlen ("(unfiltered: ");
  kernel = g_strndup (mark, end - mark);
  if (worked (o))
    *j = OBS_WEAK;
  else if (g_strcmp0 (o->errno_name, kernel) != 0)
    *j = OBS_HELD;
  else if (g_strv_contains (decisive_probes, id) && g_strcmp0 (kernel, ctx->errno_name) != 0)
    *j = OBS_WEAK; /* the kernel answered: no filter in the way */
  else
    *j = OBS_NOTE; /* cannot attribute */
  return TRUE;
}

/* @args is "/proc/self/ns/@name …". */
static gboolean
ns_named (const char *args, const char *name)
{
  const char *p = args + strlen ("/proc/self/ns/");
  gsize n = strlen (name);

  return strncmp (p, name, n) == 0 && (p[n] == ' ' || p[n] == '\0');
}

/* @call is one of @calls ("open;write;unlink"). */
static gboolean
call_listed (const char *calls, const char *call)
{
  gsize n = strlen (call);

  for (const char *p = calls; p != NULL; p = strchr (p, ';') != NULL ? strchr (p, ';') + 1 : NULL)
    if (strncmp (p, call, n) == 0 && (p[n] == ';' || p[n] == '\0'))
      return TRUE;
  return FALSE;
}

/* A call the restriction must refuse (R_DENIED); @exec: an exec in a
 * child, which ran when the child exited by itself. */
static Judged
judge_denied (const SbxObservation *o, gboolean exec)
{
  if (g_str_has_prefix (o->ret, "killed by SIGSYS") || !worked (o))
    return OBS_HELD;
  if (child_words (o->ret))
    return exec && (g_str_has_prefix (o->ret, "exit ") || g_str_has_prefix (o->ret, "reported, exit ")) ? OBS_WEAK
                                                                                                         : OBS_NOTE;
  return OBS_WEAK;
}

/* "/proc/self/limits LABEL (soft hard)" = "SOFT HARD" against the
 * profile's limit (PR-RLIMIT-1); a limit the profile leaves alone is the
 * host's, a note. */
static Judged
judge_limit (const SbxObservation *o, const SbxVerdictContext *ctx)
{
  const char *label = o->args + strlen ("/proc/self/limits ");

  if (!worked (o))
    return OBS_NOTE;
  for (gsize k = 0; k < SBX_VERDICT_N_LIMITS; k++)
    {
      gsize n = strlen (sbx_verdict_limits[k].label);
      g_autofree char *want = NULL;

      if (strncmp (label, sbx_verdict_limits[k].label, n) != 0 || strcmp (label + n, " (soft hard)") != 0)
        continue;
      if (!ctx->limit_set[k])
        return OBS_NOTE;
      want = ctx->limit[k] == (guint64) RLIM_INFINITY
             ? g_strdup ("unlimited unlimited")
             : g_strdup_printf ("%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, ctx->limit[k], ctx->limit[k]);
      return strcmp (o->ret, want) == 0 ? OBS_HELD : OBS_WEAK;
    }
  return OBS_NOTE;
}

static Judged
judge (const char *id, int side, const SbxObservation *o, const SbxVerdictContext *ctx)
{
  Judged j;

  if (o->call == NULL || o->ret == NULL || o->errno_name == NULL)
    return OBS_NOTE;
  if (judge_unfiltered (id, o, ctx, &j))
    return j;
  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      if (strcmp (rules[i].probe, id) != 0 || !call_listed (rules[i].calls, o->call)
          || (rules[i].args[0] != '\0' && (o->args == NULL || !g_str_has_prefix (o->args, rules[i].args))))
        continue;
      switch (rules[i].rule)
        {
        case R_NOTE:
          return OBS_NOTE;
        case R_DENIED:
        case R_EXEC:
          return judge_denied (o, rules[i].rule == R_EXEC);
        case R_NPROC:
          {
            Judged denied = judge_denied (o, FALSE);

            /* uid 0 is not held to RLIMIT_NPROC: its refusal is no evidence */
            return denied == OBS_HELD && ctx->host_uid[side] <= 0 ? OBS_NOTE : denied;
          }
        case R_LIMIT:
          return judge_limit (o, ctx);
        case R_HOST_UID:
          if (!worked (o) || !is_integer (o->ret) || ctx->host_uid[side] < 0)
            return OBS_NOTE;
          return g_ascii_strtoll (o->ret, NULL, 10) == ctx->host_uid[side] ? OBS_NOTE : OBS_WEAK;
        case R_SUCCEEDS:
          return worked (o) ? OBS_HELD : OBS_WEAK;
        case R_HELD_IF_FAILS:
          return worked (o) ? OBS_NOTE : OBS_HELD;
        case R_VALUE_IS:
          if (!worked (o))
            return OBS_NOTE;
          return strcmp (o->ret, rules[i].value) == 0 ? OBS_HELD : OBS_WEAK;
        case R_VALUE_NOT:
          if (!worked (o))
            return OBS_NOTE;
          return strcmp (o->ret, rules[i].value) != 0 ? OBS_HELD : OBS_WEAK;
        case R_NOT_HOST_NS:
          for (gsize k = 0; k < SBX_VERDICT_N_NS; k++)
            if (rules[i].value[0] != '\0' ? strcmp (ns_names[k], rules[i].value) == 0 : ns_named (o->args, ns_names[k]))
              {
                if (!worked (o) || !is_integer (o->ret) || ctx->host_ns[k] == 0)
                  return OBS_NOTE;
                return g_ascii_strtoll (o->ret, NULL, 10) == ctx->host_ns[k] ? OBS_WEAK : OBS_HELD;
              }
          return OBS_NOTE;
        case R_ENV_NAMES:
          {
            g_autofree char *intruder = NULL;

            if (!worked (o) || ctx->env_allowed == NULL)
              return OBS_NOTE;
            intruder = env_intruder (o->ret, (const char *const *) ctx->env_allowed);
            return intruder != NULL ? OBS_WEAK : OBS_HELD;
          }
        case R_NO_ENTRIES:
          if (!worked (o) || g_str_has_prefix (o->ret, "0 entries") || strcmp (o->ret, "0") == 0)
            return OBS_HELD;
          return OBS_WEAK;
        case R_ABI:
          if (g_str_has_prefix (o->ret, "killed by SIGSYS") || g_strcmp0 (o->errno_name, ctx->errno_name) == 0)
            return OBS_HELD;
          return is_integer (o->ret) ? OBS_WEAK : OBS_NOTE;
        }
    }
  return OBS_NOTE;
}

/* ------------------------------------------------------------- a probe */

static const char *const side_names[] = { "sandbox", "control" };

static char *
describe (const SbxObservation *o)
{
  return g_strdup_printf ("%s(%s) = %s%s%s", o->call, o->args != NULL ? o->args : "", o->ret,
                          worked (o) ? "" : " ", worked (o) ? "" : o->errno_name);
}

/* One run's result as its observations show it; *@why (transfer full)
 * when the claim was overruled. */
static SbxProbeResult
side_result (const char *id, int side, SbxProbeResult claim, const SbxObservation *obs, gsize n,
             const SbxVerdictContext *ctx, char **why)
{
  gsize held = 0, weak = 0, first_weak = 0;

  for (gsize i = 0; i < n; i++)
    switch (judge (id, side, &obs[i], ctx))
      {
      case OBS_HELD:
        held++;
        break;
      case OBS_WEAK:
        if (weak++ == 0)
          first_weak = i;
        break;
      case OBS_NOTE:
        break;
      }
  if (claim == SBX_PROBE_ERROR || claim == SBX_PROBE_MISSING)
    return claim;
  if (weak > 0)
    {
      if (claim != SBX_PROBE_VIOLATED && side == 0)
        {
          g_autofree char *d = describe (&obs[first_weak]);

          *why = g_strdup_printf ("the sandbox run claims %s, but observation %" G_GSIZE_FORMAT " shows the "
                                  "property broken: %s", sbx_probe_result_to_string (claim), first_weak, d);
        }
      return SBX_PROBE_VIOLATED;
    }
  if (claim == SBX_PROBE_VIOLATED && side == 1)
    {
      *why = g_strdup_printf ("the control run claims VIOLATED, but none of its %" G_GSIZE_FORMAT " observations "
                              "shows the property broken (nothing shows the probe can fail)", n);
      return SBX_PROBE_UNTESTABLE;
    }
  if (claim == SBX_PROBE_HOLDS && held == 0)
    {
      *why = g_strdup_printf ("the %s run claims HOLDS, but none of its %" G_GSIZE_FORMAT " observations shows the "
                              "property holding", side_names[side], n);
      return SBX_PROBE_UNTESTABLE;
    }
  return claim;
}

void
sbx_verdict_compute (const SbxVerdictInput *in, const SbxVerdictContext *ctx, SbxVerdictOutput *out)
{
  char *why[2] = { NULL, NULL };

  memset (out, 0, sizeof *out);
  for (int s = 0; s < 2; s++)
    out->result[s] = side_result (in->id, s, in->claim[s], in->obs[s], in->n_obs[s], ctx, &why[s]);
  out->verdict = sbx_verdict_decide (out->result[0], out->result[1], in->host_checks_ok);
  if (why[0] != NULL || why[1] != NULL)
    out->reason = g_strjoin ("; ", why[0] != NULL ? why[0] : why[1], why[0] != NULL ? why[1] : NULL, NULL);
  g_free (why[0]);
  g_free (why[1]);
}
