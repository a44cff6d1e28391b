/**
 * The mesh check's manifests (examples/cluster-mesh/echo.yaml, client.yaml; docs/fleet.md "Check
 * it"): they pass Pod Security `restricted` (the project's evaluator, core/pss), the policies
 * validate against the CiliumNetworkPolicy CRD and the project's policy lint, their selectors are
 * the ones the project's mesh helpers build, the Service carries the global-service annotations,
 * and the example fleet creates the namespace they go in with the default deny they are written
 * for. `verify --fleet` uses the same namespace, labels and image.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { evaluatePodSecurity } from '../core/pss';
import { lintPolicy } from '../bpf/policy/lint';
import { inAnyCluster, globalServiceAnnotations } from '../bpf/policy/clustermesh';
import { Selector } from '../bpf/policy/selector';
import { JsonObject } from '../core/yaml';
import { meshConfig } from '../examples/cluster-mesh/main';
import { validateCustomResource } from './support/upstream';

const DIR = path.join(__dirname, '..', 'examples', 'cluster-mesh');
const CNP_CRD = ['cilium', 'crds', 'ciliumnetworkpolicies.yaml'];
const docs = (file: string): JsonObject[] => parseAllDocuments(fs.readFileSync(path.join(DIR, file), 'utf8')).map((d) => d.toJS() as JsonObject);
const ECHO = docs('echo.yaml');
const CLIENT = docs('client.yaml');
const ALL = [...ECHO, ...CLIENT];
const byKind = (kind: string): JsonObject[] => ALL.filter((d) => d.kind === kind);
type Workload = { metadata: { name: string; namespace: string }; spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string; ports?: { containerPort: number }[] }[] } } } };
const workloads = (): Workload[] => [...byKind('Deployment'), ...byKind('Job')] as unknown as Workload[];
const policies = (): JsonObject[] => byKind('CiliumNetworkPolicy');
const f = require('../scripts/lib/verify-fleet') as { MESH_NAMESPACE: string; MESH_IMAGE: string; MESH_CLIENT_LABELS: Record<string, string> };

describe('examples/cluster-mesh manifests', () => {
  test('what they hold: the echo Deployment and Service, the two policies, the client Job, all in the check namespace', () => {
    expect(ALL.map((d) => `${String(d.kind)}/${String((d.metadata as JsonObject).name)}`)).toEqual([
      'Deployment/echo',
      'Service/echo',
      'CiliumNetworkPolicy/echo-from-mesh-clients',
      'CiliumNetworkPolicy/echo-client-to-mesh',
      'Job/echo-client',
    ]);
    expect(new Set(ALL.map((d) => (d.metadata as JsonObject).namespace))).toEqual(new Set([f.MESH_NAMESPACE]));
  });

  test.each(['latest', 'v1.35'])('every pod passes Pod Security restricted (%s) by the project evaluator', (version) => {
    for (const w of workloads()) expect([w.metadata.name, evaluatePodSecurity(w as never, { level: 'restricted', version })]).toEqual([w.metadata.name, []]);
  });

  test('the Service is global with the annotations the project writes (Cilium services.rst names), remote affinity', () => {
    const [svc] = byKind('Service') as unknown as { metadata: { annotations: Record<string, string> }; spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] } }[];
    expect(svc.metadata.annotations).toEqual(globalServiceAnnotations({ affinity: 'remote' }));
    const echo = workloads().find((w) => w.metadata.name === 'echo') as Workload;
    expect(echo.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 'http' })]);
    expect(echo.spec.template.spec.containers[0].ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 8080 })]);
  });

  test('the policies validate against the CRD and the project lint, and select pods of any cluster as inAnyCluster() does', () => {
    for (const p of policies()) {
      expect(validateCustomResource(CNP_CRD, p)).toEqual([]);
      expect(lintPolicy(p)).toEqual([]);
    }
    const [ingress, egress] = policies() as unknown as { spec: { endpointSelector: JsonObject; ingress?: { fromEndpoints: JsonObject[]; toPorts: JsonObject[] }[]; egress?: { toEndpoints: JsonObject[]; toPorts: JsonObject[] }[] } }[];
    const clients = inAnyCluster(Selector.labels(f.MESH_CLIENT_LABELS)).toJson();
    const echoes = inAnyCluster(Selector.labels({ app: 'echo' })).toJson();
    expect(ingress.spec.endpointSelector).toEqual(Selector.labels({ app: 'echo' }).toJson());
    expect(ingress.spec.ingress?.[0].fromEndpoints).toEqual([clients]);
    expect(egress.spec.endpointSelector).toEqual(Selector.labels(f.MESH_CLIENT_LABELS).toJson());
    expect(egress.spec.egress?.[0].toEndpoints).toEqual([echoes]);
    for (const rule of [ingress.spec.ingress?.[0], egress.spec.egress?.[0]]) expect(rule?.toPorts).toEqual([{ ports: [{ port: '8080', protocol: 'TCP' }] }]);
  });

  test("the client is what the policies let through, and verify --fleet's client is the same", () => {
    const client = workloads().find((w) => w.metadata.name === 'echo-client') as Workload;
    expect(client.spec.template.metadata.labels).toEqual(f.MESH_CLIENT_LABELS);
    for (const w of workloads()) expect(w.spec.template.spec.containers.map((c) => c.image)).toEqual([f.MESH_IMAGE]);
  });

  test('the example fleet makes the namespace in every cluster, restricted and default deny (what the manifests are written for)', () => {
    for (const c of meshConfig.clusters) {
      const ns = c.networkPolicies?.namespaces?.find((n) => n.name === f.MESH_NAMESPACE);
      expect([c.name, ns?.podSecurity ?? 'restricted', ns?.defaultDeny ?? true]).toEqual([c.name, 'restricted', true]);
    }
  });
});
