/* sbx-errnos.c — the errno names (see sbx-errnos.h).  The profile subset
 * is what a filter may sensibly answer a denied call with; the rest are
 * names a probe may observe.  0 is deliberately absent: a filter that
 * "fails" with 0 would make a denied call look successful. */
#include "config.h"

#include "sbx-errnos.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#define E(e) .name = #e, .value = e

const SbxErrnoName sbx_errno_names[] = {
  { E (E2BIG), .profile = 1 },
  { E (EACCES), .profile = 1 },
  { E (EADDRINUSE) },
  { E (EADDRNOTAVAIL), .profile = 1 },
  { E (EAFNOSUPPORT), .profile = 1 },
  { E (EAGAIN), .profile = 1 },
  { E (EALREADY) },
  { E (EBADF), .profile = 1 },
  { E (EBADMSG) },
  { E (EBUSY), .profile = 1 },
  { E (ECANCELED) },
  { E (ECHILD), .profile = 1 },
  { E (ECONNABORTED) },
  { E (ECONNREFUSED), .profile = 1 },
  { E (ECONNRESET) },
  { E (EDEADLK) },
  { E (EDEADLOCK), .alias = 1 },
  { E (EDESTADDRREQ) },
  { E (EDOM) },
  { E (EDQUOT) },
  { E (EEXIST), .profile = 1 },
  { E (EFAULT), .profile = 1 },
  { E (EFBIG), .profile = 1 },
  { E (EHOSTDOWN) },
  { E (EHOSTUNREACH), .profile = 1 },
  { E (EHWPOISON) },
  { E (EIDRM) },
  { E (EILSEQ) },
  { E (EINPROGRESS) },
  { E (EINTR), .profile = 1 },
  { E (EINVAL), .profile = 1 },
  { E (EIO), .profile = 1 },
  { E (EISCONN) },
  { E (EISDIR), .profile = 1 },
  { E (EKEYEXPIRED) },
  { E (EKEYREJECTED) },
  { E (EKEYREVOKED) },
  { E (ELOOP), .profile = 1 },
  { E (EMFILE), .profile = 1 },
  { E (EMLINK), .profile = 1 },
  { E (EMSGSIZE) },
  { E (ENAMETOOLONG), .profile = 1 },
  { E (ENETDOWN), .profile = 1 },
  { E (ENETRESET) },
  { E (ENETUNREACH), .profile = 1 },
  { E (ENFILE), .profile = 1 },
  { E (ENOBUFS) },
  { E (ENODATA) },
  { E (ENODEV), .profile = 1 },
  { E (ENOENT), .profile = 1 },
  { E (ENOEXEC), .profile = 1 },
  { E (ENOKEY) },
  { E (ENOLCK) },
  { E (ENOLINK) },
  { E (ENOMEM), .profile = 1 },
  { E (ENOMSG) },
  { E (ENOPROTOOPT) },
  { E (ENOSPC), .profile = 1 },
  { E (ENOSR) },
  { E (ENOSTR) },
  { E (ENOSYS), .profile = 1 },
  { E (ENOTBLK) },
  { E (ENOTCONN) },
  { E (ENOTDIR), .profile = 1 },
  { E (ENOTEMPTY) },
  { E (ENOTRECOVERABLE) },
  { E (ENOTSOCK) },
  { E (ENOTSUP), .profile = 1, .alias = 1 },
  { E (ENOTTY), .profile = 1 },
  { E (ENXIO), .profile = 1 },
  { E (EOPNOTSUPP), .profile = 1 },
  { E (EOVERFLOW) },
  { E (EOWNERDEAD) },
  { E (EPERM), .profile = 1 },
  { E (EPFNOSUPPORT) },
  { E (EPIPE), .profile = 1 },
  { E (EPROTO) },
  { E (EPROTONOSUPPORT), .profile = 1 },
  { E (EPROTOTYPE) },
  { E (ERANGE), .profile = 1 },
  { E (ERFKILL) },
  { E (EROFS), .profile = 1 },
  { E (ESHUTDOWN) },
  { E (ESOCKTNOSUPPORT) },
  { E (ESPIPE), .profile = 1 },
  { E (ESRCH), .profile = 1 },
  { E (ESTALE) },
  { E (ETIME) },
  { E (ETIMEDOUT), .profile = 1 },
  { E (ETXTBSY), .profile = 1 },
  { E (EUSERS) },
  { E (EWOULDBLOCK), .alias = 1 },
  { E (EXDEV), .profile = 1 },
};
#undef E

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
