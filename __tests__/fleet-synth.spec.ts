/**
 * Synthesized fleets (constructs/fleet/): the invariants of the issue over fleets of 2, 3 and 10
 * clusters, the Terraform dependency graph, the providers, the CA sources, golden values for one
 * cluster of the example, and the fleet-level input checks.
 */
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { CiliumEksCluster } from '../constructs/cilium-eks-cluster';
import { CiliumEksFleetStack, CiliumEksFleetStackProps } from '../constructs/fleet/cilium-eks-fleet-stack';
import { FleetClusterOptions } from '../constructs/fleet/cilium-eks-fleet';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from '../constructs/cdktf';
import { buildApp as buildMeshApp, meshConfig } from '../examples/cluster-mesh/main';
import { synthSummary } from '../constructs/synth-summary';
import { JsonObject } from '../core/yaml';
import { expectGolden } from './support/golden';
import { thrown } from './support/errors';
import { TfBlock, TfJson, fleetSynthesis, synthStack } from './support/synth';
import { validateCiliumValues } from './support/upstream';
import { evaluatePodSecurity } from '../core/pss';

const REGIONS = ['eu-west-1', 'us-east-1'];

/** A fleet of n clusters over two regions, Karpenter off (it is not what these tests are about). */
function fleetProps(n: number, extra: Partial<CiliumEksFleetStackProps> = {}): CiliumEksFleetStackProps {
  const clusters: FleetClusterOptions[] = Array.from({ length: n }, (_, i) => ({
    name: `mesh-${String(i).padStart(2, '0')}`,
    region: REGIONS[i % 2],
    clusterId: i + 1,
    vpcCidr: `10.${i}.0.0/16`,
    serviceIpv4Cidr: `172.20.${i}.0/24`,
    admins: ['arn:aws:iam::111122223333:role/platform-admin'],
    karpenter: false,
  }));
  return { name: 'test', clusters, ...extra };
}

/** The fleet of `props`, synthesized once per input for the group (support/synth.ts). */
const synthFleet = fleetSynthesis;

/** Cluster names of the fleets below; cluster names hold no `_`, so a logical ID `fleet_<name>_...` names its cluster. */
const CLUSTER_NAMES = new Set([...Array.from({ length: 20 }, (_, i) => `mesh-${String(i).padStart(2, '0')}`), ...meshConfig.clusters.map((c) => c.name)]);
/** The fleet cluster a resource belongs to, from its logical ID (the construct path `fleet/<name>/...`). */
function clusterOf(key: string): string | undefined {
  const m = /^fleet_([a-z0-9-]+)_/.exec(key);
  return m && CLUSTER_NAMES.has(m[1]) ? m[1] : undefined;
}

interface CiliumRelease {
  readonly address: string;
  readonly cluster: string;
  readonly values: JsonObject;
  readonly block: TfBlock;
}
function ciliumReleases(tf: TfJson): CiliumRelease[] {
  return Object.entries(tf.resource.helm_release)
    .filter(([, b]) => b.name === 'cilium')
    .map(([key, b]) => ({ address: `helm_release.${key}`, cluster: clusterOf(key) as string, values: parse((b.values as string[])[0]) as JsonObject, block: b }));
}

// ---------------------------------------------------------------------------------------------
// The Terraform graph: references (`${type.name...}`), depends_on, and the provider a resource uses
// (whose configuration references the cluster it connects to).

