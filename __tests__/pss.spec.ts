import { ValidationError } from '../core/errors';
import {
  Container,
  evaluatePodSecurity,
  isCompliant,
  ObjectMeta,
  Pod,
  PodSpec,
  PSS_CHECK_IDS,
  PssCheckId,
  PssOptions,
  PssTarget,
  SecurityContext,
  Volume,
  Workload,
} from '../core/pss';

// ---------------------------------------------------------------------------------------------
// Factories: everything they build passes `restricted` unless a test changes it.

/** A restricted-compliant container with `sc` merged over its securityContext. */
function container(sc: SecurityContext = {}, extra: Omit<Container, 'securityContext'> = {}): Container {
  return {
    name: 'app',
    image: 'app:1',
    ...extra,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...sc },
  };
}

/** A restricted-compliant Pod with `spec` merged over its spec (and over spec.securityContext). */
function pod(spec: PodSpec = {}, metadata: ObjectMeta = { name: 'p' }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: {
      containers: [container()],
      ...spec,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...spec.securityContext },
    },
  };
}

/** A pod whose one container has `sc` merged over the compliant container securityContext. */
const podWithContainer = (sc: SecurityContext, extra: Omit<Container, 'securityContext'> = {}): Pod =>
  pod({ containers: [container(sc, extra)] });

/** A restricted-compliant pod with this one volume. */
const podWithVolume = (volume: Volume): Pod => pod({ volumes: [volume] });

const C0 = 'spec.containers[0].securityContext';
const POD_SC = 'spec.securityContext';

/** Asserts the findings are exactly these `[check, path]` pairs, in this order. */
function expectFindings(target: PssTarget, expected: readonly [PssCheckId, string][], options?: PssOptions): void {
  expect(evaluatePodSecurity(target, options)).toEqual(
    expected.map(([check, path]) => expect.objectContaining({ check, path })),
  );
}

const baseline: PssOptions = { level: 'baseline' };
const at = (version: string, level: PssOptions['level'] = 'restricted'): PssOptions => ({ version, level });

// ---------------------------------------------------------------------------------------------

describe('the minimal restricted pod from restricted-checks.md', () => {
  const minimal: Pod = {
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    },
  };

  it.each(['latest', 'v1.0', 'v1.18', 'v1.19', 'v1.25', 'v1.31', 'v1.34', 'v1.35', 'v1.37'])('passes at %s', (version) => {
    expect(evaluatePodSecurity(minimal, { version })).toEqual([]);
  });
});

describe('hostNamespaces', () => {
  it('passes when hostNetwork, hostPID and hostIPC are false', () => {
    expectFindings(pod({ hostNetwork: false, hostPID: false, hostIPC: false }), []);
  });

  it.each(['hostNetwork', 'hostPID', 'hostIPC'] as const)('fails on %s: true', (field) => {
    expectFindings(pod({ [field]: true }), [['hostNamespaces', `spec.${field}`]]);
  });
});

describe('privileged', () => {
  it('passes when privileged is false', () => {
    expectFindings(podWithContainer({ privileged: false }), []);
  });

  it('fails when a container is privileged', () => {
    expectFindings(podWithContainer({ privileged: true }), [['privileged', `${C0}.privileged`]]);
  });
});

describe('capabilities_baseline', () => {
  it('passes when only default runtime capabilities are added', () => {
    expectFindings(podWithContainer({ capabilities: { add: ['CHOWN', 'SYS_CHROOT', 'NET_BIND_SERVICE'] } }), [], baseline);
  });

  it('fails on NET_RAW', () => {
    expectFindings(podWithContainer({ capabilities: { add: ['CHOWN', 'NET_RAW'] } }), [
      ['capabilities_baseline', `${C0}.capabilities.add[1]`],
    ], baseline);
  });

  it('compares names case-sensitively', () => {
    expectFindings(podWithContainer({ capabilities: { add: ['chown'] } }), [['capabilities_baseline', `${C0}.capabilities.add[0]`]], baseline);
  });

  it('is replaced by capabilities_restricted at restricted', () => {
    expectFindings(podWithContainer({ capabilities: { drop: ['ALL'], add: ['NET_RAW'] } }), [
      ['capabilities_restricted', `${C0}.capabilities.add[0]`],
    ]);
  });
});

