/* sbx-groups.c — the deny groups: calls that stay denied in every mode,
 * whatever the allow table says.  One syscall per line, sorted by name
 * within each group; tests/unit/test-tables.c checks that.
 */
#include "config.h"

#include "sbx-policy.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* Shorthands that keep one rule on one line. */
#define DENY(n) { .name = n, .action = SBX_ACTION_DENY, .cond = { .kind = SBX_COND_ALWAYS } }
#define DENY_WHY(n, w) { .name = n, .action = SBX_ACTION_DENY, .cond = { .kind = SBX_COND_ALWAYS }, .why = w }
#define ENOSYS_WHY(n, w) { .name = n, .action = SBX_ACTION_ENOSYS, .cond = { .kind = SBX_COND_ALWAYS }, .why = w }
#define LOW32 0xffffffffu
#define TERMS(...) .cond = { .kind = SBX_COND_TERMS },                 \
  .terms = (const SbxTerm[]){ __VA_ARGS__ },                              \
  .n_terms = sizeof ((const SbxTerm[]){ __VA_ARGS__ }) / sizeof (SbxTerm)
#define ANY_BIT(a, m) { .kind = SBX_COND_ANY_BIT, .arg = a, .mask = m }
#define GROUP(id, n, h, ...)                                        \
  [id] = { .name = n, .help = h, .rules = id##_rules,               \
           .n_rules = G_N_ELEMENTS (id##_rules), __VA_ARGS__ }

/* Every namespace flag clone() accepts.  CLONE_NEWTIME is left out: in
 * clone() its bit (0x80) is part of the exit signal; unshare and clone3,
 * which could use it, are denied outright. */
/* The set-id bits of a mode (umode_t: the kernel reads 16 bits). */
#define SBX_SETID_BITS (S_ISUID | S_ISGID)
/* The open flags under which the kernel uses the mode: O_CREAT, and the
 * bit of O_TMPFILE that is not O_DIRECTORY (__O_TMPFILE). */
#define SBX_OPEN_MODE_FLAGS (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))
/* mknod's mode: its file type and set-id bits must say "plain FIFO". */
#define SBX_MKNOD_MASK (S_IFMT | SBX_SETID_BITS)
/* The kernel's SOCK_TYPE_MASK: the type without SOCK_CLOEXEC and
 * SOCK_NONBLOCK (other flag bits are EINVAL anyway). */
#define SBX_SOCK_TYPE_MASK 0xfu
/* Socket types that carry a connection: their peer is fixed at creation
 * (socketpair) or by connect, which the job is refused. */
#define SBX_STREAM_TYPES { SOCK_STREAM, SOCK_SEQPACKET }

#define SBX_CLONE_NEW_FLAGS                                                  \
  (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |             \
   CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

static const SbxRule SBX_GROUP_NETWORK_rules[] = {
  DENY ("accept"),
  DENY ("accept4"),
  DENY ("bind"),
  DENY_WHY ("connect", "denied even for allowed families: a socket of its own is all a job gets"),
  DENY ("listen"),
  { .name = "socket", .action = SBX_ACTION_DENY,
    TERMS ({ { { .kind = SBX_COND_NOT_IN_FAMILIES, .arg = 0, .mask = LOW32 } } },
           { { { .kind = SBX_COND_IN, .arg = 0, .mask = LOW32, .n_values = 1, .values = { AF_UNIX } },
               { .kind = SBX_COND_NOT_IN, .arg = 1, .mask = SBX_SOCK_TYPE_MASK, .n_values = 2,
                 .values = SBX_STREAM_TYPES } } }),
    .why = "allowed only for [network] socket-families (none by default); AF_UNIX only as a "
           "stream or seqpacket: an unbound datagram socket can sendto() any socket path it sees" },
  { .name = "socketpair", .action = SBX_ACTION_DENY,
    TERMS ({ { { .kind = SBX_COND_NOT_IN, .arg = 0, .mask = LOW32, .n_values = 1, .values = { AF_UNIX } } } },
           { { { .kind = SBX_COND_NOT_IN, .arg = 1, .mask = SBX_SOCK_TYPE_MASK, .n_values = 2,
                 .values = SBX_STREAM_TYPES } } }),
    .why = "AF_UNIX stream and seqpacket pairs are plain pipes; a datagram end (SOCK_DGRAM, or "
           "SOCK_RAW, which AF_UNIX makes a datagram) can sendto() a host socket under /out" },
};

static const SbxRule SBX_GROUP_DEBUG_rules[] = {
  DENY_WHY ("kcmp", "compares other processes' kernel objects: an information leak"),
  DENY_WHY ("pidfd_getfd", "steals a file descriptor from another process"),
  DENY_WHY ("process_madvise", "acts on another process's memory"),
  DENY ("process_vm_readv"),
  DENY ("process_vm_writev"),
  DENY ("ptrace"),
};

static const SbxRule SBX_GROUP_MOUNT_rules[] = {
  DENY_WHY ("chroot", "changes the root like pivot_root"),
  DENY ("fsconfig"),
  DENY ("fsmount"),
  DENY ("fsopen"),
  DENY ("fspick"),
  DENY ("mount"),
  DENY ("mount_setattr"),
  DENY ("move_mount"),
  DENY ("open_tree"),
  DENY ("pivot_root"),
  DENY_WHY ("umount2", "x86_64 has no plain umount"),
};

static const SbxRule SBX_GROUP_NAMESPACES_rules[] = {
  { .name = "clone", .action = SBX_ACTION_DENY,
    .cond = { .kind = SBX_COND_ANY_BIT, .arg = 0, .mask = SBX_CLONE_NEW_FLAGS },
    .why = "fork and threads pass; any CLONE_NEW* flag is refused" },
  ENOSYS_WHY ("clone3", "its flags sit in memory seccomp cannot read; ENOSYS makes libc fall back to clone"),
  DENY ("setns"),
  DENY ("unshare"),
};

static const SbxRule SBX_GROUP_KEYRING_rules[] = {
  DENY_WHY ("add_key", "keyrings are not namespaced: a way out to the host's keys"),
  DENY ("keyctl"),
  DENY ("request_key"),
};

static const SbxRule SBX_GROUP_KERNEL_rules[] = {
  DENY ("acct"),
  DENY_WHY ("bpf", "a large kernel attack surface; nothing offline needs it"),
  DENY ("delete_module"),
  DENY ("finit_module"),
  DENY ("init_module"),
  DENY ("ioperm"),
  DENY ("iopl"),
  DENY ("kexec_file_load"),
  DENY ("kexec_load"),
  DENY_WHY ("perf_event_open", "side channels and a long bug history"),
  { .name = "personality", .action = SBX_ACTION_DENY,
    .cond = { .kind = SBX_COND_NOT_IN, .arg = 0, .mask = LOW32, .n_values = 2, .values = { 0, 0xffffffffu } },
    .why = "only PER_LINUX (0) and the 0xffffffff query: other personas change the ABI (READ_IMPLIES_EXEC, ...)" },
  DENY ("quotactl"),
  DENY ("quotactl_fd"),
  DENY ("reboot"),
  DENY ("swapoff"),
  DENY ("swapon"),
  DENY_WHY ("syslog", "reads the host's kernel log"),
  DENY_WHY ("userfaultfd", "lets a job stall the kernel at will: a classic exploit helper"),
};

static const SbxRule SBX_GROUP_IO_URING_rules[] = {
  DENY_WHY ("io_uring_enter", "io_uring ops (socket, connect, openat) run without passing seccomp"),
  DENY ("io_uring_register"),
  DENY ("io_uring_setup"),
};

static const SbxRule SBX_GROUP_HANDLES_rules[] = {
  DENY_WHY ("name_to_handle_at", "handles reach files outside the mount tree (shocker)"),
  DENY ("open_by_handle_at"),
};

static const SbxRule SBX_GROUP_TTY_rules[] = {
  { .name = "ioctl", .action = SBX_ACTION_DENY,
    .cond = { .kind = SBX_COND_IN, .arg = 1, .mask = LOW32, .n_values = 2, .values = { TIOCSTI, TIOCLINUX } },
    .why = "TIOCSTI/TIOCLINUX type into the controlling terminal; the low 32 bits only, as the kernel reads them" },
};

/* As systemd's RestrictSUIDSGID=: no call that can give a file a set-uid
 * or set-gid bit.  Such a file in /out would keep it on the host. */
static const SbxRule SBX_GROUP_SETID_rules[] = {
  { .name = "chmod", .action = SBX_ACTION_DENY, .cond = ANY_BIT (1, SBX_SETID_BITS),
    .why = "any other mode passes" },
  { .name = "creat", .action = SBX_ACTION_DENY, .cond = ANY_BIT (1, SBX_SETID_BITS),
    .why = "creat is open with O_CREAT: refused with a set-id mode" },
  { .name = "fchmod", .action = SBX_ACTION_DENY, .cond = ANY_BIT (1, SBX_SETID_BITS),
    .why = "also what closes O_TMPFILE + fchmod + linkat into /out" },
  { .name = "fchmodat", .action = SBX_ACTION_DENY, .cond = ANY_BIT (2, SBX_SETID_BITS),
    .why = "as chmod" },
  { .name = "fchmodat2", .action = SBX_ACTION_DENY, .cond = ANY_BIT (2, SBX_SETID_BITS),
    .optional = TRUE,
    .why = "as fchmodat (Linux 6.6, its flags in arg 3); left out where libseccomp does not know "
           "it: the prologue's ENOSYS for newer numbers answers instead, and libc falls back to "
           "fchmodat" },
  { .name = "mkdir", .action = SBX_ACTION_DENY, .cond = ANY_BIT (1, SBX_SETID_BITS),
    .why = "a set-gid folder hands its group to everything made in it" },
  { .name = "mkdirat", .action = SBX_ACTION_DENY, .cond = ANY_BIT (2, SBX_SETID_BITS),
    .why = "as mkdir" },
  { .name = "mknod", .action = SBX_ACTION_DENY,
    .cond = { .kind = SBX_COND_NOT_IN, .arg = 1, .mask = SBX_MKNOD_MASK, .n_values = 1, .values = { S_IFIFO } },
    .why = "only FIFOs without set-id bits (mkfifo): devices need capabilities anyway, and a "
           "regular file made by mknod could carry a set-id mode" },
  { .name = "mknodat", .action = SBX_ACTION_DENY,
    .cond = { .kind = SBX_COND_NOT_IN, .arg = 2, .mask = SBX_MKNOD_MASK, .n_values = 1, .values = { S_IFIFO } },
    .why = "as mknod; glibc's mkfifo calls mknodat" },
  { .name = "open", .action = SBX_ACTION_DENY,
    TERMS ({ { ANY_BIT (1, SBX_OPEN_MODE_FLAGS), ANY_BIT (2, SBX_SETID_BITS) } }),
    .why = "the mode counts only with O_CREAT or O_TMPFILE: refused when it is set-id then" },
  { .name = "openat", .action = SBX_ACTION_DENY,
    TERMS ({ { ANY_BIT (2, SBX_OPEN_MODE_FLAGS), ANY_BIT (3, SBX_SETID_BITS) } }),
    .why = "as open; an O_TMPFILE file made set-id could be linkat()ed into /out" },
  ENOSYS_WHY ("openat2", "its mode sits in a struct seccomp cannot read; ENOSYS makes libc fall back to openat"),
};

static const SbxRule SBX_GROUP_EXEC_rules[] = {
  DENY ("execve"),
  DENY ("execveat"),
};

const SbxGroup sbx_deny_groups[SBX_N_GROUPS] = {
  GROUP (SBX_GROUP_NETWORK, "network", "sockets other than the allowed families, and connecting or listening"),
  GROUP (SBX_GROUP_DEBUG, "debug", "reading or changing other processes (ptrace and friends)"),
  GROUP (SBX_GROUP_MOUNT, "mount", "changing the mount tree or the root"),
  GROUP (SBX_GROUP_NAMESPACES, "namespaces", "creating or entering namespaces"),
  GROUP (SBX_GROUP_KEYRING, "keyring", "the kernel keyrings"),
  GROUP (SBX_GROUP_KERNEL, "kernel", "administering the kernel: modules, kexec, bpf, perf, swap, logs, personality"),
  GROUP (SBX_GROUP_IO_URING, "io_uring", "io_uring, whose operations bypass seccomp"),
  GROUP (SBX_GROUP_HANDLES, "handles", "opening files by handle, around the mount tree"),
  GROUP (SBX_GROUP_TTY, "tty", "injecting input into the terminal"),
  GROUP (SBX_GROUP_SETID, "setid", "making set-uid or set-gid files (as systemd's RestrictSUIDSGID=)"),
  /* Gate stage: sbx's exec gate answers each exec (the helper's one exec
   * continues, every later one gets the profile's errno). */
  GROUP (SBX_GROUP_EXEC, "exec", "running another program (lock and gate stages only)", .lock_only = TRUE,
         .gate_notify = TRUE),
};
