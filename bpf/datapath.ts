import { ValidationError } from '../core/errors';
import {
  al2023Kernel,
  assertChartFeature,
  assertCiliumChartVersion,
  CiliumChartVersion,
  DEFAULT_CILIUM_CHART_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  kernelAtLeast,
  KernelVersion,
} from './versions';
import { setValuePath } from '../core/helm-values';
import { JsonObject, JsonValue } from '../core/yaml';
import { bool, declare, oneOf as picklist, optional, parse, positive, strict, string } from '../core/schema';
import { kubernetesMinor } from '../core/rules';
import { KernelVersionSchema } from '../core/versions';

/**
 * Datapath profiles: the Cilium tuning-guide settings, resolved for the nodes this project builds
 * (EKS AL2023, the ENA NIC, ENI IPAM with native routing, kube-proxy replacement on, WireGuard by
 * default) and refused where they break.
 *
 * Sources, cited per rule below:
 * - [tuning] Cilium docs, Operations > Performance > Tuning Guide (Documentation/operations/performance/tuning.rst).
 * - [facts] the Cilium tuning guide, as it applies on EKS with the ENA NIC (docs/reference.md#datapath-profiles).
 * - [wg] Cilium docs, WireGuard transparent encryption ("Which traffic is encrypted").
 * - [values] the comments of each pinned chart's values.yaml.
 * - [agent] cilium-agent's own validation (the Maglev table sizes).
 *
 * Decisions:
 * - `performance` (the default) enables every tuning-guide item valid on these nodes EXCEPT netkit.
 *   netkit is beta [tuning], cannot be switched in place (the CNI cannot replace a running pod's
 *   veth, and mixing both is unsupported [tuning]), so turning it on or off later means replacing
 *   every node; and no public project has verified it in ENI mode [facts]. A default that can
 *   neither be trusted nor cheaply undone is the wrong default: it is an opt-in (preset `custom`).
 * - Masquerading stays off in every preset: in ENI mode pods have VPC addresses, the chart turns
 *   IPv4 masquerading off in ENI mode from 1.18 [facts], NAT gateways translate internet egress,
 *   and host routing's "BPF masquerade or no masquerade" holds without it. `custom` may choose
 *   `bpf` (then traffic leaving the VPC CIDR carries the node's address).
 * - Kube-proxy replacement is always on in this project (cilium-values.ts), so the "needs KPR"
 *   requirements of host routing, the bandwidth manager and socket LB hold by construction.
 */

/** Named datapath profiles. */
export type DatapathPreset = 'performance' | 'compatible' | 'custom';
/** Every preset, in documentation order. */
export const DATAPATH_PRESETS: readonly DatapathPreset[] = Object.freeze(['performance', 'compatible', 'custom']);
/** The preset used when none is given. */
export const DEFAULT_DATAPATH_PRESET: DatapathPreset = 'performance';

/** How pod traffic leaving the VPC is masqueraded: not at all, in eBPF, or by iptables. */
export type MasqueradeMode = 'none' | 'bpf' | 'iptables';
const MASQUERADE_MODES: readonly MasqueradeMode[] = ['none', 'bpf', 'iptables'];

/** Backend selection for service traffic. */
export type LoadBalancerAlgorithm = 'random' | 'maglev';
const LOAD_BALANCER_ALGORITHMS: readonly LoadBalancerAlgorithm[] = ['random', 'maglev'];

/** Maglev table sizes cilium-agent accepts (primes; [agent]: "supported values are ..."). */
export const MAGLEV_TABLE_SIZES: readonly number[] = Object.freeze([251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071]);
/** Cilium's default Maglev table size. */
export const DEFAULT_MAGLEV_TABLE_SIZE = 16381;
/** `bpf.mapDynamicSizeRatio` of the tuning guide's performance profile, paired with distributed LRU [tuning]. */
export const PERFORMANCE_MAP_DYNAMIC_SIZE_RATIO = 0.08;
/** The chart's default `bpf.mapDynamicSizeRatio` [values]. */
export const CHART_DEFAULT_MAP_DYNAMIC_SIZE_RATIO = 0.0025;