describe('hostPathVolumes', () => {
  it('passes with an emptyDir volume', () => {
    expectFindings(podWithVolume({ name: 'scratch', emptyDir: {} }), [], baseline);
  });

  it('fails with a hostPath volume', () => {
    expectFindings(podWithVolume({ name: 'host', hostPath: { path: '/var/run' } }), [['hostPathVolumes', 'spec.volumes[0].hostPath']], baseline);
  });

  it('is replaced by restrictedVolumes at restricted', () => {
    expectFindings(podWithVolume({ name: 'host', hostPath: { path: '/var/run' } }), [['restrictedVolumes', 'spec.volumes[0].hostPath']]);
  });
});

describe('hostPorts', () => {
  it('passes with a containerPort and hostPort 0', () => {
    expectFindings(podWithContainer({}, { ports: [{ containerPort: 8080 }, { containerPort: 8081, hostPort: 0 }] }), []);
  });

  it('fails with a hostPort', () => {
    expectFindings(podWithContainer({}, { ports: [{ containerPort: 80 }, { containerPort: 8080, hostPort: 8080 }] }), [
      ['hostPorts', 'spec.containers[0].ports[1].hostPort'],
    ]);
  });
});

describe('hostProbesAndHostLifecycle', () => {
  const probing = podWithContainer({}, { livenessProbe: { httpGet: { host: '10.0.0.1', port: 8080 } } });

  it('passes when probe and hook hosts are unset or empty', () => {
    expectFindings(
      podWithContainer({}, { readinessProbe: { httpGet: { host: '', port: 80 } }, lifecycle: { preStop: { tcpSocket: { port: 80 } } } }),
      [],
    );
  });

  it('fails on a probe host from v1.34', () => {
    expectFindings(probing, [['hostProbesAndHostLifecycle', 'spec.containers[0].livenessProbe.httpGet.host']], { version: 'v1.34' });
  });

  it('does not apply before v1.34', () => {
    expectFindings(probing, [], { version: 'v1.33' });
  });

  it('fails on a lifecycle hook host', () => {
    expectFindings(podWithContainer({}, { lifecycle: { preStop: { tcpSocket: { host: 'example.com', port: 80 } } } }), [
      ['hostProbesAndHostLifecycle', 'spec.containers[0].lifecycle.preStop.tcpSocket.host'],
    ]);
  });
});

describe('appArmorProfile', () => {
  const annotation = 'container.apparmor.security.beta.kubernetes.io/app';

  it('passes with RuntimeDefault and Localhost profiles', () => {
    expectFindings(pod({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [container({ appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })] }), []);
  });

  it('fails on an Unconfined pod profile', () => {
    expectFindings(pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }), [['appArmorProfile', `${POD_SC}.appArmorProfile.type`]]);
  });

  it('fails on an Unconfined container profile', () => {
    expectFindings(podWithContainer({ appArmorProfile: { type: 'Unconfined' } }), [['appArmorProfile', `${C0}.appArmorProfile.type`]]);
  });

  it('passes with runtime/default and localhost/ annotations', () => {
    expectFindings(pod({}, { annotations: { [annotation]: 'runtime/default', [`${annotation}2`]: 'localhost/p' } }), []);
  });

  it('fails on an unconfined annotation', () => {
    expectFindings(pod({}, { annotations: { [annotation]: 'unconfined' } }), [['appArmorProfile', `metadata.annotations["${annotation}"]`]]);
  });
});

describe('seLinuxOptions', () => {
  it('passes with container_t and an MCS level (level is not checked)', () => {
    expectFindings(podWithContainer({ seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } }), []);
  });

  it.each([
    ['type', { type: 'spc_t' }],
    ['user', { user: 'system_u' }],
    ['role', { role: 'system_r' }],
  ] as const)('fails on a custom %s', (field, seLinuxOptions) => {
    expectFindings(pod({ securityContext: { seLinuxOptions } }), [['seLinuxOptions', `${POD_SC}.seLinuxOptions.${field}`]]);
  });

  it('allows container_engine_t from v1.31', () => {
    expectFindings(podWithContainer({ seLinuxOptions: { type: 'container_engine_t' } }), [], { version: 'v1.31' });
  });

  it('rejects container_engine_t before v1.31', () => {
    expectFindings(podWithContainer({ seLinuxOptions: { type: 'container_engine_t' } }), [
      ['seLinuxOptions', `${C0}.seLinuxOptions.type`],
    ], { version: 'v1.30' });
  });
});