const REF = /\b(data\.)?((?:aws|helm|kubernetes|tls)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

function graph(tf: TfJson): Map<string, Set<string>> {
  const nodes = new Map<string, TfBlock>();
  for (const [type, blocks] of Object.entries(tf.resource)) for (const [name, b] of Object.entries(blocks)) nodes.set(`${type}.${name}`, b);
  for (const [type, blocks] of Object.entries(tf.data ?? {})) for (const [name, b] of Object.entries(blocks)) nodes.set(`data.${type}.${name}`, b);
  const providers = new Map<string, TfBlock>();
  for (const [type, list] of Object.entries(tf.provider)) for (const p of list) providers.set(`${type}.${(p.alias as string | undefined) ?? 'default'}`, p);
  const refs = (value: unknown): string[] => {
    const text = JSON.stringify(value) ?? '';
    return [...text.matchAll(REF)].map((m) => `${m[1] ?? ''}${m[2]}.${m[3]}`).filter((a) => nodes.has(a));
  };
  const g = new Map<string, Set<string>>();
  for (const [address, b] of nodes) {
    const { ['//']: _meta, provider, ...body } = b;
    void _meta;
    const out = new Set<string>(refs(body));
    if (typeof provider === 'string') refs(providers.get(provider)).forEach((r) => out.add(r));
    out.delete(address);
    g.set(address, out);
  }
  return g;
}

function reachable(g: Map<string, Set<string>>, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...(g.get(from) ?? [])];
  while (todo.length > 0) {
    const n = todo.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    todo.push(...(g.get(n) ?? []));
  }
  return seen;
}

