/**
 * The chart version matrix: values for every supported chart version x preset x WireGuard x prefix
 * delegation, validated against that version's values.schema.json AND checked key by key against
 * its values.yaml (the schemas allow unknown keys, so only the key check catches a wrong value
 * name); a golden YAML per version for the default preset; the certgen image facts.
 */
import { buildCiliumPreflightValues, buildCiliumValues, CiliumValuesOptions, renderCiliumValuesYaml } from '../bpf/cilium-values';
import { minorLine } from '../bpf/upgrade';
import { parseMinor } from '../core/version-step';
import { DATAPATH_PRESETS, DatapathOptions } from '../bpf/datapath';
import { ValidationError } from '../core/errors';
import {
  al2023Kernel,
  CILIUM_CHART_FACTS,
  CiliumChartFeature,
  kernelAtLeast,
  SUPPORTED_CILIUM_CHART_VERSIONS,
} from '../bpf/versions';
import { JsonObject, JsonValue, toSortedYaml } from '../core/yaml';
import { expectGolden } from './support/golden';
import { expectReadsBack } from './support/yaml';
import { readUpstreamText, validateCiliumValues } from './support/upstream';
import { ciliumValuesIndex, knownBecause, leafPaths, unknownCiliumKeys as unknownKeys } from './support/chart-keys';

const SAMPLE = {
  k8sServiceHost: 'ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
  region: 'eu-west-1',
  podSubnetIds: ['subnet-0000000a', 'subnet-0000000b', 'subnet-0000000c'],
} as const;

/** Kubernetes versions, one per AL2023 kernel class: 6.1, 6.12, 6.18. */
const KUBERNETES_VERSIONS = ['1.32', '1.34', '1.36'];

// ---------------------------------------------------------------------------------------------

/** A custom profile using every setting these nodes allow, to cover every key the profile can emit. */
function customProfile(kubernetesVersion: string): DatapathOptions {
  return {
    preset: 'custom',
    base: 'performance',
    netkit: kernelAtLeast(al2023Kernel(kubernetesVersion), 6, 8),
    masquerade: 'bpf',
    maglevTableSize: 65521,
    socketLbHostNamespaceOnly: true,
  };
}

/** Options that make the builder emit every Hubble and encryption key it knows (custom rows). */
function everythingOptions(version: string, wireguard: boolean): Partial<CiliumValuesOptions> {
  return {
    hubble: {
      serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' }, interval: '30s' },
      flowExport: { fileCompress: true, fileMaxSizeMb: 20, fileMaxBackups: 3, allowList: [{ verdict: ['DROPPED'] }], denyList: [{ source_pod: ['kube-system/'] }], fieldMask: ['time', 'source', 'destination', 'verdict'] },
      uiAccess: { mode: 'internal-load-balancer', sourceRanges: ['10.0.0.0/16', '192.168.10.0/24'] },
    },
    ...(wireguard ? { encryptionStrictMode: { cidr: '10.0.0.0/16', ingress: version === '1.20.0' } } : {}),
  };
}

describe('chart version matrix', () => {
  const cases: [string, string, string, boolean, boolean][] = [];
  for (const version of SUPPORTED_CILIUM_CHART_VERSIONS) {
    for (const preset of DATAPATH_PRESETS) {
      for (const k8s of KUBERNETES_VERSIONS) {
        for (const wireguard of [true, false]) {
          for (const prefixDelegation of [true, false]) cases.push([version, preset, k8s, wireguard, prefixDelegation]);
        }
      }
    }
  }

  test.each(cases)('chart %s, preset %s, Kubernetes %s, WireGuard %s, prefix delegation %s', (version, preset, k8s, wireguard, prefixDelegation) => {
    const custom = preset === 'custom';
    const values = buildCiliumValues({
      ...SAMPLE,
      chartVersion: version,
      kubernetesVersion: k8s,
      wireguard,
      prefixDelegation,
      datapath: custom ? customProfile(k8s) : { preset: preset as 'performance' | 'compatible' },
      ...(custom ? everythingOptions(version, wireguard) : {}),
    });
    expect(validateCiliumValues(version, values)).toEqual([]);
    expect(unknownKeys(version, values)).toEqual([]);
    // What Helm is given reads back as what was validated.
    expectReadsBack(toSortedYaml(values), values);
  });
});