describe('procMount', () => {
  const unmasked = (spec: PodSpec = {}): Pod => pod({ containers: [container({ procMount: 'Unmasked' })], ...spec });

  it('passes with Default', () => {
    expectFindings(podWithContainer({ procMount: 'Default' }), [], baseline);
  });

  it('fails with Unmasked', () => {
    expectFindings(unmasked(), [['procMount', `${C0}.procMount`]], baseline);
  });

  it('allows Unmasked in a user namespace from v1.35', () => {
    expectFindings(unmasked({ hostUsers: false }), [], at('v1.35', 'baseline'));
  });

  it('rejects Unmasked in a user namespace before v1.35', () => {
    expectFindings(unmasked({ hostUsers: false }), [['procMount', `${C0}.procMount`]], at('v1.34', 'baseline'));
  });

  it('still runs at restricted before v1.35', () => {
    expectFindings(unmasked(), [['procMount', `${C0}.procMount`]], at('v1.34'));
  });
});

describe('procMount_restricted', () => {
  it('passes with Default', () => {
    expectFindings(podWithContainer({ procMount: 'Default' }), [], at('v1.35'));
  });

  it('replaces procMount from v1.35 and has no user-namespace exemption', () => {
    expectFindings(pod({ hostUsers: false, containers: [container({ procMount: 'Unmasked' })] }), [
      ['procMount_restricted', `${C0}.procMount`],
    ], at('v1.35'));
  });
});

describe('seccompProfile_baseline', () => {
  const unset = pod({ securityContext: { seccompProfile: undefined } });

  it('passes when no profile is set', () => {
    expectFindings(unset, [], baseline);
  });

  it('fails on an Unconfined pod profile', () => {
    expectFindings(pod({ securityContext: { seccompProfile: { type: 'Unconfined' } } }), [
      ['seccompProfile_baseline', `${POD_SC}.seccompProfile.type`],
    ], baseline);
  });

  it('reads the alpha annotations before v1.19 and ignores the fields', () => {
    const annotated = pod(
      { securityContext: { seccompProfile: { type: 'Unconfined' } } },
      { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/app': 'docker/default' } },
    );
    expectFindings(annotated, [
      ['seccompProfile_baseline', 'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]'],
    ], at('v1.18', 'baseline'));
  });

  it('checks the container annotation by container name before v1.19', () => {
    expectFindings(pod({}, { annotations: { 'container.seccomp.security.alpha.kubernetes.io/app': 'unconfined' } }), [
      ['seccompProfile_baseline', 'metadata.annotations["container.seccomp.security.alpha.kubernetes.io/app"]'],
    ], at('v1.18'));
  });
});

describe('seccompProfile_restricted', () => {
  it('fails when no profile is set anywhere, at the pod field', () => {
    expectFindings(pod({ securityContext: { seccompProfile: undefined } }), [['seccompProfile_restricted', `${POD_SC}.seccompProfile.type`]]);
  });

  it('passes when every container sets Localhost and the pod sets nothing', () => {
    expectFindings(pod({ securityContext: { seccompProfile: undefined }, containers: [container({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } })] }), []);
  });

  it('fails on an Unconfined container even when the pod sets RuntimeDefault', () => {
    expectFindings(podWithContainer({ seccompProfile: { type: 'Unconfined' } }), [['seccompProfile_restricted', `${C0}.seccompProfile.type`]]);
  });

  it('replaces seccompProfile_baseline', () => {
    const findings = evaluatePodSecurity(pod({ securityContext: { seccompProfile: { type: 'Unconfined' } } }));
    expect(findings.map((f) => f.check)).toEqual(['seccompProfile_restricted']);
  });
});

