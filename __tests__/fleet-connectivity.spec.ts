/**
 * A synthesized fleet's connectivity (constructs/fleet/transit-gateway.ts, accounts.ts): Transit
 * Gateways built exactly as the plan (bpf/fleet-network.ts) lists them, and clusters in other
 * accounts with either connectivity: each side requested or accepted through its own account's
 * provider. The plan's invariants over fleets of 2 to 20 are in fleet-network.spec.ts.
 */
import { Testing } from 'cdktf';
import { CiliumEksFleetStack, CiliumEksFleetStackProps } from '../constructs/fleet/cilium-eks-fleet-stack';
import { FleetAccountOptions } from '../constructs/fleet/accounts';
import { FleetClusterOptions } from '../constructs/fleet/cilium-eks-fleet';
import { TransitGatewayPlan } from '../bpf/fleet-network';
import { thrown } from './support/errors';
import { offlineAwsProvider, terraformTestCached } from './support/aws-terraform';
import { dependsOn, TfBlock, TfJson, synthStack } from './support/synth';

const OTHER = '444455556666';
const ACCOUNT: FleetAccountOptions = { accountId: OTHER, assumeRoleArn: `arn:aws:iam::${OTHER}:role/fleet-deployer` };

/** Three clusters in two regions with pod ranges; `b` (eu-west-1) in another account when asked. */
function props(extra: Partial<CiliumEksFleetStackProps> = {}, foreign = false): CiliumEksFleetStackProps {
  const cluster = (name: string, region: string, i: number): FleetClusterOptions => ({
    name,
    region,
    clusterId: i + 1,
    vpcCidr: `10.${i}.0.0/16`,
    serviceIpv4Cidr: `172.20.${i}.0/24`,
    podSubnets: { cidr: `100.${64 + i}.0.0/16` },
    admins: ['arn:aws:iam::111122223333:role/platform-admin'],
    karpenter: false,
    ...(foreign && name === 'b' ? { accountId: OTHER } : {}),
  });
  return { name: 'test', clusters: [cluster('a', 'eu-west-1', 0), cluster('b', 'eu-west-1', 1), cluster('c', 'us-east-1', 2)], ...(foreign ? { accounts: [ACCOUNT] } : {}), ...extra };
}

/** The synthesized fleets shared by more than one describe block (a synth of a fleet costs about a second). */
const shared = new Map<string, { stack: CiliumEksFleetStack; tf: TfJson }>();
function synthShared(key: string, p: () => CiliumEksFleetStackProps): { stack: CiliumEksFleetStack; tf: TfJson } {
  if (!shared.has(key)) shared.set(key, synth(p()));
  return shared.get(key) as { stack: CiliumEksFleetStack; tf: TfJson };
}
/** Peering, b in the other account. */
const crossAccountPeering = (): { stack: CiliumEksFleetStack; tf: TfJson } => synthShared('vpcPeering', () => props({}, true));
/** Transit Gateways, b and d in the other account (by invitation or not). */
function crossAccountGateways(ramInvitation: boolean): { stack: CiliumEksFleetStack; tf: TfJson } {
  return synthShared(`transitGateway-${ramInvitation}`, () => {
    const base = props({ connectivity: 'transitGateway' }, true);
    const d: FleetClusterOptions = { ...base.clusters[1], name: 'd', clusterId: 4, vpcCidr: '10.3.0.0/16', serviceIpv4Cidr: '172.20.3.0/24', podSubnets: { cidr: '100.67.0.0/16' } };
    return { ...base, clusters: [...base.clusters, d], accounts: [{ ...ACCOUNT, ramInvitation }] };
  });
}

function synth(p: CiliumEksFleetStackProps): { stack: CiliumEksFleetStack; tf: TfJson } {
  const stack = new CiliumEksFleetStack(Testing.app(), 'fleet', p);
  return { stack, tf: JSON.parse(synthStack(stack)) as TfJson };
}

