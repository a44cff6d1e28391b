import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import {
  CLUSTER_NAME_PATTERN,
  ClusterMeshCa,
  coveringCidr,
  DEFAULT_CLUSTERMESH_APISERVER_REPLICAS,
  DEFAULT_CLUSTERMESH_DOMAIN,
  DEFAULT_MAX_CONNECTED_CLUSTERS,
  FleetMemberSpec,
  MaxConnectedClusters,
  pairsOf,
  peersOf,
  checkFleet,
} from '../../bpf/clustermesh';
import { DEFAULT_CILIUM_CHART_VERSION } from '../../bpf/versions';
import { checkFleetPodRanges, fleetPodCidr, fleetQuotaWarnings } from '../../bpf/pod-subnets';
import { CILIUM_NODE_PORTS } from '../node-security-group';
import { Annotations } from '../cdktf';
import { isWithin, parseCidr } from '../../core/cidr';
import { check, ValidationError } from '../../core/errors';
import { withPropertyPrefix } from '../../core/props';
import { declare, int, list, omit, oneOf, optional, parse, pattern, rules, strict } from '../../core/schema';
import { cidr, dns1123Subdomain, region, tags as tagsSchema } from '../../core/rules';
import { CiliumEksCluster, CiliumEksClusterProps, ciliumOptionsEntries, CiliumOptions, clusterPropsEntries, clusterPropsRules, NetworkOptions } from '../cilium-eks-cluster';
import { stackSetupEntries } from '../cilium-eks-stack';
import { DEFAULT_SERVICE_IPV4_CIDR } from '../eks-control-plane';
import { kubernetesAccess } from '../kubernetes-access';
import { CiliumEksNetwork, networkOptionsEntries } from '../network';
import { SYSTEM_NODE_LABEL } from '../system-node-group';
import { ClusterMeshEndpoint } from './clustermesh-endpoint';
import { FleetCa, FleetCaOptions, FleetCaOptionsSchema } from './fleet-ca';
import { MAX_CONNECTED_CLUSTERS_VALUES } from '../../bpf/clustermesh';

/** One cluster of a fleet: the options of {@link CiliumEksClusterProps}, plus its mesh identity and VPC. */
export interface FleetClusterOptions extends Omit<CiliumEksClusterProps, 'clusterName' | 'region' | 'network' | 'existingNetwork' | 'cilium'> {
  /** EKS cluster name and Cilium `cluster.name`: at most 32 lower-case letters, digits and dashes. */
  readonly name: string;
  /** AWS region. */
  readonly region: string;
  /** Cilium `cluster.id`, unique in the fleet, 1..maxConnectedClusters. */
  readonly clusterId: number;
  /** The cluster's VPC CIDR (/16 to /22); every VPC of the fleet must be disjoint. */
  readonly vpcCidr: string;
  /** Zones and NAT of the new VPC. @default - see NetworkOptions */
  readonly network?: Omit<NetworkOptions, 'vpcCidr'>;
  /** Cilium options; the fleet sets Cluster Mesh itself. @default - see CiliumOptions */
  readonly cilium?: Omit<CiliumOptions, 'clusterMesh'>;
}

export interface CiliumEksFleetProps {
  /** Name of the fleet: in the CA's subject and the `cilium-eks/fleet` tag. Lower case, at most 32 characters. */
  readonly name: string;
  /** 2 to 50 clusters (at most `maxConnectedClusters`), in one region or several. */
  readonly clusters: readonly FleetClusterOptions[];
  /**
   * `clustermesh.maxConnectedClusters`, 255 or 511: fixed when Cilium is installed (setup.rst);
   * 511 halves the cluster-local identities (65535 -> 32767).
   * @default 255
   */
  readonly maxConnectedClusters?: MaxConnectedClusters;
  /** The shared CA. @default { kind: 'generated' } (the key is kept in the Terraform state) */
  readonly ca?: FleetCaOptions;
  /**
   * Private DNS domain of the clustermesh-apiserver names (`<cluster>.<domain>`), a Route 53
   * private hosted zone associated with every VPC of the fleet.
   * @default 'mesh.cilium.io' (the chart's `clustermesh.config.domain`)
   */
  readonly domain?: string;
  /** clustermesh-apiserver replicas per cluster, on the system nodes, with a disruption budget. @default 2 */
  readonly apiServerReplicas?: number;
  /**
   * `ipv4NativeRoutingCIDR` of every cluster: must contain every VPC CIDR of the fleet.
   * @default - the smallest CIDR that covers every VPC CIDR of the fleet
   */
  readonly nativeRoutingCidr?: string;
  /** Tags on every AWS resource (the providers' default tags). @default - { 'cilium-eks/fleet': name } */
  readonly defaultTags?: Record<string, string>;
}