describe('one-step upgrades render and validate for every supported pair', () => {
  // Every ordered pair of supported versions; one minor apart (or a patch) is an upgrade path.
  const pairs: [string, string][] = [];
  for (const from of SUPPORTED_CILIUM_CHART_VERSIONS) {
    for (const to of SUPPORTED_CILIUM_CHART_VERSIONS) pairs.push([from, to]);
  }

  test.each(pairs)('%s -> %s', (from, to) => {
    const step = (parseMinor(to) as number) - (parseMinor(from) as number);
    const build = (): JsonObject => buildCiliumValues({ ...SAMPLE, chartVersion: to, upgradeFrom: from, ...everythingOptions(to, true), datapath: customProfile('1.34') });
    if (Math.abs(step) > 1) {
      // Refused at synth, naming the version in between.
      const between = SUPPORTED_CILIUM_CHART_VERSIONS.find((v) => parseMinor(v) === ((parseMinor(from) as number) + Math.sign(step)));
      expect(() => build()).toThrow(new RegExp(`^cilium\\.chartVersion: "${to.replace(/\./g, '\\.')}" is not valid; allowed: ${between?.replace(/\./g, '\\.')} first while ${from.replace(/\./g, '\\.')} runs`));
      return;
    }
    const values = build();
    // During a minor upgrade the previous minor's defaults; never on a patch or a rollback.
    expect(values.upgradeCompatibility).toBe(step === 1 ? minorLine(from) : undefined);
    expect(validateCiliumValues(to, values)).toEqual([]);
    expect(unknownKeys(to, values)).toEqual([]);
  });

  test.each(SUPPORTED_CILIUM_CHART_VERSIONS.map((v) => [v]))('the pre-flight values of %s follow the upgrade guide and the chart', (version) => {
    const values = buildCiliumPreflightValues({ ...SAMPLE, chartVersion: version });
    expect(values).toEqual({ preflight: { enabled: true }, agent: false, operator: { enabled: false }, k8sServiceHost: SAMPLE.k8sServiceHost, k8sServicePort: 443 });
    expect(validateCiliumValues(version, values)).toEqual([]);
    expect(unknownKeys(version, values)).toEqual([]);
  });

  test('the keys 1.20 removed (facts.md) are keys of 1.19.6 and unknown to 1.20.0, so emitting one there would be caught', () => {
    const removed: JsonObject = {
      encryption: { strictMode: { enabled: true, cidr: '10.0.0.0/16', allowRemoteNodeIdentities: true } },
      clustermesh: {
        enableMCSAPISupport: true,
        apiserver: { tls: { enableSecrets: true, server: { cert: 'x', key: 'x' }, admin: { cert: 'x', key: 'x' }, remote: { cert: 'x', key: 'x' } } },
      },
    };
    expect(unknownKeys('1.19.6', removed)).toEqual([]);
    expect(unknownKeys('1.20.0', removed)).toEqual(leafPaths(removed));
  });

  test('an upgradeFrom that is not a version is refused where it was written', () => {
    expect(() => buildCiliumValues({ ...SAMPLE, upgradeFrom: 'latest' })).toThrow(/^cilium\.upgradeFrom: "latest" is not valid; allowed: a Cilium chart version such as 1\.19\.6/);
  });
});

describe('values schema check', () => {
  test.each(SUPPORTED_CILIUM_CHART_VERSIONS.map((v) => [v]))('chart %s: refuses a value of the wrong type, naming where', (version) => {
    const values = buildCiliumValues({ ...SAMPLE, chartVersion: version });
    expect(validateCiliumValues(version, values)).toEqual([]);
    expect(validateCiliumValues(version, { ...values, debug: { enabled: 'yes' } }).join('\n')).toMatch(/\/debug\/enabled must be boolean/);
  });
});

