/* sbx-venue-policy.h — the verifier's venue policy (`sbx verify --policy`).
 *
 * A GLib key file the verifier writes; every key is optional, but a policy
 * must state at least one rule:
 *
 *   [venue]
 *   bwrap-sha256=<sha256>;<sha256>   bwrap binaries allowed (by content)
 *   kernel-min=6.1                   lowest kernel release (numeric parts)
 *   caller=non-root                  non-root | root | any: who ran attest
 *   userns=unprivileged-allowed      user-namespace modes allowed (a list)
 *   [tool]
 *   sbx-sha256=<sha256>;…            sbx binaries allowed
 *   sbx-probe-sha256=<sha256>;…      sbx-probe binaries allowed
 *   [signer]
 *   keys=ci.pub.pem;…                public keys (relative to the policy's
 *                                    folder) one of which must have signed
 *
 * Unknown groups and keys are refused, naming them.  Checking a bundle
 * against the policy names every rule that fails with the value the
 * bundle had.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SBX_CALLER_ANY,
  SBX_CALLER_NON_ROOT,
  SBX_CALLER_ROOT,
} SbxCaller;

typedef struct {
  char *path;
  GStrv bwrap_sha256;     /* NULL: any */
  char *kernel_min;       /* NULL: any */
  SbxCaller caller;
  GStrv userns;           /* NULL: any */
  GStrv sbx_sha256;       /* NULL: any */
  GStrv sbx_probe_sha256; /* NULL: any */
  GStrv signer_keys;      /* absolute paths; NULL: none named */
} SbxVenuePolicy;

/* What the bundle says, as the policy needs it; NULL / have_ids FALSE when
 * the bundle does not say (which fails any rule about it). */
typedef struct {
  const char *bwrap_sha256;
  const char *kernel_release;
  gboolean have_ids;
  gint64 uid, euid;
  const char *userns_mode;
  const char *sbx_sha256;
  const char *sbx_probe_sha256;
} SbxVenueFacts;

/* (transfer full) The policy in the key file @path (read bounded, regular
 * files only); NULL with @error naming the file, group and key. */
SbxVenuePolicy *sbx_venue_policy_load (const char *path, GError **error);
/* (transfer full) The same from text; @path names it and anchors relative
 * key paths. */
SbxVenuePolicy *sbx_venue_policy_new_from_data (const char *data, gsize length, const char *path, GError **error);
void sbx_venue_policy_free (SbxVenuePolicy *policy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbxVenuePolicy, sbx_venue_policy_free)

/* (transfer full) One line per rule of @policy that @facts break ("[venue]
 * caller=non-root: the attestation ran as uid 0"); empty when all hold. */
GPtrArray *sbx_venue_policy_check (const SbxVenuePolicy *policy, const SbxVenueFacts *facts);

/* Compares kernel releases by their leading numeric parts ("6.1.0-18-amd64"
 * → 6, 1, 0): <0, 0, >0 like strcmp. */
int sbx_kernel_release_compare (const char *a, const char *b);

G_END_DECLS
