/* sbx-names.c — name ↔ value tables for [network] socket-families, the
 * lookups of [seccomp] errno in bpf/sbx-errnos.c's table, and the names of
 * the profile's enum keys (input-mode, network mode, seccomp mode,
 * exec-lock), shared by the profile parser, its warnings, the seccomp
 * compiler and attestation.  Names are the ones a reader knows from
 * errno(3) and address_families(7); lookups are exact (case-sensitive). */
#include "config.h"

#include "sbx-private.h"
#include "sbx-errnos.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* The name in the entry, not a pointer: the table needs no relocation at
 * start (bpf/sbx-policy.h says why that matters). */
typedef struct {
  char name[16];
  int value;
} SbxName;

/* Address families by their address_families(7) name without "AF_",
 * lower case.  Aliases (AF_LOCAL, AF_ROUTE) are left out so each family
 * has one spelling in canonical text. */
static const SbxName family_names[] = {
  { "alg", AF_ALG },
  { "appletalk", AF_APPLETALK },
  { "atmpvc", AF_ATMPVC },
  { "atmsvc", AF_ATMSVC },
  { "ax25", AF_AX25 },
  { "bluetooth", AF_BLUETOOTH },
  { "caif", AF_CAIF },
  { "can", AF_CAN },
  { "ib", AF_IB },
  { "ieee802154", AF_IEEE802154 },
  { "inet", AF_INET },
  { "inet6", AF_INET6 },
  { "ipx", AF_IPX },
  { "irda", AF_IRDA },
  { "isdn", AF_ISDN },
  { "iucv", AF_IUCV },
  { "kcm", AF_KCM },
  { "key", AF_KEY },
  { "llc", AF_LLC },
  { "mpls", AF_MPLS },
  { "netlink", AF_NETLINK },
  { "netrom", AF_NETROM },
  { "nfc", AF_NFC },
  { "packet", AF_PACKET },
  { "phonet", AF_PHONET },
  { "pppox", AF_PPPOX },
  { "qipcrtr", AF_QIPCRTR },
  { "rds", AF_RDS },
  { "rose", AF_ROSE },
  { "rxrpc", AF_RXRPC },
  { "smc", AF_SMC },
  { "tipc", AF_TIPC },
  { "unix", AF_UNIX },
  { "vsock", AF_VSOCK },
  { "x25", AF_X25 },
  { "xdp", AF_XDP },
};

const SbxEnumName sbx_input_mode_names[] = {
  { "ro", FALSE }, { "rw", TRUE }, { NULL, 0 },
};
const SbxEnumName sbx_network_mode_names[] = {
  { "none", SBX_NETWORK_NONE }, { "host", SBX_NETWORK_HOST }, { NULL, 0 },
};
const SbxEnumName sbx_seccomp_mode_names[] = {
  { "allow-list", SBX_SECCOMP_ALLOW_LIST }, { "deny-list", SBX_SECCOMP_DENY_LIST }, { NULL, 0 },
};
const SbxEnumName sbx_exec_lock_names[] = {
  { "on", SBX_EXEC_LOCK_ON },
  /* the name of the LD_PRELOAD lock the gate replaced: old profiles keep working */
  { "preload", SBX_EXEC_LOCK_ON },
  { "self", SBX_EXEC_LOCK_SELF },
  { "off", SBX_EXEC_LOCK_OFF },
  { NULL, 0 },
};

const char *
sbx_enum_name (const SbxEnumName *table, int value)
{
  for (const SbxEnumName *n = table; n->name != NULL; n++)
    if (n->value == value)
      return n->name;
  return NULL;
}

const char *
sbx_exec_lock_to_string (SbxExecLock lock)
{
  const char *name = sbx_enum_name (sbx_exec_lock_names, lock);

  return name != NULL ? name : "unknown";
}

static int
name_lookup (const SbxName *table, gsize n, const char *name)
{
  if (name == NULL)
    return -1;
  for (gsize i = 0; i < n; i++)
    if (strcmp (table[i].name, name) == 0)
      return table[i].value;
  return -1;
}

static const char *
value_lookup (const SbxName *table, gsize n, int value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return NULL;
}

int
sbx_errno_from_name (const char *name)
{
  const SbxErrnoName *e = sbx_errno_entry_by_name (name);

  return e != NULL && e->profile ? e->value : -1;
}

const char *
sbx_errno_to_name (int value)
{
  /* EOPNOTSUPP and ENOTSUP share a number: ENOTSUP is the alias. */
  const SbxErrnoName *e = sbx_errno_entry_by_value (value, TRUE);

  return e != NULL ? e->name : NULL;
}

int
sbx_socket_family_from_name (const char *name)
{
  return name_lookup (family_names, G_N_ELEMENTS (family_names), name);
}

const char *
sbx_socket_family_to_name (int family)
{
  return value_lookup (family_names, G_N_ELEMENTS (family_names), family);
}