function findCycle(g: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 2) return undefined;
    if (state.get(n) === 1) return [...path.slice(path.indexOf(n)), n];
    state.set(n, 1);
    path.push(n);
    for (const m of g.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of g.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

describe.each([2, 3, 10, 20])('a fleet of %i clusters', (n) => {
  const props = fleetProps(n);
  const { tf } = synthFleet(props);
  const releases = ciliumReleases(tf);
  const names = props.clusters.map((c) => c.name);
  const cidrOf = new Map(props.clusters.map((c) => [c.name, c.vpcCidr]));

  test('one Cilium release per cluster, with unique cluster names and ids', () => {
    expect(releases.map((r) => r.cluster).sort()).toEqual([...names].sort());
    const ids = releases.map((r) => (r.values.cluster as JsonObject).id);
    expect(new Set(ids).size).toBe(n);
    for (const r of releases) expect((r.values.cluster as JsonObject).name).toBe(r.cluster);
  });

  test('every cluster lists every other exactly once, at its private DNS name', () => {
    for (const r of releases) {
      const peers = ((r.values.clustermesh as JsonObject).config as JsonObject).clusters as Record<string, JsonObject>;
      expect(Object.keys(peers).sort()).toEqual(names.filter((x) => x !== r.cluster).sort());
      for (const [peer, entry] of Object.entries(peers)) expect(entry).toEqual({ address: `${peer}.mesh.cilium.io`, port: 2379 });
    }
  });

  test('the same CA everywhere: the one generated certificate', () => {
    const cas = new Set(releases.map((r) => JSON.stringify((r.values.tls as JsonObject).ca)));
    expect(cas.size).toBe(1);
    expect(Object.keys(tf.resource.tls_self_signed_cert)).toHaveLength(1);
    const cert = Object.keys(tf.resource.tls_self_signed_cert)[0];
    expect(((releases[0].values.tls as JsonObject).ca as JsonObject).cert).toBe(`\${base64encode(tls_self_signed_cert.${cert}.cert_pem)}`);
  });

  test('every cluster routes natively to every VPC of the fleet', () => {
    for (const r of releases) {
      const native = r.values.ipv4NativeRoutingCIDR as string;
      expect(native).toBe(n === 2 ? '10.0.0.0/15' : n === 3 ? '10.0.0.0/14' : n === 10 ? '10.0.0.0/12' : '10.0.0.0/11');
    }
  });

  test('routes in every private route table and security group rules, both directions for every pair', () => {
    const routes = Object.values(tf.resource.aws_route);
    const rules = Object.values(tf.resource.aws_vpc_security_group_ingress_rule);
    for (const a of names) {
      const tables = Object.keys(tf.resource.aws_route_table).filter((k) => clusterOf(k) === a && /_private-\d-rt_/.test(k));
      expect(tables).toHaveLength(3);
      const nodeSg = Object.keys(tf.resource.aws_security_group).find((k) => clusterOf(k) === a) as string;
      for (const b of names.filter((x) => x !== a)) {
        for (const t of tables) {
          const matching = routes.filter((r) => r.route_table_id === `\${aws_route_table.${t}.id}` && r.destination_cidr_block === cidrOf.get(b));
          expect(matching).toHaveLength(1);
          expect(String(matching[0].vpc_peering_connection_id)).toMatch(/^\$\{aws_vpc_peering_connection(_accepter)?\./);
        }
        const rule = rules.filter((r) => r.security_group_id === `\${aws_security_group.${nodeSg}.id}` && r.cidr_ipv4 === cidrOf.get(b));
        expect(rule).toHaveLength(1);
        expect(rule[0].ip_protocol).toBe('-1');
      }
    }
    // Totals: n(n-1)/2 peerings, a route per direction of each pair in each of 3 private route
    // tables, a rule per peer on each node security group.
    expect(Object.keys(tf.resource.aws_vpc_peering_connection)).toHaveLength((n * (n - 1)) / 2);
    expect(routes.filter((r) => String(r.vpc_peering_connection_id).includes('peering'))).toHaveLength(3 * n * (n - 1));
    expect(Object.keys(tf.resource.aws_vpc_security_group_ingress_rule).filter((k) => /_mesh-from-/.test(k))).toHaveLength(n * (n - 1));
  });

  test('the Terraform graph is acyclic and no Cilium release waits on anything of another cluster', () => {
    const g = graph(tf);
    expect(findCycle(g)).toBeUndefined();
    for (const r of releases) {
      const upstream = reachable(g, r.address);
      // The graph is not vacuous: the release waits on its own control plane and on the CA.
      expect([...upstream].filter((a) => a.startsWith('aws_eks_cluster.')).map((a) => clusterOf(a.split('.')[1]))).toEqual([r.cluster]);
      expect([...upstream].some((a) => a.startsWith('tls_self_signed_cert.'))).toBe(true);
      // THEN no other release ...
      expect(releases.filter((o) => o !== r && upstream.has(o.address))).toEqual([]);
      // ... nor any other resource of another cluster (the peers' addresses are plain names).
      const owner = (address: string): string | undefined => clusterOf(address.replace(/^(data\.)?[a-z0-9_]+\./, ''));
      const foreign = [...upstream].filter((a) => owner(a) !== undefined && owner(a) !== r.cluster);
      expect(foreign).toEqual([]);
    }
  });

  if (n === 3) {
    test('values validate against the 1.19.6 schema', () => {
      for (const r of releases) expect(validateCiliumValues('1.19.6', r.values)).toEqual([]);
    });
  }
});

describe('providers', () => {
  const { tf } = synthFleet(fleetProps(3));

  test('one aws provider per region, one helm and kubernetes provider per cluster; every resource names its provider', () => {
    expect(tf.provider.aws.map((p) => [p.alias, p.region])).toEqual([
      ['aws_eu_west_1', 'eu-west-1'],
      ['aws_us_east_1', 'us-east-1'],
    ]);
    expect(tf.provider.helm.map((p) => p.alias).sort()).toEqual(['cluster_mesh_00', 'cluster_mesh_01', 'cluster_mesh_02']);
    expect(tf.provider.kubernetes).toHaveLength(3);
    for (const [type, blocks] of [...Object.entries(tf.resource), ...Object.entries(tf.data ?? {})]) {
      if (!/^(aws|helm|kubernetes)_/.test(type)) continue;
      for (const b of Object.values(blocks)) expect([type, b.provider]).toEqual([type, expect.any(String)]);
    }
  });

  test("a cluster's resources use its region's aws provider and its own helm provider, which connects to it", () => {
    const regionOf: Record<string, string> = { 'mesh-00': 'aws.aws_eu_west_1', 'mesh-01': 'aws.aws_us_east_1', 'mesh-02': 'aws.aws_eu_west_1' };
    for (const [k, b] of Object.entries(tf.resource.aws_eks_cluster)) expect(b.provider).toBe(regionOf[clusterOf(k) as string]);
    for (const [k, b] of Object.entries(tf.resource.aws_lb)) expect(b.provider).toBe(regionOf[clusterOf(k) as string]);
    for (const [k, b] of Object.entries(tf.resource.helm_release)) {
      const name = clusterOf(k) as string;
      expect(b.provider).toBe(`helm.cluster_${name.replace(/-/g, '_')}`);
      const helm = tf.provider.helm.find((p) => `helm.${p.alias}` === b.provider) as TfBlock;
      const eks = Object.keys(tf.resource.aws_eks_cluster).find((e) => clusterOf(e) === name);
      expect(JSON.stringify(helm.kubernetes)).toContain(`aws_eks_cluster.${eks}.endpoint`);
    }
  });

  test('inter-region peering is accepted in the peer region; same-region peering is auto-accepted', () => {
    const peerings = Object.values(tf.resource.aws_vpc_peering_connection);
    const cross = peerings.filter((p) => p.peer_region !== undefined);
    expect(cross).toHaveLength(2);
    expect(peerings.filter((p) => p.peer_region === undefined).map((p) => p.auto_accept)).toEqual([true]);
    const accepters = Object.values(tf.resource.aws_vpc_peering_connection_accepter);
    expect(accepters).toHaveLength(2);
    for (const [key, p] of Object.entries(tf.resource.aws_vpc_peering_connection).filter(([, b]) => b.peer_region !== undefined)) {
      // THEN requested in one region, accepted with the provider of the other
      expect(p.auto_accept).toBe(false);
      expect(p.peer_region).not.toBe(p.provider === 'aws.aws_eu_west_1' ? 'eu-west-1' : 'us-east-1');
      const accepter = accepters.find((a) => a.vpc_peering_connection_id === `\${aws_vpc_peering_connection.${key}.id}`) as TfBlock;
      expect([accepter.provider, accepter.auto_accept]).toEqual([`aws.aws_${String(p.peer_region).replace(/-/g, '_')}`, true]);
    }
  });

  test('the apiserver endpoint: an internal NLB with the apiserver pods as IP targets on 2379, a DNS name in a zone on every VPC, nothing attached to an Auto Scaling group', () => {
    const zone = Object.values(tf.resource.aws_route53_zone)[0];
    expect(zone.name).toBe('mesh.cilium.io');
    expect((zone.vpc as TfBlock[]).map((v) => v.vpc_region)).toEqual(['eu-west-1', 'us-east-1', 'eu-west-1']);
    for (const lb of Object.values(tf.resource.aws_lb)) expect([lb.internal, lb.load_balancer_type]).toEqual([true, 'network']);
    for (const tg of Object.values(tf.resource.aws_lb_target_group)) {
      expect([tg.port, tg.protocol, tg.target_type, tg.preserve_client_ip, tg.stickiness]).toEqual([2379, 'TCP', 'ip', 'false', { enabled: true, type: 'source_ip' }]);
    }
    for (const l of Object.values(tf.resource.aws_lb_listener)) expect(l.port).toBe(2379);
    // EKS does not support target groups on a managed node group's Auto Scaling group (containers-roadmap #709, #728).
    expect(tf.resource.aws_autoscaling_attachment).toBeUndefined();
    expect(Object.values(tf.resource.aws_route53_record).map((r) => r.name).sort()).toEqual(['mesh-00.mesh.cilium.io', 'mesh-01.mesh.cilium.io', 'mesh-02.mesh.cilium.io']);
  });

  test("each cluster's targets are kept by its own AWS Load Balancer Controller through a TargetGroupBinding, after the Cilium release", () => {
    const controllers = Object.entries(tf.resource.helm_release).filter(([, b]) => b.name === 'aws-load-balancer-controller');
    expect(controllers.map(([k]) => clusterOf(k)).sort()).toEqual(['mesh-00', 'mesh-01', 'mesh-02']);
    for (const [key, release] of controllers) {
      const cluster = clusterOf(key) as string;
      expect([release.repository, release.chart, release.version, release.namespace, release.provider]).toEqual([
        'https://aws.github.io/eks-charts',
        'aws-load-balancer-controller',
        '3.5.0',
        'kube-system',
        `helm.cluster_${cluster.replace(/-/g, '_')}`,
      ]);
      const values = parse((release.values as string[])[0]) as JsonObject;
      expect([values.clusterName, values.enableServiceMutatorWebhook, values.objectSelector]).toEqual([cluster, false, { matchLabels: { 'k8s-app': 'clustermesh-apiserver' } }]);
      // THEN on the system nodes, and restricted: the chart 3.5.0 pod (templates/deployment.yaml: pod
      // securityContext from podSecurityContext, the container's from securityContext, a Secret
      // volume, no host network) passes the project's evaluator
      expect([values.nodeSelector, values.tolerations]).toEqual([{ 'kubernetes.io/os': 'linux', 'cilium-eks/node-group': 'system' }, [{ key: 'CriticalAddonsOnly', operator: 'Exists' }]]);
      const pod = {
        securityContext: values.podSecurityContext,
        volumes: [{ name: 'cert', secret: { secretName: 'aws-load-balancer-tls' } }],
        containers: [{ name: 'aws-load-balancer-controller', securityContext: values.securityContext, ports: [{ containerPort: 9443 }, { containerPort: 8080 }] }],
      };
      expect(evaluatePodSecurity(pod as never, { level: 'restricted' })).toEqual([]);
      const cilium = ciliumReleases(tf).find((r) => r.cluster === cluster) as CiliumRelease;
      expect(release.depends_on).toContain(cilium.address);
      // THEN the binding names this cluster's target group and comes after the controller (its CRD)
      const [bindingKey, binding] = Object.entries(tf.resource.helm_release).find(([k, b]) => b.name === 'clustermesh-target-group' && clusterOf(k) === cluster) as [string, TfBlock];
      const [tgKey] = Object.keys(tf.resource.aws_lb_target_group).filter((k) => clusterOf(k) === cluster);
      const manifests = (parse((binding.values as string[])[0]) as { manifests: JsonObject[] }).manifests;
      expect(manifests).toEqual([
        expect.objectContaining({ kind: 'TargetGroupBinding', spec: expect.objectContaining({ targetGroupARN: `\${aws_lb_target_group.${tgKey}.arn}`, targetType: 'ip', serviceRef: { name: 'clustermesh-apiserver', port: 2379 } }) }),
      ]);
      expect(binding.depends_on).toContain(`helm_release.${key}`);
      expect(bindingKey).not.toBe(key);
      // THEN its Pod Identity role may register targets of that target group only
      const [policy] = Object.entries(tf.resource.aws_iam_policy).filter(([k]) => clusterOf(k) === cluster && k.includes('pod-identity-lb-controller'));
      const statements = JSON.parse(String(policy[1].policy)).Statement as { Action: string[]; Resource: string | string[] }[];
      expect(statements.find((st) => st.Action.includes('elasticloadbalancing:RegisterTargets'))?.Resource).toEqual([`\${aws_lb_target_group.${tgKey}.arn}`]);
      expect(statements.flatMap((st) => st.Action).filter((a) => !/:(Describe|Get)/.test(a)).sort()).toEqual(['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets']);
    }
    // THEN the node security groups admit the load balancer (its addresses in the VPC) on 2379, no NodePort
    const ruleFor = Object.values(tf.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.from_port === 2379);
    expect(ruleFor.map((r) => r.cidr_ipv4).sort()).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
    expect(Object.values(tf.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.from_port === 32379)).toEqual([]);
  });
});

test('the cycle check finds a cycle', () => {
  const g = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['c'])],
    ['c', new Set(['a'])],
  ]);
  expect(findCycle(g)).toEqual(['a', 'b', 'c', 'a']);
});