/** The blocks of `type` with their logical ids. */
const blocks = (tf: TfJson, type: string): [string, TfBlock][] => Object.entries(tf.resource[type] ?? {});
/** The logical id of the block of `type` whose construct id (`..._<id>_<hash>`) is `id`. */
function keyOf(tf: TfJson, type: string, id: string): string {
  const found = blocks(tf, type).filter(([k]) => k.endsWith(`_${id}`) || new RegExp(`_${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_[0-9A-F]{8}$`).test(k));
  if (found.length !== 1) throw new Error(`${found.length} ${type} named ${id}`);
  return found[0][0];
}
const ref = (tf: TfJson, type: string, id: string, attr: string): string => `\${${type}.${keyOf(tf, type, id)}.${attr}}`;
/** Private route table ids of a cluster, as references. */
const privateTables = (tf: TfJson, cluster: string): string[] => blocks(tf, 'aws_route_table').filter(([k]) => new RegExp(`^fleet_${cluster}_network_private-\\d-rt_`).test(k)).map(([k]) => `\${aws_route_table.${k}.id}`);

describe('Transit Gateway connectivity (three clusters, two regions, pod ranges)', () => {
  const { stack, tf } = synth(props({ connectivity: 'transitGateway' }));
  const plan = stack.fleet.networkPlan as TransitGatewayPlan;

  test('no VPC peering; a gateway per region in its own region with its own table, no default association or propagation, the ASN of the plan', () => {
    expect(tf.resource.aws_vpc_peering_connection).toBeUndefined();
    expect(plan.connectivity).toBe('transitGateway');
    const gws = blocks(tf, 'aws_ec2_transit_gateway');
    expect(gws).toHaveLength(2);
    for (const g of plan.gateways) {
      const [, b] = gws.find(([k]) => k.includes(`_tgw-${g.region}_`)) as [string, TfBlock];
      expect([b.provider, b.amazon_side_asn, b.default_route_table_association, b.default_route_table_propagation]).toEqual([`aws.aws_${g.region.replace(/-/g, '_')}`, g.amazonSideAsn, 'disable', 'disable']);
    }
    expect(blocks(tf, 'aws_ec2_transit_gateway_route_table')).toHaveLength(2);
  });

  test("an attachment per cluster over its three private subnets, associated with its region's table", () => {
    for (const a of plan.attachments) {
      const b = tf.resource.aws_ec2_transit_gateway_vpc_attachment[keyOf(tf, 'aws_ec2_transit_gateway_vpc_attachment', a.key)];
      expect(b.transit_gateway_id).toBe(ref(tf, 'aws_ec2_transit_gateway', `tgw-${a.region}`, 'id'));
      expect((b.subnet_ids as string[]).map((s) => s.replace(/_[0-9A-F]{8}\.id\}$/, ''))).toEqual([0, 1, 2].map((i) => `\${aws_subnet.fleet_${a.cluster}_network_private-${i}`));
      expect([b.transit_gateway_default_route_table_association, b.transit_gateway_default_route_table_propagation]).toEqual([false, false]);
      const assoc = tf.resource.aws_ec2_transit_gateway_route_table_association[keyOf(tf, 'aws_ec2_transit_gateway_route_table_association', `${a.key}-association`)];
      expect([assoc.transit_gateway_attachment_id, assoc.transit_gateway_route_table_id]).toEqual([ref(tf, 'aws_ec2_transit_gateway_vpc_attachment', a.key, 'id'), ref(tf, 'aws_ec2_transit_gateway_route_table', `tgw-${a.region}-routes`, 'id')]);
    }
  });

  test('one peering attachment between the regions, accepted in the other region and associated with both tables', () => {
    const [p] = plan.peerings;
    expect(plan.peerings).toHaveLength(1);
    const request = tf.resource.aws_ec2_transit_gateway_peering_attachment[keyOf(tf, 'aws_ec2_transit_gateway_peering_attachment', p.key)];
    expect([request.provider, request.peer_region, request.peer_transit_gateway_id]).toEqual(['aws.aws_eu_west_1', 'us-east-1', ref(tf, 'aws_ec2_transit_gateway', 'tgw-us-east-1', 'id')]);
    const accepter = tf.resource.aws_ec2_transit_gateway_peering_attachment_accepter[keyOf(tf, 'aws_ec2_transit_gateway_peering_attachment_accepter', `${p.key}-accepter`)];
    expect([accepter.provider, accepter.transit_gateway_attachment_id]).toEqual(['aws.aws_us_east_1', ref(tf, 'aws_ec2_transit_gateway_peering_attachment', p.key, 'id')]);
    for (const region of ['eu-west-1', 'us-east-1']) {
      const assoc = tf.resource.aws_ec2_transit_gateway_route_table_association[keyOf(tf, 'aws_ec2_transit_gateway_route_table_association', `${p.key}-association-${region}`)];
      expect(assoc.transit_gateway_attachment_id).toBe(ref(tf, 'aws_ec2_transit_gateway_peering_attachment_accepter', `${p.key}-accepter`, 'transit_gateway_attachment_id'));
    }
  });

  test("every gateway table routes each cluster's VPC and pod range: to its attachment in its region, over the peering elsewhere", () => {
    const routes = blocks(tf, 'aws_ec2_transit_gateway_route');
    expect(routes).toHaveLength(plan.tgwRoutes.length);
    expect(plan.tgwRoutes).toHaveLength(2 * 3 * 2);
    for (const r of plan.tgwRoutes) {
      const b = tf.resource.aws_ec2_transit_gateway_route[keyOf(tf, 'aws_ec2_transit_gateway_route', `tgw-${r.region}-to-${r.key}`)];
      const target =
        r.target.kind === 'vpc'
          ? ref(tf, 'aws_ec2_transit_gateway_vpc_attachment', `tgw-attachment-${r.target.cluster}`, 'id')
          : ref(tf, 'aws_ec2_transit_gateway_peering_attachment_accepter', `${r.target.peering}-accepter`, 'transit_gateway_attachment_id');
      expect([b.destination_cidr_block, b.transit_gateway_attachment_id, b.transit_gateway_route_table_id]).toEqual([r.destination, target, ref(tf, 'aws_ec2_transit_gateway_route_table', `tgw-${r.region}-routes`, 'id')]);
    }
  });

  test('each private route table: its default route and the two summary routes to its gateway, after the attachment; no per-peer routes', () => {
    const routes = Object.values(tf.resource.aws_route);
    for (const [cluster, region] of [
      ['a', 'eu-west-1'],
      ['b', 'eu-west-1'],
      ['c', 'us-east-1'],
    ]) {
      const tables = privateTables(tf, cluster);
      expect(tables).toHaveLength(3);
      for (const t of tables) {
        const inTable = routes.filter((r) => r.route_table_id === t);
        expect(inTable.map((r) => r.destination_cidr_block).sort()).toEqual(['0.0.0.0/0', '10.0.0.0/14', '100.64.0.0/14']);
        for (const r of inTable.filter((x) => x.destination_cidr_block !== '0.0.0.0/0')) {
          expect(r.transit_gateway_id).toBe(ref(tf, 'aws_ec2_transit_gateway', `tgw-${region}`, 'id'));
          expect(dependsOn(r)).toEqual([`aws_ec2_transit_gateway_vpc_attachment.${keyOf(tf, 'aws_ec2_transit_gateway_vpc_attachment', `tgw-attachment-${cluster}`)}`]);
        }
      }
    }
  });

  test("the node security groups still admit each peer's VPC and pod range, one rule each", () => {
    const rules = blocks(tf, 'aws_vpc_security_group_ingress_rule').filter(([k]) => /_mesh-from-/.test(k));
    expect(rules).toHaveLength(3 * 2 * 2);
    expect(rules.filter(([k]) => k.startsWith('fleet_a_')).map(([, b]) => b.cidr_ipv4).sort()).toEqual(['10.1.0.0/16', '10.2.0.0/16', '100.65.0.0/16', '100.66.0.0/16']);
  });
});

