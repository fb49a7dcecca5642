/* sbx-read.h — bounded reads of files that come from elsewhere (bundles,
 * keys, policies, matrices) and a JSON parser that cannot be driven into
 * unbounded recursion.
 *
 * A file is opened without following into a FIFO's writer (O_NONBLOCK) and
 * checked with fstat() before anything is read: only regular files are
 * read, and one larger than the limit is refused at once, naming the limit.
 * The read itself is bounded too (a file growing meanwhile is refused).
 *
 * json-glib's parser recurses once per nesting level, so `[[[[…` a hundred
 * thousand deep overflows the stack.  sbx_json_parse_bounded() therefore
 * scans the text first (strings skipped, escapes honoured) and refuses a
 * nesting deeper than the limit before json-glib sees it.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SBX_BUNDLE_MAX_SIZE (64 * 1024 * 1024)
#define SBX_SMALL_FILE_MAX_SIZE (1024 * 1024)  /* keys, policies, matrices */
#define SBX_JSON_MAX_DEPTH 64

/* Reads the regular file @path, at most @max_size bytes, into *@data (NUL
 * terminated, transfer full) and *@length.  FALSE with @error (SBX_ERROR_IO)
 * naming @path for a missing or unreadable file, a FIFO, device, socket or
 * folder ("not a regular file"), or one larger than @max_size (naming the
 * limit). */
gboolean sbx_read_file_bounded (const char *path, gsize max_size, char **data, gsize *length, GError **error);

/* The deepest nesting of arrays and objects in the JSON text @data (strings
 * skipped), stopping early once it exceeds @limit. */
guint sbx_json_scan_depth (const char *data, gsize length, guint limit);

/* (transfer full) The root of the JSON document @data, refusing nesting
 * deeper than @max_depth (before json-glib parses it) and text that is not
 * JSON; @error (SBX_ERROR_EVIDENCE) says which. */
JsonNode *sbx_json_parse_bounded (const char *data, gsize length, guint max_depth, GError **error);

/* Quotes at most about 80 characters of @text for a message (transfer full):
 * longer text is cut and marked with "…", control characters escaped. */
char *sbx_quote_short (const char *text);

G_END_DECLS
