/**
 * What the TracingPolicy lint knows about hook points: argument types, syscall names, tracepoint
 * events, the types each matchArgs operator reads, and what needs which kernel. Pure data.
 *
 * Sources (each list is only as complete as it says; a name outside a list is refused only where
 * the list is meant to be complete):
 * - Argument types, operators, actions, namespace kinds: the enums of the TracingPolicy CRD
 *   (`cilium.io_tracingpolicies.yaml` of the Tetragon 1.7.0 chart, `crds-yaml/` of tetragon-1.7.0.tgz;
 *   the project's tests compare every list here with that CRD).
 * - Syscall names: the Linux generic syscall table (`include/uapi/asm-generic/unistd.h`, which
 *   arm64 uses) plus the x86_64-only legacy calls (`arch/x86/entry/syscalls/syscall_64.tbl`) that
 *   EKS AL2023 x86_64 nodes also have. Tetragon takes a syscall kprobe as `sys_<name>` or `<name>`.
 * - Tracepoint events: `syscalls/sys_{enter,exit}_<syscall>` (generated per syscall by the kernel's
 *   SYSCALL_DEFINE macros) and the events of the `sched`, `raw_syscalls`, `signal` and `sock`
 *   subsystems listed below (`include/trace/events/*.h`). Events of other subsystems are not
 *   checked (warning).
 * - Kernel functions and their argument types (for the signatures table): the kernel source of
 *   the 6.1 line (fs/file.c `fd_install(unsigned int fd, struct file *file)`, net/ipv4/tcp_output.c
 *   `tcp_connect(struct sock *sk)`, security/security.c `security_bprm_check(struct linux_binprm *)`,
 *   `security_file_permission(struct file *, int)`, `security_file_open(struct file *)`).
 * - Kernel requirements: `bpf_send_signal` (Sigkill, Signal actions) appeared in Linux 5.3
 *   (bpftrace #967: "this feature requires kernel 5.3"); `bpf_override_return` (Override) needs
 *   CONFIG_BPF_KPROBE_OVERRIDE (Linux 4.16) and a function on the error-injection list (syscalls
 *   and `security_*` hooks; tetragon.io docs, "Enforcement"); multi-kprobe links (Tetragon uses them
 *   when available) Linux 5.18. Whether the AL2023 kernels set CONFIG_BPF_KPROBE_OVERRIDE is
 *   unverified: the lint cannot tell, it only refuses Override on a function that cannot take it.
 */
import { KernelVersion } from '../versions';

/** The `type` enum of a kprobe/tracepoint argument in the TracingPolicy CRD of Tetragon 1.7.0. */
export const TRACING_ARG_TYPES = [
  'auto', 'int', 'sint8', 'int8', 'uint8', 'sint16', 'int16', 'uint16', 'uint32', 'sint32', 'int32', 'ulong', 'uint64',
  'size_t', 'long', 'sint64', 'int64', 'char_buf', 'char_iovec', 'skb', 'sock', 'sockaddr', 'socket', 'sockaddr_un',
  'string', 'fd', 'file', 'filename', 'path', 'nop', 'bpf_attr', 'perf_event', 'bpf_map', 'user_namespace', 'capability',
  'kiocb', 'iov_iter', 'cred', 'const_buf', 'load_info', 'module', 'syscall64', 'kernel_cap_t', 'cap_inheritable',
  'cap_permitted', 'cap_effective', 'linux_binprm', 'data_loc', 'net_device', 'bpf_cmd', 'dentry', 'bpf_prog',
] as const;
/**
 * How Tetragon reads a hook argument (`args[*].type` of a kprobe or tracepoint), one of
 * {@link TRACING_ARG_TYPES}: an integer width, a string or buffer, or a kernel struct such as
 * `file`, `sock` or `linux_binprm`. The lint checks it against the function's signature where
 * `KERNEL_FUNCTION_SIGNATURES` knows it, and against the operators of `matchArgs`.
 */
export type TracingArgType = (typeof TRACING_ARG_TYPES)[number];

/** The matchArgs operators of the CRD. */
export const MATCH_ARGS_OPERATORS = [
  'Equal', 'NotEqual', 'Prefix', 'NotPrefix', 'Postfix', 'NotPostfix', 'GreaterThan', 'LessThan', 'GT', 'LT', 'Mask',
  'SPort', 'NotSPort', 'SPortPriv', 'NotSportPriv', 'DPort', 'NotDPort', 'DPortPriv', 'NotDPortPriv', 'SAddr', 'NotSAddr',
  'DAddr', 'NotDAddr', 'Protocol', 'Family', 'State', 'InMap', 'NotInMap', 'CapabilitiesGained', 'InRange', 'NotInRange',
  'SubString', 'SubStringIgnCase', 'CelExpr', 'FileType', 'NotFileType',
] as const;
/**
 * How a `matchArgs` entry compares an argument with its values, one of
 * {@link MATCH_ARGS_OPERATORS} (the TracingPolicy CRD of Tetragon 1.7.0): string and path
 * operators (`Equal`, `Prefix`, `Postfix`, ...), numeric ones (`GT`, `LT`, `Mask`, ranges), and
 * socket ones (ports, addresses, protocol, family, state). `OPERATOR_ARG_TYPES` says which
 * argument types each reads.
 */