describe('sysctls', () => {
  const withSysctl = (name: string): Pod => pod({ securityContext: { sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }, { name, value: '1' }] } });
  const path = `${POD_SC}.sysctls[1].name`;

  it('fails on a sysctl outside the safe set', () => {
    expectFindings(withSysctl('kernel.msgmax'), [['sysctls', path]]);
  });

  it.each([
    ['net.ipv4.ip_local_reserved_ports', 'v1.27', 'v1.26'],
    ['net.ipv4.tcp_keepalive_time', 'v1.29', 'v1.28'],
    ['net.ipv4.tcp_rmem', 'v1.32', 'v1.31'],
    ['net.ipv4.tcp_slow_start_after_idle', 'v1.37', 'latest'],
  ])('allows %s at %s but not at %s', (name, allowedAt, rejectedAt) => {
    expectFindings(withSysctl(name), [], { version: allowedAt });
    expectFindings(withSysctl(name), [['sysctls', path]], { version: rejectedAt });
  });
});

describe('windowsHostProcess', () => {
  it('passes when hostProcess is false', () => {
    expectFindings(pod({ securityContext: { windowsOptions: { hostProcess: false } } }), []);
  });

  it('fails on a HostProcess pod', () => {
    expectFindings(pod({ securityContext: { windowsOptions: { hostProcess: true } } }), [['windowsHostProcess', `${POD_SC}.windowsOptions.hostProcess`]]);
  });

  it('fails on a HostProcess container', () => {
    expectFindings(podWithContainer({ windowsOptions: { hostProcess: true } }), [['windowsHostProcess', `${C0}.windowsOptions.hostProcess`]]);
  });
});

describe('restrictedVolumes', () => {
  it('passes with every allowed volume type', () => {
    const volumes: Volume[] = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'].map(
      (type, i) => ({ name: `v${i}`, [type]: {} }),
    );
    expectFindings(pod({ volumes }), []);
  });

  it('fails on nfs', () => {
    expectFindings(podWithVolume({ name: 'share', nfs: { server: 'nfs', path: '/' } }), [['restrictedVolumes', 'spec.volumes[0].nfs']]);
  });

  it('is not part of baseline', () => {
    expectFindings(podWithVolume({ name: 'share', nfs: { server: 'nfs', path: '/' } }), [], baseline);
  });
});

describe('allowPrivilegeEscalation', () => {
  it('passes when false', () => {
    expectFindings(podWithContainer({ allowPrivilegeEscalation: false }), []);
  });

  it('fails when unset, naming the value and what is allowed', () => {
    expect(evaluatePodSecurity(podWithContainer({ allowPrivilegeEscalation: undefined }))).toEqual([
      {
        check: 'allowPrivilegeEscalation',
        level: 'restricted',
        path: `${C0}.allowPrivilegeEscalation`,
        message: `${C0}.allowPrivilegeEscalation must be false (found: unset)`,
      },
    ]);
  });

  it('fails when true', () => {
    expectFindings(podWithContainer({ allowPrivilegeEscalation: true }), [['allowPrivilegeEscalation', `${C0}.allowPrivilegeEscalation`]]);
  });

  it('does not apply before v1.8', () => {
    expectFindings(podWithContainer({ allowPrivilegeEscalation: true }), [], { version: 'v1.7' });
  });
});

describe('capabilities_restricted', () => {
  it('passes when ALL is dropped and NET_BIND_SERVICE added', () => {
    expectFindings(podWithContainer({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), []);
  });

  it('fails when there is no capabilities block', () => {
    expectFindings(podWithContainer({ capabilities: undefined }), [['capabilities_restricted', `${C0}.capabilities.drop`]]);
  });

  it('needs the exact string ALL', () => {
    expectFindings(podWithContainer({ capabilities: { drop: ['all'] } }), [['capabilities_restricted', `${C0}.capabilities.drop`]]);
  });

  it('fails on an added capability the baseline allows', () => {
    expectFindings(podWithContainer({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } }), [['capabilities_restricted', `${C0}.capabilities.add[0]`]]);
  });

  it('leaves capabilities_baseline in place before v1.22', () => {
    expectFindings(podWithContainer({ capabilities: { add: ['CHOWN', 'NET_RAW'] } }), [
      ['capabilities_baseline', `${C0}.capabilities.add[1]`],
    ], { version: 'v1.21' });
  });
});