/** The datapath settings a profile decides. Every one is optional: unset ones come from the preset. */
export interface DatapathSettings {
  /** eBPF host routing (`bpf.hostLegacyRouting: false`). @default - the preset's value */
  readonly hostRouting?: boolean;
  /** Masquerading of pod traffic (`enableIPv4Masquerade`, `bpf.masquerade`). @default 'none' */
  readonly masquerade?: MasqueradeMode;
  /** Bandwidth manager (`bandwidthManager.enabled`). @default - the preset's value */
  readonly bandwidthManager?: boolean;
  /** BBR congestion control for pods (`bandwidthManager.bbr`). @default - the preset's value */
  readonly bbr?: boolean;
  /** Load-balancing algorithm (`loadBalancer.algorithm`). @default - the preset's value */
  readonly loadBalancerAlgorithm?: LoadBalancerAlgorithm;
  /** Maglev table size (`maglev.tableSize`), one of {@link MAGLEV_TABLE_SIZES}; only with Maglev. @default 16381 */
  readonly maglevTableSize?: number;
  /** Distributed per-CPU LRU maps (`bpf.distributedLRU.enabled`, chart 1.18+). @default - the preset's value */
  readonly distributedLRU?: boolean;
  /** Share of node memory for BPF maps (`bpf.mapDynamicSizeRatio`), in (0, 1]. @default - the preset's value */
  readonly mapDynamicSizeRatio?: number;
  /** BPF clock source probing (`bpfClockProbe`). @default - the preset's value */
  readonly clockProbe?: boolean;
  /** netkit pod devices instead of veth (`bpf.datapathMode: netkit`). @default false */
  readonly netkit?: boolean;
  /** Socket LB for host-namespace processes only (`socketLB.hostNamespaceOnly`). @default false */
  readonly socketLbHostNamespaceOnly?: boolean;
  /** IPv4 BIG TCP (`enableIPv4BIGTCP`). Always refused on these nodes. @default false */
  readonly bigTcp?: boolean;
  /** XDP acceleration of services (`loadBalancer.acceleration: native`). Always refused on AWS. @default false */
  readonly xdpAcceleration?: boolean;
  /** Direct server return (`loadBalancer.mode: dsr`). Always refused on AWS. @default false */
  readonly dsr?: boolean;
}

/** The names of {@link DatapathSettings}. */
export type DatapathSettingName = keyof DatapathSettings;

/** A datapath profile: a preset and, with preset `custom`, the settings picked. */
export interface DatapathOptions extends DatapathSettings {
  /**
   * `performance`: every tuning-guide item valid on the nodes (netkit excepted, see the module
   * comment). `compatible`: the chart's legacy-safe behaviour, stated explicitly. `custom`: the
   * settings given here on top of `base`.
   * @default 'performance'
   */
  readonly preset?: DatapathPreset;
  /** With preset `custom`: the preset whose values unset settings take. @default 'compatible' */
  readonly base?: Exclude<DatapathPreset, 'custom'>;
}
export const DatapathOptionsSchema = declare<DatapathOptions>()(
  strict(
    {
      preset: optional(picklist(DATAPATH_PRESETS)),
      base: optional(picklist(['performance', 'compatible'] as const)),
      hostRouting: optional(bool()),
      masquerade: optional(picklist(MASQUERADE_MODES)),
      bandwidthManager: optional(bool()),
      bbr: optional(bool()),
      loadBalancerAlgorithm: optional(picklist(LOAD_BALANCER_ALGORITHMS)),
      maglevTableSize: optional(picklist(MAGLEV_TABLE_SIZES, `one of ${MAGLEV_TABLE_SIZES.join(', ')}`, "cilium-agent's supported Maglev table sizes")),
      distributedLRU: optional(bool()),
      mapDynamicSizeRatio: optional(positive('a ratio in (0, 1]', 1)),
      clockProbe: optional(bool()),
      netkit: optional(bool()),
      socketLbHostNamespaceOnly: optional(bool()),
      bigTcp: optional(bool()),
      xdpAcceleration: optional(bool()),
      dsr: optional(bool()),
    },
    'datapath options',
  ),
);

/** What the profile is resolved for: the nodes and the chart. */
export interface DatapathContext {
  /** Kubernetes version of the nodes (selects the AL2023 kernel). @default DEFAULT_KUBERNETES_VERSION */
  readonly kubernetesVersion?: string;
  /** Kernel of the nodes, for nodes other than EKS AL2023. @default - al2023Kernel(kubernetesVersion) */
  readonly kernel?: KernelVersion;
  /** Cilium chart version. @default DEFAULT_CILIUM_CHART_VERSION */
  readonly chartVersion?: string;
  /** Whether WireGuard encryption is on. @default true */
  readonly wireguard?: boolean;
}
/** The declaration of {@link DatapathContext}. */
export const DatapathContextSchema = declare<DatapathContext>()(
  strict(
    { kubernetesVersion: optional(kubernetesMinor()), kernel: optional(KernelVersionSchema), chartVersion: optional(string('a Cilium chart version')), wireguard: optional(bool()) },
    'a datapath context { kubernetesVersion?, kernel?, chartVersion?, wireguard? }',
  ),
);

/** Every setting decided. `maglevTableSize` is set only with Maglev. */
export type ResolvedDatapathSettings = {
  readonly [K in Exclude<DatapathSettingName, 'maglevTableSize'>]-?: Exclude<DatapathSettings[K], undefined>;
} & { readonly maglevTableSize?: number };