describe('clusters in other accounts', () => {
  describe('with VPC peering', () => {
    const { tf } = crossAccountPeering();
    const peering = (id: string): TfBlock => tf.resource.aws_vpc_peering_connection[keyOf(tf, 'aws_vpc_peering_connection', `peering-${id}_connection`)];
    const accepter = (id: string): TfBlock => tf.resource.aws_vpc_peering_connection_accepter[keyOf(tf, 'aws_vpc_peering_connection_accepter', `peering-${id}_accepter`)];

    test('a provider for the account in its region, through its role, allowed in that account only', () => {
      const p = tf.provider.aws.find((x) => x.alias === `aws_${OTHER}_eu_west_1`) as TfBlock;
      expect([p.region, p.assume_role, p.allowed_account_ids]).toEqual(['eu-west-1', [{ role_arn: ACCOUNT.assumeRoleArn, session_name: 'cilium-eks-fleet' }], [OTHER]]);
      expect(tf.provider.aws.map((x) => x.alias)).toEqual(['aws_eu_west_1', 'aws_us_east_1', `aws_${OTHER}_eu_west_1`]);
      // Everything of cluster b is built in that account; its Kubernetes access uses the role too.
      for (const type of ['aws_eks_cluster', 'aws_vpc', 'aws_iam_role']) {
        for (const [k, b] of blocks(tf, type).filter(([x]) => x.startsWith('fleet_b_'))) expect([k, b.provider]).toEqual([k, `aws.aws_${OTHER}_eu_west_1`]);
      }
      const helm = tf.provider.helm.find((x) => x.alias === 'cluster_b') as TfBlock;
      expect(JSON.stringify(helm.kubernetes)).toContain(`"--role-arn","${ACCOUNT.assumeRoleArn}"`);
      expect(JSON.stringify((tf.provider.helm.find((x) => x.alias === 'cluster_a') as TfBlock).kubernetes)).not.toContain('--role-arn');
    });

    test("the stack's outputs: kubectl reaches the other account's cluster through its role; the fleet for predestroy --fleet", () => {
      const outputs = (tf as unknown as { output: Record<string, { value: string }> }).output;
      expect(outputs.kubeconfig_command_b.value).toBe(`aws eks update-kubeconfig --region eu-west-1 --name b --alias b --role-arn ${ACCOUNT.assumeRoleArn}`);
      expect(outputs.kubeconfig_command_a.value).toBe('aws eks update-kubeconfig --region eu-west-1 --name a --alias a');
      // As `terraform output -json` prints it, predestroy --fleet reads it.
      const { readFleet } = require('../scripts/lib/predestroy-fleet') as { readFleet(text: string): unknown };
      const printed = JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, { value: o.value, type: 'string' }])));
      expect(readFleet(printed)).toEqual({ name: 'test', clusters: [{ name: 'a', region: 'eu-west-1' }, { name: 'b', region: 'eu-west-1' }, { name: 'c', region: 'us-east-1' }] });
    });

    test('same region, other account: requested naming the peer account, accepted through the peer account', () => {
      const p = peering('a--b');
      expect([p.provider, p.peer_owner_id, p.auto_accept, p.peer_region]).toEqual(['aws.aws_eu_west_1', OTHER, false, undefined]);
      expect(accepter('a--b').provider).toBe(`aws.aws_${OTHER}_eu_west_1`);
    });

    test('requested from the other account: the peer is named by the account the default credentials resolve to', () => {
      const p = peering('b--c');
      const identity = Object.entries(tf.data?.aws_caller_identity ?? {}).find(([k]) => k.startsWith('fleet_fleet-account_')) as [string, TfBlock];
      expect([p.provider, p.peer_owner_id, p.peer_region]).toEqual([`aws.aws_${OTHER}_eu_west_1`, `\${data.aws_caller_identity.${identity[0]}.account_id}`, 'us-east-1']);
      expect(accepter('b--c').provider).toBe('aws.aws_us_east_1');
      // Same account across regions stays as before: no owner named.
      expect(peering('a--c').peer_owner_id).toBeUndefined();
    });

    test("each side's routes through its own account's provider", () => {
      const routes = blocks(tf, 'aws_route').filter(([k]) => /_peering-a--b_/.test(k));
      expect(routes).toHaveLength(3 * 2 * 2);
      for (const [k, r] of routes) expect([k, r.provider]).toEqual([k, /_b-to-a-/.test(k) ? `aws.aws_${OTHER}_eu_west_1` : 'aws.aws_eu_west_1']);
    });

    test("the private zone: the other account's VPC authorized by the zone's account and associated by its own; its name recorded in the zone's account", () => {
      const [zoneKey, zone] = blocks(tf, 'aws_route53_zone')[0];
      expect((zone.vpc as TfBlock[]).map((v) => v.vpc_id)).toEqual([ref(tf, 'aws_vpc', 'a_network_vpc', 'id'), ref(tf, 'aws_vpc', 'c_network_vpc', 'id')]);
      expect(zone.lifecycle).toEqual({ ignore_changes: ['vpc'] });
      const auth = tf.resource.aws_route53_vpc_association_authorization[keyOf(tf, 'aws_route53_vpc_association_authorization', 'zone-authorization-b')];
      expect([auth.provider, auth.zone_id, auth.vpc_id]).toEqual(['aws.aws_eu_west_1', `\${aws_route53_zone.${zoneKey}.zone_id}`, ref(tf, 'aws_vpc', 'b_network_vpc', 'id')]);
      const assoc = tf.resource.aws_route53_zone_association[keyOf(tf, 'aws_route53_zone_association', 'zone-association-b')];
      expect(assoc.provider).toBe(`aws.aws_${OTHER}_eu_west_1`);
      expect(assoc.zone_id).toContain('aws_route53_vpc_association_authorization.');
      const record = tf.resource.aws_route53_record[keyOf(tf, 'aws_route53_record', 'b_clustermesh-endpoint_dns')];
      expect(record.provider).toBe('aws.aws_eu_west_1');
    });
  });

  describe.each([false, true])('with Transit Gateways (share by invitation: %s)', (ramInvitation) => {
    // b and d: two clusters of the other account in eu-west-1.
    const { tf } = crossAccountGateways(ramInvitation);

    test("the region's gateway shared with the account; the attachment requested there after the share and accepted by the gateway's owner", () => {
      const [[, share]] = blocks(tf, 'aws_ram_resource_share');
      expect([share.provider, share.allow_external_principals]).toEqual(['aws.aws_eu_west_1', ramInvitation]);
      const [[principalKey, principal]] = blocks(tf, 'aws_ram_principal_association');
      expect(principal.principal).toBe(OTHER);
      const [[, resource]] = blocks(tf, 'aws_ram_resource_association');
      expect(resource.resource_arn).toBe(ref(tf, 'aws_ec2_transit_gateway', 'tgw-eu-west-1', 'arn'));
      // One principal and (outside the organization) one acceptance for the account and region, whatever its clusters.
      expect(blocks(tf, 'aws_ram_principal_association')).toHaveLength(1);
      const accepters = blocks(tf, 'aws_ram_resource_share_accepter');
      expect(accepters.map(([, b]) => b.provider)).toEqual(ramInvitation ? [`aws.aws_${OTHER}_eu_west_1`] : []);
      // The invitation exists once the principal is associated.
      for (const [, a] of accepters) expect(dependsOn(a)).toEqual([`aws_ram_principal_association.${principalKey}`]);
      for (const cluster of ['b', 'd']) {
        const request = tf.resource.aws_ec2_transit_gateway_vpc_attachment[keyOf(tf, 'aws_ec2_transit_gateway_vpc_attachment', `tgw-attachment-${cluster}`)];
        expect(request.provider).toBe(`aws.aws_${OTHER}_eu_west_1`);
        expect(request.transit_gateway_default_route_table_association).toBeUndefined();
        expect(dependsOn(request).map((x) => x.split('.')[0]).sort()).toEqual(['aws_ram_principal_association', ...(ramInvitation ? ['aws_ram_resource_share_accepter'] : [])]);
      }
      const accepted = tf.resource.aws_ec2_transit_gateway_vpc_attachment_accepter[keyOf(tf, 'aws_ec2_transit_gateway_vpc_attachment_accepter', 'tgw-attachment-b-accepter')];
      expect([accepted.provider, accepted.transit_gateway_default_route_table_association]).toEqual(['aws.aws_eu_west_1', false]);
      // Its association, its routes in the gateway table and its VPC's routes wait for the acceptance.
      const id = ref(tf, 'aws_ec2_transit_gateway_vpc_attachment_accepter', 'tgw-attachment-b-accepter', 'transit_gateway_attachment_id');
      expect(tf.resource.aws_ec2_transit_gateway_route_table_association[keyOf(tf, 'aws_ec2_transit_gateway_route_table_association', 'tgw-attachment-b-association')].transit_gateway_attachment_id).toBe(id);
      expect(tf.resource.aws_ec2_transit_gateway_route[keyOf(tf, 'aws_ec2_transit_gateway_route', 'tgw-eu-west-1-to-b')].transit_gateway_attachment_id).toBe(id);
      for (const [k, r] of blocks(tf, 'aws_route').filter(([x]) => /_transit-gateway_b-to-/.test(x))) {
        expect([k, r.provider, dependsOn(r)]).toEqual([k, `aws.aws_${OTHER}_eu_west_1`, [`aws_ec2_transit_gateway_vpc_attachment_accepter.${keyOf(tf, 'aws_ec2_transit_gateway_vpc_attachment_accepter', 'tgw-attachment-b-accepter')}`]]);
      }
      // The gateway of the region without another account's cluster is not shared.
      expect(blocks(tf, 'aws_ram_resource_share')).toHaveLength(1);
    });
  });
});

