/* sbx-allow.c — the allow table: what an ordinary offline process needs.
 *
 * Used in allow-list mode (the default): these calls pass, every other call
 * answers the profile's errno.  The deny groups (bpf/sbx-groups.c) still win:
 * an entry here that also has a conditional deny rule (clone, ioctl,
 * personality, socket, socketpair) passes only when that condition does not
 * hold.  Sized for bwrap's last steps and its pid-1 reaper, sh, coreutils,
 * gzip, sha256sum and python3 with threads, json, hashlib and zlib.
 *
 * Calls newer than libseccomp's syscall table never reach this table: the
 * program answers them ENOSYS before libseccomp's code runs (see
 * lib/sbx-program.c), so libc falls back to an older call it can check.
 *
 * An entry libseccomp does not know is left out of the program (the
 * prologue's ENOSYS answers it); only optional group rules may be such
 * entries (fchmodat2).
 *
 * One syscall per line, sorted (LC_ALL=C); tests/unit/test-tables.c checks.
 */
#include "config.h"

#include "sbx-policy.h"

const char sbx_allow_table[][SBX_SYSCALL_NAME_SIZE] = {
  "access",
  "alarm",
  "arch_prctl", /* glibc sets the TLS base (ARCH_SET_FS) at start */
  "brk",
  "capget", /* libcap and python probe capabilities; reading is harmless */
  "chdir",
  "chmod", /* the setid group refuses S_ISUID and S_ISGID (so for every *chmod*, creat, open*, mkdir*) */
  "chown",
  "clock_getres",
  "clock_gettime",
  "clock_nanosleep",
  "clone", /* threads and fork; the namespaces group refuses CLONE_NEW* flags */
  "close",
  "close_range",
  "copy_file_range",
  "creat",
  "dup",
  "dup2",
  "dup3",
  "epoll_create",
  "epoll_create1",
  "epoll_ctl",
  "epoll_pwait",
  "epoll_pwait2",
  "epoll_wait",
  "eventfd",
  "eventfd2",
  "execve", /* the launch stage must let bwrap exec the job; the lock stage denies it */
  "execveat", /* as execve (fexecve); denied in the lock stage */
  "exit",
  "exit_group",
  "faccessat",
  "faccessat2",
  "fadvise64",
  "fallocate",
  "fchdir",
  "fchmod",
  "fchmodat",
  "fchmodat2", /* Linux 6.6; only where libseccomp knows it (else skipped: the prologue answers ENOSYS) */
  "fchown",
  "fchownat",
  "fcntl",
  "fdatasync",
  "fgetxattr",
  "flistxattr",
  "flock",
  "fork",
  "fstat",
  "fstatfs",
  "fsync",
  "ftruncate",
  "futex",
  "futex_waitv",
  "futimesat",
  "get_mempolicy", /* NUMA-aware allocators probe it; reading only */
  "get_robust_list",
  "getcpu",
  "getcwd",
  "getdents",
  "getdents64",
  "getegid",
  "geteuid",
  "getgid",
  "getgroups",
  "getitimer",
  "getpeername",
  "getpgid",
  "getpgrp",
  "getpid",
  "getppid",
  "getpriority",
  "getrandom",
  "getresgid",
  "getresuid",
  "getrlimit",
  "getrusage",
  "getsid",
  "getsockname",
  "getsockopt",
  "gettid",
  "gettimeofday",
  "getuid",
  "getxattr",
  "inotify_add_watch",
  "inotify_init",
  "inotify_init1",
  "inotify_rm_watch",
  "ioctl", /* terminal and file ioctls; the tty group refuses TIOCSTI and TIOCLINUX */
  "ioprio_get",
  "kill", /* reaches only processes in the sandbox's own pid namespace */
  "lchown",
  "lgetxattr",
  "link",
  "linkat",
  "listxattr",
  "llistxattr",
  "lseek",
  "lstat",
  "madvise",
  "membarrier",
  "memfd_create", /* anonymous files; executing one is what the lock stage refuses */
  "mincore",
  "mkdir",
  "mkdirat",
  "mknod", /* the setid group lets only FIFOs through */
  "mknodat", /* mkfifo; the setid group lets only FIFOs through */
  "mlock", /* bounded by RLIMIT_MEMLOCK */
  "mlock2", /* bounded by RLIMIT_MEMLOCK */
  "mmap",
  "mprotect",
  "mremap",
  "msync",
  "munlock",
  "munmap",
  "nanosleep",
  "newfstatat",
  "open",
  "openat",
  "pause",
  "personality", /* the kernel group lets only PER_LINUX (0) and the 0xffffffff query through */
  "pidfd_open", /* pid-namespace bound like kill; python's subprocess uses it */
  "pidfd_send_signal", /* pid-namespace bound like kill */
  "pipe",
  "pipe2",
  "poll",
  "ppoll",
  "prctl", /* PR_SET_NO_NEW_PRIVS and thread names; privileged options need capabilities the job lacks */
  "pread64",
  "preadv",
  "preadv2",
  "prlimit64", /* as setrlimit; other processes only inside the sandbox */
  "pselect6",
  "pwrite64",
  "pwritev",
  "pwritev2",
  "read",
  "readahead",
  "readlink",
  "readlinkat",
  "readv",
  "recvfrom",
  "recvmmsg",
  "recvmsg",
  "rename",
  "renameat",
  "renameat2",
  "restart_syscall", /* the kernel restarts interrupted sleeps through it */
  "rmdir",
  "rseq", /* glibc >= 2.35 registers restartable sequences per thread */
  "rt_sigaction",
  "rt_sigpending",
  "rt_sigprocmask",
  "rt_sigqueueinfo",
  "rt_sigreturn", /* every signal handler returns through it */
  "rt_sigsuspend",
  "rt_sigtimedwait",
  "rt_tgsigqueueinfo",
  "sched_get_priority_max",
  "sched_get_priority_min",
  "sched_getaffinity",
  "sched_getattr",
  "sched_getparam",
  "sched_getscheduler",
  "sched_rr_get_interval",
  "sched_setaffinity", /* only narrows where the job's own threads may run */
  "sched_yield",
  "seccomp", /* so the lock program can be installed on top of the launch program */
  "select",
  "sendfile",
  "sendmmsg",
  "sendmsg",
  "sendto",
  "set_robust_list",
  "set_tid_address",
  "setitimer",
  "setpgid",
  "setrlimit", /* an unprivileged process can only lower its hard limits */
  "setsid",
  "setsockopt",
  "shutdown",
  "sigaltstack",
  "socket", /* the network group lets only [network] socket-families through */
  "socketpair", /* the network group lets only AF_UNIX stream and seqpacket pairs through */
  "splice",
  "stat",
  "statfs",
  "statx",
  "symlink",
  "symlinkat",
  "sync", /* flushes every filesystem of the host: harmless, and coreutils' sync needs it */
  "sync_file_range",
  "syncfs",
  "sysinfo",
  "tee",
  "tgkill",
  "time",
  "timer_create",
  "timer_delete",
  "timer_getoverrun",
  "timer_gettime",
  "timer_settime",
  "timerfd_create",
  "timerfd_gettime",
  "timerfd_settime",
  "times",
  "tkill",
  "truncate",
  "umask",
  "uname",
  "unlink",
  "unlinkat",
  "utime",
  "utimensat",
  "utimes",
  "vfork",
  "wait4", /* bwrap's pid-1 reaper waits with it */
  "waitid",
  "write",
  "writev",
};

const gsize sbx_allow_table_len = G_N_ELEMENTS (sbx_allow_table);

/* Calls no job can live without: bwrap's last steps and its pid-1 reaper,
 * the dynamic loader, libc's start and exit.  [seccomp] deny refuses to
 * name them (a profile denying them only gives a job that dies with no
 * message).  Sorted, unique, each in the allow table (test-tables). */
const char sbx_vital_table[][SBX_SYSCALL_NAME_SIZE] = {
  "arch_prctl",
  "brk",
  "close",
  "execve", /* the lock stage denies it after the job's own exec */
  "exit",
  "exit_group",
  "fstat",
  "mmap",
  "mprotect",
  "munmap",
  "newfstatat",
  "openat",
  "pread64",
  "read",
  "rt_sigreturn",
  "wait4",
  "write",
};

const gsize sbx_vital_table_len = G_N_ELEMENTS (sbx_vital_table);