describe('values.yaml key check', () => {
  test('catches a value name the chart does not have', () => {
    const bogus: JsonObject = { hubble: { export: { fileMaxSizeMb: 10 } }, bpf: { hostRouting: true } };
    // 1.16/1.17 spelling of the rotation keys, and a pre-1.9 name of host routing: valid per the schema, unknown to the chart.
    expect(validateCiliumValues('1.19.6', bogus)).toEqual([]);
    expect(unknownKeys('1.19.6', bogus)).toEqual(['hubble.export.fileMaxSizeMb', 'bpf.hostRouting']);
  });

  test('accepts keys the chart documents as comments, only in their own block', () => {
    const index = ciliumValuesIndex('1.19.6');
    expect(knownBecause(index, 'loadBalancer.algorithm')).toBe('commented key in loadBalancer');
    expect(knownBecause(index, 'maglev.tableSize')).toBe('commented key in maglev');
    expect(knownBecause(index, 'socketLB.hostNamespaceOnly')).toBe('commented key in socketLB');
    expect(knownBecause(index, 'socketLB.algorithm')).toBeUndefined();
  });

  test('strict mode keys move between versions', () => {
    const strictOf = (version: string): JsonValue =>
      (buildCiliumValues({ ...SAMPLE, chartVersion: version, encryptionStrictMode: { cidr: '10.0.0.0/16' } }).encryption as JsonObject).strictMode;
    expect(strictOf('1.18.12')).toEqual({ enabled: true, cidr: '10.0.0.0/16', allowRemoteNodeIdentities: true });
    expect(strictOf('1.19.6')).toEqual({ egress: { enabled: true, cidr: '10.0.0.0/16', allowRemoteNodeIdentities: true } });
    expect(strictOf('1.20.0')).toEqual({ egress: { enabled: true, cidr: '10.0.0.0/16', allowRemoteNodeIdentities: true } });
    // The legacy keys are gone from 1.20's values.yaml: emitting them there would be silently ignored.
    expect(unknownKeys('1.20.0', { encryption: { strictMode: { enabled: true } } })).toEqual(['encryption.strictMode.enabled']);
  });
});

