/**
 * Ready-made TracingPolicies a cluster switches on by name (`tetragon.policies`). Each one only
 * observes (the default `Post` action): none kills or blocks, so switching one on cannot break a
 * workload.
 */
import { IN_CONTAINER, OUTSIDE_HOST_NETWORK, TracingPolicy } from './policy';

/** Files the seeds' file-monitoring policy watches. */
export const SENSITIVE_FILES: readonly string[] = Object.freeze(['/etc/shadow', '/etc/passwd']);

/** Shells the shell-in-container policy reports, by the executable's file name. */
export const SHELL_BINARIES: readonly string[] = Object.freeze(['/sh', '/bash', '/dash', '/ash', '/zsh', '/ksh']);

/** The EC2 instance metadata address (IMDS, IPv4). */
export const INSTANCE_METADATA_ADDRESS = '169.254.169.254';

/**
 * The seeds' file-monitoring policy: `fd_install` (a file descriptor is installed for an opened
 * file, fs/file.c `fd_install(unsigned int fd, struct file *file)`) when the file is `/etc/shadow`
 * or `/etc/passwd`, by any process on the node.
 */
export function fileMonitoringPolicy(files: readonly string[] = SENSITIVE_FILES): TracingPolicy {
  return new TracingPolicy({
    name: 'file-monitoring',
    kprobes: [
      {
        call: 'fd_install',
        syscall: false,
        args: [
          { index: 0, type: 'int' },
          { index: 1, type: 'file' },
        ],
        selectors: [{ matchArgs: [{ index: 1, operator: 'Equal', values: files }] }],
        message: 'Sensitive file opened',
        tags: ['file-monitoring'],
      },
    ],
  });
}

/**
 * A shell executed in a container: `security_bprm_check` (the LSM hook every exec passes, with the
 * program being executed) when the program's path ends in a shell's name and the process is
 * outside the host's PID namespace.
 */
export function shellInContainerPolicy(shells: readonly string[] = SHELL_BINARIES): TracingPolicy {
  return new TracingPolicy({
    name: 'shell-in-container',
    kprobes: [
      {
        call: 'security_bprm_check',
        syscall: false,
        args: [{ index: 0, type: 'linux_binprm' }],
        selectors: [{ matchArgs: [{ index: 0, operator: 'Postfix', values: shells }], matchNamespaces: [IN_CONTAINER] }],
        message: 'Shell executed in a container',
        tags: ['shell-in-container'],
      },
    ],
  });
}

/**
 * A pod (outside the host's network namespace) opening a TCP connection to the instance metadata
 * address: `tcp_connect(struct sock *sk)` with the destination address 169.254.169.254. The
 * project's nodes set IMDSv2 with hop limit 1, so such a connection gets no credentials; the event
 * shows which workload tries. IPv6 IMDS (fd00:ec2::254) is not covered.
 */
export function instanceMetadataAccessPolicy(): TracingPolicy {
  return new TracingPolicy({
    name: 'pod-instance-metadata-access',
    kprobes: [
      {
        call: 'tcp_connect',
        syscall: false,
        args: [{ index: 0, type: 'sock' }],
        selectors: [{ matchArgs: [{ index: 0, operator: 'DAddr', values: [INSTANCE_METADATA_ADDRESS] }], matchNamespaces: [OUTSIDE_HOST_NETWORK] }],
        message: 'Pod connects to the instance metadata service',
        tags: ['imds'],
      },
    ],
  });
}

/** The ready-made policies by the name used in `tetragon.policies`. */
export const READY_MADE_TRACING_POLICIES = Object.freeze({
  'file-monitoring': fileMonitoringPolicy,
  'shell-in-container': shellInContainerPolicy,
  'pod-instance-metadata-access': instanceMetadataAccessPolicy,
} as const);

/** Name of a ready-made policy. */
export type ReadyMadeTracingPolicyName = keyof typeof READY_MADE_TRACING_POLICIES;