/** One Helm value a profile row sets. */
export interface DatapathHelmValue {
  /** Dotted path in the chart's values, e.g. `bpf.hostLegacyRouting`. */
  readonly path: string;
  /** The value written at `path` (a boolean, number, string or list, as the chart's values.yaml types it). */
  readonly value: JsonValue;
}

/** One row of a resolved profile: a setting, its value, why, and what it needs. */
export interface DatapathRow {
  /** Human name of the setting. */
  readonly setting: string;
  /** The Helm values the row sets. */
  readonly values: readonly DatapathHelmValue[];
  /** Why this value, on these nodes, in this preset. */
  readonly why: string;
  /** What the setting needs or costs. */
  readonly needs: string;
}

/** A profile resolved for one cluster: the settings, their explanations, and the context. */
export interface ResolvedDatapathProfile {
  /** The preset asked for (`cilium.datapath.preset`, default `performance`). */
  readonly preset: DatapathPreset;
  /** The preset unset settings came from (`preset` itself unless `custom`). */
  readonly base: Exclude<DatapathPreset, 'custom'>;
  /** The Kubernetes minor of the nodes the profile was resolved for, e.g. `1.34`. */
  readonly kubernetesVersion: string;
  /**
   * The node kernel the gating rules were checked against: the context's `kernel`, or the AL2023
   * kernel of `kubernetesVersion` (`al2023Kernel`).
   */
  readonly kernel: KernelVersion;
  /** The Cilium chart version the settings were checked against and the values are written for. */
  readonly chartVersion: CiliumChartVersion;
  /** Whether WireGuard encryption is on, which some settings' rules depend on. */
  readonly wireguard: boolean;
  /** Every setting decided: the preset's values overlaid with the ones given (preset `custom`). */
  readonly settings: ResolvedDatapathSettings;
  /**
   * One explained row per setting, in table order: the Helm values it sets, why, and what it
   * needs. `datapathValues` merges their values; `renderDatapathProfileTable` prints them.
   */
  readonly rows: readonly DatapathRow[];
}

interface Context {
  readonly kubernetesVersion: string;
  readonly kernel: KernelVersion;
  readonly chartVersion: CiliumChartVersion;
  readonly wireguard: boolean;
}

type MutableSettings = { -readonly [K in keyof ResolvedDatapathSettings]: ResolvedDatapathSettings[K] };
type BasePreset = Exclude<DatapathPreset, 'custom'>;

const prop = (name: DatapathSettingName): string => `cilium.datapath.${name}`;
const kernelName = (k: KernelVersion): string => `${k.major}.${k.minor}`;
const v = (path: string, value: JsonValue): DatapathHelmValue => ({ path, value });
/** The `why` of a setting left at the chart's default. */
const chartDefaultWhy = (preset: DatapathPreset): string => (preset === 'compatible' ? 'legacy-safe (chart default)' : 'off in this profile (chart default)');

// [tuning] "BBR congestion control for Pods": kernel >= 5.18 retains packet timestamps across the
// network namespace switch.
const BBR_KERNEL = { major: 5, minor: 18 } as const;
// [tuning] "netkit device mode": kernel >= 6.8.
const NETKIT_KERNEL = { major: 6, minor: 8 } as const;
// [tuning] "eBPF Host-Routing": kernel >= 5.10.
const HOST_ROUTING_KERNEL = { major: 5, minor: 10 } as const;
const atLeast = (k: KernelVersion, min: KernelVersion): boolean => kernelAtLeast(k, min.major, min.minor);

/**
 * One datapath setting, everything about it in one place: its value in each named preset, what
 * refuses it, and how a resolved profile shows it (its Helm values, why, and what it needs).
 * Adding a setting is one property of {@link DatapathSettings} (the documented option) and one
 * entry of {@link SETTINGS}; the compiler asks for the second once the first exists.
 */
interface SettingDescriptor<K extends DatapathSettingName> {
  /**
   * Its value in a named preset on the given nodes. `compatible` states the chart's own behaviour
   * in ENI mode explicitly, so a chart default change cannot move it.
   */
  readonly preset: (base: BasePreset, ctx: Context) => MutableSettings[K];
  /**
   * Refuses a value no node of this project could take (not in the allowed list, or a setting
   * refused on AWS). Runs before every gate; `given` is what the user set.
   */
  readonly validate?: (value: MutableSettings[K], ctx: Context, given: DatapathSettings) => void;
  /**
   * The gate: refuses the resolved value when the nodes, the chart or another setting rule it out.
   * May settle the value (the Maglev table size is dropped without Maglev).
   */
  readonly gate?: (s: MutableSettings, ctx: Context, given: DatapathSettings) => void;
  /** Its row of the profile table; none for a setting shown in another's row. */
  readonly row?: (s: ResolvedDatapathSettings, preset: DatapathPreset, ctx: Context) => DatapathRow;
}

