/**
 * Pod subnets in synthesized stacks (constructs/pod-subnets.ts and the cluster's hooks): a new VPC
 * and an existing one, new and existing pod subnets, the Cilium and Karpenter settings that keep
 * pod ENIs there, the capacity plan's warning and error, a meshed fleet, and the plan-time checks
 * evaluated by a real Terraform.
 */
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { CiliumEksCluster } from '../constructs/cilium-eks-cluster';
import { CiliumEksStack, CiliumEksStackProps } from '../constructs/cilium-eks-stack';
import { CiliumEksFleetStack } from '../constructs/fleet/cilium-eks-fleet-stack';
import { formatCapacityPlan } from '../bpf/ipam';
import { JsonObject } from '../core/yaml';
import { buildApp as buildPodSubnetsApp, podSubnetsConfig } from '../examples/pod-subnets/main';
import { thrown } from './support/errors';
import { expectGolden } from './support/golden';
import { buildStack, defaultStack, dependsOn, resource, resourcesOfType, synthJson, synthStack, TfBlock, TfJson } from './support/synth';
import { planPreconditions } from './support/terraform';
import { validateCiliumValues } from './support/upstream';

/** The Cilium values of a synthesized stack. */
function ciliumValues(tf: TfJson): JsonObject {
  const release = Object.values(tf.resource.helm_release).find((b) => b.name === 'cilium') as TfBlock;
  return parse((release.values as string[])[0]) as JsonObject;
}

function clusterOf(stack: CiliumEksStack): CiliumEksCluster {
  return stack.node.findAll().find((c): c is CiliumEksCluster => c instanceof CiliumEksCluster) as CiliumEksCluster;
}

