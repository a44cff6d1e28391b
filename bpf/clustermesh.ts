/**
 * Cilium Cluster Mesh as pure code: the Helm values fragment of one cluster of a fleet, the peer
 * list, and the checks of a fleet's input. No synth needed to test any of it.
 *
 * Sources (checked against ../shared/upstream/cilium/<version>/values.yaml and Cilium's docs
 * `network/clustermesh/setup.rst`, `eks-clustermesh-prep.rst`):
 * - `cluster.name`: at most 32 characters, lower-case alphanumerics and dashes, starting and ending
 *   with an alphanumeric; `cluster.id` unique, 1..`clustermesh.maxConnectedClusters` (255 or 511),
 *   which "can only be set once during Cilium installation" and must be the same in every cluster.
 * - Native routing: "Cilium in each cluster must be configured with a native routing CIDR that
 *   covers all the PodCIDR ranges across all connected clusters" (setup.rst). In ENI mode the
 *   agent otherwise uses the VPC CIDR it detects, and a configured `ipv4NativeRoutingCIDR` must
 *   contain that VPC CIDR or the agent stops ("Native routing CIDR does not contain VPC CIDR",
 *   cilium `pkg/ipam/crd.go`): the smallest block that covers every VPC of the fleet does both.
 * - `clustermesh.apiserver.tls.authMode: cluster` "is meaningful only when the same CA is shared
 *   across all clusters": `tls.ca.cert` / `tls.ca.key` (base64 PEM) are that CA; every other
 *   certificate (server, admin, remote, local; Hubble's too) is issued from it in each cluster by
 *   the chart's certgen Job (`auto.method: cronJob`), whose server certificate covers
 *   `*.mesh.cilium.io` plus `extraDnsNames` (chart template
 *   `clustermesh-apiserver/tls-cronjob/_job-spec.tpl`). The extra names moved from
 *   `clustermesh.apiserver.tls.server.extraDnsNames` (1.19) to
 *   `clustermesh.apiserver.tls.auto.server.extraDnsNames` (1.20, which dropped `tls.server`).
 * - `clustermesh.config.clusters` as a map keyed by cluster name (values.yaml: "You can use a dict
 *   of clusters (recommended)"), each with `address` and `port`: a peer removed from the fleet
 *   changes only its own entry.
 */
import { cidrsOverlap, formatCidr, Ipv4Cidr, parseCidr } from '../core/cidr';
import { check, ValidationError } from '../core/errors';
import { JsonObject } from '../core/yaml';
import { bool, declare, int, list, oneOf, optional, parse, pattern, strict, string, v } from '../core/schema';
import { cidr, dns1123Subdomain, labels } from '../core/rules';
import { assertCiliumChartVersion, CiliumChartVersion } from './versions';
import { CRITICAL_ADDONS_TOLERATION } from '../core/k8s';

/** `cluster.name` rule of the chart (values.yaml `cluster.name`). */
export const CLUSTER_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Longest `cluster.name` Cluster Mesh accepts. */
export const MAX_CLUSTER_NAME_LENGTH = 32;
/** The two values `clustermesh.maxConnectedClusters` takes (setup.rst, "Scaling Limitations"). */
export const MAX_CONNECTED_CLUSTERS_VALUES = [255, 511] as const;
/**
 * `clustermesh.maxConnectedClusters`: 255 or 511. It cannot be changed on a running cluster and
 * must be the same in every cluster of a mesh; 511 leaves fewer cluster-local identities
 * (values.yaml of chart 1.19.6, `clustermesh.maxConnectedClusters`).
 */