/** Refuses a setting that is never valid here, with the reason. */
function refuseTrue(name: DatapathSettingName, reason: (ctx: Context) => string): SettingDescriptor<'bigTcp' | 'xdpAcceleration' | 'dsr'>['validate'] {
  return (_value, ctx, given) => {
    if (given[name] === true) throw new ValidationError(prop(name), true, 'false', reason(ctx));
  };
}

/** Refuses a value outside `allowed`. */
function oneOf<T extends string>(name: DatapathSettingName, allowed: readonly T[]): (value: T) => void {
  return (value) => {
    if (!allowed.includes(value)) throw new ValidationError(prop(name), value, allowed.map((m) => `'${m}'`).join(', '));
  };
}

/**
 * The settings, in table order. Sources in brackets, as listed in the module comment. Kube-proxy
 * replacement is always on in this project, so "needs KPR" holds by construction.
 */
const SETTINGS: { readonly [K in DatapathSettingName]-?: SettingDescriptor<K> } = {
  hostRouting: {
    preset: (base, ctx) => base === 'performance' && atLeast(ctx.kernel, HOST_ROUTING_KERNEL),
    gate: (s, ctx) => {
      if (!s.hostRouting) return;
      // [tuning] "eBPF Host-Routing" requirements: kernel >= 5.10, eBPF kube-proxy replacement (always
      // on here), eBPF-based masquerading; [facts]: "BPF masquerade or no masquerade".
      if (!atLeast(ctx.kernel, HOST_ROUTING_KERNEL)) {
        throw new ValidationError(prop('hostRouting'), true, 'false', `eBPF host routing needs kernel >= 5.10 and the nodes run ${kernelName(ctx.kernel)}`);
      }
      if (s.masquerade === 'iptables') {
        throw new ValidationError(prop('hostRouting'), true, "false, or masquerade 'bpf' or 'none'", 'eBPF host routing bypasses iptables, so it needs BPF masquerading or none');
      }
    },
    row: (s, preset, ctx) =>
      s.hostRouting
        ? {
            setting: 'eBPF host routing',
            values: [v('bpf.hostLegacyRouting', false)],
            why: "pod traffic is routed in eBPF, past iptables and the host's upper stack: the tuning guide's largest throughput gain",
            needs: `kernel >= 5.10 (nodes: ${kernelName(ctx.kernel)}), kube-proxy replacement (always on here), BPF masquerading or none; node iptables rules no longer see pod traffic`,
          }
        : {
            setting: 'eBPF host routing',
            values: [v('bpf.hostLegacyRouting', true)],
            why: `${chartDefaultWhy(preset)}: pod traffic passes the host stack, so iptables rules on the node still apply`,
            needs: '-',
          },
  },
  masquerade: {
    // Off in every preset: see the module comment.
    preset: () => 'none',
    validate: oneOf('masquerade', MASQUERADE_MODES),
    row: (s) => masqueradeRow(s.masquerade),
  },
  bandwidthManager: {
    preset: (base) => base === 'performance',
    row: (s, preset) =>
      s.bandwidthManager
        ? {
            setting: 'Bandwidth manager',
            values: [v('bandwidthManager.enabled', true)],
            why: "fq queueing with EDT pacing on the node's devices; honours the kubernetes.io/egress-bandwidth pod annotation",
            needs: 'kube-proxy replacement (always on here)',
          }
        : { setting: 'Bandwidth manager', values: [v('bandwidthManager.enabled', false)], why: `${chartDefaultWhy(preset)}: the kernel's default qdisc`, needs: '-' },
  },
  bbr: {
    preset: (base, ctx) => base === 'performance' && atLeast(ctx.kernel, HOST_ROUTING_KERNEL) && atLeast(ctx.kernel, BBR_KERNEL),
    gate: (s, ctx) => {
      if (!s.bbr) return;
      // [tuning] "BBR congestion control for Pods" requirements: kernel >= 5.18, Bandwidth Manager,
      // eBPF Host-Routing (to keep the socket association until the fq qdisc).
      if (!atLeast(ctx.kernel, BBR_KERNEL)) {
        throw new ValidationError(prop('bbr'), true, 'false', `BBR for pods needs kernel >= 5.18 and the nodes run ${kernelName(ctx.kernel)}`);
      }
      if (!s.bandwidthManager) {
        throw new ValidationError(prop('bbr'), true, 'false, or bandwidthManager: true', 'BBR for pods runs on the bandwidth manager');
      }
      if (!s.hostRouting) {
        throw new ValidationError(prop('bbr'), true, 'false, or hostRouting: true', 'BBR for pods needs eBPF host routing to keep the socket association up to the fq qdisc');
      }
    },
    row: (s, preset, ctx) =>
      s.bbr
        ? {
            setting: 'BBR congestion control',
            values: [v('bandwidthManager.bbr', true)],
            why: 'BBR for pods: higher throughput and lower latency towards distant or lossy clients',
            needs: `kernel >= 5.18 (nodes: ${kernelName(ctx.kernel)}), bandwidth manager, eBPF host routing; sockets opened before the change keep their congestion control; more aggressive towards CUBIC flows`,
          }
        : {
            setting: 'BBR congestion control',
            values: [v('bandwidthManager.bbr', false)],
            why: atLeast(ctx.kernel, BBR_KERNEL)
              ? `${chartDefaultWhy(preset)}: pods keep the kernel's congestion control (CUBIC)`
              : `BBR for pods needs kernel >= 5.18; the nodes run ${kernelName(ctx.kernel)}`,
            needs: '-',
          },
  },
  loadBalancerAlgorithm: {
    preset: (base) => (base === 'performance' ? 'maglev' : 'random'),
    validate: oneOf('loadBalancerAlgorithm', LOAD_BALANCER_ALGORITHMS),
    row: (s, preset) =>
      s.loadBalancerAlgorithm === 'maglev'
        ? {
            setting: 'Load-balancing algorithm',
            values: [v('loadBalancer.algorithm', 'maglev'), v('maglev.tableSize', s.maglevTableSize ?? DEFAULT_MAGLEV_TABLE_SIZE)],
            why: 'Maglev consistent hashing for service traffic from outside the cluster: every node picks the same backend for a flow, and a backend change moves few flows',
            needs: `memory: a table of ${s.maglevTableSize ?? DEFAULT_MAGLEV_TABLE_SIZE} entries per service; the size should exceed 100 x the largest backend count of a service, and be one of the primes 251 to 131071`,
          }
        : { setting: 'Load-balancing algorithm', values: [v('loadBalancer.algorithm', 'random')], why: `${chartDefaultWhy(preset)}: a random backend per connection`, needs: '-' },
  },
  maglevTableSize: {
    preset: (base) => (base === 'performance' ? DEFAULT_MAGLEV_TABLE_SIZE : undefined),
    gate: (s, _ctx, given) => {
      if (s.loadBalancerAlgorithm === 'maglev') {
        const size = s.maglevTableSize ?? DEFAULT_MAGLEV_TABLE_SIZE;
        if (!MAGLEV_TABLE_SIZES.includes(size)) {
          throw new ValidationError(prop('maglevTableSize'), size, `one of ${MAGLEV_TABLE_SIZES.join(', ')}`, 'cilium-agent accepts only these primes');
        }
        s.maglevTableSize = size;
      } else {
        if (given.maglevTableSize !== undefined) {
          throw new ValidationError(prop('maglevTableSize'), given.maglevTableSize, "unset, or loadBalancerAlgorithm: 'maglev'", 'the table size is a Maglev setting');
        }
        delete s.maglevTableSize;
      }
    },
    // Shown in the load-balancing row.
  },
  distributedLRU: {
    preset: (base) => base === 'performance',
    // [facts] "bpf.distributedLRU.enabled (1.18+)".
    gate: (s, ctx) => {
      if (s.distributedLRU) assertChartFeature(ctx.chartVersion, 'distributedLRU', prop('distributedLRU'), true);
    },
    row: (s, preset) =>
      s.distributedLRU
        ? {
            setting: 'Distributed LRU',
            values: [v('bpf.distributedLRU.enabled', true)],
            why: 'per-CPU memory for the core LRU maps (connection tracking, NAT): less contention between CPUs',
            needs: 'chart 1.18+; a change re-creates the maps (established connections lose their state); pair with a larger map ratio',
          }
        : { setting: 'Distributed LRU', values: [v('bpf.distributedLRU.enabled', false)], why: `${chartDefaultWhy(preset)}: one shared LRU per map`, needs: '-' },
  },
  mapDynamicSizeRatio: {
    preset: (base) => (base === 'performance' ? PERFORMANCE_MAP_DYNAMIC_SIZE_RATIO : CHART_DEFAULT_MAP_DYNAMIC_SIZE_RATIO),
    gate: (s) => {
      const ratio = s.mapDynamicSizeRatio;
      if (!(Number.isFinite(ratio) && ratio > 0 && ratio <= 1)) {
        throw new ValidationError(prop('mapDynamicSizeRatio'), ratio, `a number in (0, 1]: ${CHART_DEFAULT_MAP_DYNAMIC_SIZE_RATIO} is the chart default, ${PERFORMANCE_MAP_DYNAMIC_SIZE_RATIO} the tuning guide's`);
      }
    },
    row: (s, preset) => mapRatioRow(s.mapDynamicSizeRatio, chartDefaultWhy(preset)),
  },
  clockProbe: {
    preset: (base) => base === 'performance',
    row: (s, preset) =>
      s.clockProbe
        ? {
            setting: 'BPF clock probe',
            values: [v('bpfClockProbe', true)],
            why: 'connection-tracking timestamps from jiffies instead of ktime where the kernel allows: cheaper per packet',
            needs: 'kernel >= 5.5; the agent falls back to ktime where the probe fails',
          }
        : { setting: 'BPF clock probe', values: [v('bpfClockProbe', false)], why: `${chartDefaultWhy(preset)}: ktime timestamps`, needs: '-' },
  },
  netkit: {
    // Never by default: see the module comment.
    preset: () => false,
    gate: (s, ctx) => {
      if (!s.netkit) return;
      // [tuning] "netkit device mode" requirements: kernel >= 6.8, eBPF host routing; [values] 1.19+:
      // "netkit is incompatible with TPROXY (bpf.tproxy)" (never set here).
      if (!atLeast(ctx.kernel, NETKIT_KERNEL)) {
        throw new ValidationError(
          prop('netkit'),
          true,
          'false, or Kubernetes 1.33+ nodes (AL2023 kernel 6.12+)',
          `netkit needs kernel >= 6.8 and the nodes run ${kernelName(ctx.kernel)} (Kubernetes ${ctx.kubernetesVersion})`,
        );
      }
      assertChartFeature(ctx.chartVersion, 'netkit', prop('netkit'), true);
      if (!s.hostRouting) {
        throw new ValidationError(prop('netkit'), true, 'false, or hostRouting: true', 'netkit needs eBPF host routing');
      }
    },
    row: (s, preset, ctx) => netkitRow(s.netkit, preset, ctx),
  },
  socketLbHostNamespaceOnly: {
    preset: () => false,
    row: (s) =>
      s.socketLbHostNamespaceOnly
        ? {
            setting: 'Socket LB',
            values: [v('socketLB.hostNamespaceOnly', true)],
            why: "services are translated at connect() only for host-namespace processes; pods' service traffic is translated per packet, so sidecar proxies see service addresses",
            needs: 'sidecar meshes (e.g. Istio) that redirect by service address',
          }
        : {
            setting: 'Socket LB',
            values: [v('socketLB.hostNamespaceOnly', false)],
            why: 'services are translated at connect() in every pod: no per-packet NAT for in-cluster service traffic (kube-proxy replacement turns socket LB on)',
            needs: 'sidecar meshes that must see the service address need hostNamespaceOnly (preset custom)',
          },
  },
  bigTcp: {
    preset: () => false,
    validate: refuseTrue('bigTcp', bigTcpReason),
    row: (_s, _preset, ctx) => ({
      setting: 'BIG TCP',
      values: [v('enableIPv4BIGTCP', false)],
      why: `refused on these nodes: ${bigTcpReason(ctx)}`,
      needs: 'kernel >= 6.3, an mlx4/mlx5/ice NIC, no tunnel, no encryption',
    }),
  },
  xdpAcceleration: {
    preset: () => false,
    validate: refuseTrue('xdpAcceleration', xdpReason),
    row: (_s, _preset, ctx) => ({
      setting: 'XDP acceleration',
      values: [v('loadBalancer.acceleration', 'disabled')],
      why: `refused on AWS: ${xdpReason(ctx)}`,
      needs: 'a native-XDP driver on every device; on ENA an MTU <= 3498',
    }),
  },
  dsr: {
    preset: () => false,
    validate: refuseTrue('dsr', dsrReason),
    row: (_s, _preset, ctx) => ({
      setting: 'Direct server return',
      values: [v('loadBalancer.mode', 'snat')],
      why: `refused on AWS: ${dsrReason(ctx)}`,
      needs: 'source/destination check off on every ENI',
    }),
  },
};