describe('CiliumEksCluster.useProviders', () => {
  test('assigns providers to resources and data sources that name none, including ones added later', () => {
    // GIVEN a stack with only aliased providers
    const stack = new TerraformStack(Testing.app(), 'two');
    const eu = new AwsProvider(stack, 'eu', { region: 'eu-west-1', alias: 'eu' });
    const helm = new HelmProvider(stack, 'helm', { alias: 'a', kubernetes: { host: 'https://example' } });
    const kubernetes = new KubernetesProvider(stack, 'kubernetes', { alias: 'a', host: 'https://example' });
    const cluster = new CiliumEksCluster(stack, 'a', { clusterName: 'a', region: 'eu-west-1', admins: ['arn:aws:iam::111122223333:role/platform-admin'], karpenter: false });
    // WHEN
    cluster.useProviders({ aws: eu, helm, kubernetes });
    cluster.addPodIdentity('app', { namespace: 'app', serviceAccount: 'app' });
    // THEN
    const tf = JSON.parse(synthStack(stack)) as TfJson;
    expect(Object.values(tf.resource.aws_iam_role).every((r) => r.provider === 'aws.eu')).toBe(true);
    expect(Object.values(tf.data?.aws_caller_identity ?? {}).map((d) => d.provider)).toEqual(['aws.eu']);
    expect(Object.values(tf.resource.helm_release).every((r) => r.provider === 'helm.a')).toBe(true);
  });

  test('leaves a provider the resource already names', () => {
    const stack = new TerraformStack(Testing.app(), 'named');
    const eu = new AwsProvider(stack, 'eu', { region: 'eu-west-1', alias: 'eu' });
    const us = new AwsProvider(stack, 'us', { region: 'us-east-1', alias: 'us' });
    new HelmProvider(stack, 'helm', {});
    new KubernetesProvider(stack, 'kubernetes', {});
    const cluster = new CiliumEksCluster(stack, 'a', { clusterName: 'a', region: 'eu-west-1', admins: ['arn:aws:iam::111122223333:role/platform-admin'], karpenter: false });
    cluster.useProviders({ aws: eu });
    cluster.controlPlane.cluster.provider = us;
    const tf = JSON.parse(synthStack(stack)) as TfJson;
    expect(Object.values(tf.resource.aws_eks_cluster).map((r) => r.provider)).toEqual(['aws.us']);
    expect(Object.values(tf.resource.aws_vpc).map((r) => r.provider)).toEqual(['aws.eu']);
  });
});