export type MatchArgsOperator = (typeof MATCH_ARGS_OPERATORS)[number];

/** The matchBinaries operators of the CRD. */
export const MATCH_BINARIES_OPERATORS = ['In', 'NotIn', 'Prefix', 'NotPrefix', 'Postfix', 'NotPostfix'] as const;
/**
 * How a `matchBinaries` filter compares the process's executable path with its values, one of
 * {@link MATCH_BINARIES_OPERATORS}: `In`/`NotIn` on full paths, `Prefix`/`Postfix` and their
 * negations on parts of the path.
 */
export type MatchBinariesOperator = (typeof MATCH_BINARIES_OPERATORS)[number];

/** The namespace kinds of matchNamespaces in the CRD. */
export const NAMESPACE_KINDS = ['Uts', 'Ipc', 'Mnt', 'Pid', 'PidForChildren', 'Net', 'Time', 'TimeForChildren', 'Cgroup', 'User'] as const;
/**
 * The kind of Linux namespace a `matchNamespaces` entry compares (`Uts`, `Ipc`, `Mnt`, `Pid`,
 * `PidForChildren`, `Net`, `Time`, `TimeForChildren`, `Cgroup` or `User`), one of
 * {@link NAMESPACE_KINDS}; its values are namespace inode numbers or `host_ns` (CRD of Tetragon
 * 1.7.0, `matchNamespaces[*].values`).
 */
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];

/** The matchActions actions of the CRD. */
export const TRACING_ACTIONS = [
  'Post', 'FollowFD', 'UnfollowFD', 'Sigkill', 'CopyFD', 'Override', 'GetUrl', 'DnsLookup', 'NoPost', 'Signal', 'TrackSock',
  'UntrackSock', 'NotifyEnforcer', 'CleanupEnforcerNotification', 'Set',
] as const;
/**
 * What a selector does when it matches (`matchActions[*].action`), one of
 * {@link TRACING_ACTIONS}: post an event (`Post`), follow file descriptors (`FollowFD`), kill or
 * signal the process (`Sigkill`, `Signal`), override the return value (`Override`), and the
 * other actions of the CRD. Some need a newer kernel ({@link ACTION_KERNEL_REQUIREMENTS}).
 */
export type TracingAction = (typeof TRACING_ACTIONS)[number];

/** Argument types that carry a path or a string, which the string operators read. */
const STRINGISH: readonly TracingArgType[] = ['string', 'char_buf', 'char_iovec', 'const_buf', 'fd', 'file', 'filename', 'path', 'linux_binprm', 'dentry', 'data_loc'];
const INTEGER: readonly TracingArgType[] = ['int', 'sint8', 'int8', 'uint8', 'sint16', 'int16', 'uint16', 'uint32', 'sint32', 'int32', 'ulong', 'uint64', 'size_t', 'long', 'sint64', 'int64', 'syscall64', 'bpf_cmd'];
const NETWORK: readonly TracingArgType[] = ['sock', 'skb', 'sockaddr', 'socket'];

/**
 * The argument types each operator reads (Tetragon docs, "Selectors": string and path operators
 * on strings, files and paths; port, address, protocol, family and state operators on `sock`/`skb`
 * (`sockaddr` for addresses, ports and family); numeric comparisons and `Mask` on integers).
 * Operators absent here (`InMap`, `CelExpr`, capability and file-type operators) are not checked.
 */
export const OPERATOR_ARG_TYPES: Readonly<Partial<Record<MatchArgsOperator, readonly TracingArgType[]>>> = Object.freeze({
  Equal: [...STRINGISH, ...INTEGER],
  NotEqual: [...STRINGISH, ...INTEGER],
  Prefix: STRINGISH,
  NotPrefix: STRINGISH,
  Postfix: STRINGISH,
  NotPostfix: STRINGISH,
  SubString: STRINGISH,
  SubStringIgnCase: STRINGISH,
  GreaterThan: INTEGER,
  LessThan: INTEGER,
  GT: INTEGER,
  LT: INTEGER,
  Mask: INTEGER,
  InRange: INTEGER,
  NotInRange: INTEGER,
  SPort: NETWORK,
  NotSPort: NETWORK,
  SPortPriv: NETWORK,
  NotSportPriv: NETWORK,
  DPort: NETWORK,
  NotDPort: NETWORK,
  DPortPriv: NETWORK,
  NotDPortPriv: NETWORK,
  SAddr: NETWORK,
  NotSAddr: NETWORK,
  DAddr: NETWORK,
  NotDAddr: NETWORK,
  Protocol: ['sock', 'skb'],
  Family: NETWORK,
  State: ['sock', 'skb'],
});