/** The setting names, in table order. */
const SETTING_NAMES = Object.keys(SETTINGS) as DatapathSettingName[];

/** The values of a named preset on the given nodes (the Maglev table size only with Maglev). */
function presetSettings(base: BasePreset, ctx: Context): MutableSettings {
  const out = Object.fromEntries(SETTING_NAMES.map((n) => [n, SETTINGS[n].preset(base, ctx)])) as MutableSettings;
  if (out.maglevTableSize === undefined) delete out.maglevTableSize;
  return out;
}

/** Why BIG TCP is refused ([tuning] "IPv4 BIG TCP" requirements; [facts] "no (ENA)"). */
function bigTcpReason(ctx: Context): string {
  const reasons = ['EC2 nodes have the ENA NIC and BIG TCP needs an mlx4, mlx5 or ice NIC'];
  if (ctx.wireguard) reasons.push('it excludes encryption and WireGuard is on');
  if (!kernelAtLeast(ctx.kernel, 6, 3)) reasons.push(`IPv4 BIG TCP needs kernel >= 6.3 and the nodes run ${kernelName(ctx.kernel)}`);
  return reasons.join('; ');
}

/**
 * Why XDP acceleration is refused: [facts] "ENA MTU <= 3498, all ENIs: avoid" (EC2 uses 9001-byte
 * jumbo frames in a VPC, and the operator attaches ENIs at run time); [wg] service traffic that
 * XDP forwards to another node is not encrypted.
 */
