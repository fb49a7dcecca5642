/* sbx-errnos.c — the errno names (see sbx-errnos.h).  The profile subset
 * is what a filter may sensibly answer a denied call with; the rest are
 * names a probe may observe.  0 is deliberately absent: a filter that
 * "fails" with 0 would make a denied call look successful. */
#include "config.h"

#include "sbx-errnos.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

/* E: a name probes read and print; P: one a profile's errno= may give
 * too; A, PA: the same for an alias (read, never written). */
#define E(e) { .name = #e, .value = e }
#define P(e) { .name = #e, .value = e, .profile = 1 }
#define A(e) { .name = #e, .value = e, .alias = 1 }
#define PA(e) { .name = #e, .value = e, .profile = 1, .alias = 1 }

const SbxErrnoName sbx_errno_names[] = {
  P (E2BIG),
  P (EACCES),
  E (EADDRINUSE),
  P (EADDRNOTAVAIL),
  P (EAFNOSUPPORT),
  P (EAGAIN),
  E (EALREADY),
  P (EBADF),
  E (EBADMSG),
  P (EBUSY),
  E (ECANCELED),
  P (ECHILD),
  E (ECONNABORTED),
  P (ECONNREFUSED),
  E (ECONNRESET),
  E (EDEADLK),
  A (EDEADLOCK),
  E (EDESTADDRREQ),
  E (EDOM),
  E (EDQUOT),
  P (EEXIST),
  P (EFAULT),
  P (EFBIG),
  E (EHOSTDOWN),
  P (EHOSTUNREACH),
  E (EHWPOISON),
  E (EIDRM),
  E (EILSEQ),
  E (EINPROGRESS),
  P (EINTR),
  P (EINVAL),
  P (EIO),
  E (EISCONN),
  P (EISDIR),
  E (EKEYEXPIRED),
  E (EKEYREJECTED),
  E (EKEYREVOKED),
  P (ELOOP),
  P (EMFILE),
  P (EMLINK),
  E (EMSGSIZE),
  P (ENAMETOOLONG),
  P (ENETDOWN),
  E (ENETRESET),
  P (ENETUNREACH),
  P (ENFILE),
  E (ENOBUFS),
  E (ENODATA),
  P (ENODEV),
  P (ENOENT),
  P (ENOEXEC),
  E (ENOKEY),
  E (ENOLCK),
  E (ENOLINK),
  P (ENOMEM),
  E (ENOMSG),
  E (ENOPROTOOPT),
  P (ENOSPC),
  E (ENOSR),
  E (ENOSTR),
  P (ENOSYS),
  E (ENOTBLK),
  E (ENOTCONN),
  P (ENOTDIR),
  E (ENOTEMPTY),
  E (ENOTRECOVERABLE),
  E (ENOTSOCK),
  PA (ENOTSUP),
  P (ENOTTY),
  P (ENXIO),
  P (EOPNOTSUPP),
  E (EOVERFLOW),
  E (EOWNERDEAD),
  P (EPERM),
  E (EPFNOSUPPORT),
  P (EPIPE),
  E (EPROTO),
  P (EPROTONOSUPPORT),
  E (EPROTOTYPE),
  P (ERANGE),
  E (ERFKILL),
  P (EROFS),
  E (ESHUTDOWN),
  E (ESOCKTNOSUPPORT),
  P (ESPIPE),
  P (ESRCH),
  E (ESTALE),
  E (ETIME),
  P (ETIMEDOUT),
  P (ETXTBSY),
  E (EUSERS),
  A (EWOULDBLOCK),
  P (EXDEV),
};
#undef E
#undef P
#undef A
#undef PA

const unsigned sbx_errno_names_size = sizeof sbx_errno_names / sizeof sbx_errno_names[0];

const SbxErrnoName *
sbx_errno_entry_by_name (const char *name)
{
  if (name == NULL)
    return NULL;
  for (unsigned i = 0; i < sbx_errno_names_size; i++)
    if (strcmp (sbx_errno_names[i].name, name) == 0)
      return &sbx_errno_names[i];
  return NULL;
}

const SbxErrnoName *
sbx_errno_entry_by_value (int value, int profile_only)
{
  for (unsigned i = 0; i < sbx_errno_names_size; i++)
    {
      const SbxErrnoName *e = &sbx_errno_names[i];

      if (e->value == value && !e->alias)
        return profile_only && !e->profile ? NULL : e;
    }
  return NULL;
}
