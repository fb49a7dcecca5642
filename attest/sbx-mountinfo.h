/* sbx-mountinfo.h — one reader of /proc/PID/mountinfo for both sides of
 * the plan check: the host's own mounts (sbx-plan-host.c, from the file)
 * and the sandbox's (sbx-plan.c, from the fields sbx-probe recorded of
 * every line, probes/observe.c).  One record type, one free function. */
#pragma once

#include "sbx-plan.h"

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int id;             /* mount id; -1 when not known */
  char *point;        /* mount point, octal escapes undone */
  char *root;         /* root of the mount in its file system, unescaped */
  char *fstype;       /* NULL when not known */
  SbxPlanFlags flags; /* ro, nosuid, nodev, noexec from the per-mount options: 1 or 0 */
} SbxMountinfo;

/* A record from mountinfo's fields as the file writes them (@point and
 * @root still escaped, @opts "rw,nosuid,…"); NULL @root reads "?".
 * (transfer full) */
SbxMountinfo *sbx_mountinfo_new (int id, const char *point, const char *root, const char *fstype,
                                 const char *opts);

/* One line of mountinfo ("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 -
 * ext3 /dev/root rw"), or NULL when it is not one.  (transfer full) */
SbxMountinfo *sbx_mountinfo_parse_line (const char *line);

/* Every line of a mountinfo text, in order (lines that are not one are
 * skipped).  Returns SbxMountinfo*, freed with the array.  (transfer full) */
GPtrArray *sbx_mountinfo_parse (const char *text);

void sbx_mountinfo_free (gpointer mountinfo);

G_END_DECLS