function xdpReason(ctx: Context): string {
  const reason =
    'ENA runs native XDP only with an MTU <= 3498 (VPC jumbo frames are 9001) and on every ENI, while the operator attaches ENIs at run time';
  return ctx.wireguard ? `${reason}; service traffic forwarded by XDP bypasses WireGuard` : reason;
}

/**
 * Why DSR is refused: [facts] "source/dest check off on AWS: avoid" (backends answer with the
 * service address, which EC2's source/destination check drops); [wg] DSR outside Geneve dispatch
 * is not encrypted.
 */
function dsrReason(ctx: Context): string {
  const reason =
    "backends reply with the service address as source, which EC2's source/destination check drops unless it is turned off on every ENI the operator creates";
  return ctx.wireguard ? `${reason}; DSR traffic (non-Geneve dispatch) bypasses WireGuard` : reason;
}

/**
 * Throws a {@link ValidationError} for the first setting no node here could take, then for the
 * first the nodes, the chart or another setting rules out.
 */
function checkSettings(s: MutableSettings, given: DatapathSettings, ctx: Context): void {
  for (const n of SETTING_NAMES) (SETTINGS[n].validate as SettingDescriptor<DatapathSettingName>['validate'])?.(s[n], ctx, given);
  for (const n of SETTING_NAMES) SETTINGS[n].gate?.(s, ctx, given);
}

