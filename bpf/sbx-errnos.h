/* sbx-errnos.h — errno names as data: the one table behind a profile's
 * [seccomp] errno= (lib/sbx-names.c) and the names sbx-probe prints in
 * its records (probes/probe.c).  Plain C, no GLib: sbx-probe is libc-only. */
#pragma once

/* The name is stored in the entry, not pointed to: no relocation at start,
 * the table stays in .rodata (sbx-policy.h says why that matters). */
typedef struct {
  char name[16];        /* as errno(3) spells it: "EPERM" */
  int value;
  unsigned profile : 1; /* a profile's errno= may name it */
  unsigned alias : 1;   /* a second name of a number (ENOTSUP, EWOULDBLOCK,
                           EDEADLOCK): read, never written */
} SbxErrnoName;

/* Sorted by name (strcmp), each name once, 0 never. */
extern const SbxErrnoName sbx_errno_names[];
extern const unsigned sbx_errno_names_size;

/* The entry named @name (exact, case-sensitive; NULL gives NULL), or NULL. */
const SbxErrnoName *sbx_errno_entry_by_name (const char *name);

/* The entry that writes @value (never an alias), or NULL; with
 * @profile_only, only if a profile may name it. */
const SbxErrnoName *sbx_errno_entry_by_value (int value, int profile_only);