export type MaxConnectedClusters = (typeof MAX_CONNECTED_CLUSTERS_VALUES)[number];
/** The chart default of `clustermesh.maxConnectedClusters`. */
export const DEFAULT_MAX_CONNECTED_CLUSTERS: MaxConnectedClusters = 255;
/** clustermesh-apiserver replicas: two, with a disruption budget, so a node drain never cuts the mesh. */
export const DEFAULT_CLUSTERMESH_APISERVER_REPLICAS = 2;
/** The chart's NodePort of the clustermesh-apiserver Service (values.yaml `clustermesh.apiserver.service.nodePort`). */
export const CLUSTERMESH_APISERVER_NODE_PORT = 32379;
/** The etcd port peers dial (the chart's documented example port, and what the load balancer listens on). */
export const CLUSTERMESH_APISERVER_PORT = 2379;
/** The private DNS domain of the apiserver names, `<cluster>.<domain>`: the chart's `clustermesh.config.domain` default, already in its server certificate as `*.mesh.cilium.io`. */
export const DEFAULT_CLUSTERMESH_DOMAIN = 'mesh.cilium.io';
/** Chart versions whose Cluster Mesh values this module emits (the certgen Job of 1.18 is a Helm hook that cannot run before nodes exist). */
export const CLUSTERMESH_CHART_VERSIONS: readonly CiliumChartVersion[] = ['1.19.6', '1.20.0'];

/** One peer as the local cluster's `clustermesh.config.clusters` lists it. */
export interface ClusterMeshPeer {
  /** The peer's `cluster.name`. */
  readonly name: string;
  /** A DNS name (or address) of the peer's clustermesh-apiserver, resolvable before the peer exists. */
  readonly address: string;
  /**
   * TCP port of the peer's clustermesh-apiserver (its etcd), written with `address` to
   * `clustermesh.config.clusters.<name>.port`; 1 to 65535.
   * @default 2379 (`CLUSTERMESH_APISERVER_PORT`, what the fleet's load balancer listens on)
   */
  readonly port?: number;
}
const clusterName = (): ReturnType<typeof pattern> =>
  pattern(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, `at most ${32} lower-case letters, digits and dashes, starting and ending with a letter or digit`, 'the Cluster Mesh rule for cluster.name');
export const ClusterMeshPeerSchema = declare<ClusterMeshPeer>()(
  strict({ name: clusterName(), address: string('a DNS name or address of the peer\'s clustermesh-apiserver'), port: optional(int(1, 65535)) }, 'a Cluster Mesh peer'),
);

/** The shared CA, as the chart takes it: base64-encoded PEM (may be Terraform tokens). */
export interface ClusterMeshCa {
  /** The issuing CA's certificate (`tls.ca.cert`). */
  readonly certBase64: string;
  /** The issuing CA's key (`tls.ca.key`). */
  readonly keyBase64: string;
  /**
   * PEM certificates every component trusts instead of the issuing CA alone, during a CA rotation
   * (`tls.caBundle.content`: the chart makes the `cilium-root-ca.crt` ConfigMap from it). A
   * Terraform expression here must evaluate to YAML-safe text, e.g. `jsonencode(...)` of the PEM:
   * the values are YAML, and a bare multi-line value interpolated into them would be folded.
   * @default - none: the issuing CA is the only one trusted
   */
  readonly bundlePem?: string;
}
export const ClusterMeshCaSchema = declare<ClusterMeshCa>()(
  strict(
    { certBase64: string('base64 PEM of the CA certificate'), keyBase64: string('base64 PEM of the CA key'), bundlePem: optional(string('PEM certificates of the trusted CAs')) },
    'the shared CA',
  ),
);