function warnings(stack: CiliumEksStack): string[] {
  synthStack(stack);
  return stack.node.findAll().flatMap((n) => n.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
}

const RESTRICTED: Partial<CiliumEksStackProps> = { endpoint: { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } };
const EXISTING = { vpcId: 'vpc-0123abcd', vpcCidr: '10.1.0.0/16', privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b'] };

describe('without pod subnets (the default)', () => {
  test('pods share the node subnets: no secondary CIDR, no reservation, eth0 carries pod addresses', () => {
    const { tf } = defaultStack();
    expect(resourcesOfType(tf, 'aws_vpc_ipv4_cidr_block_association')).toEqual([]);
    expect(resourcesOfType(tf, 'aws_ec2_subnet_cidr_reservation')).toEqual([]);
    const eni = ciliumValues(tf).eni as JsonObject;
    expect(eni.nodeSpec).toBeUndefined();
    expect(eni.subnetIDsFilter).toHaveLength(3);
    // The warm pool cap: 110 pods in 7 /28s.
    expect(ciliumValues(tf).ipam).toEqual({ mode: 'eni', nodeSpec: { ipamMaxAllocate: 112 } });
  });

  test('the capacity plan counts the node subnets and fits the default limits', () => {
    const plan = clusterOf(defaultStack().stack).capacityPlan();
    expect(plan?.podSubnets).toBe(false);
    expect(plan?.zones.map((z) => [z.cidr, z.mostNodes])).toEqual([
      ['10.0.0.0/18', 127],
      ['10.0.64.0/18', 127],
      ['10.0.128.0/18', 127],
    ]);
    expect(plan?.warnings).toEqual([]);
  });

  test('an existing VPC without pod subnets has no plan: its subnets are unknown at synth', () => {
    expect(clusterOf(buildStack({ network: undefined, existingNetwork: EXISTING })).capacityPlan()).toBeUndefined();
  });
});

describe('pod subnets in a new VPC', () => {
  const stack = buildStack({ ...RESTRICTED, podSubnets: {} });
  const tf = synthJson(stack);

  test('a secondary 100.64.0.0/16, a /18 per zone in the zone of its node subnet, on its route table', () => {
    const association = resource(tf, 'aws_vpc_ipv4_cidr_block_association', 'pod-subnets/cidr');
    expect(association.block).toMatchObject({ cidr_block: '100.64.0.0/16', vpc_id: `\${${resource(tf, 'aws_vpc', 'network/vpc').address}.id}` });
    for (let i = 0; i < 3; i++) {
      const subnet = resource(tf, 'aws_subnet', `pod-subnets/zone-${i}`);
      expect(subnet.block.cidr_block).toBe(`100.64.${i * 64}.0/18`);
      expect(subnet.block.availability_zone_id).toBe(`\${${resource(tf, 'aws_subnet', `network/private-${i}`).address}.availability_zone_id}`);
      expect(dependsOn(subnet.block)).toEqual([association.address]);
      // No Karpenter discovery tag and no load balancer role: nodes and load balancers stay out.
      expect(Object.keys(subnet.block.tags as object).sort()).toEqual(['Name', 'cilium-eks/pod-subnet']);
      const rta = resource(tf, 'aws_route_table_association', `pod-subnets/zone-${i}-rta`);
      expect(rta.block.route_table_id).toBe(`\${${resource(tf, 'aws_route_table', `network/private-${i}-rt`).address}.id}`);
    }
  });

  test('prefix reservations in every pod subnet, type prefix, between unreserved ends', () => {
    const reservations = resourcesOfType(tf, 'aws_ec2_subnet_cidr_reservation');
    expect(reservations).toHaveLength(18);
    expect(new Set(reservations.map((r) => r.reservation_type))).toEqual(new Set(['prefix']));
    const zone0 = reservations.filter((r) => String(r.subnet_id).includes('zone-0')).map((r) => r.cidr_block as string).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(zone0).toEqual(['100.64.4.0/22', '100.64.8.0/21', '100.64.16.0/20', '100.64.32.0/20', '100.64.48.0/21', '100.64.56.0/22']);
  });

  test('Cilium creates pod ENIs only in the pod subnets and keeps eth0 for the node; the values pass the chart schema', () => {
    const values = ciliumValues(tf);
    const eni = values.eni as JsonObject;
    const podSubnetIds = [0, 1, 2].map((i) => `\${${resource(tf, 'aws_subnet', `pod-subnets/zone-${i}`).address}.id}`);
    const nodeSubnetIds = [0, 1, 2].map((i) => `\${${resource(tf, 'aws_subnet', `network/private-${i}`).address}.id}`);
    expect(eni.nodeSpec).toEqual({ firstInterfaceIndex: 1, subnetIDs: podSubnetIds });
    expect(eni.subnetIDsFilter).toEqual([...nodeSubnetIds, ...podSubnetIds]);
    expect(validateCiliumValues('1.19.6', values)).toEqual([]);
  });

  test("system nodes wait for the pod subnets and reservations; Karpenter's nodes leave the primary ENI out", () => {
    const nodeGroup = resource(tf, 'aws_eks_node_group', 'system-nodes/node-group');
    const needed = [...resourcesOfTypeAddresses(tf, 'aws_ec2_subnet_cidr_reservation'), resource(tf, 'aws_route_table_association', 'pod-subnets/zone-0-rta').address];
    expect(dependsOn(nodeGroup.block)).toEqual(expect.arrayContaining(needed));
    const karpenter = Object.values(tf.resource.helm_release).find((b) => b.name === 'karpenter') as TfBlock;
    expect((parse((karpenter.values as string[])[0]) as { settings: JsonObject }).settings.reservedENIs).toBe('1');
  });

  test('the default shape fits: 128 nodes of 110 pods per zone, no warning', () => {
    const plan = clusterOf(stack).capacityPlan();
    expect(plan?.zones.map((z) => z.mostNodes)).toEqual([128, 128, 128]);
    expect(warnings(stack).filter((w) => w.includes('IP capacity'))).toEqual([]);
  });

  test('without prefix delegation the system nodes get the formula without the primary ENI, and no reservation', () => {
    const t = synthJson(buildStack({ ...RESTRICTED, podSubnets: {}, cilium: { prefixDelegation: false } }));
    const userData = resource(t, 'aws_launch_template', 'system-nodes/launch-template').block.user_data as string;
    // m7i.large: (3 - 1) x (10 - 1) + 2 = 20, where nodeadm would count 3 ENIs (29).
    expect(userData).toContain("maxPodsExpression: '20'");
    expect(resourcesOfType(t, 'aws_ec2_subnet_cidr_reservation')).toEqual([]);
  });
});

function resourcesOfTypeAddresses(tf: TfJson, type: string): string[] {
  return Object.keys(tf.resource[type] ?? {}).map((k) => `${type}.${k}`);
}

describe('pod subnets in an existing VPC', () => {
  const placement = [
    { availabilityZoneId: 'euw1-az1', routeTableId: 'rtb-0000000a' },
    { availabilityZoneId: 'euw1-az2', routeTableId: 'rtb-0000000b' },
  ];

  test('a secondary range added to it, one subnet per given zone on the given route table, keyed by zone ID', () => {
    const tf = synthJson(buildStack({ network: undefined, existingNetwork: EXISTING, podSubnets: { cidr: '100.70.0.0/16', placement } }));
    expect(resource(tf, 'aws_vpc_ipv4_cidr_block_association', 'pod-subnets/cidr').block).toMatchObject({ vpc_id: 'vpc-0123abcd', cidr_block: '100.70.0.0/16' });
    expect(resource(tf, 'aws_subnet', 'pod-subnets/euw1-az2').block).toMatchObject({ availability_zone_id: 'euw1-az2', cidr_block: '100.70.128.0/17' });
    expect(resource(tf, 'aws_route_table_association', 'pod-subnets/euw1-az2-rta').block.route_table_id).toBe('rtb-0000000b');
    expect(resource(tf, 'aws_subnet', 'pod-subnets/euw1-az1').block.cidr_block).toBe('100.70.0.0/17');
    // Every node subnet is checked at plan to lie in a zone with a pod subnet.
    const data = (tf.data?.aws_subnet ?? {}) as Record<string, TfBlock>;
    const checks = Object.entries(data).filter(([k]) => k.includes('node-subnet'));
    expect(checks.map(([, b]) => b.id)).toEqual(['subnet-0000000a', 'subnet-0000000b']);
  });

  test('existing pod subnets: checked at plan, reserved, no range added', () => {
    const subnets = [
      { subnetId: 'subnet-0000000c', cidr: '10.1.128.0/19', availabilityZoneId: 'euw1-az1' },
      { subnetId: 'subnet-0000000d', cidr: '10.1.160.0/19', availabilityZoneId: 'euw1-az2' },
    ];
    const stack = buildStack({ network: undefined, existingNetwork: { ...EXISTING, vpcCidr: '10.1.0.0/16' }, podSubnets: { subnets } });
    const tf = synthJson(stack);
    expect(resourcesOfType(tf, 'aws_vpc_ipv4_cidr_block_association')).toEqual([]);
    const reservations = resourcesOfType(tf, 'aws_ec2_subnet_cidr_reservation');
    expect(new Set(reservations.map((r) => r.subnet_id))).toEqual(new Set(['subnet-0000000c', 'subnet-0000000d']));
    expect(((ciliumValues(tf).eni as JsonObject).nodeSpec as JsonObject).subnetIDs).toEqual(['subnet-0000000c', 'subnet-0000000d']);
    expect(clusterOf(stack).capacityPlan()?.zones.map((z) => z.name)).toEqual(['euw1-az1', 'euw1-az2']);
  });

  test('the plan-time checks, evaluated by Terraform: a wrong declaration and a node zone without a pod subnet fail with the values', () => {
    const subnets = [
      { subnetId: 'subnet-0000000c', cidr: '10.1.128.0/19', availabilityZoneId: 'euw1-az1' },
      { subnetId: 'subnet-0000000d', cidr: '10.1.160.0/19', availabilityZoneId: 'euw1-az2' },
    ];
    const tf = synthJson(buildStack({ network: undefined, existingNetwork: EXISTING, podSubnets: { subnets } }));
    const data = Object.entries((tf.data?.aws_subnet ?? {}) as Record<string, TfBlock>);
    const postcondition = (key: string): { condition: string; error_message: string } =>
      ((data.find(([k]) => k.includes(key))?.[1].lifecycle as { postcondition: { condition: string; error_message: string }[] }).postcondition[0]);
    // `self` as a data source would read it, one case passing and one failing for each check.
    const asLocal = (text: string, self: string): string => text.replace(/self\./g, `local.${self}.`);
    const declared = postcondition('existing-subnet-0000000c');
    const node = postcondition('node-subnet-subnet-0000000b');
    const outcomes = planPreconditions(
      {
        declared_ok: { condition: asLocal(declared.condition, 'good'), errorMessage: asLocal(declared.error_message, 'good') },
        declared_wrong: { condition: asLocal(declared.condition, 'moved'), errorMessage: asLocal(declared.error_message, 'moved') },
        node_ok: { condition: asLocal(node.condition, 'good'), errorMessage: asLocal(node.error_message, 'good') },
        node_missing: { condition: asLocal(node.condition, 'az3'), errorMessage: asLocal(node.error_message, 'az3') },
      },
      {
        good: { vpc_id: 'vpc-0123abcd', cidr_block: '10.1.128.0/19', availability_zone_id: 'euw1-az1' },
        moved: { vpc_id: 'vpc-0123abcd', cidr_block: '10.1.128.0/20', availability_zone_id: 'euw1-az1' },
        az3: { vpc_id: 'vpc-0123abcd', cidr_block: '10.1.0.0/20', availability_zone_id: 'euw1-az3' },
      },
    );
    expect(outcomes.declared_ok).toEqual({ ok: true });
    expect(outcomes.node_ok).toEqual({ ok: true });
    expect(outcomes.declared_wrong.ok).toBe(false);
    expect(outcomes.declared_wrong.message).toContain('is declared as 10.1.128.0/19 in euw1-az1 of vpc-0123abcd, but AWS has 10.1.128.0/20 in euw1-az1 of vpc-0123abcd');
    expect(outcomes.node_missing.ok).toBe(false);
    expect(outcomes.node_missing.message).toContain('the node subnet subnet-0000000b (existingNetwork.privateSubnetIds[1]) is in euw1-az3, which has no pod subnet (podSubnets: euw1-az1, euw1-az2)');
  });

  test('without placement or subnets it is refused at synth', () => {
    thrown(() => buildStack({ network: undefined, existingNetwork: EXISTING, podSubnets: {} }), /^podSubnets\.placement: undefined is not valid/);
  });
});

describe('the capacity plan in the stack', () => {
  test('a small range: a synth warning with the numbers (not an error: the system nodes fit)', () => {
    const stack = buildStack({ ...RESTRICTED, podSubnets: { cidr: '100.64.0.0/22' } });
    const found = warnings(stack).filter((w) => w.startsWith('IP capacity: '));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^IP capacity: zone 1 pod subnet 100\.64\.0\.0\/24: room for \d+ nodes? of 110 pods \(\d+ reserved \/28 blocks, \d+ unreserved addresses; 7 \/28 prefixes and 1 single address per node\), but the node limits allow 254 nodes, 85 per zone/);
  });

  test('a NodePool added after the cluster counts in the synth warning', () => {
    const stack = buildStack({ ...RESTRICTED, podSubnets: {} });
    clusterOf(stack).addNodePool({ name: 'batch', limits: { cpu: 4000, memory: '16000Gi' } });
    // 4000 vCPU / 2 = 2000 more nodes: past the 384 the three /18s hold.
    expect(warnings(stack).filter((w) => w.startsWith('IP capacity: '))).toHaveLength(3);
  });

  test('subnets that cannot address the system nodes fail the synth', () => {
    thrown(
      () => buildStack({ podSubnets: { cidr: '100.64.0.0/22', prefixReservation: { prefixLength: 28 } } }),
      /^podSubnets\.cidr: "100\.64\.0\.0\/24, 100\.64\.1\.0\/24, 100\.64\.2\.0\/24" is not valid; allowed: a shape whose system node group can run the cluster's own pods \(the pod subnets .* address 0 nodes of 110 pods; the system node group starts with 2/,
    );
  });

  test("a maxPods too small for the cluster's own pods fails the synth", () => {
    thrown(() => buildStack({ systemNodeGroup: { maxPods: 4 } }), /^systemNodeGroup\.maxPods: 4 is not valid; allowed: a shape whose system node group can run the cluster's own pods \(the system node group's 2 nodes x maxPods 4 hold 8 pods; the cluster runs 9 of its own\)/);
  });
});

