import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route } from '@cdktf/provider-aws/lib/route';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
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
import { bool, declare, int, list, omit, oneOf, optional, parse, pattern, rules, strict } from '../../core/schema';
import { cidr, dns1123Subdomain, region, tags as tagsSchema } from '../../core/rules';
import { CiliumEksCluster, CiliumEksClusterProps, ciliumOptionsEntries, CiliumOptions, clusterPropsEntries, clusterPropsRules, NetworkOptions } from '../cilium-eks-cluster';
import { stackSetupEntries } from '../cilium-eks-stack';
import { DEFAULT_SERVICE_IPV4_CIDR } from '../eks-control-plane';
import { kubernetesAccess } from '../kubernetes-access';
import { CiliumEksNetwork, networkOptionsEntries } from '../network';
import { SYSTEM_NODE_LABEL } from '../system-node-group';
import { ClusterMeshEndpoint } from './clustermesh-endpoint';
import { FleetCa, FleetCaOptions, FleetCaOptionsSchema } from './fleet-ca';
import { accountIdSchema, associateForeignVpcs, checkFleetAccounts, FleetAccountOptions, FleetAccountProviders, FleetAccountsSchema } from './accounts';
import { FleetTransitGateway } from './transit-gateway';
import {
  connectivityWarnings,
  DEFAULT_FLEET_CONNECTIVITY,
  FLEET_CONNECTIVITY,
  FleetConnectivity,
  FleetNetworkPlan,
  MAX_PEERING_FLEET_CLUSTERS,
  PeeringPlan,
  planFleetNetwork,
} from '../../bpf/fleet-network';
import { MAX_CONNECTED_CLUSTERS_VALUES } from '../../bpf/clustermesh';
import { fleetMtu, FleetMtu } from '../../bpf/mtu';
import { checkMeshReferences, decommissionedEntries, keepProviders } from './decommission';
import { gateMeshIdentity } from './mesh-gates';

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
  /**
   * Take the cluster out of the fleet, first of two steps (docs/fleet.md#removing-a-cluster):
   * its resources are destroyed, the other clusters drop it from their peers, routes, rules, DNS
   * and Cilium values, and its providers stay (configured from the running cluster, read at
   * plan), which Terraform needs to destroy what they created. Once applied, remove the entry.
   * Its name and clusterId stay taken until then.
   * @default false
   */
  readonly decommissioned?: boolean;
  /**
   * The AWS account the cluster is built in: one of the fleet's `accounts`, reached through its
   * role. Its peering (or Transit Gateway attachment) is accepted there through that account's
   * provider (docs/fleet.md#clusters-in-other-accounts).
   * @default - the fleet's own account (the default credentials)
   */
  readonly accountId?: string;
}

/**
 * The props of {@link CiliumEksFleet} (and, with the stack's own, of {@link CiliumEksFleetStack}): the
 * fleet's name, its clusters, the shared CA, the mesh's DNS domain and routing CIDR, how the VPCs connect and
 * the accounts they are in (every prop with its default: docs/inputs.md; the fleet: docs/fleet.md).
 */
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
  /**
   * How the VPCs reach each other: `vpcPeering` (a VPC peering connection between every two clusters,
   * up to 50 clusters) or `transitGateway` (one Transit Gateway per region, peered between
   * regions; recommended past 25 clusters, required past 50). See docs/fleet.md#connectivity.
   * @default 'vpcPeering'
   */
  readonly connectivity?: FleetConnectivity;
  /** Other AWS accounts clusters are built in (`clusters[i].accountId`), each with the role Terraform assumes there. @default - none: every cluster in the fleet's own account */
  readonly accounts?: readonly FleetAccountOptions[];
}

