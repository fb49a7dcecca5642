/* sbx-decode.c — how `sbx run --explain` shows the arguments of a refused
 * call.  Sorted by name, one syscall per line; a call not listed shows as
 * "name(…)".  Only values that identify the attempt (families, flags,
 * requests, numbers) are shown; pointers are "…" so the line of one attempt
 * is the same every time and is printed once.
 */
#include "config.h"

#include "sbx-policy.h"

#define I SBX_ARG_INT
#define H SBX_ARG_HEX
#define P SBX_ARG_PTR

const SbxDecode sbx_decode_table[] = {
  { "accept", { I, P, P } },
  { "accept4", { I, P, P, H } },
  { "bind", { I, P, I } },
  { "bpf", { I, P, I } },
  { "chroot", { P } },
  { "clone", { H } },
  { "connect", { I, P, I } },
  { "init_module", { P, I, P } },
  { "io_uring_setup", { I, P } },
  { "ioctl", { I, H } },
  { "kcmp", { I, I, I } },
  { "keyctl", { I } },
  { "listen", { I, I } },
  { "mount", { P, P, P, H, P } },
  { "perf_event_open", { P, I, I, I, H } },
  { "personality", { H } },
  { "pidfd_getfd", { I, I, H } },
  { "process_vm_readv", { I, P, I, P, I, H } },
  { "process_vm_writev", { I, P, I, P, I, H } },
  { "ptrace", { I, I, P, P } },
  { "setns", { I, H } },
  { "socket", { SBX_ARG_FAMILY, SBX_ARG_SOCKTYPE, I } },
  { "socketpair", { SBX_ARG_FAMILY, SBX_ARG_SOCKTYPE, I, P } },
  { "umount2", { P, H } },
  { "unshare", { H } },
  { "userfaultfd", { H } },
};

const gsize sbx_decode_table_len = G_N_ELEMENTS (sbx_decode_table);
