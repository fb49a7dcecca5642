/* sbx-venue.c — where an attestation ran: kernel, ids, bwrap (path,
 * version, sha256, setuid bit), user-namespace settings, Landlock ABI, a
 * virtualisation guess and the hostname, as the "venue" object of a bundle.
 * Facts are read from the kernel and /proc, /sys; what cannot be read is
 * recorded as null, never guessed. */
#include "config.h"

#include "sbx-attest-private.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

char *
sbx_utc_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

char *
sbx_file_sha256 (const char *path, GError **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar buf[65536];
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  ssize_t n;

  if (fd < 0)
    {
      sbx_attest_errno_error (error, SBX_ERROR_IO, errno, "%s", path);
      return NULL;
    }
  while ((n = read (fd, buf, sizeof buf)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          sbx_attest_errno_error (error, SBX_ERROR_IO, saved, "%s", path);
          return NULL;
        }
      g_checksum_update (sum, buf, n);
    }
  close (fd);
  return g_strdup (g_checksum_get_string (sum));
}

/* First line of a small /proc or /sys file, stripped; NULL if unreadable. */
static char *
read_line (const char *path)
{
  g_autofree char *text = NULL;
  char *nl;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  if ((nl = strchr (text, '\n')) != NULL)
    *nl = '\0';
  return g_strstrip (g_steal_pointer (&text));
}

static void
set_int_or_null (JsonObject *o, const char *name, const char *path)
{
  g_autofree char *line = read_line (path);
  char *end = NULL;
  gint64 v;

  if (line != NULL && line[0] != '\0')
    {
      v = g_ascii_strtoll (line, &end, 10);
      if (end != NULL && *end == '\0')
        {
          json_object_set_int_member (o, name, v);
          return;
        }
    }
  json_object_set_null_member (o, name);
}

static void
set_string_or_null (JsonObject *o, const char *name, const char *value)
{
  if (value != NULL && g_utf8_validate (value, -1, NULL))
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

static JsonObject *
bwrap_facts (const char *path)
{
  JsonObject *o = json_object_new ();
  struct stat st;
  g_autofree char *out = NULL;
  g_autofree char *sha = NULL;
  const char *argv[] = { path, "--version", NULL };
  int status = 0;

  set_string_or_null (o, "path", path);
  if (path != NULL && stat (path, &st) == 0)
    {
      json_object_set_boolean_member (o, "setuid", (st.st_mode & S_ISUID) != 0);
      json_object_set_int_member (o, "size", st.st_size);
      json_object_set_int_member (o, "owner_uid", st.st_uid);
    }
  else
    json_object_set_boolean_member (o, "setuid", FALSE);
  sha = path != NULL ? sbx_file_sha256 (path, NULL) : NULL;
  json_object_set_string_member (o, "sha256", sha != NULL ? sha : "");
  if (path != NULL
      && g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_CLOEXEC_PIPES, NULL, NULL,
                       &out, NULL, &status, NULL)
      && WIFEXITED (status) && WEXITSTATUS (status) == 0 && out != NULL)
    json_object_set_string_member (o, "version", g_strstrip (out));
  else
    json_object_set_string_member (o, "version", "");
  return o;
}

/* The knobs that decide whether an unprivileged user may create a user
 * namespace (Debian's sysctl, the generic limit, Ubuntu's AppArmor
 * restriction), and a one-word reading of them. */