/**
 * Resolves a datapath profile for the nodes and chart of a cluster: applies the preset, checks
 * every gating rule, and explains each setting.
 *
 * Throws a {@link ValidationError} naming the setting (`cilium.datapath.<name>`), the value, what is
 * allowed and why, when the nodes, the chart or another setting rule a setting out, or when a
 * setting is given with a preset other than `custom`.
 */
export function resolveDatapathProfile(options: DatapathOptions = {}, context: DatapathContext = {}): ResolvedDatapathProfile {
  parse(DatapathContextSchema, context, 'resolveDatapathProfile(context)');
  const kubernetesVersion = context.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const ctx: Context = {
    kubernetesVersion,
    kernel: context.kernel ?? al2023Kernel(kubernetesVersion),
    chartVersion: assertCiliumChartVersion(context.chartVersion ?? DEFAULT_CILIUM_CHART_VERSION, 'cilium.chartVersion'),
    wireguard: context.wireguard ?? true,
  };
  const preset = options.preset ?? DEFAULT_DATAPATH_PRESET;
  if (!DATAPATH_PRESETS.includes(preset)) {
    throw new ValidationError('cilium.datapath.preset', preset, DATAPATH_PRESETS.map((p) => `'${p}'`).join(', '));
  }
  if (options.base !== undefined && preset !== 'custom') {
    throw new ValidationError('cilium.datapath.base', options.base, "unset, or preset 'custom'", 'only a custom profile starts from another preset');
  }
  const base = preset === 'custom' ? (options.base ?? 'compatible') : preset;
  if (base !== 'performance' && base !== 'compatible') {
    throw new ValidationError('cilium.datapath.base', base, "'performance' or 'compatible'");
  }
  const given: DatapathSettings = Object.fromEntries(SETTING_NAMES.filter((n) => options[n] !== undefined).map((n) => [n, options[n]]));
  const settings: MutableSettings = { ...presetSettings(base, ctx), ...(given as Partial<MutableSettings>) };
  // The rules first: a setting the nodes cannot run is refused for that reason, whatever the preset.
  checkSettings(settings, given, ctx);
  // A named preset is fixed; restating one of its own values is harmless.
  const presetValues = presetSettings(base, ctx);
  const picked = SETTING_NAMES.filter((n) => given[n] !== undefined && given[n] !== presetValues[n]);
  if (preset !== 'custom' && picked.length > 0) {
    const name = picked[0];
    throw new ValidationError(prop(name), given[name], `unset, or preset 'custom' (with base '${preset}')`, `preset '${preset}' is a fixed profile, documented as such in docs/reference.md#datapath-profiles`);
  }
  return { preset, base, kubernetesVersion, kernel: ctx.kernel, chartVersion: ctx.chartVersion, wireguard: ctx.wireguard, settings, rows: describe(settings, preset, ctx) };
}