describe('version facts', () => {
  test.each(SUPPORTED_CILIUM_CHART_VERSIONS.map((v) => [v]))('certgen image of %s equals the chart values.yaml', (version) => {
    const certgen = (ciliumValuesIndex(version).values as { certgen: { image: Record<string, unknown> } }).certgen.image;
    expect(CILIUM_CHART_FACTS[version].certgenImage).toEqual({ repository: certgen.repository, tag: certgen.tag, digest: certgen.digest });
  });

  /**
   * A key each feature needs in values.yaml (present or documented). `hubbleCertgenHook` is a fact
   * of the chart's templates, which ../shared/upstream does not hold; it is not judged here.
   */
  type ValuesFeature = Exclude<CiliumChartFeature, 'hubbleCertgenHook'>;
  const FEATURE_KEYS: Record<ValuesFeature, string> = {
    netkit: 'bpf.datapathMode',
    distributedLRU: 'bpf.distributedLRU.enabled',
    flowExportStaticRotation: 'hubble.export.static.fileMaxSizeMb',
    flowExportCompress: 'hubble.export.static.fileCompress',
    encryptionStrictModeEgress: 'encryption.strictMode.egress.enabled',
    encryptionStrictIngressNativeRouting: 'encryption.strictMode.ingress.enabled',
    eniNodeSpec: 'eni.nodeSpec.firstInterfaceIndex',
  };

  test.each(SUPPORTED_CILIUM_CHART_VERSIONS.map((v) => [v]))('features claimed for %s have their keys in values.yaml', (version) => {
    for (const feature of CILIUM_CHART_FACTS[version].features) {
      if (feature === 'hubbleCertgenHook') continue;
      expect([feature, knownBecause(ciliumValuesIndex(version), FEATURE_KEYS[feature])]).toEqual([feature, 'in values.yaml']);
    }
    for (const feature of Object.keys(FEATURE_KEYS) as ValuesFeature[]) {
      if (CILIUM_CHART_FACTS[version].features.includes(feature) || feature === 'encryptionStrictIngressNativeRouting') continue;
      expect([feature, knownBecause(ciliumValuesIndex(version), FEATURE_KEYS[feature])]).toEqual([feature, undefined]);
    }
  });

  test('1.19 documents strict ingress as tunnel-only; 1.20 as WireGuard-only', () => {
    expect(readUpstreamText('cilium', '1.19.6', 'values.yaml')).toContain('only applicable when WireGuard and tunneling are enabled');
    expect(readUpstreamText('cilium', '1.20.0', 'values.yaml')).toContain('This option requires WireGuard encryption.');
  });

  test('an unsupported chart version fails with the versions that work', () => {
    expect(() => buildCiliumValues({ ...SAMPLE, chartVersion: '1.17.18' })).toThrow(ValidationError);
    expect(() => buildCiliumValues({ ...SAMPLE, chartVersion: '1.17.18' })).toThrow(/cilium.chartVersion: "1.17.18" is not valid; allowed: one of 1.18.12, 1.19.6, 1.20.0/);
  });

  test('a setting the selected version does not know fails with the versions that would work', () => {
    const opts = { ...SAMPLE, encryptionStrictMode: { cidr: '10.0.0.0/16', ingress: true } };
    for (const version of ['1.18.12', '1.19.6']) {
      expect(() => buildCiliumValues({ ...opts, chartVersion: version })).toThrow(
        new RegExp(`cilium.encryptionStrictMode.ingress: true is not valid; allowed: this setting with chart version 1.20.0 .*Cilium chart ${version.replace(/\./g, '\\.')} has no WireGuard strict ingress mode`),
      );
    }
    expect(() => buildCiliumValues({ ...opts, chartVersion: '1.20.0' })).not.toThrow();
  });
});

describe('golden values per chart version (default preset)', () => {
  test.each(SUPPORTED_CILIUM_CHART_VERSIONS.map((v) => [v]))('%s', (version) => {
    const options = { ...SAMPLE, podSubnetIds: [...SAMPLE.podSubnetIds], chartVersion: version };
    const text = renderCiliumValuesYaml(options);
    expectGolden(`cilium-values/${version}.yaml`, text);
    expectReadsBack(text, buildCiliumValues(options));
  });
});

describe('builder defaults stay deployable on AL2023 + ENA + ENI + WireGuard', () => {
  const values = buildCiliumValues({ ...SAMPLE, podSubnetIds: [...SAMPLE.podSubnetIds] });
  test('never names eth0 (AL2023 has ens5)', () => {
    expect(JSON.stringify(values)).not.toContain('eth0');
    expect(values).not.toHaveProperty('egressMasqueradeInterfaces');
  });
  test('netkit, BIG TCP, XDP and DSR stay off; masquerading stays off in ENI mode', () => {
    expect(values).toMatchObject({
      bpf: { datapathMode: 'veth', hostLegacyRouting: false, masquerade: false },
      enableIPv4Masquerade: false,
      enableIPv4BIGTCP: false,
      loadBalancer: { acceleration: 'disabled', mode: 'snat' },
      encryption: { enabled: true, type: 'wireguard' },
    });
  });
  test('Hubble UI is ClusterIP unless the internal load balancer is asked for', () => {
    expect(values).toMatchObject({ hubble: { ui: { service: { type: 'ClusterIP' } } } });
    const lb = buildCiliumValues({ ...SAMPLE, hubble: { uiAccess: { mode: 'internal-load-balancer', sourceRanges: ['10.0.0.0/16'] } } });
    expect(lb).toMatchObject({
      hubble: {
        ui: {
          service: {
            type: 'LoadBalancer',
            annotations: {
              'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
              'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
              'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/16',
            },
          },
        },
      },
    });
  });
});