/**
 * Kernel functions whose argument types the lint knows: index -> the types that fit. A kprobe on
 * one of these with an argument past its arity, or of a type that does not fit, is an error.
 */
export const KERNEL_FUNCTION_SIGNATURES: Readonly<Record<string, readonly (readonly TracingArgType[])[]>> = Object.freeze({
  fd_install: [['int', 'uint32'], ['file']],
  tcp_connect: [['sock']],
  tcp_close: [['sock'], ['int', 'long']],
  security_bprm_check: [['linux_binprm']],
  security_file_permission: [['file'], ['int']],
  security_file_open: [['file']],
  security_path_unlink: [['path'], ['dentry']],
  sys_openat: [['int'], ['string', 'filename'], ['int'], ['int', 'uint32']],
  sys_execve: [['string', 'filename']],
  sys_connect: [['int', 'fd'], ['sockaddr'], ['int']],
  sys_setuid: [['int', 'uint32']],
  sys_ptrace: [['long', 'int'], ['int']],
  sys_write: [['int', 'fd'], ['char_buf'], ['size_t']],
});

/** Kprobes pass at most six arguments in registers (x86_64 and arm64 calling conventions). */
export const MAX_KPROBE_ARG_INDEX = 5;

/** Syscall names: the generic table and the x86_64 legacy calls (see the module comment). */
export const LINUX_SYSCALLS: ReadonlySet<string> = new Set(
  (
    'io_setup io_destroy io_submit io_cancel io_getevents setxattr lsetxattr fsetxattr getxattr lgetxattr fgetxattr listxattr ' +
    'llistxattr flistxattr removexattr lremovexattr fremovexattr getcwd lookup_dcookie eventfd2 epoll_create1 epoll_ctl ' +
    'epoll_pwait dup dup3 fcntl inotify_init1 inotify_add_watch inotify_rm_watch ioctl ioprio_set ioprio_get flock mknodat ' +
    'mkdirat unlinkat symlinkat linkat renameat umount2 mount pivot_root nfsservctl statfs fstatfs truncate ftruncate fallocate ' +
    'faccessat chdir fchdir chroot fchmod fchmodat fchownat fchown openat close vhangup pipe2 quotactl getdents64 lseek read ' +
    'write readv writev pread64 pwrite64 preadv pwritev sendfile pselect6 ppoll signalfd4 vmsplice splice tee readlinkat ' +
    'newfstatat fstat sync fsync fdatasync sync_file_range timerfd_create timerfd_settime timerfd_gettime utimensat acct ' +
    'capget capset personality exit exit_group waitid set_tid_address unshare futex set_robust_list get_robust_list nanosleep ' +
    'getitimer setitimer kexec_load init_module delete_module timer_create timer_gettime timer_getoverrun timer_settime ' +
    'timer_delete clock_settime clock_gettime clock_getres clock_nanosleep syslog ptrace sched_setparam sched_setscheduler ' +
    'sched_getscheduler sched_getparam sched_setaffinity sched_getaffinity sched_yield sched_get_priority_max ' +
    'sched_get_priority_min sched_rr_get_interval restart_syscall kill tkill tgkill sigaltstack rt_sigsuspend rt_sigaction ' +
    'rt_sigprocmask rt_sigpending rt_sigtimedwait rt_sigqueueinfo rt_sigreturn setpriority getpriority reboot setregid setgid ' +
    'setreuid setuid setresuid getresuid setresgid getresgid setfsuid setfsgid times setpgid getpgid getsid setsid getgroups ' +
    'setgroups uname sethostname setdomainname getrlimit setrlimit getrusage umask prctl getcpu gettimeofday settimeofday ' +
    'adjtimex getpid getppid getuid geteuid getgid getegid gettid sysinfo mq_open mq_unlink mq_timedsend mq_timedreceive ' +
    'mq_notify mq_getsetattr msgget msgctl msgrcv msgsnd semget semctl semtimedop semop shmget shmctl shmat shmdt socket ' +
    'socketpair bind listen accept connect getsockname getpeername sendto recvfrom setsockopt getsockopt shutdown sendmsg ' +
    'recvmsg readahead brk munmap mremap add_key request_key keyctl clone execve mmap fadvise64 swapon swapoff mprotect msync ' +
    'mlock munlock mlockall munlockall mincore madvise remap_file_pages mbind get_mempolicy set_mempolicy migrate_pages ' +
    'move_pages rt_tgsigqueueinfo perf_event_open accept4 recvmmsg wait4 prlimit64 fanotify_init fanotify_mark ' +
    'name_to_handle_at open_by_handle_at clock_adjtime syncfs setns sendmmsg process_vm_readv process_vm_writev kcmp ' +
    'finit_module sched_setattr sched_getattr renameat2 seccomp getrandom memfd_create bpf execveat userfaultfd membarrier ' +
    'mlock2 copy_file_range preadv2 pwritev2 pkey_mprotect pkey_alloc pkey_free statx io_pgetevents rseq kexec_file_load ' +
    'pidfd_send_signal io_uring_setup io_uring_enter io_uring_register open_tree move_mount fsopen fsconfig fsmount fspick ' +
    'pidfd_open clone3 close_range openat2 pidfd_getfd faccessat2 process_madvise epoll_pwait2 mount_setattr quotactl_fd ' +
    'landlock_create_ruleset landlock_add_rule landlock_restrict_self memfd_secret process_mrelease futex_waitv ' +
    'set_mempolicy_home_node cachestat fchmodat2 map_shadow_stack futex_wake futex_wait futex_requeue statmount listmount ' +
    'lsm_get_self_attr lsm_set_self_attr lsm_list_modules mseal ' +
    // x86_64 only
    'open stat lstat poll access pipe select dup2 pause alarm fork vfork getdents rename mkdir rmdir creat link unlink symlink ' +
    'readlink chmod chown lchown getpgrp ustat uselib sysfs time utime utimes futimesat epoll_create epoll_wait inotify_init ' +
    'eventfd signalfd arch_prctl iopl ioperm modify_ldt create_module get_kernel_syms query_module vserver set_thread_area ' +
    'get_thread_area epoll_ctl_old epoll_wait_old mknod'
  ).split(/\s+/),
);

