/* sbx-policy.h — the seccomp policy as data: rule and group types, and the
 * tables bpf/sbx-groups.c and bpf/sbx-allow.c define.
 *
 * A deny rule names one syscall, what it answers (the profile's errno, or
 * ENOSYS) and when: always, only when one argument, masked, matches a
 * condition, or when any of a few terms holds, a term being up to two
 * conditions on different arguments that all hold (open with O_CREAT *and* a
 * set-id mode; socketpair of another family *or* of a datagram type).
 * All conditions look at the low 32 bits of one argument: every
 * argument we inspect is an int or unsigned int in the kernel (clone's flags
 * go through lower_32_bits()), so the upper half is ignored by the kernel and
 * must be ignored by the filter too — comparing all 64 bits of ioctl's
 * request was the TIOCSTI bypass.
 *
 * lib/sbx-seccomp.c turns these tables into libseccomp rules; the tables
 * never mention an ABI: names are resolved on the native one.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SBX_POLICY_INTERNAL __attribute__ ((visibility ("hidden")))

/* Names are stored in the tables themselves, not pointed to: a table of
 * pointers is relocated at every start of the static-pie sbx and then
 * write-protected (RELRO), which costs tens of microseconds per page on a
 * virtual machine (benchmark B1); plain arrays stay in .rodata. */
#define SBX_SYSCALL_NAME_SIZE 24  /* "landlock_create_ruleset" and its NUL */

/* What a matching call answers. */
typedef enum {
  SBX_ACTION_DENY,   /* the profile's errno (EPERM by default) */
  SBX_ACTION_ENOSYS, /* "not implemented", so libc falls back to an older call */
} SbxActionKind;

/* When a rule applies.  x below is (argument & mask), mask within 32 bits. */
typedef enum {
  SBX_COND_ALWAYS,          /* every call */
  SBX_COND_ANY_BIT,         /* x != 0: any of the mask's bits set */
  SBX_COND_IN,              /* x is one of values[] */
  SBX_COND_NOT_IN,          /* x is none of values[] */
  SBX_COND_NOT_IN_FAMILIES, /* x is none of the profile's socket families */
  SBX_COND_TERMS,           /* any of the rule's terms holds (SbxRule.terms) */
} SbxCondKind;

#define SBX_COND_MAX_VALUES 4

typedef struct {
  SbxCondKind kind;
  guint arg;                               /* 0..5 */
  guint32 mask;                            /* 0xffffffff for IN / NOT_IN */
  guint n_values;
  guint32 values[SBX_COND_MAX_VALUES];     /* sorted, unique */
} SbxCond;

/* A conjunction: holds when every condition in it holds.  Unused slots are
 * zero, i.e. SBX_COND_ALWAYS, which always holds; the used ones look at
 * different arguments and are never SBX_COND_TERMS. */
#define SBX_TERM_MAX_CONDS 2

typedef struct {
  SbxCond all[SBX_TERM_MAX_CONDS];
} SbxTerm;

typedef struct {
  const char *name;   /* syscall name as libseccomp spells it */
  SbxActionKind action;
  SbxCond cond;       /* SBX_COND_TERMS: see terms */
  const SbxTerm *terms; /* with SBX_COND_TERMS: denied when any term holds */
  gsize n_terms;
  gboolean optional;  /* newer than some libseccomp: left out where it is unknown */
  const char *why;    /* for surprising entries; NULL when the group says it all */
} SbxRule;

/* Deny groups, in the order their rules are applied (order does not change
 * the result: one syscall appears in one group only). */
typedef enum {
  SBX_GROUP_NETWORK,
  SBX_GROUP_DEBUG,
  SBX_GROUP_MOUNT,
  SBX_GROUP_NAMESPACES,
  SBX_GROUP_KEYRING,
  SBX_GROUP_KERNEL,
  SBX_GROUP_IO_URING,
  SBX_GROUP_HANDLES,
  SBX_GROUP_TTY,
  SBX_GROUP_SETID,
  SBX_GROUP_EXEC,     /* lock stage only */
  SBX_N_GROUPS,
} SbxGroupId;

typedef struct {
  const char *name;      /* "network" */
  const char *help;      /* one line: what the group keeps the job from doing */
  gboolean lock_only;    /* only in the lock and gate stages (exec) */
  gboolean gate_notify;  /* in the gate stage, SECCOMP_RET_USER_NOTIF: sbx answers */
  const SbxRule *rules;  /* sorted by name, one syscall per rule */
  gsize n_rules;
} SbxGroup;

/* bpf/sbx-groups.c: indexed by SbxGroupId. */
SBX_POLICY_INTERNAL extern const SbxGroup sbx_deny_groups[SBX_N_GROUPS];

/* bpf/sbx-allow.c: what an ordinary offline process needs, sorted, unique.
 * Used in allow-list mode only; the deny groups still win. */
SBX_POLICY_INTERNAL extern const char sbx_allow_table[][SBX_SYSCALL_NAME_SIZE];
SBX_POLICY_INTERNAL extern const gsize sbx_allow_table_len;

/* How `sbx run --explain` shows a refused call's arguments
 * (bpf/sbx-decode.c).  Pointers are shown as "…": a line must not change
 * with an address, or a loop would print it again and again. */
typedef enum {
  SBX_ARG_END,         /* no more arguments are shown */
  SBX_ARG_INT,         /* decimal */
  SBX_ARG_HEX,         /* flags, requests: 0x… */
  SBX_ARG_PTR,         /* "…" */
  SBX_ARG_FAMILY,      /* AF_INET6 */
  SBX_ARG_SOCKTYPE,    /* SOCK_DGRAM|SOCK_CLOEXEC */
} SbxArgKind;

#define SBX_DECODE_MAX_ARGS 6

typedef struct {
  char name[SBX_SYSCALL_NAME_SIZE];         /* syscall name */
  SbxArgKind args[SBX_DECODE_MAX_ARGS];
} SbxDecode;

/* bpf/sbx-decode.c: sorted by name; calls not listed show as "name(…)". */
SBX_POLICY_INTERNAL extern const SbxDecode sbx_decode_table[];
SBX_POLICY_INTERNAL extern const gsize sbx_decode_table_len;

/* bpf/sbx-allow.c: calls [seccomp] deny may not name, sorted, unique. */
SBX_POLICY_INTERNAL extern const char sbx_vital_table[][SBX_SYSCALL_NAME_SIZE];
SBX_POLICY_INTERNAL extern const gsize sbx_vital_table_len;

G_END_DECLS