describe('bad input', () => {
  test.each([
    ['an unknown key', { cidrs: ['100.64.0.0/16'] }, /^podSubnets\.cidrs: .*not valid/],
    ['a range overlapping the VPC', { cidr: '10.0.0.0/16' }, /^podSubnets\.cidr: "10\.0\.0\.0\/16" is not valid; allowed: a range disjoint from the VPC CIDR 10\.0\.0\.0\/16/],
    ['a range overlapping the service CIDR', { cidr: '172.20.0.0/16' }, /^podSubnets\.cidr: "172\.20\.0\.0\/16" is not valid; allowed: a range disjoint from the service CIDR 172\.20\.0\.0\/16/],
    ['a public range', { cidr: '8.8.0.0/16' }, /^podSubnets\.cidr: "8\.8\.0\.0\/16" is not valid; allowed: a range inside 100\.64\.0\.0\/10/],
    ['a reservation that is neither auto, false nor a size', { prefixReservation: { length: 20 } }, /^podSubnets\.prefixReservation: \{"length":20\} is not valid; allowed: false, or 'auto' or \{ prefixLength \}/],
  ])('%s is refused', (_what, podSubnets, message) => {
    thrown(() => buildStack({ podSubnets: podSubnets as never }), message);
  });

  test('chart 1.18 cannot keep pods apart: refused, naming the charts that can', () => {
    thrown(() => buildStack({ podSubnets: {}, cilium: { chartVersion: '1.18.12' }, kubernetesVersion: '1.33' }), /^podSubnets: \{\} is not valid; allowed: this setting with chart version 1\.19\.6 or 1\.20\.0 \(cilium\.chartVersion\), or without it on 1\.18\.12/);
  });
});