const fleetClusterEntries = {
  ...omit(clusterPropsEntries, ['clusterName', 'region', 'network', 'existingNetwork', 'cilium']),
  name: pattern(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, 'at most 32 lower-case letters, digits and dashes, starting and ending with a letter or digit', 'the Cluster Mesh rule for cluster.name'),
  region: region(),
  clusterId: int(1, 511, 'an integer from 1 to maxConnectedClusters (255 or 511)', 'cluster.id 0 means no Cluster Mesh'),
  vpcCidr: cidr(16, 22, 'a VPC CIDR'),
  network: optional(strict(omit(networkOptionsEntries, ['vpcCidr']), 'network options { availabilityZones?, singleNatGateway? } (the fleet sets vpcCidr from the cluster\'s vpcCidr)')),
  cilium: optional(strict(omit(ciliumOptionsEntries, ['clusterMesh']), 'Cilium options (the fleet sets clusterMesh itself)')),
} as const;
export const FleetClusterOptionsSchema = declare<FleetClusterOptions>()(strict(fleetClusterEntries, 'a fleet cluster'));
const fleetEntries = {
  name: pattern(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, 'at most 32 lower-case letters, digits and dashes, starting and ending with a letter or digit'),
  clusters: list(FleetClusterOptionsSchema, { min: 2, max: 50, reason: 'a mesh needs a peer; VPC peering quotas allow 50' }),
  maxConnectedClusters: optional(oneOf(MAX_CONNECTED_CLUSTERS_VALUES, '255 or 511', 'the two values Cilium accepts')),
  ca: optional(FleetCaOptionsSchema),
  domain: optional(dns1123Subdomain('a lower-case DNS domain of at least two labels, such as mesh.cilium.io')),
  apiServerReplicas: optional(int(1, 5)),
  nativeRoutingCidr: optional(cidr(8, 32, 'a CIDR containing every VPC CIDR of the fleet')),
  defaultTags: optional(tagsSchema()),
} as const;
/** Rules between the clusters' own props, each named under `clusters[i]`. */
function fleetRules(p: CiliumEksFleetProps): void {
  p.clusters.forEach((c, i) =>
    withPropertyPrefix(`clusters[${i}]`, () =>
      clusterPropsRules({ ...c, clusterName: c.name, network: { ...c.network, vpcCidr: c.vpcCidr } } as CiliumEksClusterProps, (at, value, allowed, reason) => {
        throw new ValidationError(at.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, ''), value, allowed, reason);
      }),
    ),
  );
}
export const CiliumEksFleetPropsSchema = declare<CiliumEksFleetProps>()(rules(strict(fleetEntries, 'fleet props'), (p) => fleetRules(p)));
/** The fleet stack's props: the fleet's and every stack's own. */
export const fleetStackPropsSchema = rules(strict({ ...fleetEntries, ...stackSetupEntries }, 'fleet stack props'), (p) => fleetRules(p));

/** A cluster of the fleet with what the mesh needs of it. */
interface Member extends FleetMemberSpec {
  readonly options: FleetClusterOptions;
}