const fleetClusterEntries = {
  ...omit(clusterPropsEntries, ['clusterName', 'region', 'network', 'existingNetwork', 'cilium']),
  name: pattern(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, 'at most 32 lower-case letters, digits and dashes, starting and ending with a letter or digit', 'the Cluster Mesh rule for cluster.name'),
  region: region(),
  clusterId: int(1, 511, 'an integer from 1 to maxConnectedClusters (255 or 511)', 'cluster.id 0 means no Cluster Mesh'),
  vpcCidr: cidr(16, 22, 'a VPC CIDR'),
  network: optional(strict(omit(networkOptionsEntries, ['vpcCidr']), 'network options { availabilityZones?, singleNatGateway? } (the fleet sets vpcCidr from the cluster\'s vpcCidr)')),
  cilium: optional(strict(omit(ciliumOptionsEntries, ['clusterMesh']), 'Cilium options (the fleet sets clusterMesh itself)')),
  decommissioned: optional(bool()),
  accountId: optional(accountIdSchema()),
} as const;
export const FleetClusterOptionsSchema = declare<FleetClusterOptions>()(strict(fleetClusterEntries, 'a fleet cluster'));
const fleetEntries = {
  name: pattern(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, 'at most 32 lower-case letters, digits and dashes, starting and ending with a letter or digit'),
  clusters: list(FleetClusterOptionsSchema, { min: 2, max: 511, reason: 'a mesh needs a peer; at most maxConnectedClusters (511 at most)' }),
  maxConnectedClusters: optional(oneOf(MAX_CONNECTED_CLUSTERS_VALUES, '255 or 511', 'the two values Cilium accepts')),
  ca: optional(FleetCaOptionsSchema),
  domain: optional(dns1123Subdomain('a lower-case DNS domain of at least two labels, such as mesh.cilium.io')),
  apiServerReplicas: optional(int(1, 5)),
  nativeRoutingCidr: optional(cidr(8, 32, 'a CIDR containing every VPC CIDR of the fleet')),
  defaultTags: optional(tagsSchema()),
  connectivity: optional(oneOf(FLEET_CONNECTIVITY, "'vpcPeering' or 'transitGateway'")),
  accounts: optional(FleetAccountsSchema),
} as const;
/** Rules between the clusters' own props, each named under `clusters[i]`. */
function fleetRules(p: CiliumEksFleetProps): void {
  checkFleetAccounts(p.accounts ?? [], p.clusters);
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
  /** Its position in `clusters`. */
  readonly index: number;
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
  /**
   * The Route 53 private hosted zone of {@link CiliumEksFleet.domain}, associated with every cluster's VPC
   * (those in other accounts through authorizations), managed through the first region's provider; it holds
   * each cluster's `<cluster>.<domain>` record and is destroyed with its records.
   */
  public readonly zone: Route53Zone;
  /**
   * The private DNS domain of the clustermesh-apiserver names, `domain` as given or `mesh.cilium.io`: each
   * cluster's peers dial `<peer>.<domain>`, and it is the Cilium chart's `clustermesh.config.domain` of every
   * cluster.
   */
  public readonly domain: string;
  /**
   * The `ipv4NativeRoutingCIDR` every cluster's Cilium is given: `nativeRoutingCidr` as given, else the
   * smallest CIDR covering every VPC CIDR of the fleet; a /8 or longer that contains each of them. Cilium
   * hands traffic to this range to the network stack without SNAT (chart 1.19.6 values.yaml,
   * `ipv4NativeRoutingCIDR`), so pods reach the other clusters' pods by their own addresses.
   */
  public readonly nativeRoutingCidr: string;
  /** The `aws` provider of each region (the fleet's own account). */
  public readonly awsProviders: ReadonlyMap<string, AwsProvider>;
  /** The clusters being taken out (`decommissioned: true`): only their providers are left. */
  public readonly decommissioned: readonly string[];
  /** The MTU of the fleet's paths and what Cilium is given ({@link fleetMtu}). */
  public readonly mtu: FleetMtu;
  /** What connects the VPCs ({@link planFleetNetwork}): the construct builds exactly this. */
  public readonly networkPlan: FleetNetworkPlan;
  /** The Transit Gateways, with `connectivity: 'transitGateway'`. */
  public readonly transitGateway?: FleetTransitGateway;
  /** The role Terraform assumes for each cluster in another account, by cluster name. */
  public readonly clusterRoles: ReadonlyMap<string, string>;

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
    // Decommissioned entries keep their providers only (decommission.ts); the mesh is the others.
    const retiring = decommissionedEntries(clusters);
    const members: Member[] = clusters.flatMap((c, i) => {
      if (c.decommissioned === true) return [];
      return [{
        name: c.name,
        clusterId: c.clusterId,
        region: c.region,
        vpcCidr: c.vpcCidr,
        serviceIpv4Cidr: c.serviceIpv4Cidr ?? DEFAULT_SERVICE_IPV4_CIDR,
        chartVersion: c.cilium?.chartVersion ?? DEFAULT_CILIUM_CHART_VERSION,
        wireguard: c.cilium?.wireguard ?? true,
        index: i,
        options: c,
      }];
    });
    const connectivity = props.connectivity ?? DEFAULT_FLEET_CONNECTIVITY;
    checkFleet(members, max, connectivity === 'vpcPeering' ? MAX_PEERING_FLEET_CLUSTERS : Number.POSITIVE_INFINITY);
    // Pod subnets: each cluster's pod range apart from every other cluster's ranges (bpf/pod-subnets.ts).
    const podCidrs = new Map(members.map((m, i) => [m.name, fleetPodCidr(m.options.podSubnets, `clusters[${i}].podSubnets`)]));
    checkFleetPodRanges(members.map((m) => ({ name: m.name, vpcCidr: m.vpcCidr, serviceCidr: m.serviceIpv4Cidr, podCidr: podCidrs.get(m.name) })));
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
    // The smallest path between the clusters' nodes (bpf/mtu.ts): jumbo in one region over peering,
    // 8500 across regions or through a Transit Gateway.
    const mtu = fleetMtu({ regions: members.map((m) => m.region), connectivity, wireguard: members[0].wireguard });
    this.mtu = mtu;

    // ---- Providers -------------------------------------------------------------------------------
    const defaultTags = props.defaultTags ?? { 'cilium-eks/fleet': props.name };
    // A decommissioned cluster's region keeps its provider: its resources are destroyed through it.
    const regions = [...new Set(clusters.map((m) => m.region))].sort();
    const awsProviders = new Map<string, AwsProvider>();
    for (const region of regions) {
      awsProviders.set(region, new AwsProvider(this, `aws-${region}`, { region, alias: alias('aws', region), defaultTags: [{ tags: defaultTags }] }));
    }
    this.awsProviders = awsProviders;
    const home = (region: string): AwsProvider => awsProviders.get(region) as AwsProvider;
    // Clusters in other accounts: a provider per account and region, through the account's role.
    const accountProviders = new FleetAccountProviders(this, props.accounts ?? [], defaultTags);
    const accountOf = new Map(members.map((m) => [m.name, m.options.accountId]));
    this.clusterRoles = new Map(members.flatMap((m) => (m.options.accountId === undefined ? [] : [[m.name, accountProviders.roleArn(m.options.accountId)] as [string, string]])));
    /** The provider of the account and region cluster `name` is in. */
    const providerOf = (name: string): AwsProvider => {
      const m = members.find((x) => x.name === name) as Member;
      const account = accountOf.get(name);
      return account === undefined ? home(m.region) : accountProviders.get(account, m.region);
    };
    const tls = new TlsProvider(this, 'tls');
    // Route 53 is global: the first region's provider manages the zone.
    const homeProvider = home(regions[0]);

    // ---- Shared CA -------------------------------------------------------------------------------
    this.ca = new FleetCa(this, 'ca', { options: props.ca ?? { kind: 'generated' }, fleetName: props.name, awsProvider: homeProvider, tlsProvider: tls }).ca;

    // ---- Clusters ---------------------------------------------------------------------------------
    const dnsName = (name: string): string => `${name}.${domain}`;
    const built = new Map<string, CiliumEksCluster>();
    for (const m of members) {
      // The fleet-only keys stay here: CiliumEksClusterProps does not know them.
      const { name: _name, clusterId: _id, vpcCidr: _vpc, decommissioned: _decommissioned, accountId: _account, ...c } = m.options;
      void [_name, _id, _vpc, _decommissioned, _account];
      // Errors of the cluster's own props name them as the fleet user wrote them: clusters[i].<prop>.
      const cluster = withPropertyPrefix(`clusters[${m.index}]`, () => new CiliumEksCluster(this, m.name, {
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
            mtu: mtu.ciliumMtu,
          },
        },
      }));
      const account = accountOf.get(m.name);
      const access = kubernetesAccess(cluster.controlPlane.cluster, m.region, account === undefined ? undefined : accountProviders.roleArn(account));
      cluster.useProviders({
        aws: providerOf(m.name),
        helm: new HelmProvider(this, `helm-${m.name}`, { alias: alias('cluster', m.name), kubernetes: access }),
        kubernetes: new KubernetesProvider(this, `kubernetes-${m.name}`, {
          alias: alias('cluster', m.name),
          host: access.host,
          clusterCaCertificate: access.clusterCaCertificate,
          exec: [access.exec],
        }),
      });
      gateMeshIdentity({
        at: `clusters[${m.index}]`,
        name: m.name,
        clusterId: m.clusterId,
        maxConnectedClusters: max,
        recordScope: this,
        guarded: [cluster.cilium.release, ...(cluster.cilium.preflight ? [cluster.cilium.preflight] : [])],
        planGate: cluster.planGate,
      });
      built.set(m.name, cluster);
    }
    this.clusters = built;
    // A decommissioned cluster keeps the providers it was built with: its account's, where it has one.
    for (const r of retiring) {
      const account = clusters[r.index].accountId;
      const provider = account === undefined ? home(r.region) : accountProviders.get(account, r.region);
      keepProviders(this, r, provider, alias('cluster', r.name), account === undefined ? undefined : accountProviders.roleArn(account));
    }
    this.decommissioned = retiring.map((r) => r.name);
    checkMeshReferences(this, built, retiring.map((r) => r.name));
    const network = (name: string): CiliumEksNetwork => built.get(name)?.network as CiliumEksNetwork;

    // ---- Private DNS names of the apiservers --------------------------------------------------------
    this.zone = new Route53Zone(this, 'zone', {
      name: domain,
      comment: `clustermesh-apiserver names of the Cilium fleet ${props.name}`,
      vpc: members.filter((m) => accountOf.get(m.name) === undefined).map((m) => ({ vpcId: network(m.name).vpcId, vpcRegion: m.region })),
      forceDestroy: true,
      provider: homeProvider,
    });
    associateForeignVpcs(
      this,
      this.zone,
      members.filter((m) => accountOf.get(m.name) !== undefined).map((m) => ({ cluster: m.name, vpcId: network(m.name).vpcId, region: m.region, provider: providerOf(m.name) })),
      homeProvider,
    );
    const endpoints = new Map<string, ClusterMeshEndpoint>();
    for (const m of members) {
      const cluster = built.get(m.name) as CiliumEksCluster;
      // Under the cluster: its providers apply.
      const endpoint = new ClusterMeshEndpoint(cluster, 'clustermesh-endpoint', {
          clusterName: m.name,
          vpcId: network(m.name).vpcId,
          vpcCidr: m.vpcCidr,
          subnetIds: network(m.name).privateSubnetIds,
          cluster,
          nodeSecurityGroupId: cluster.nodeSecurityGroup.securityGroup.id,
          zoneId: this.zone.zoneId,
          dnsName: dnsName(m.name),
          tags: copyTags(m.options.tags),
        });
      // The name lives in the fleet account's zone, whichever account the cluster is in.
      if (accountOf.get(m.name) !== undefined) endpoint.record.provider = homeProvider;
      endpoints.set(m.name, endpoint);
      // Nodes and pods of every peer (pod ENIs carry the node security groups): the apiserver
      // NodePort, health 4240, Hubble 4244, WireGuard 51871/udp and pod-to-pod on any port
      // (setup.rst, native routing). One rule per peer VPC keeps a 50-cluster fleet under the
      // default 60 inbound rules per security group.
      const peers = peersOf(members, m.name);
      // Its own rules: the Cilium node ports and the load balancer's 2379 rule.
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

    // ---- Connectivity: VPC peering or Transit Gateways (bpf/fleet-network.ts) -------------------------
    const plan = planFleetNetwork(
      members.map((m) => ({ name: m.name, region: m.region, vpcCidr: m.vpcCidr, podCidr: podCidrs.get(m.name), accountId: accountOf.get(m.name) })),
      connectivity,
      this.nativeRoutingCidr,
    );
    this.networkPlan = plan;
    for (const w of connectivityWarnings(plan, members.length)) Annotations.of(this).addWarning(w);
    if (plan.connectivity === 'transitGateway') {
      this.transitGateway = new FleetTransitGateway(this, 'transit-gateway', {
        fleetName: props.name,
        plan,
        vpc: (name) => network(name),
        homeProvider: home,
        clusterProvider: providerOf,
        accountProvider: (account, region) => accountProviders.get(account, region),
        invitationAccounts: accountProviders.invitationAccounts(),
      });
    } else {
      this.buildPeering(plan, members, network, providerOf, (name) => accountOf.get(name));
    }
  }

  /**
   * VPC peering between every pair (the plan's connections, under `peering-<a>--<b>`): accepted by
   * the requester in one region and account, else by an accepter resource through the peer's own
   * provider (the peer's region, the peer's account); routes in every private route table.
   */
  private buildPeering(
    plan: PeeringPlan,
    members: readonly Member[],
    network: (name: string) => CiliumEksNetwork,
    providerOf: (name: string) => AwsProvider,
    accountOf: (name: string) => string | undefined,
  ): void {
    const byName = new Map(members.map((m) => [m.name, m]));
    const scopes = new Map<string, { scope: Construct; peeringId: string }>();
    // A cluster of the fleet's own account is named to another account by the account id the
    // default credentials resolve to.
    let ownAccount: DataAwsCallerIdentity | undefined;
    const ownerOf = (name: string): string => {
      const account = accountOf(name);
      if (account !== undefined) return account;
      ownAccount ??= new DataAwsCallerIdentity(this, 'fleet-account', { provider: this.awsProviders.get((byName.get(name) as Member).region) });
      return ownAccount.accountId;
    };
    for (const c of plan.connections) {
      const a = byName.get(c.requester) as Member;
      const b = byName.get(c.accepter) as Member;
      const scope = new Construct(this, c.key);
      const connection = new VpcPeeringConnection(scope, 'connection', {
        vpcId: network(a.name).vpcId,
        peerVpcId: network(b.name).vpcId,
        ...(c.acceptance === 'auto' ? { autoAccept: true } : { autoAccept: false, ...(c.crossRegion ? { peerRegion: b.region } : {}) }),
        ...(c.crossAccount ? { peerOwnerId: ownerOf(b.name) } : {}),
        tags: { Name: `${a.name}--${b.name}` },
        provider: providerOf(a.name),
      });
      // Accepted on the peer's side (its region, its account); routes wait for the accepted connection.
      const peeringId =
        c.acceptance === 'auto'
          ? connection.id
          : new VpcPeeringConnectionAccepterA(scope, 'accepter', {
              vpcPeeringConnectionId: connection.id,
              autoAccept: true,
              tags: { Name: `${a.name}--${b.name}` },
              provider: providerOf(b.name),
            }).vpcPeeringConnectionId;
      scopes.set(c.key, { scope, peeringId });
    }
    for (const r of plan.routes) {
      if (r.target.kind !== 'vpcPeering') continue;
      const { scope, peeringId } = scopes.get(r.target.connection) as { scope: Construct; peeringId: string };
      // The private route tables serve the pod subnets too (constructs/pod-subnets.ts).
      network(r.from).privateRouteTableIds.forEach(
        (routeTableId, i) =>
          new Route(scope, `${r.key}${i}`, {
            routeTableId,
            destinationCidrBlock: r.destination,
            vpcPeeringConnectionId: peeringId,
            provider: providerOf(r.from),
          }),
      );
    }
  }
}

/** A copy of optional tags (undefined stays undefined). */
function copyTags(tags: Record<string, string> | undefined): Record<string, string> | undefined {
  return tags ? { ...tags } : undefined;
}
