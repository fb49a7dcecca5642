/* sbx-groups.c — the deny groups: calls that stay denied in every mode,
 * whatever the allow table says.  One syscall per line, sorted by name
 * within each group; tests/unit/test-tables.c checks that.
 */
#include "config.h"

#include "sbx-policy.h"

#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* Shorthands that keep one rule on one line. */
#define DENY(n) { .name = n, .action = SBX_ACTION_DENY, .cond = { .kind = SBX_COND_ALWAYS } }
#define DENY_WHY(n, w) { .name = n, .action = SBX_ACTION_DENY, .cond = { .kind = SBX_COND_ALWAYS }, .why = w }
#define ENOSYS_WHY(n, w) { .name = n, .action = SBX_ACTION_ENOSYS, .cond = { .kind = SBX_COND_ALWAYS }, .why = w }
#define LOW32 0xffffffffu
#define GROUP(id, n, h, ...)                                        \
  [id] = { .name = n, .help = h, .rules = id##_rules,               \
           .n_rules = G_N_ELEMENTS (id##_rules), __VA_ARGS__ }

/* Every namespace flag clone() accepts.  CLONE_NEWTIME is left out: in
 * clone() its bit (0x80) is part of the exit signal; unshare and clone3,
 * which could use it, are denied outright. */
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
    .cond = { .kind = SBX_COND_NOT_IN_FAMILIES, .arg = 0, .mask = LOW32 },
    .why = "allowed only for [network] socket-families (none by default)" },
  { .name = "socketpair", .action = SBX_ACTION_DENY,
    .cond = { .kind = SBX_COND_NOT_IN, .arg = 0, .mask = LOW32, .n_values = 1, .values = { AF_UNIX } },
    .why = "AF_UNIX pairs are plain pipes; nothing else" },
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
  /* Gate stage: sbx's exec gate answers each exec (the helper's one exec
   * continues, every later one gets the profile's errno). */
  GROUP (SBX_GROUP_EXEC, "exec", "running another program (lock and gate stages only)", .lock_only = TRUE,
         .gate_notify = TRUE),
};