/** Terraform provider aliases must start with a letter: `aws_eu_west_1`, `cluster_<name>`. */
function alias(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/-/g, '_')}`;
}

/**
 * A fleet of Cilium-on-EKS clusters meshed with Cilium Cluster Mesh, in one stack and one
 * `cdktf deploy`:
 *
 * - one `aws` provider per region and one `helm` and `kubernetes` provider per cluster;
 * - each cluster built by {@link CiliumEksCluster}, with Cluster Mesh values that need nothing of
 *   its peers but their names: the peers' addresses are the stable private DNS names
 *   `<peer>.<domain>`, which resolve to Terraform-made internal load balancers
 *   ({@link ClusterMeshEndpoint}). No Cilium release depends on another cluster's resources.
 * - VPC peering between every pair (inter-region where the regions differ), routes to every peer
 *   in every private route table, and one rule per peer VPC on each node security group;
 * - one CA for the fleet ({@link FleetCa}).
 */
export class CiliumEksFleet extends Construct {
  /** The clusters, by name. */
  public readonly clusters: ReadonlyMap<string, CiliumEksCluster>;
  /** The clustermesh-apiserver endpoints, by cluster name. */
  public readonly endpoints: ReadonlyMap<string, ClusterMeshEndpoint>;
  /** The shared CA as the chart takes it. */
  public readonly ca: ClusterMeshCa;
  public readonly zone: Route53Zone;
  public readonly domain: string;
  public readonly nativeRoutingCidr: string;
  /** The `aws` provider of each region. */
  public readonly awsProviders: ReadonlyMap<string, AwsProvider>;

  constructor(scope: Construct, id: string, props: CiliumEksFleetProps) {
    super(scope, id);
    // ---- Validation ------------------------------------------------------------------------------
    // The stack adds its own keys (localBackend, securityChecks); the clusters' keys are checked
    // by CiliumEksCluster, under `clusters[i]`.
    parse(fleetStackPropsSchema, props);
    check(
      typeof props.name === 'string' && props.name.length <= 32 && CLUSTER_NAME_PATTERN.test(props.name),
      'name',
      props.name,
      'at most 32 lower-case letters, digits and dashes, starting and ending with a letter or digit',
    );
    const clusters = props.clusters ?? [];
    check(Array.isArray(clusters), 'clusters', clusters, 'a list of cluster definitions');
    const max = props.maxConnectedClusters ?? DEFAULT_MAX_CONNECTED_CLUSTERS;
    const members: Member[] = clusters.map((c) => {
      return {
        name: c.name,
        clusterId: c.clusterId,
        region: c.region,
        vpcCidr: c.vpcCidr,
        serviceIpv4Cidr: c.serviceIpv4Cidr ?? DEFAULT_SERVICE_IPV4_CIDR,
        chartVersion: c.cilium?.chartVersion ?? DEFAULT_CILIUM_CHART_VERSION,
        wireguard: c.cilium?.wireguard ?? true,
        options: c,
      };
    });
    checkFleet(members, max);
    // Pod subnets: each cluster's pod range apart from every other cluster's ranges (bpf/pod-subnets.ts).
    const podCidrs = new Map(members.map((m, i) => [m.name, fleetPodCidr(m.options.podSubnets, `clusters[${i}].podSubnets`)]));
    checkFleetPodRanges(members.map((m) => ({ name: m.name, vpcCidr: m.vpcCidr, serviceCidr: m.serviceIpv4Cidr, podCidr: podCidrs.get(m.name) })));
    /** A peer's addresses: its VPC and, with pod subnets, its pod range. */
    const rangesOf = (name: string, vpcCidr: string): string[] => [vpcCidr, ...[podCidrs.get(name)].filter((c): c is string => c !== undefined)];
    const domain = props.domain ?? DEFAULT_CLUSTERMESH_DOMAIN;
    check(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(domain) && domain.length <= 200,
      'domain',
      domain,
      'a lower-case DNS domain of at least two labels, such as mesh.cilium.io',
    );
    this.domain = domain;
    this.nativeRoutingCidr = props.nativeRoutingCidr ?? coveringCidr(members.map((m) => m.vpcCidr));
    const native = parseCidr(this.nativeRoutingCidr, 'nativeRoutingCidr');
    // A block wider than 10.0.0.0/8 would also cover addresses outside the private ranges.
    check(native.prefix >= 8, 'nativeRoutingCidr', this.nativeRoutingCidr, 'a prefix of /8 or longer: put every VPC CIDR of the fleet inside one private range (e.g. 10.0.0.0/8), or set nativeRoutingCidr');
    members.forEach((m, i) => {
      if (!isWithin(parseCidr(m.vpcCidr, `clusters[${i}].vpcCidr`), native)) {
        throw new ValidationError('nativeRoutingCidr', this.nativeRoutingCidr, `a CIDR containing every VPC CIDR of the fleet (not ${m.vpcCidr} of clusters[${i}] "${m.name}")`, 'Cilium setup.rst: the native routing CIDR must cover the pod ranges of all clusters');
      }
    });
    const replicas = props.apiServerReplicas ?? DEFAULT_CLUSTERMESH_APISERVER_REPLICAS;

    // ---- Providers -------------------------------------------------------------------------------
    const defaultTags = props.defaultTags ?? { 'cilium-eks/fleet': props.name };
    const regions = [...new Set(members.map((m) => m.region))].sort();
    const awsProviders = new Map<string, AwsProvider>();
    for (const region of regions) {
      awsProviders.set(region, new AwsProvider(this, `aws-${region}`, { region, alias: alias('aws', region), defaultTags: [{ tags: defaultTags }] }));
    }
    this.awsProviders = awsProviders;
    const aws = (region: string): AwsProvider => awsProviders.get(region) as AwsProvider;
    const tls = new TlsProvider(this, 'tls');
    // Route 53 is global: the first region's provider manages the zone.
    const homeProvider = aws(regions[0]);

    // ---- Shared CA -------------------------------------------------------------------------------
    this.ca = new FleetCa(this, 'ca', { options: props.ca ?? { kind: 'generated' }, fleetName: props.name, awsProvider: homeProvider, tlsProvider: tls }).ca;

    // ---- Clusters ---------------------------------------------------------------------------------
    const dnsName = (name: string): string => `${name}.${domain}`;
    const built = new Map<string, CiliumEksCluster>();
    for (const m of members) {
      // The fleet-only keys stay here: CiliumEksClusterProps does not know them.
      const { name: _name, clusterId: _id, vpcCidr: _vpc, ...c } = m.options;
      void [_name, _id, _vpc];
      // Errors of the cluster's own props name them as the fleet user wrote them: clusters[i].<prop>.
      const cluster = withPropertyPrefix(`clusters[${members.indexOf(m)}]`, () => new CiliumEksCluster(this, m.name, {
        ...c,
        clusterName: m.name,
        region: m.region,
        network: { ...c.network, vpcCidr: m.vpcCidr },
        cilium: {
          ...c.cilium,
          clusterMesh: {
            clusterName: m.name,
            clusterId: m.clusterId,
            peers: peersOf(members, m.name).map((p) => ({ name: p.name, address: dnsName(p.name) })),
            ca: this.ca,
            nativeRoutingCidr: this.nativeRoutingCidr,
            serverDnsNames: [dnsName(m.name)],
            maxConnectedClusters: max,
            apiServerReplicas: replicas,
            apiServerNodeSelector: { [SYSTEM_NODE_LABEL]: 'system' },
            domain,
          },
        },
      }));
      const access = kubernetesAccess(cluster.controlPlane.cluster, m.region);
      cluster.useProviders({
        aws: aws(m.region),
        helm: new HelmProvider(this, `helm-${m.name}`, { alias: alias('cluster', m.name), kubernetes: access }),
        kubernetes: new KubernetesProvider(this, `kubernetes-${m.name}`, {
          alias: alias('cluster', m.name),
          host: access.host,
          clusterCaCertificate: access.clusterCaCertificate,
          exec: [access.exec],
        }),
      });
      built.set(m.name, cluster);
    }
    this.clusters = built;
    const network = (name: string): CiliumEksNetwork => built.get(name)?.network as CiliumEksNetwork;

    // ---- Private DNS names of the apiservers --------------------------------------------------------
    this.zone = new Route53Zone(this, 'zone', {
      name: domain,
      comment: `clustermesh-apiserver names of the Cilium fleet ${props.name}`,
      vpc: members.map((m) => ({ vpcId: network(m.name).vpcId, vpcRegion: m.region })),
      forceDestroy: true,
      provider: homeProvider,
    });
    const endpoints = new Map<string, ClusterMeshEndpoint>();
    for (const m of members) {
      const cluster = built.get(m.name) as CiliumEksCluster;
      // Under the cluster: its providers apply.
      endpoints.set(
        m.name,
        new ClusterMeshEndpoint(cluster, 'clustermesh-endpoint', {
          clusterName: m.name,
          vpcId: network(m.name).vpcId,
          vpcCidr: m.vpcCidr,
          subnetIds: network(m.name).privateSubnetIds,
          cluster,
          nodeSecurityGroupId: cluster.nodeSecurityGroup.securityGroup.id,
          zoneId: this.zone.zoneId,
          dnsName: dnsName(m.name),
          tags: copyTags(m.options.tags),
        }),
      );
      // Nodes and pods of every peer (pod ENIs carry the node security groups): the apiserver
      // NodePort, health 4240, Hubble 4244, WireGuard 51871/udp and pod-to-pod on any port
      // (setup.rst, native routing). One rule per peer VPC keeps a 50-cluster fleet under the
      // default 60 inbound rules per security group.
      const peers = peersOf(members, m.name);
      // Its own rules: the Cilium node ports and the load balancer's NodePort rule.
      const peerPodRanges = peers.filter((q) => podCidrs.get(q.name) !== undefined).length;
      for (const w of fleetQuotaWarnings(m.name, CILIUM_NODE_PORTS.length + 1, peers.length, peerPodRanges)) Annotations.of(cluster).addWarning(w);
      for (const p of peers) {
        new VpcSecurityGroupIngressRule(cluster, `mesh-from-${p.name}`, {
          securityGroupId: cluster.nodeSecurityGroup.securityGroup.id,
          cidrIpv4: p.vpcCidr,
          ipProtocol: '-1',
          description: `Cluster Mesh peer ${p.name}: clustermesh-apiserver, health, Hubble, WireGuard and pod traffic`,
          tags: copyTags(m.options.tags),
        });
        // A peer with pod subnets: its pods' own addresses (nothing is masqueraded in ENI mode).
        const peerPods = podCidrs.get(p.name);
        if (peerPods !== undefined) {
          new VpcSecurityGroupIngressRule(cluster, `mesh-from-${p.name}-pods`, {
            securityGroupId: cluster.nodeSecurityGroup.securityGroup.id,
            cidrIpv4: peerPods,
            ipProtocol: '-1',
            description: `Cluster Mesh peer ${p.name}: pod traffic from its pod subnets`,
            tags: copyTags(m.options.tags),
          });
        }
      }
    }
    this.endpoints = endpoints;

    // ---- VPC peering, every pair once ---------------------------------------------------------------
    for (const [a, b] of pairsOf(members)) {
      const scope = new Construct(this, `peering-${a.name}--${b.name}`);
      const sameRegion = a.region === b.region;
      const connection = new VpcPeeringConnection(scope, 'connection', {
        vpcId: network(a.name).vpcId,
        peerVpcId: network(b.name).vpcId,
        ...(sameRegion ? { autoAccept: true } : { peerRegion: b.region, autoAccept: false }),
        tags: { Name: `${a.name}--${b.name}` },
        provider: aws(a.region),
      });
      // Inter-region peering is accepted on the peer's side; routes wait for the accepted connection.
      const peeringId = sameRegion
        ? connection.id
        : new VpcPeeringConnectionAccepterA(scope, 'accepter', {
            vpcPeeringConnectionId: connection.id,
            autoAccept: true,
            tags: { Name: `${a.name}--${b.name}` },
            provider: aws(b.region),
          }).vpcPeeringConnectionId;
      for (const [from, to] of [
        [a, b],
        [b, a],
      ]) {
        network(from.name).privateRouteTableIds.forEach((routeTableId, i) =>
          // The private route tables serve the pod subnets too (constructs/pod-subnets.ts).
          rangesOf(to.name, to.vpcCidr).forEach(
            (destination, r) =>
              new Route(scope, `${from.name}-to-${to.name}-${r === 0 ? '' : 'pods-'}${i}`, {
                routeTableId,
                destinationCidrBlock: destination,
                vpcPeeringConnectionId: peeringId,
                provider: aws(from.region),
              }),
          ),
        );
      }
    }
  }
}

/** A copy of optional tags (undefined stays undefined). */
function copyTags(tags: Record<string, string> | undefined): Record<string, string> | undefined {
  return tags ? { ...tags } : undefined;
}