describe('runAsNonRoot', () => {
  it('passes when every container sets true and the pod does not', () => {
    expectFindings(pod({ securityContext: { runAsNonRoot: undefined }, containers: [container({ runAsNonRoot: true })] }), []);
  });

  it('fails when the pod sets false', () => {
    expectFindings(pod({ securityContext: { runAsNonRoot: false } }), [['runAsNonRoot', `${POD_SC}.runAsNonRoot`]]);
  });

  it('fails when a container sets false under a pod that sets true', () => {
    expectFindings(podWithContainer({ runAsNonRoot: false }), [['runAsNonRoot', `${C0}.runAsNonRoot`]]);
  });

  it('fails at the pod field when nothing sets it, and a non-zero runAsUser does not help', () => {
    expectFindings(pod({ securityContext: { runAsNonRoot: undefined, runAsUser: 1000 } }), [['runAsNonRoot', `${POD_SC}.runAsNonRoot`]]);
  });

  it('fails at the container that leaves it unset when others set it', () => {
    expectFindings(pod({ securityContext: { runAsNonRoot: undefined }, initContainers: [container()], containers: [container({ runAsNonRoot: true })] }), [
      ['runAsNonRoot', 'spec.initContainers[0].securityContext.runAsNonRoot'],
    ]);
  });

  it('exempts hostUsers: false from v1.35', () => {
    expectFindings(pod({ hostUsers: false, securityContext: { runAsNonRoot: undefined } }), [], { version: 'v1.35' });
  });

  it('does not exempt hostUsers: false at v1.34', () => {
    expectFindings(pod({ hostUsers: false, securityContext: { runAsNonRoot: undefined } }), [['runAsNonRoot', `${POD_SC}.runAsNonRoot`]], { version: 'v1.34' });
  });
});

describe('runAsUser', () => {
  it('passes with a non-zero UID', () => {
    expectFindings(pod({ securityContext: { runAsUser: 1000 } }), []);
  });

  it('fails when the pod runs as UID 0', () => {
    expectFindings(pod({ securityContext: { runAsUser: 0 } }), [['runAsUser', `${POD_SC}.runAsUser`]]);
  });

  it('fails when a container runs as UID 0', () => {
    expectFindings(podWithContainer({ runAsUser: 0 }), [['runAsUser', `${C0}.runAsUser`]]);
  });

  it('does not apply before v1.23', () => {
    expectFindings(podWithContainer({ runAsUser: 0 }), [], { version: 'v1.22' });
  });

  it('exempts hostUsers: false from v1.35', () => {
    expectFindings(pod({ hostUsers: false, containers: [container({ runAsUser: 0 })] }), [], { version: 'v1.35' });
  });
});

describe('Windows pods', () => {
  const windows = pod({ os: { name: 'windows' }, securityContext: { seccompProfile: undefined }, containers: [container({ allowPrivilegeEscalation: undefined, capabilities: undefined })] });

  it('are exempt from allowPrivilegeEscalation, capabilities_restricted and seccompProfile_restricted from v1.25', () => {
    expectFindings(windows, [], { version: 'v1.25' });
  });

  it('are not exempt at v1.24', () => {
    expectFindings(windows, [
      ['allowPrivilegeEscalation', `${C0}.allowPrivilegeEscalation`],
      ['capabilities_restricted', `${C0}.capabilities.drop`],
      ['seccompProfile_restricted', `${POD_SC}.seccompProfile.type`],
    ], { version: 'v1.24' });
  });
});

describe('levels', () => {
  const bare: Pod = { spec: { containers: [{ name: 'app', image: 'app:1' }] } };

  it('baseline does not report restricted-only checks', () => {
    expect(evaluatePodSecurity(bare, baseline)).toEqual([]);
  });

  it('restricted reports only restricted checks for a pod that passes baseline', () => {
    const findings = evaluatePodSecurity(bare);
    expect(findings.map((f) => [f.check, f.level])).toEqual([
      ['allowPrivilegeEscalation', 'restricted'],
      ['capabilities_restricted', 'restricted'],
      ['runAsNonRoot', 'restricted'],
      ['seccompProfile_restricted', 'restricted'],
    ]);
  });

  it('privileged checks nothing', () => {
    expect(evaluatePodSecurity(pod({ hostNetwork: true }), { level: 'privileged' })).toEqual([]);
  });

  it('isCompliant agrees with the findings', () => {
    expect(isCompliant(bare, baseline)).toBe(true);
    expect(isCompliant(bare)).toBe(false);
  });
});