/** The explained rows of a resolved profile, in table order. */
function describe(s: ResolvedDatapathSettings, preset: DatapathPreset, ctx: Context): DatapathRow[] {
  return SETTING_NAMES.flatMap((n) => {
    const row = SETTINGS[n].row;
    return row ? [row(s, preset, ctx)] : [];
  });
}

function masqueradeRow(mode: MasqueradeMode): DatapathRow {
  const setting = 'Masquerading';
  if (mode === 'bpf') {
    return {
      setting,
      values: [v('enableIPv4Masquerade', true), v('bpf.masquerade', true)],
      why: "pod traffic to destinations outside the VPC CIDR (auto-detected in ENI mode) leaves with the node's address, masqueraded in eBPF",
      needs: 'peered VPCs, Transit Gateway and on-premises networks see node addresses, not pod addresses',
    };
  }
  if (mode === 'iptables') {
    return {
      setting,
      values: [v('enableIPv4Masquerade', true), v('bpf.masquerade', false)],
      why: 'pod traffic leaving the VPC CIDR is masqueraded by iptables rules',
      needs: 'legacy host routing (hostRouting: false)',
    };
  }
  return {
    setting,
    values: [v('enableIPv4Masquerade', false), v('bpf.masquerade', false)],
    why: 'ENI mode gives pods VPC addresses, so nothing is masqueraded (the chart default in ENI mode since 1.18): NAT gateways translate internet egress; flow logs, security groups and peered networks see pod addresses',
    needs: 'a NAT gateway route in the pod subnets for internet egress',
  };
}

function mapRatioRow(ratio: number, chartDefault: string): DatapathRow {
  const values = [v('bpf.mapDynamicSizeRatio', ratio)];
  const setting = 'BPF map sizing';
  if (ratio === CHART_DEFAULT_MAP_DYNAMIC_SIZE_RATIO) {
    return { setting, values, why: `${chartDefault}: maps sized from 0.25% of node memory`, needs: '-' };
  }
  const percent = `${Number((ratio * 100).toFixed(4))}%`;
  return {
    setting,
    values,
    why:
      ratio === PERFORMANCE_MAP_DYNAMIC_SIZE_RATIO
        ? `connection-tracking, NAT and neighbour maps sized from ${percent} of node memory, as the tuning guide pairs with distributed LRU`
        : `connection-tracking, NAT and neighbour maps sized from ${percent} of node memory`,
    needs: `up to ${percent} of each node's memory in BPF maps (chart default 0.25%); a change re-creates the maps`,
  };
}

function netkitRow(netkit: boolean, preset: DatapathPreset, ctx: Context): DatapathRow {
  const setting = 'Pod device mode';
  const needs = 'kernel >= 6.8, eBPF host routing, no bpf.tproxy; cannot be switched in place: running pods keep veth, so only new clusters or replaced nodes get it; ENI-mode behaviour unverified';
  if (netkit) {
    return {
      setting,
      values: [v('bpf.datapathMode', 'netkit')],
      why: 'netkit devices instead of veth: the pod namespace switch at near host speed (beta)',
      needs,
    };
  }
  let why: string;
  if (!atLeast(ctx.kernel, NETKIT_KERNEL)) why = `veth: netkit needs kernel >= 6.8 and the nodes run ${kernelName(ctx.kernel)}`;
  else if (preset === 'compatible') why = 'legacy-safe (chart default): veth pairs';
  else why = 'veth: netkit is opt-in (preset custom), being beta, impossible to switch in place and unverified in ENI mode';
  return { setting, values: [v('bpf.datapathMode', 'veth')], why, needs: `netkit: ${needs}` };
}

/** The Helm values of a resolved profile. */
export function datapathValues(resolved: ResolvedDatapathProfile): JsonObject {
  const out: JsonObject = {};
  for (const row of resolved.rows) for (const hv of row.values) setValuePath(out, hv.path, hv.value);
  return out;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A resolved profile as a Markdown table: setting | value | why | needs. */
export function renderDatapathProfileTable(resolved: ResolvedDatapathProfile): string {
  const lines = ['| setting | value | why | needs |', '|---|---|---|---|'];
  for (const row of resolved.rows) {
    const value = row.values.map((hv) => `\`${hv.path}: ${typeof hv.value === 'string' ? hv.value : JSON.stringify(hv.value)}\``).join(', ');
    lines.push(`| ${cell(row.setting)} | ${cell(value)} | ${cell(row.why)} | ${cell(row.needs)} |`);
  }
  return `${lines.join('\n')}\n`;
}
