/* sbx-envelope.c — the signed statement `sbx attest` writes (sbx-envelope.h). */
#include "config.h"

#include "sbx-envelope.h"

#include "sbxprofile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

char *
sbx_file_sha256 (const char *path, GError **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar buf[64 * 1024];
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  struct stat st;
  ssize_t n;

  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = fd < 0 ? errno : EINVAL;

      if (fd >= 0)
        close (fd);
      g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: cannot hash: %s", path,
                   saved == EINVAL ? "not a regular file" : g_strerror (saved));
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
          g_set_error (error, SBX_ERROR, SBX_ERROR_IO, "%s: cannot read: %s", path, g_strerror (saved));
          return NULL;
        }
      g_checksum_update (sum, buf, (gsize) n);
    }
  close (fd);
  return g_strdup (g_checksum_get_string (sum));
}

static char *
utc_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

JsonNode *
sbx_attest_envelope_new (JsonNode *evidence_root, GPtrArray *subjects, const char *time, const char *challenge,
                         GPtrArray *sign_keys, GError **error)
{
  JsonNode *predicate = json_node_copy (evidence_root);
  JsonObject *p = json_node_get_object (predicate);
  g_autofree char *now = time == NULL ? utc_now () : g_strdup (time);
  g_autoptr(JsonNode) statement = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *body = NULL;
  gsize body_len = 0;

  /* the signature replaces the digest; the predicate type names the schema */
  if (json_object_has_member (p, "digest"))
    json_object_remove_member (p, "digest");
  if (json_object_has_member (p, "schema"))
    json_object_remove_member (p, "schema");
  json_object_set_string_member (p, "time", now);
  if (challenge != NULL)
    json_object_set_string_member (p, "challenge", challenge);
  else
    json_object_set_null_member (p, "challenge");
  statement = sbx_statement_new (subjects, SBX_PREDICATE_TYPE, predicate);
  json_generator_set_root (gen, statement);
  body = json_generator_to_data (gen, &body_len);
  return sbx_dsse_envelope_new (SBX_DSSE_INTOTO_PAYLOAD_TYPE, (const guint8 *) body, body_len, sign_keys, error);
}

char *
sbx_envelope_to_data (JsonNode *envelope, gsize *length)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  char *out;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, envelope);
  text = json_generator_to_data (gen, NULL);
  out = g_strconcat (text, "\n", NULL);
  if (length != NULL)
    *length = strlen (out);
  return out;
}