describe('which containers are checked', () => {
  it.each(['initContainers', 'ephemeralContainers'] as const)('checks %s', (list) => {
    expectFindings(pod({ [list]: [container({ privileged: true })] }), [['privileged', `spec.${list}[0].securityContext.privileged`]]);
  });

  it('orders findings by path, with list indexes compared as numbers', () => {
    const containers = Array.from({ length: 11 }, (_, i) => container({ allowPrivilegeEscalation: i === 2 || i === 10 ? true : false }));
    expect(evaluatePodSecurity(pod({ containers })).map((f) => f.path)).toEqual([
      'spec.containers[2].securityContext.allowPrivilegeEscalation',
      'spec.containers[10].securityContext.allowPrivilegeEscalation',
    ]);
  });
});

describe('targets', () => {
  const template = pod({ containers: [container({ allowPrivilegeEscalation: true })] });

  it('prefixes Deployment paths with spec.template', () => {
    const deployment: Workload = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { metadata: template.metadata, spec: template.spec } } };
    expectFindings(deployment, [['allowPrivilegeEscalation', 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation']]);
  });

  it('prefixes CronJob paths with spec.jobTemplate.spec.template', () => {
    const cronJob: Workload = { apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: template.spec } } } } };
    expectFindings(cronJob, [['allowPrivilegeEscalation', 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation']]);
  });

  it('reads annotations from the template metadata', () => {
    const annotated = pod({}, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } });
    const daemonSet: Workload = { kind: 'DaemonSet', spec: { template: annotated } };
    expectFindings(daemonSet, [['appArmorProfile', 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]']]);
  });

  it('gives paths relative to a bare PodSpec', () => {
    expectFindings(template.spec ?? {}, [['allowPrivilegeEscalation', 'containers[0].securityContext.allowPrivilegeEscalation']]);
  });

  it('rejects a workload without a pod template', () => {
    expect(() => evaluatePodSecurity({ kind: 'Deployment', spec: {} })).toThrow(/target\.spec\.template/);
  });
});

describe('options', () => {
  it.each([
    ['level', { level: 'strict' as PssOptions['level'] }],
    ['version', { version: '1.35' }],
    ['version', { version: 'v2.0' }],
    ['version', { version: 'v1.035' }],
  ])('an invalid %s (%j) throws a ValidationError naming it', (property, options) => {
    expect(() => evaluatePodSecurity(pod(), options)).toThrow(ValidationError);
    expect(() => evaluatePodSecurity(pod(), options)).toThrow(new RegExp(`^${property}: `));
  });

  it('validates options even at privileged', () => {
    expect(() => evaluatePodSecurity(pod(), { level: 'privileged', version: 'next' })).toThrow(/^version: "next" is not valid/);
  });
});

describe('PSS_CHECK_IDS', () => {
  it('lists every upstream check with its level', () => {
    expect(PSS_CHECK_IDS).toEqual({
      hostNamespaces: 'baseline',
      privileged: 'baseline',
      capabilities_baseline: 'baseline',
      hostPathVolumes: 'baseline',
      hostPorts: 'baseline',
      hostProbesAndHostLifecycle: 'baseline',
      appArmorProfile: 'baseline',
      seLinuxOptions: 'baseline',
      procMount: 'baseline',
      seccompProfile_baseline: 'baseline',
      sysctls: 'baseline',
      windowsHostProcess: 'baseline',
      restrictedVolumes: 'restricted',
      allowPrivilegeEscalation: 'restricted',
      capabilities_restricted: 'restricted',
      runAsNonRoot: 'restricted',
      runAsUser: 'restricted',
      seccompProfile_restricted: 'restricted',
      procMount_restricted: 'restricted',
    });
  });
});