describe('pod subnets in a fleet', () => {
  const cluster = (i: number, podCidr?: string) => ({
    name: `pods-${i}`,
    region: 'eu-west-1',
    clusterId: i + 1,
    vpcCidr: `10.${i}.0.0/16`,
    serviceIpv4Cidr: `172.20.${i}.0/24`,
    karpenter: false as const,
    admins: ['arn:aws:iam::111122223333:role/platform-admin'],
    ...(podCidr ? { podSubnets: { cidr: podCidr } } : {}),
  });

  test('peer routes and security group rules cover the pod ranges', () => {
    const stack = new CiliumEksFleetStack(Testing.app(), 'fleet', { name: 'pods', clusters: [cluster(0, '100.64.0.0/16'), cluster(1, '100.65.0.0/16'), cluster(2)] });
    const tf = JSON.parse(synthStack(stack)) as TfJson;
    const routes = resourcesOfType(tf, 'aws_route').filter((r) => r.vpc_peering_connection_id !== undefined).map((r) => r.destination_cidr_block);
    // Each of 3 private route tables of each cluster: every peer's VPC, and the peers' pod ranges.
    expect(routes.filter((d) => d === '100.64.0.0/16')).toHaveLength(6);
    expect(routes.filter((d) => d === '100.65.0.0/16')).toHaveLength(6);
    expect(routes.filter((d) => d === '10.2.0.0/16')).toHaveLength(6);
    const rules = resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule').map((r) => r.cidr_ipv4);
    expect(rules.filter((c) => c === '100.64.0.0/16')).toHaveLength(2);
    expect(rules.filter((c) => c === '100.65.0.0/16')).toHaveLength(2);
  });

  test('overlapping pod ranges between peers are refused', () => {
    thrown(
      () => new CiliumEksFleetStack(Testing.app(), 'fleet', { name: 'pods', clusters: [cluster(0, '100.64.0.0/16'), cluster(1, '100.64.0.0/16')] }),
      /^clusters\[0\]\.podSubnets\.cidr: "100\.64\.0\.0\/16" is not valid; allowed: a range disjoint from the pod range 100\.64\.0\.0\/16 of clusters\[1\] "pods-1"/,
    );
    // The default range twice, too.
    thrown(() => new CiliumEksFleetStack(Testing.app(), 'fleet', { name: 'pods', clusters: [{ ...cluster(0), podSubnets: {} }, { ...cluster(1), podSubnets: {} }] }), /^clusters\[0\]\.podSubnets\.cidr: "100\.64\.0\.0\/16" is not valid/);
  });
});

describe('the example (examples/pod-subnets)', () => {
  const app = Testing.app();
  buildPodSubnetsApp(app);
  const stack = app.node.findChild('pod-subnets') as CiliumEksStack;
  synthStack(stack);

  test('synthesizes with no error or warning annotation', () => {
    const annotations = stack.node.findAll().flatMap((n) => n.node.metadata.filter((m) => m.type === '@cdktf/error' || m.type === '@cdktf/warn').map((m) => String(m.data)));
    expect(annotations).toEqual([]);
  });

  test('prints its capacity plan: the three /18s hold the 68 nodes per zone its limits allow', () => {
    expect(podSubnetsConfig.podSubnets?.cidr).toBe('100.64.0.0/16');
    const plan = clusterOf(stack).capacityPlan();
    expectGolden('pod-subnets/example-capacity-plan.txt', `${[`${podSubnetsConfig.clusterName}:`, ...formatCapacityPlan(plan!)].join('\n')}\n`);
    expect(plan?.demand).toEqual({ nodes: 204, perZone: 68 });
    expect(plan?.zones.every((z) => z.mostNodes >= 68)).toBe(true);
  });
});