describe('the CA', () => {
  test('a secret the user manages in Secrets Manager instead of a generated one', () => {
    const { tf } = synthFleet(fleetProps(2, { ca: { kind: 'secretsManager', secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:mesh-ca' } }));
    expect(tf.resource.tls_private_key).toBeUndefined();
    const [key] = Object.keys(tf.data?.aws_secretsmanager_secret_version ?? {});
    for (const r of ciliumReleases(tf)) {
      expect((r.values.tls as JsonObject).ca).toEqual({
        cert: `\${base64encode(jsondecode(data.aws_secretsmanager_secret_version.${key}.secret_string).cert)}`,
        key: `\${base64encode(jsondecode(data.aws_secretsmanager_secret_version.${key}.secret_string).key)}`,
      });
    }
  });

  test('a generated CA: an RSA key and a self-signed CA certificate valid for the chart default of 1095 days', () => {
    const { tf } = synthFleet(fleetProps(2));
    expect(Object.values(tf.resource.tls_private_key)[0]).toMatchObject({ algorithm: 'RSA', rsa_bits: 2048 });
    expect(Object.values(tf.resource.tls_self_signed_cert)[0]).toMatchObject({ is_ca_certificate: true, validity_period_hours: 1095 * 24 });
    expect(thrown(() => synthFleet(fleetProps(2, { ca: { kind: 'generated', validityDays: 5 } }))).property).toBe('ca.validityDays');
  });
});

describe('fleet input', () => {
  test('errors name the property as written in the fleet props', () => {
    const bad = fleetProps(3);
    const clusters = bad.clusters.map((c, i) => (i === 1 ? { ...c, region: 'Europe' } : c));
    expect(thrown(() => synthFleet({ ...bad, clusters })).property).toBe('clusters[1].region');
    expect(thrown(() => synthFleet({ ...bad, name: 'My Fleet' })).property).toBe('name');
    expect(thrown(() => synthFleet({ ...bad, domain: 'mesh' })).property).toBe('domain');
    expect(thrown(() => synthFleet({ ...bad, nativeRoutingCidr: '10.0.0.0/15' })).message).toMatch(/^nativeRoutingCidr: "10\.0\.0\.0\/15" is not valid; allowed: a CIDR containing every VPC CIDR of the fleet \(not 10\.2\.0\.0\/16 of clusters\[2\] "mesh-02"\)/);
    const spread = bad.clusters.map((c, i) => (i === 2 ? { ...c, vpcCidr: '192.168.0.0/16' } : c));
    expect(thrown(() => synthFleet({ ...bad, clusters: spread })).property).toBe('nativeRoutingCidr');
    const svc = bad.clusters.map((c) => ({ ...c, serviceIpv4Cidr: undefined }));
    expect(thrown(() => synthFleet({ ...bad, clusters: svc })).message).toMatch(/^clusters\[1\]\.serviceIpv4Cidr: "172\.20\.0\.0\/16" is not valid; .*set serviceIpv4Cidr on each cluster/);
  });

  test("unknown keys, and errors of a cluster's own options, name clusters[i] as the user wrote it", () => {
    const props = fleetProps(3);
    expect(thrown(() => synthFleet({ ...props, maxConnectedCluster: 511 } as CiliumEksFleetStackProps)).property).toBe('maxConnectedCluster');
    const typo = props.clusters.map((c, i) => (i === 1 ? { ...c, systemNodeGroup: { instanceType: 'm7i.large' } } : c)) as FleetClusterOptions[];
    expect(thrown(() => synthFleet({ ...props, clusters: typo })).property).toBe('clusters[1].systemNodeGroup.instanceType');
    const version = props.clusters.map((c, i) => (i === 2 ? { ...c, kubernetesVersion: '1.99' } : c));
    expect(thrown(() => synthFleet({ ...props, clusters: version })).property).toBe('clusters[2].kubernetesVersion');
  });
});

describe('the example (examples/cluster-mesh)', () => {
  const app = Testing.app();
  buildMeshApp(app);
  const stack = app.node.findChild('cluster-mesh') as CiliumEksFleetStack;
  const tf = JSON.parse(synthStack(stack)) as TfJson;

  test('passes the security baseline checks (no error or warning annotation)', () => {
    const errors = stack.node.findAll().flatMap((n) => n.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => String(m.data)));
    expect(errors).toEqual([]);
    const warnings = stack.node.findAll().flatMap((n) => n.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
    expect(warnings).toEqual([]);
  });

  test('its synth summary names the fleet and each cluster with its region', () => {
    const lines = synthSummary(stack);
    expect(lines).toContain(`  fleet: 3 clusters meshed with Cilium Cluster Mesh (${meshConfig.clusters.map((c) => c.name).join(', ')})`);
    for (const c of meshConfig.clusters) expect(lines.filter((l) => l.startsWith(`  cluster ${c.name} in ${c.region}: Kubernetes ${c.kubernetesVersion}`))).toHaveLength(1);
  });

  test('three clusters in two regions, meshed', () => {
    expect(meshConfig.clusters.map((c) => c.region)).toEqual(['eu-west-1', 'eu-west-1', 'us-east-1']);
    expect(ciliumReleases(tf)).toHaveLength(3);
    expect(Object.keys(tf.resource.aws_vpc_peering_connection_accepter)).toHaveLength(2);
  });

  test('golden Cilium values of eu-west-1a', () => {
    const release = Object.entries(tf.resource.helm_release).find(([k, b]) => b.name === 'cilium' && clusterOf(k) === 'eu-west-1a')?.[1] as TfBlock;
    const text = (release.values as string[])[0];
    expect(validateCiliumValues('1.19.6', parse(text))).toEqual([]);
    expectGolden('fleet/eu-west-1a-cilium-values.yaml', text);
  });
});