/** The tracepoint subsystems whose events the lint knows; events of other subsystems are not checked. */
export const KNOWN_TRACEPOINTS: Readonly<Record<string, ReadonlySet<string> | ((event: string) => boolean)>> = Object.freeze({
  syscalls: (event: string): boolean => {
    const m = /^sys_(enter|exit)_(.+)$/.exec(event);
    return m !== null && LINUX_SYSCALLS.has(m[2]);
  },
  raw_syscalls: new Set(['sys_enter', 'sys_exit']),
  sched: new Set([
    'sched_process_exec', 'sched_process_exit', 'sched_process_fork', 'sched_process_free', 'sched_process_wait',
    'sched_process_hang', 'sched_switch', 'sched_wakeup', 'sched_wakeup_new', 'sched_waking', 'sched_migrate_task',
    'sched_kthread_stop', 'sched_kthread_stop_ret',
  ]),
  signal: new Set(['signal_generate', 'signal_deliver']),
  sock: new Set(['inet_sock_set_state', 'sock_rcvqueue_full', 'sock_exceed_buf_limit', 'inet_sk_error_report']),
});

/** True when `name` (as a kprobe `call` with `syscall: true`) is a known syscall. */
export function isKnownSyscall(name: string): boolean {
  const bare = name.replace(/^(__x64_|__arm64_)?sys_/, '');
  return LINUX_SYSCALLS.has(bare);
}

/** What a feature needs of the kernel. */
export interface KernelRequirement {
  /** Minimum kernel. */
  readonly kernel: KernelVersion;
  /** Why, with its source. */
  readonly reason: string;
}

/** Actions that need a minimum kernel (see the module comment for sources). */
export const ACTION_KERNEL_REQUIREMENTS: Readonly<Partial<Record<TracingAction, KernelRequirement>>> = Object.freeze({
  Sigkill: { kernel: { major: 5, minor: 3 }, reason: 'the bpf_send_signal helper appeared in Linux 5.3' },
  Signal: { kernel: { major: 5, minor: 3 }, reason: 'the bpf_send_signal helper appeared in Linux 5.3' },
  Override: { kernel: { major: 4, minor: 16 }, reason: 'bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE) appeared in Linux 4.16' },
});

/** Hook kinds the builders emit, and what each needs of the kernel. */
export const HOOK_KERNEL_REQUIREMENTS: Readonly<Record<'kprobes' | 'tracepoints', KernelRequirement>> = Object.freeze({
  // Tetragon's documented minimum ("Tetragon needs Linux 4.19 or later", tetragon.io FAQ).
  kprobes: { kernel: { major: 4, minor: 19 }, reason: 'Tetragon needs Linux 4.19 or later' },
  tracepoints: { kernel: { major: 4, minor: 19 }, reason: 'Tetragon needs Linux 4.19 or later' },
});