describe('bad input', () => {
  const base = props({}, true);
  const withB = (extra: Partial<FleetClusterOptions>): CiliumEksFleetStackProps => ({ ...base, clusters: base.clusters.map((c) => (c.name === 'b' ? { ...c, ...extra } : c)) });

  test('an account id that is not 12 digits, or not among the accounts, names clusters[i].accountId', () => {
    expect(thrown(() => synth(withB({ accountId: '4444555566' }))).message).toBe('clusters[1].accountId: "4444555566" is not valid; allowed: a 12-digit AWS account id such as 444455556666 (AWS account ids are 12 digits)');
    expect(thrown(() => synth(withB({ accountId: '777788889999' }))).message).toBe(
      `clusters[1].accountId: "777788889999" is not valid; allowed: one of the fleet's accounts (${OTHER}), or unset for the fleet's own account (Terraform needs a role to reach the account)`,
    );
    expect(thrown(() => synth({ ...base, accounts: undefined })).property).toBe('clusters[1].accountId');
  });

  test('an account whose role is in another account, listed twice, or with an unknown key, names accounts[i]', () => {
    expect(thrown(() => synth({ ...base, accounts: [{ ...ACCOUNT, assumeRoleArn: 'arn:aws:iam::111122223333:role/x' }] })).message).toMatch(
      /^accounts\[0\]\.assumeRoleArn: "arn:aws:iam::111122223333:role\/x" is not valid; allowed: a role in account 444455556666 \(accounts\[0\]\.accountId\)/,
    );
    expect(thrown(() => synth({ ...base, accounts: [{ ...ACCOUNT, accountId: '12' }] })).property).toBe('accounts[0].accountId');
    expect(thrown(() => synth({ ...base, accounts: [ACCOUNT, ACCOUNT] })).property).toBe('accounts[1]');
    expect(thrown(() => synth({ ...base, accounts: [{ ...ACCOUNT, roleArn: 'x' } as FleetAccountOptions] })).property).toBe('accounts[0].roleArn');
  });

  test('an unknown connectivity, and a peered fleet past 50 clusters', () => {
    expect(thrown(() => synth({ ...props(), connectivity: 'mesh' as 'vpcPeering' })).message).toBe(`connectivity: "mesh" is not valid; allowed: 'vpcPeering' or 'transitGateway'`);
    const many = Array.from({ length: 51 }, (_, i) => ({ ...props().clusters[0], name: `c${i}`, clusterId: i + 1, vpcCidr: `10.${i}.0.0/16`, serviceIpv4Cidr: `172.20.${i}.0/24`, podSubnets: undefined }));
    expect(thrown(() => synth({ ...props(), clusters: many })).message).toMatch(/^clusters: .* allowed: 2 to 50 clusters \(VPC peering takes at most 50 clusters .*connectivity: 'transitGateway'/);
  });
});

describe('under Terraform', () => {
  /** The connectivity's resources of a synthesized fleet; what they reference of the clusters becomes fixed ids. */
  function connectivityOnly(tf: TfJson): { resource: Record<string, Record<string, TfBlock>>; data: Record<string, Record<string, TfBlock>> } {
    const keep = (type: string, key: string): boolean =>
      /^aws_(ec2_transit_gateway|ram_|route53_vpc_association|route53_zone_association|vpc_peering_connection)/.test(type) || (type === 'aws_route' && /_(transit-gateway|peering-[a-z-]+--[a-z-]+)_/.test(key));
    const fixed: Record<string, string> = { aws_vpc: 'vpc-0123456789abcdef0', aws_subnet: 'subnet-0123456789abcdef0', aws_route_table: 'rtb-0123456789abcdef0', aws_route53_zone: 'Z0123456789ABCDEFGHIJ' };
    const strip = (b: TfBlock): TfBlock => {
      const { ['//']: _meta, ...body } = b;
      void _meta;
      return JSON.parse(JSON.stringify(body).replace(/\$\{(aws_vpc|aws_subnet|aws_route_table|aws_route53_zone)\.[^}]+\}/g, (_m, t: string) => fixed[t])) as TfBlock;
    };
    const resource: Record<string, Record<string, TfBlock>> = {};
    for (const [type, all] of Object.entries(tf.resource)) {
      for (const [key, b] of Object.entries(all).filter(([k]) => keep(type, k))) (resource[type] ??= {})[key] = strip(b);
    }
    // The fleet account's id, when a peering names it.
    const identity = Object.entries(tf.data?.aws_caller_identity ?? {}).filter(([k]) => k.startsWith('fleet_fleet-account_'));
    return { resource, data: identity.length ? { aws_caller_identity: Object.fromEntries(identity.map(([k, b]) => [k, strip(b)])) } : {} };
  }

  test.each([
    ['transitGateway', ['aws_ec2_transit_gateway', 'aws_ec2_transit_gateway_peering_attachment_accepter', 'aws_ec2_transit_gateway_vpc_attachment_accepter', 'aws_ram_resource_share_accepter', 'aws_route53_zone_association']],
    ['vpcPeering', ['aws_route', 'aws_route53_zone_association', 'aws_vpc_peering_connection', 'aws_vpc_peering_connection_accepter']],
  ] as const)("%s across accounts and regions plans and applies against the AWS provider's own schema (mocked)", (connectivity, types) => {
    // GIVEN the fleet with clusters in another account (a Transit Gateway share by invitation)
    const { tf } = connectivity === 'vpcPeering' ? crossAccountPeering() : crossAccountGateways(true);
    const { resource, data } = connectivityOnly(tf);
    for (const t of types) expect([t, Object.keys(resource[t] ?? {}).length > 0]).toEqual([t, true]);
    const aliases = tf.provider.aws.map((p) => [p.alias as string, p.region as string]);
    const config = { provider: { aws: aliases.map(([alias, region]) => offlineAwsProvider(region, alias)) }, resource, ...(Object.keys(data).length ? { data } : {}) };
    // The mocked provider makes up computed values; the ARNs the RAM share validates are given.
    const mock = (alias: string, region: string): string => `mock_provider "aws" {
  alias = "${alias}"
  mock_resource "aws_ec2_transit_gateway" {
    defaults = { arn = "arn:aws:ec2:${region}:111122223333:transit-gateway/tgw-0123456789abcdef0" }
  }
  mock_resource "aws_ram_resource_share" {
    defaults = { arn = "arn:aws:ram:${region}:111122223333:resource-share/0123abcd-4567-89ab-cdef-0123456789ab" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
}
`;
    const tests = `${aliases.map(([alias, region]) => mock(alias, region)).join('')}
run "apply" {}
`;
    // WHEN
    const r = terraformTestCached(`fleet-${connectivity}`, config, { 'connectivity.tftest.hcl': tests });
    // THEN
    expect(r.output).toMatch(/Success! 1 passed, 0 failed/);
  });
});

describe('a decommissioned cluster of another account', () => {
  test('keeps its providers through its account: the running cluster read with that account\'s provider, the token of its role', () => {
    const base = props({}, true);
    const clusters = base.clusters.map((c) => (c.name === 'b' ? { ...c, decommissioned: true } : c));
    const { tf } = synth({ ...base, clusters });
    const data = tf.data as Record<string, Record<string, TfBlock>>;
    const [running] = Object.entries(data.aws_eks_cluster ?? {}).filter(([k]) => k.startsWith('fleet_decommissioned-b_'));
    expect(running[1].provider).toBe(`aws.aws_${OTHER}_eu_west_1`);
    const kubernetes = (tf.provider as Record<string, { alias?: string; exec?: { args: string[] }[] }[]>).kubernetes.find((p) => p.alias === 'cluster_b');
    expect(kubernetes?.exec?.[0].args).toEqual(['eks', 'get-token', '--cluster-name', 'b', '--region', 'eu-west-1', '--role-arn', ACCOUNT.assumeRoleArn, '--output', 'json']);
  });
});