static JsonObject *
userns_facts (void)
{
  JsonObject *o = json_object_new ();
  g_autofree char *clone = read_line ("/proc/sys/kernel/unprivileged_userns_clone");
  g_autofree char *max = read_line ("/proc/sys/user/max_user_namespaces");
  g_autofree char *apparmor = read_line ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  const char *mode;

  set_int_or_null (o, "max_user_namespaces", "/proc/sys/user/max_user_namespaces");
  set_int_or_null (o, "unprivileged_userns_clone", "/proc/sys/kernel/unprivileged_userns_clone");
  set_int_or_null (o, "apparmor_restrict_unprivileged_userns",
                   "/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  if (max != NULL && strcmp (max, "0") == 0)
    mode = "disabled";
  else if (clone != NULL && strcmp (clone, "0") == 0)
    mode = "root-only";
  else if (apparmor != NULL && strcmp (apparmor, "1") == 0)
    mode = "apparmor-restricted";
  else
    mode = "unprivileged-allowed";
  json_object_set_string_member (o, "mode", mode);
  return o;
}

static void
landlock_facts (JsonObject *venue)
{
#ifdef SYS_landlock_create_ruleset
  long abi = syscall (SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

  if (abi >= 0)
    {
      json_object_set_int_member (venue, "landlock_abi", abi);
      return;
    }
  json_object_set_int_member (venue, "landlock_abi", -1);
  json_object_set_string_member (venue, "landlock_error", g_strerror (errno));
#else
  json_object_set_int_member (venue, "landlock_abi", -1);
  json_object_set_string_member (venue, "landlock_error", "not known at build time");
#endif
}

/* A guess, with what it rests on: container marker files, the cpuinfo
 * hypervisor flag, the DMI vendor. */
static JsonObject *
virt_facts (void)
{
  JsonObject *o = json_object_new ();
  g_autofree char *cpuinfo = NULL;
  g_autofree char *vendor = read_line ("/sys/class/dmi/id/sys_vendor");
  g_autofree char *product = read_line ("/sys/class/dmi/id/product_name");
  const char *container = NULL;
  gboolean hypervisor = FALSE;
  g_autofree char *guess = NULL;

  if (g_file_test ("/.dockerenv", G_FILE_TEST_EXISTS))
    container = "docker";
  else if (g_file_test ("/run/.containerenv", G_FILE_TEST_EXISTS))
    container = "podman";
  else if (g_getenv ("container") != NULL)
    container = g_getenv ("container");
  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    hypervisor = strstr (cpuinfo, " hypervisor") != NULL;

  if (container != NULL)
    guess = g_strdup_printf ("container:%s", container);
  else if (hypervisor)
    guess = g_strdup_printf ("vm:%s", vendor != NULL && vendor[0] != '\0' ? vendor : "unknown");
  else
    guess = g_strdup ("none detected");
  set_string_or_null (o, "guess", guess);
  json_object_set_boolean_member (o, "cpuinfo_hypervisor", hypervisor);
  set_string_or_null (o, "dmi_sys_vendor", vendor);
  set_string_or_null (o, "dmi_product_name", product);
  set_string_or_null (o, "container", container);
  return o;
}

JsonNode *
sbx_venue_collect (const char *bwrap_path)
{
  JsonObject *venue = json_object_new ();
  JsonObject *kernel = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  struct utsname u;

  if (uname (&u) == 0)
    {
      set_string_or_null (kernel, "sysname", u.sysname);
      set_string_or_null (kernel, "release", u.release);
      set_string_or_null (kernel, "version", u.version);
      set_string_or_null (kernel, "machine", u.machine);
      set_string_or_null (venue, "arch", u.machine);
      set_string_or_null (venue, "hostname", u.nodename);
    }
  else
    {
      json_object_set_string_member (kernel, "release", "");
      json_object_set_string_member (venue, "arch", "");
      json_object_set_string_member (venue, "hostname", "");
    }
  json_object_set_object_member (venue, "kernel", kernel);
  json_object_set_int_member (venue, "uid", getuid ());
  json_object_set_int_member (venue, "euid", geteuid ());
  json_object_set_int_member (venue, "gid", getgid ());
  json_object_set_int_member (venue, "egid", getegid ());
  json_object_set_object_member (venue, "bwrap", bwrap_facts (bwrap_path));
  json_object_set_object_member (venue, "user_namespaces", userns_facts ());
  landlock_facts (venue);
  json_object_set_object_member (venue, "virtualisation", virt_facts ());
  json_node_take_object (node, venue);
  return node;
}