/** Everything one cluster's Cluster Mesh values need; each field is known before any peer exists. */
export interface ClusterMeshOptions {
  /** `cluster.name`, unique in the mesh. */
  readonly clusterName: string;
  /** `cluster.id`, unique in the mesh, 1..maxConnectedClusters. */
  readonly clusterId: number;
  /** Every other cluster of the mesh, each once. */
  readonly peers: readonly ClusterMeshPeer[];
  /** The CA shared by the mesh. */
  readonly ca: ClusterMeshCa;
  /** A CIDR covering the pod ranges (VPC CIDRs in ENI mode) of every cluster. */
  readonly nativeRoutingCidr: string;
  /** DNS names of this cluster's apiserver that peers dial, added to its server certificate. @default - none */
  readonly serverDnsNames?: readonly string[];
  /**
   * `clustermesh.maxConnectedClusters`, 255 or 511: bounds `clusterId`, cannot change on a
   * running cluster and must be equal across the mesh.
   * @default 255 (the chart's default, values.yaml `clustermesh.maxConnectedClusters`)
   */
  readonly maxConnectedClusters?: MaxConnectedClusters;
  /**
   * clustermesh-apiserver replicas (`clustermesh.apiserver.replicas`), 1 to 5; a disruption
   * budget of `maxUnavailable: 1` goes with them.
   * @default 2 (`DEFAULT_CLUSTERMESH_APISERVER_REPLICAS`: a node drain never cuts the mesh)
   */
  readonly apiServerReplicas?: number;
  /** Node labels the clustermesh-apiserver must run on. @default - any Linux node */
  readonly apiServerNodeSelector?: Readonly<Record<string, string>>;
  /** `clustermesh.config.domain`. @default 'mesh.cilium.io' */
  readonly domain?: string;
  /**
   * Cilium's `MTU`: the smallest MTU of the paths between the mesh's nodes (`fleetMtu`); Cilium
   * takes WireGuard's overhead off it for the pods.
   * @default - unset: Cilium detects the ENI's MTU (9001, jumbo frames)
   */
  readonly mtu?: number;
}
export const ClusterMeshOptionsSchema = declare<ClusterMeshOptions>()(
  strict(
    {
      clusterName: clusterName(),
      clusterId: int(1, 511, 'an integer from 1 to maxConnectedClusters (255 or 511)', 'cluster.id 0 means no Cluster Mesh'),
      peers: list(ClusterMeshPeerSchema, { unique: (p) => p.name }),
      ca: ClusterMeshCaSchema,
      nativeRoutingCidr: cidr(),
      serverDnsNames: optional(list(dns1123Subdomain('a DNS name'))),
      maxConnectedClusters: optional(oneOf(MAX_CONNECTED_CLUSTERS_VALUES, '255 or 511', 'the two values Cilium accepts')),
      apiServerReplicas: optional(int(1, 5)),
      apiServerNodeSelector: optional(labels()),
      domain: optional(dns1123Subdomain('a DNS domain')),
      mtu: optional(int(1280, 9001, 'an MTU from 1280 to 9001 (jumbo frames)')),
    },
    'Cluster Mesh options',
  ),
);

/**
 * The Cluster Mesh part of one cluster's Cilium values: merged into the rest by
 * `buildCiliumValues` (its keys are disjoint from every other part).
 */
