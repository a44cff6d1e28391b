/**
 * Datapath profiles: every gating rule accepted and refused (with the message), the presets as
 * documented per AL2023 kernel class, and the docs/reference.md tables generated from the code.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  DatapathContext,
  datapathValues,
  DatapathOptions,
  DEFAULT_MAGLEV_TABLE_SIZE,
  MAGLEV_TABLE_SIZES,
  renderDatapathProfileTable,
  resolveDatapathProfile,
  ResolvedDatapathSettings,
} from '../bpf/datapath';
import { thrown } from './support/errors';
import { chartVersionsWith, renderChartVersionMatrix, SUPPORTED_CILIUM_CHART_VERSIONS } from '../bpf/versions';

/** One Kubernetes version per AL2023 kernel class. */
const KERNEL_CLASSES = [
  { kernel: '6.1', kubernetesVersion: '1.32' },
  { kernel: '6.12', kubernetesVersion: '1.34' },
  { kernel: '6.18', kubernetesVersion: '1.36' },
] as const;

const custom = (settings: DatapathOptions, context: DatapathContext = {}) => resolveDatapathProfile({ preset: 'custom', ...settings }, context);


describe('settings refused on ENA / AWS', () => {
  test('BIG TCP: the ENA NIC, and WireGuard', () => {
    const e = thrown(() => custom({ bigTcp: true }), /^cilium\.datapath\.bigTcp: true is not valid; allowed: false \(EC2 nodes have the ENA NIC and BIG TCP needs an mlx4, mlx5 or ice NIC; it excludes encryption and WireGuard is on\)$/);
    expect(e.property).toBe('cilium.datapath.bigTcp');
    // Without WireGuard the NIC alone still refuses it; on kernel 6.1 the kernel is named too.
    thrown(() => custom({ bigTcp: true }, { wireguard: false }), /allowed: false \(EC2 nodes have the ENA NIC and BIG TCP needs an mlx4, mlx5 or ice NIC\)$/);
    thrown(() => custom({ bigTcp: true }, { kubernetesVersion: '1.32' }), /IPv4 BIG TCP needs kernel >= 6\.3 and the nodes run 6\.1/);
    // Refused for its own reason in a named preset too, not for the preset.
    thrown(() => resolveDatapathProfile({ bigTcp: true }), /cilium\.datapath\.bigTcp: .*ENA NIC/);
    expect(custom({ bigTcp: false }).settings.bigTcp).toBe(false);
  });

  test('XDP acceleration: ENA MTU and ENIs, and WireGuard', () => {
    thrown(() => custom({ xdpAcceleration: true }), /^cilium\.datapath\.xdpAcceleration: true is not valid; allowed: false \(ENA runs native XDP only with an MTU <= 3498 .*bypasses WireGuard\)$/);
    thrown(() => custom({ xdpAcceleration: true }, { wireguard: false }), /operator attaches ENIs at run time\)$/);
    expect(datapathValues(custom({ xdpAcceleration: false }))).toMatchObject({ loadBalancer: { acceleration: 'disabled' } });
  });

  test('DSR: the EC2 source/destination check, and WireGuard', () => {
    thrown(() => custom({ dsr: true }), /^cilium\.datapath\.dsr: true is not valid; allowed: false \(backends reply with the service address as source, which EC2's source\/destination check drops.*bypasses WireGuard\)$/);
    expect(datapathValues(custom({ dsr: false }))).toMatchObject({ loadBalancer: { mode: 'snat' } });
  });
});

describe('gating rules', () => {
  test('eBPF host routing needs BPF masquerading or none', () => {
    thrown(() => custom({ base: 'performance', masquerade: 'iptables' }), /^cilium\.datapath\.hostRouting: true is not valid; allowed: false, or masquerade 'bpf' or 'none' \(eBPF host routing bypasses iptables/);
    expect(custom({ base: 'performance', masquerade: 'bpf' }).settings).toMatchObject({ hostRouting: true, masquerade: 'bpf' });
    expect(custom({ base: 'performance', masquerade: 'none' }).settings).toMatchObject({ hostRouting: true, masquerade: 'none' });
    expect(custom({ masquerade: 'iptables' }).settings).toMatchObject({ hostRouting: false, masquerade: 'iptables' });
    expect(datapathValues(custom({ base: 'performance', masquerade: 'bpf' }))).toMatchObject({ enableIPv4Masquerade: true, bpf: { masquerade: true, hostLegacyRouting: false } });
  });

  test('eBPF host routing needs kernel >= 5.10', () => {
    thrown(() => custom({ hostRouting: true }, { kernel: { major: 5, minor: 4 } }), /^cilium\.datapath\.hostRouting: true is not valid; allowed: false \(eBPF host routing needs kernel >= 5\.10 and the nodes run 5\.4\)$/);
    expect(custom({ hostRouting: true }, { kernel: { major: 5, minor: 10 } }).settings.hostRouting).toBe(true);
    // performance leaves it off where the kernel cannot run it, and BBR with it.
    expect(resolveDatapathProfile({}, { kernel: { major: 5, minor: 4 } }).settings).toMatchObject({ hostRouting: false, bbr: false });
  });

  test('BBR needs kernel >= 5.18', () => {
    thrown(() => custom({ base: 'performance', bbr: true }, { kernel: { major: 5, minor: 15 } }), /^cilium\.datapath\.bbr: true is not valid; allowed: false \(BBR for pods needs kernel >= 5\.18 and the nodes run 5\.15\)$/);
    expect(custom({ base: 'performance', bbr: true }, { kernel: { major: 5, minor: 18 } }).settings.bbr).toBe(true);
    const old = resolveDatapathProfile({}, { kernel: { major: 5, minor: 15 } });
    expect(old.settings.bbr).toBe(false);
    expect(old.rows.find((r) => r.setting === 'BBR congestion control')?.why).toBe('BBR for pods needs kernel >= 5.18; the nodes run 5.15');
  });

  test('BBR needs the bandwidth manager and eBPF host routing', () => {
    thrown(() => custom({ hostRouting: true, bbr: true }), /^cilium\.datapath\.bbr: true is not valid; allowed: false, or bandwidthManager: true \(BBR for pods runs on the bandwidth manager\)$/);
    thrown(() => custom({ base: 'performance', hostRouting: false }), /^cilium\.datapath\.bbr: true is not valid; allowed: false, or hostRouting: true \(BBR for pods needs eBPF host routing/);
    expect(custom({ hostRouting: true, bandwidthManager: true, bbr: true }).settings).toMatchObject({ bbr: true, bandwidthManager: true });
    expect(custom({ base: 'performance', hostRouting: false, bbr: false }).settings).toMatchObject({ hostRouting: false, bbr: false, bandwidthManager: true });
  });

  test('netkit needs kernel >= 6.8 (Kubernetes 1.33+ on AL2023)', () => {
    const e = thrown(
      () => custom({ base: 'performance', netkit: true }, { kubernetesVersion: '1.32' }),
      /^cilium\.datapath\.netkit: true is not valid; allowed: false, or Kubernetes 1\.33\+ nodes \(AL2023 kernel 6\.12\+\) \(netkit needs kernel >= 6\.8 and the nodes run 6\.1 \(Kubernetes 1\.32\)\)$/,
    );
    expect(e.value).toBe(true);
    for (const kubernetesVersion of ['1.33', '1.36']) {
      expect(datapathValues(custom({ base: 'performance', netkit: true }, { kubernetesVersion }))).toMatchObject({ bpf: { datapathMode: 'netkit', hostLegacyRouting: false } });
    }
  });

  test('netkit needs eBPF host routing', () => {
    thrown(() => custom({ netkit: true }, { kubernetesVersion: '1.34' }), /^cilium\.datapath\.netkit: true is not valid; allowed: false, or hostRouting: true \(netkit needs eBPF host routing\)$/);
    expect(custom({ netkit: true, hostRouting: true }, { kubernetesVersion: '1.34' }).settings.netkit).toBe(true);
  });

  test('netkit and distributed LRU are known to every supported chart version', () => {
    expect(chartVersionsWith('netkit')).toEqual([...SUPPORTED_CILIUM_CHART_VERSIONS]);
    expect(chartVersionsWith('distributedLRU')).toEqual([...SUPPORTED_CILIUM_CHART_VERSIONS]);
    for (const chartVersion of SUPPORTED_CILIUM_CHART_VERSIONS) {
      expect(custom({ base: 'performance', netkit: true }, { chartVersion, kubernetesVersion: '1.36' }).settings).toMatchObject({ netkit: true, distributedLRU: true });
    }
  });

  test('an unsupported chart version is refused with the versions that work', () => {
    thrown(() => resolveDatapathProfile({}, { chartVersion: '1.17.18' }), /^cilium\.chartVersion: "1\.17\.18" is not valid; allowed: one of 1\.18\.12, 1\.19\.6, 1\.20\.0/);
  });

  test('Maglev table size: one of the primes cilium-agent accepts, only with Maglev', () => {
    thrown(() => custom({ base: 'performance', maglevTableSize: 10000 }), /^cilium\.datapath\.maglevTableSize: 10000 is not valid; allowed: one of 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071 \(cilium-agent accepts only these primes\)$/);
    for (const size of MAGLEV_TABLE_SIZES) {
      expect(datapathValues(custom({ base: 'performance', maglevTableSize: size }))).toMatchObject({ loadBalancer: { algorithm: 'maglev' }, maglev: { tableSize: size } });
    }
    thrown(() => custom({ maglevTableSize: 65521 }), /^cilium\.datapath\.maglevTableSize: 65521 is not valid; allowed: unset, or loadBalancerAlgorithm: 'maglev'/);
    expect(datapathValues(custom({ loadBalancerAlgorithm: 'maglev' }))).toMatchObject({ maglev: { tableSize: DEFAULT_MAGLEV_TABLE_SIZE } });
    expect(datapathValues(custom({}))).not.toHaveProperty('maglev');
  });

  test('map ratio in (0, 1]', () => {
    for (const ratio of [0, -0.1, 1.5, Number.NaN]) {
      thrown(() => custom({ mapDynamicSizeRatio: ratio }), /^cilium\.datapath\.mapDynamicSizeRatio: .* is not valid; allowed: a number in \(0, 1\]/);
    }
    expect(custom({ mapDynamicSizeRatio: 0.01 }).settings.mapDynamicSizeRatio).toBe(0.01);
    expect(custom({ mapDynamicSizeRatio: 1 }).settings.mapDynamicSizeRatio).toBe(1);
  });

  test('enumerations are checked', () => {
    thrown(() => custom({ masquerade: 'nat' as never }), /^cilium\.datapath\.masquerade: "nat" is not valid; allowed: 'none', 'bpf', 'iptables'$/);
    thrown(() => custom({ loadBalancerAlgorithm: 'least-conn' as never }), /^cilium\.datapath\.loadBalancerAlgorithm: "least-conn" is not valid; allowed: 'random', 'maglev'$/);
    thrown(() => resolveDatapathProfile({ preset: 'fast' as never }), /^cilium\.datapath\.preset: "fast" is not valid; allowed: 'performance', 'compatible', 'custom'$/);
  });

  test('named presets are fixed; custom starts from its base', () => {
    thrown(() => resolveDatapathProfile({ preset: 'performance', netkit: true }), /^cilium\.datapath\.netkit: true is not valid; allowed: unset, or preset 'custom' \(with base 'performance'\) \(preset 'performance' is a fixed profile/);
    thrown(() => resolveDatapathProfile({ preset: 'compatible', base: 'performance' }), /^cilium\.datapath\.base: "performance" is not valid; allowed: unset, or preset 'custom'/);
    // Restating a preset's own value is harmless.
    expect(resolveDatapathProfile({ preset: 'performance', netkit: false, bigTcp: false, hostRouting: true }).preset).toBe('performance');
    expect(custom({}).settings).toEqual(resolveDatapathProfile({ preset: 'compatible' }).settings);
    expect(custom({ base: 'performance' }).settings).toEqual(resolveDatapathProfile({}).settings);
  });
});

describe('presets per kernel class', () => {
  const performance: ResolvedDatapathSettings = {
    hostRouting: true,
    masquerade: 'none',
    bandwidthManager: true,
    bbr: true,
    loadBalancerAlgorithm: 'maglev',
    maglevTableSize: 16381,
    distributedLRU: true,
    mapDynamicSizeRatio: 0.08,
    clockProbe: true,
    netkit: false,
    socketLbHostNamespaceOnly: false,
    bigTcp: false,
    xdpAcceleration: false,
    dsr: false,
  };
  const compatible: ResolvedDatapathSettings = {
    hostRouting: false,
    masquerade: 'none',
    bandwidthManager: false,
    bbr: false,
    loadBalancerAlgorithm: 'random',
    distributedLRU: false,
    mapDynamicSizeRatio: 0.0025,
    clockProbe: false,
    netkit: false,
    socketLbHostNamespaceOnly: false,
    bigTcp: false,
    xdpAcceleration: false,
    dsr: false,
  };

  test.each(KERNEL_CLASSES.map((c) => [c.kernel, c.kubernetesVersion]))('kernel %s (Kubernetes %s)', (kernel, kubernetesVersion) => {
    const perf = resolveDatapathProfile({}, { kubernetesVersion });
    expect(perf.preset).toBe('performance');
    expect(`${perf.kernel.major}.${perf.kernel.minor}`).toBe(kernel);
    expect(perf.settings).toEqual(performance);
    expect(resolveDatapathProfile({ preset: 'compatible' }, { kubernetesVersion }).settings).toEqual(compatible);
    const netkitWhy = perf.rows.find((r) => r.setting === 'Pod device mode')?.why;
    expect(netkitWhy).toBe(
      kernel === '6.1' ? 'veth: netkit needs kernel >= 6.8 and the nodes run 6.1' : 'veth: netkit is opt-in (preset custom), being beta, impossible to switch in place and unverified in ENI mode',
    );
  });

  test('every row sets at least one value, and rows never set the same key twice', () => {
    for (const c of KERNEL_CLASSES) {
      for (const preset of ['performance', 'compatible'] as const) {
        const paths = resolveDatapathProfile({ preset }, { kubernetesVersion: c.kubernetesVersion }).rows.flatMap((r) => {
          expect(r.values.length).toBeGreaterThan(0);
          return r.values.map((hv) => hv.path);
        });
        expect(new Set(paths).size).toBe(paths.length);
      }
    }
  });

  test('the table renders one row per setting, with the Helm values as code', () => {
    const table = renderDatapathProfileTable(resolveDatapathProfile());
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe('| setting | value | why | needs |');
    expect(lines).toHaveLength(2 + 13);
    expect(lines).toContain(
      '| Load-balancing algorithm | `loadBalancer.algorithm: maglev`, `maglev.tableSize: 16381` | Maglev consistent hashing for service traffic from outside the cluster: every node picks the same backend for a flow, and a backend change moves few flows | memory: a table of 16381 entries per service; the size should exceed 100 x the largest backend count of a service, and be one of the primes 251 to 131071 |',
    );
  });
});

describe('docs/reference.md', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'reference.md'), 'utf8');
  const start = readme.indexOf('<!-- datapath-profiles:start -->');
  const end = readme.indexOf('<!-- datapath-profiles:end -->');
  const region = readme.slice(start, end);

  test('has the datapath-profiles region', () => {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
  });

  const expected: [string, string][] = [];
  for (const c of KERNEL_CLASSES) {
    for (const preset of ['performance', 'compatible'] as const) {
      expected.push([`${preset} on kernel ${c.kernel}`, renderDatapathProfileTable(resolveDatapathProfile({ preset }, { kubernetesVersion: c.kubernetesVersion }))]);
    }
    // The page's custom example: performance with netkit, refused on kernel 6.1.
    const example: DatapathOptions = { preset: 'custom', base: 'performance', netkit: true };
    let doc: string;
    try {
      doc = renderDatapathProfileTable(resolveDatapathProfile(example, { kubernetesVersion: c.kubernetesVersion }));
    } catch (e) {
      doc = `\`\`\`\n${(e as Error).message}\n\`\`\``;
    }
    expected.push([`custom example on kernel ${c.kernel}`, doc]);
  }
  expected.push(['chart version matrix', renderChartVersionMatrix()]);

  test.each(expected)('shows the %s as the code renders it', (_name, doc) => {
    // On failure, paste the expected text into the region of docs/reference.md.
    expect(region.includes(doc) ? doc : region).toBe(doc);
  });
});