describe('Hubble options', () => {
  const build = (hubble: CiliumValuesOptions['hubble'], chartVersion = '1.19.6') => buildCiliumValues({ ...SAMPLE, chartVersion, hubble });
  const hubbleOf = (values: JsonObject): JsonObject => values.hubble as JsonObject;

  test('flow export: on by default with size-based rotation, off on request', () => {
    expect(hubbleOf(build(undefined)).export).toEqual({
      static: {
        enabled: true,
        filePath: '/var/run/cilium/hubble/events.log',
        fileMaxSizeMb: 10,
        fileMaxBackups: 5,
        fileCompress: false,
        allowList: ['{"verdict":["DROPPED","ERROR"]}', '{"event_type":[{"type":5}]}', '{"http_status_code":["4+","5+"]}'],
      },
    });
    expect(hubbleOf(build({ flowExport: { enabled: false } })).export).toEqual({ static: { enabled: false } });
  });

  test('flow export: the file must reach the node, and its size is bounded', () => {
    expect(() => build({ flowExport: { filePath: '/tmp/flows.log' } })).toThrow(/^cilium\.hubble\.flowExport\.filePath: "\/tmp\/flows\.log" is not valid; allowed: a file under \/var\/run\/cilium\/ \(that directory is the agent's hostPath mount/);
    expect(() => build({ flowExport: { fileMaxSizeMb: 100, fileMaxBackups: 10 } })).toThrow(/^cilium\.hubble\.flowExport: .* allowed: fileMaxSizeMb x \(fileMaxBackups \+ 1\) <= 512 \(here 1100\) \(the files live on the node's \/run tmpfs/);
    expect(() => build({ flowExport: { fileMaxBackups: 0 } })).toThrow(/^cilium\.hubble\.flowExport\.fileMaxBackups: 0 is not valid/);
    expect(() => build({ flowExport: { fileMaxSizeMb: 50, fileMaxBackups: 9 } })).not.toThrow();
  });

  test('metrics: exemplars need OpenMetrics; an empty list turns metrics off', () => {
    expect(hubbleOf(build(undefined)).metrics).toMatchObject({ enableOpenMetrics: true, serviceMonitor: { enabled: false } });
    expect(() => build({ openMetrics: false })).toThrow(/^cilium\.hubble\.openMetrics: false is not valid; allowed: true while a metric asks for exemplars/);
    expect(hubbleOf(build({ metrics: ['drop', 'dns'], openMetrics: false })).metrics).toEqual({ enabled: ['drop', 'dns'], enableOpenMetrics: false, serviceMonitor: { enabled: false } });
    expect(hubbleOf(build({ metrics: [] })).metrics).toEqual({ enabled: null });
    expect(() => build({ metrics: ['drop', 'drop:sourceContext=pod'] })).toThrow(/each metric at most once/);
  });

  test('ServiceMonitor: opt-in, never trustCRDsExist, needs metrics', () => {
    const values = build({ serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' }, interval: '30s' } });
    expect(hubbleOf(values).metrics).toMatchObject({ serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' }, interval: '30s' } });
    expect(values).not.toHaveProperty('prometheus');
    expect(() => build({ metrics: [], serviceMonitor: { enabled: true } })).toThrow(/^cilium\.hubble\.serviceMonitor\.enabled: true is not valid; allowed: false while hubble\.metrics is empty/);
    expect(() => build({ serviceMonitor: { enabled: true, interval: 'often' } })).toThrow(/^cilium\.hubble\.serviceMonitor\.interval: "often" is not valid/);
  });

  test('UI: port-forward by default; the internal load balancer needs narrow source ranges and the UI', () => {
    expect(() => build({ uiAccess: { mode: 'internal-load-balancer', sourceRanges: [] } })).toThrow(/^cilium\.hubble\.uiAccess\.sourceRanges: \[\] is not valid; allowed: at least one IPv4 CIDR narrower than \/0 \(the Hubble UI has no authentication/);
    expect(() => build({ uiAccess: { mode: 'internal-load-balancer', sourceRanges: ['0.0.0.0/0'] } })).toThrow(/^cilium\.hubble\.uiAccess\.sourceRanges\[0\]: "0\.0\.0\.0\/0" is not valid; allowed: a prefix length from \/1 to \/32 \(an IPv4 CIDR narrower than \/0\)/);
    expect(() => build({ uiAccess: { mode: 'internal-load-balancer', sourceRanges: ['10.0.0.0'] } })).toThrow(/allowed: an IPv4 network in CIDR notation/);
    expect(() => build({ ui: false, uiAccess: { mode: 'internal-load-balancer', sourceRanges: ['10.0.0.0/16'] } })).toThrow(/^cilium\.hubble\.uiAccess: "internal-load-balancer" is not valid; allowed: 'port-forward', or ui: true/);
    expect(() => build({ relay: false })).toThrow(/^cilium\.hubble\.relay: false is not valid; allowed: true while ui is true/);
    expect(hubbleOf(build({ relay: false, ui: false })).ui).toEqual({ enabled: false });
  });

  test('strict mode needs WireGuard and a CIDR', () => {
    expect(() => buildCiliumValues({ ...SAMPLE, wireguard: false, encryptionStrictMode: { cidr: '10.0.0.0/16' } })).toThrow(/^cilium\.encryptionStrictMode: .* allowed: unset, or wireguard: true/);
    expect(() => buildCiliumValues({ ...SAMPLE, encryptionStrictMode: { cidr: 'vpc' } })).toThrow(/^cilium\.encryptionStrictMode\.cidr: "vpc" is not valid/);
    expect(() => buildCiliumValues({ ...SAMPLE, encryptionStrictMode: { cidr: '${TfToken[TOKEN.1]}' } })).not.toThrow();
  });

  test('the Kubernetes version selects the kernel the datapath is gated on', () => {
    expect(() => buildCiliumValues({ ...SAMPLE, kubernetesVersion: '1.32', datapath: { preset: 'custom', base: 'performance', netkit: true } })).toThrow(/^cilium\.datapath\.netkit: true is not valid/);
    expect(buildCiliumValues({ ...SAMPLE, kubernetesVersion: '1.34', datapath: { preset: 'custom', base: 'performance', netkit: true } })).toMatchObject({ bpf: { datapathMode: 'netkit' } });
    expect(() => buildCiliumValues({ ...SAMPLE, kubernetesVersion: '1.30' })).toThrow(/^kubernetesVersion: "1\.30" is not valid; allowed: one of 1\.31/);
  });
});

describe('pod subnets and the warm pool in the chart values', () => {
  /** A cluster with pod subnets: pod ENIs in the pod subnets only, the primary ENI kept for the node, 110 pods per node. */
  const POD_SUBNETS: Partial<CiliumValuesOptions> = { podSubnetIds: ['subnet-00000d01', 'subnet-00000d02', 'subnet-00000d03'], nodeSubnetIds: SAMPLE.podSubnetIds, nodeMaxPods: 110 };
  const withFeature = SUPPORTED_CILIUM_CHART_VERSIONS.filter((v) => CILIUM_CHART_FACTS[v].features.includes('eniNodeSpec'));

  test('the charts that take eni.nodeSpec are 1.19.6 and 1.20.0 (1.18.12 only through cni.customConf)', () => {
    expect(withFeature).toEqual(['1.19.6', '1.20.0']);
    expect(knownBecause(ciliumValuesIndex('1.18.12'), 'eni.nodeSpec.subnetIDs')).toBeUndefined();
    expect(knownBecause(ciliumValuesIndex('1.18.12'), 'ipam.nodeSpec.ipamMaxAllocate')).toBeUndefined();
  });

  test.each(withFeature.flatMap((v) => [true, false].map((pd): [string, boolean] => [v, pd])))('chart %s, prefix delegation %s: validated against the schema and values.yaml', (version, prefixDelegation) => {
    const values = buildCiliumValues({ ...SAMPLE, ...POD_SUBNETS, chartVersion: version, prefixDelegation, warmPool: { minAllocate: 16, releaseExcess: true } });
    expect(values.eni).toEqual({
      enabled: true,
      awsEnablePrefixDelegation: prefixDelegation,
      // The operator's filter keeps the node subnets: every node's primary ENI is in one.
      subnetIDsFilter: ['subnet-0000000a', 'subnet-0000000b', 'subnet-0000000c', 'subnet-00000d01', 'subnet-00000d02', 'subnet-00000d03'],
      awsReleaseExcessIPs: true,
      nodeSpec: { firstInterfaceIndex: 1, subnetIDs: ['subnet-00000d01', 'subnet-00000d02', 'subnet-00000d03'] },
    });
    // 110 pods: 7 /28s (112 addresses) with prefixes, 110 addresses without.
    expect(values.ipam).toEqual({ mode: 'eni', nodeSpec: { ipamMinAllocate: 16, ipamMaxAllocate: prefixDelegation ? 112 : 110 } });
    expect(validateCiliumValues(version, values)).toEqual([]);
    expect(unknownKeys(version, values)).toEqual([]);
  });

  test('golden: the pod-subnet configuration of the default chart', () => {
    expectGolden('cilium-values/pod-subnets-1.19.6.yaml', renderCiliumValuesYaml({ ...SAMPLE, ...POD_SUBNETS }));
  });

  test('chart 1.18 refuses pod subnets and warm pool settings, naming the charts that take them', () => {
    expect(() => buildCiliumValues({ ...SAMPLE, ...POD_SUBNETS, chartVersion: '1.18.12' })).toThrow(
      'podSubnets: "on" is not valid; allowed: this setting with chart version 1.19.6 or 1.20.0 (cilium.chartVersion), or without it on 1.18.12 (Cilium chart 1.18.12 has no per-node ENI and IPAM settings (eni.nodeSpec, ipam.nodeSpec))',
    );
    expect(() => buildCiliumValues({ ...SAMPLE, chartVersion: '1.18.12', warmPool: { preAllocate: 16 } })).toThrow(/^cilium\.warmPool: \{"preAllocate":16\} is not valid; allowed: this setting with chart version 1\.19\.6 or 1\.20\.0/);
    // Without either, 1.18 gets no nodeSpec keys it would ignore.
    const values = buildCiliumValues({ ...SAMPLE, chartVersion: '1.18.12', nodeMaxPods: 110 });
    expect(values.ipam).toEqual({ mode: 'eni' });
  });

  test('pod subnets refuse masquerading: the native routing CIDR would not cover the pod range', () => {
    expect(() => buildCiliumValues({ ...SAMPLE, ...POD_SUBNETS, datapath: { preset: 'custom', base: 'performance', masquerade: 'bpf' } })).toThrow(
      /^cilium\.datapath\.masquerade: "bpf" is not valid; allowed: 'none' with pod subnets/,
    );
  });

  test('without pod subnets the filter is the node subnets and there is no eni.nodeSpec; the warm pool cap follows maxPods', () => {
    const values = buildCiliumValues({ ...SAMPLE, nodeMaxPods: 110 });
    expect(values.eni).toEqual({ enabled: true, awsEnablePrefixDelegation: true, subnetIDsFilter: SAMPLE.podSubnetIds });
    expect(values.ipam).toEqual({ mode: 'eni', nodeSpec: { ipamMaxAllocate: 112 } });
  });
});