export function clusterMeshValues(o: ClusterMeshOptions, chartVersionInput: string): JsonObject {
  const chartVersion = assertCiliumChartVersion(chartVersionInput, 'cilium.chartVersion');
  check(
    CLUSTERMESH_CHART_VERSIONS.includes(chartVersion),
    'cilium.chartVersion',
    chartVersion,
    `one of ${CLUSTERMESH_CHART_VERSIONS.join(', ')} in a Cluster Mesh`,
    'chart 1.18 runs its certgen Job as a Helm hook, which cannot run before the nodes exist',
  );
  const max = o.maxConnectedClusters ?? DEFAULT_MAX_CONNECTED_CLUSTERS;
  assertClusterIdentity(o.clusterName, o.clusterId, max, 'cilium.clusterMesh');
  const replicas = o.apiServerReplicas ?? DEFAULT_CLUSTERMESH_APISERVER_REPLICAS;
  check(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5, 'cilium.clusterMesh.apiServerReplicas', replicas, 'an integer from 1 to 5');
  const seen = new Set<string>();
  o.peers.forEach((p, i) => {
    check(p.name !== o.clusterName, `cilium.clusterMesh.peers[${i}].name`, p.name, 'a cluster other than this one');
    check(!seen.has(p.name), `cilium.clusterMesh.peers[${i}].name`, p.name, 'each peer listed once');
    seen.add(p.name);
  });
  const dnsNames = [...(o.serverDnsNames ?? [])];
  const serverNames = { extraDnsNames: dnsNames };
  const clusters: JsonObject = {};
  for (const p of [...o.peers].sort((a, b) => a.name.localeCompare(b.name))) {
    clusters[p.name] = { address: p.address, port: p.port ?? CLUSTERMESH_APISERVER_PORT };
  }
  return {
    cluster: { name: o.clusterName, id: o.clusterId },
    ipv4NativeRoutingCIDR: o.nativeRoutingCidr,
    ...(o.mtu !== undefined ? { MTU: o.mtu } : {}),
    // The CA every cluster shares: certgen issues the clustermesh (and Hubble) certificates from it.
    // During a rotation, a bundle of both CAs "overrides the content of the 'ca.crt' field of the
    // respective certificates, allowing for CA rotation with no down-time" (values.yaml
    // `tls.caBundle`); `content` makes the chart create the ConfigMap (template
    // `cilium-ca-bundle-configmap.yaml`; values.yaml documents the key commented out).
    tls: {
      ca: { cert: o.ca.certBase64, key: o.ca.keyBase64 },
      ...(o.ca.bundlePem !== undefined ? { caBundle: { enabled: true, content: o.ca.bundlePem } } : {}),
    },
    clustermesh: {
      useAPIServer: true,
      maxConnectedClusters: max,
      config: { enabled: true, domain: o.domain ?? DEFAULT_CLUSTERMESH_DOMAIN, clusters },
      apiserver: {
        replicas,
        podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
        kvstoremesh: { enabled: true },
        // The chart default (NodePort 32379), which the cilium CLI reads. The fleet's load balancer
        // does not use it: its targets are the pods' own addresses on 2379 (constructs/fleet/clustermesh-endpoint.ts).
        service: { type: 'NodePort', nodePort: CLUSTERMESH_APISERVER_NODE_PORT },
        ...(o.apiServerNodeSelector ? { nodeSelector: { 'kubernetes.io/os': 'linux', ...o.apiServerNodeSelector } } : {}),
        // On the system nodes, which keep other workloads off with the CriticalAddonsOnly taint.
        tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
        // The chart's containers already drop ALL and forbid privilege escalation; the pod adds
        // the seccomp profile `restricted` asks for (values.yaml keeps runAsNonRoot 65532).
        podSecurityContext: {
          runAsNonRoot: true,
          runAsUser: 65532,
          runAsGroup: 65532,
          fsGroup: 65532,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        tls: {
          authMode: 'cluster',
          // cronJob, not helm: helm mints new certificates at every render (every apply).
          auto: chartVersion === '1.19.6' ? { enabled: true, method: 'cronJob' } : { enabled: true, method: 'cronJob', server: serverNames },
          ...(chartVersion === '1.19.6' ? { server: serverNames } : {}),
        },
      },
    },
  };
}

/** Checks one cluster's name and id; `at` is the property prefix as the user wrote it. */
export function assertClusterIdentity(name: string, id: number, max: number, at: string): void {
  check(
    typeof name === 'string' && name.length <= MAX_CLUSTER_NAME_LENGTH && CLUSTER_NAME_PATTERN.test(name),
    `${at}.name`,
    name,
    `at most ${MAX_CLUSTER_NAME_LENGTH} lower-case letters, digits and dashes, starting and ending with a letter or digit`,
    'the Cluster Mesh rule for cluster.name',
  );
  check(Number.isInteger(id) && id >= 1 && id <= max, `${at}.clusterId`, id, `an integer from 1 to ${max} (maxConnectedClusters)`, 'cluster.id 0 means no Cluster Mesh');
}

// ---------------------------------------------------------------------------------------------
// Fleet input

/** What the fleet checks of each cluster: the fields that must agree or differ across the mesh. */
export interface FleetMemberSpec {
  /**
   * The cluster's Cluster Mesh name (`cluster.name`): at most 32 lower-case letters, digits and
   * dashes, starting and ending with a letter or digit; unique in the fleet.
   */
  readonly name: string;
  /** The cluster's `cluster.id`: an integer from 1 to `maxConnectedClusters`, unique in the fleet. */
  readonly clusterId: number;
  /**
   * The AWS region the cluster runs in, e.g. `eu-west-1`. `validateFleet` does not judge it (a
   * fleet may span regions); the fleet reads it for the MTU of the paths between its clusters and
   * for the providers of each region.
   */
  readonly region: string;
  /**
   * The cluster's VPC CIDR, a /16 to /22: in ENI mode pods take addresses from it, so it must
   * overlap no other member's VPC or service CIDR.
   */
  readonly vpcCidr: string;
  /** The resolved service CIDR (the EKS default when unset). */
  readonly serviceIpv4Cidr: string;
  /** The resolved chart version. */
  readonly chartVersion: string;
  /** The resolved WireGuard setting. */
  readonly wireguard: boolean;
  /** Its position in the user's `clusters` list, for messages. @default - its position in the list checked */
  readonly index?: number;
}
/** The declaration of {@link FleetMemberSpec}: each field's format; {@link validateFleet} judges them together. */
export const FleetMemberSpecSchema = declare<FleetMemberSpec>()(
  strict(
    { name: string('a cluster name'), clusterId: v.number('a cluster id'), region: string('an AWS region'), vpcCidr: cidr(), serviceIpv4Cidr: cidr(), chartVersion: string('a Cilium chart version'), wireguard: bool(), index: optional(int(0, Number.MAX_SAFE_INTEGER, 'a position in clusters')) },
    'a fleet member { name, clusterId, region, vpcCidr, serviceIpv4Cidr, chartVersion, wireguard, index? }',
  ),
);

/** Most clusters one fleet takes: VPC peering's default quotas (50 peerings per VPC, 50 routes per route table: n-1 peer routes plus the default route). */
export const MAX_FLEET_CLUSTERS = 50;

/**
 * Checks a fleet: 2..min(maxConnectedClusters, connectivityLimit) clusters; names and ids valid
 * and unique; VPC and service CIDRs pairwise disjoint; one Cilium minor and one WireGuard setting.
 * `connectivityLimit`: the most clusters the fleet's connectivity takes (50 for VPC peering, the
 * default; `Infinity` for Transit Gateways). Throws a {@link ValidationError} naming `clusters[i].<prop>` as the user
 * wrote it.
 */
export function validateFleet(members: readonly FleetMemberSpec[], maxConnectedClusters: number = DEFAULT_MAX_CONNECTED_CLUSTERS, connectivityLimit: number = MAX_FLEET_CLUSTERS): void {
  parse(list(FleetMemberSpecSchema), members, 'clusters');
  checkFleet(members, maxConnectedClusters, connectivityLimit);
}

/** {@link validateFleet} of members the fleet built from its checked props (they may carry more fields). */
export function checkFleet(members: readonly FleetMemberSpec[], maxConnectedClusters: number = DEFAULT_MAX_CONNECTED_CLUSTERS, connectivityLimit: number = MAX_FLEET_CLUSTERS): void {
  check((MAX_CONNECTED_CLUSTERS_VALUES as readonly number[]).includes(maxConnectedClusters), 'maxConnectedClusters', maxConnectedClusters, '255 or 511', 'the two values Cilium accepts');
  const limit = Math.min(maxConnectedClusters, connectivityLimit);
  check(
    members.length >= 2 && members.length <= limit,
    'clusters',
    members.map((m) => m.name),
    `2 to ${limit} clusters`,
    members.length < 2
      ? 'a mesh of one cluster has no peer'
      : members.length > connectivityLimit && connectivityLimit < maxConnectedClusters
        ? `VPC peering takes at most ${connectivityLimit} clusters (50 peering connections per VPC and 50 routes per route table by default): set connectivity: 'transitGateway' for more`
        : `at most maxConnectedClusters (${maxConnectedClusters})`,
  );
  /** Where the user wrote member `i`: its own index in `clusters` (decommissioned entries skipped here keep theirs). */
  const pos = (i: number): number => members[i].index ?? i;
  const names = new Map<string, number>();
  const ids = new Map<number, number>();
  const vpcs: { cidr: Ipv4Cidr; i: number }[] = [];
  const services: { cidr: Ipv4Cidr; i: number }[] = [];
  members.forEach((m, i) => {
    const at = `clusters[${pos(i)}]`;
    assertClusterIdentity(m.name, m.clusterId, maxConnectedClusters, at);
    const sameName = names.get(m.name);
    if (sameName !== undefined) throw new ValidationError(`${at}.name`, m.name, `a name no other cluster has (clusters[${pos(sameName)}] has it)`, 'cluster.name is the identity of a cluster in the mesh');
    names.set(m.name, i);
    const sameId = ids.get(m.clusterId);
    if (sameId !== undefined) {
      throw new ValidationError(`${at}.clusterId`, m.clusterId, `an id no other cluster has (clusters[${pos(sameId)}] "${members[sameId].name}" has it)`, 'cluster.id must be unique across connected clusters');
    }
    ids.set(m.clusterId, i);
    const vpc = parseCidr(m.vpcCidr, `${at}.vpcCidr`);
    check(vpc.prefix >= 16 && vpc.prefix <= 22, `${at}.vpcCidr`, m.vpcCidr, 'a prefix length from /16 to /22');
    const svc = parseCidr(m.serviceIpv4Cidr, `${at}.serviceIpv4Cidr`);
    for (const o of vpcs) {
      if (cidrsOverlap(vpc, o.cidr)) {
        throw new ValidationError(`${at}.vpcCidr`, m.vpcCidr, `a range that overlaps no other cluster's VPC (clusters[${pos(o.i)}] "${members[o.i].name}" has ${members[o.i].vpcCidr})`, 'in ENI mode pods take VPC addresses: pod ranges must not overlap across the mesh');
      }
    }
    for (const o of services) {
      if (cidrsOverlap(svc, o.cidr)) {
        throw new ValidationError(
          `${at}.serviceIpv4Cidr`,
          m.serviceIpv4Cidr,
          `a range that overlaps no other cluster's service CIDR (clusters[${pos(o.i)}] "${members[o.i].name}" has ${members[o.i].serviceIpv4Cidr}); set serviceIpv4Cidr on each cluster`,
          'ClusterIPs must stay unambiguous across the mesh',
        );
      }
    }
    vpcs.push({ cidr: vpc, i });
    services.push({ cidr: svc, i });
  });
  // Service CIDRs against every VPC, in both directions.
  members.forEach((m, i) => {
    const svc = parseCidr(m.serviceIpv4Cidr, `clusters[${pos(i)}].serviceIpv4Cidr`);
    for (const o of vpcs) {
      if (cidrsOverlap(svc, o.cidr)) {
        throw new ValidationError(`clusters[${pos(i)}].serviceIpv4Cidr`, m.serviceIpv4Cidr, `a range outside every VPC of the fleet (clusters[${pos(o.i)}] "${members[o.i].name}" has ${members[o.i].vpcCidr})`);
      }
    }
  });
  const first = members[0];
  const minor = (v: string): string => v.split('.').slice(0, 2).join('.');
  members.forEach((m, i) => {
    if (minor(m.chartVersion) !== minor(first.chartVersion)) {
      throw new ValidationError(`clusters[${pos(i)}].cilium.chartVersion`, m.chartVersion, `a ${minor(first.chartVersion)}.x chart, as clusters[${pos(0)}] "${first.name}" has (${first.chartVersion})`, 'one Cilium minor across the mesh');
    }
    if (m.wireguard !== first.wireguard) {
      throw new ValidationError(`clusters[${pos(i)}].cilium.wireguard`, m.wireguard, `${first.wireguard}, as clusters[${pos(0)}] "${first.name}" has`, 'all clusters of a mesh must use the same datapath');
    }
  });
}

/** The peers of `name`: every other member, each once, in name order. */
export function peersOf<T extends { readonly name: string }>(members: readonly T[], name: string): T[] {
  return members.filter((m) => m.name !== name).sort((a, b) => a.name.localeCompare(b.name));
}

/** Unordered pairs of members, each once, keyed by the two names in name order. */
export function pairsOf<T extends { readonly name: string }>(members: readonly T[]): [T, T][] {
  const sorted = [...members].sort((a, b) => a.name.localeCompare(b.name));
  const pairs: [T, T][] = [];
  for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) pairs.push([sorted[i], sorted[j]]);
  return pairs;
}

/** The smallest single CIDR that covers every one of `cidrs` (the fleet's native routing CIDR). */
export function coveringCidr(cidrs: readonly string[]): string {
  check(cidrs.length > 0, 'cidrs', cidrs, 'at least one CIDR');
  const parsed = cidrs.map((c, i) => parseCidr(c, `cidrs[${i}]`));
  let prefix = Math.min(...parsed.map((c) => c.prefix));
  const maskOf = (p: number): number => (p === 0 ? 0 : (~0 << (32 - p)) >>> 0);
  while (prefix > 0 && new Set(parsed.map((c) => (c.network & maskOf(prefix)) >>> 0)).size > 1) prefix--;
  return formatCidr({ network: (parsed[0].network & maskOf(prefix)) >>> 0, prefix });
}
