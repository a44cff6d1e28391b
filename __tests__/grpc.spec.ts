/**
 * gRPC rules: the builders write POST + `/<package>.<Service>/<Method>` HTTP rules, the ready-made
 * example validates against the Cilium CRD, and the lint knows the gRPC path shape.
 */
import { valueAt } from '../core/helm-values';
import { GrpcRule, grpcClientToService, HttpPath, HttpRule, lintPolicy, Port, PortRule } from '../bpf/policy';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { validateCustomResource } from './support/upstream';

const CNP_CRD = ['cilium', 'crds', 'ciliumnetworkpolicies.yaml'];

/** A raw CNP with one ingress HTTP rule. */
const raw = (http: JsonObject): JsonObject => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'g', namespace: 'default' },
  spec: { endpointSelector: { matchLabels: { app: 's' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'c' } }], toPorts: [{ ports: [{ port: '50051', protocol: 'TCP' }], rules: { http: [http] } }] }] },
});
const codes = (m: JsonObject): string[] => lintPolicy(m).map((f) => `${f.severity} ${f.code}`);

describe('GrpcRule', () => {
  test('a method is a POST to ^/<service>/<method>$ with the dots escaped', () => {
    expect(GrpcRule.methods('cloudcity.DoorManager', 'GetName').map((r) => r.toJson())).toEqual([{ method: 'POST', path: '^/cloudcity\\.DoorManager/GetName$' }]);
  });

  test('a whole service is a POST to ^/<service>/.*$', () => {
    expect(GrpcRule.service('helloworld.Greeter').toJson()).toEqual({ method: 'POST', path: '^/helloworld\\.Greeter/.*$' });
  });

  test('the paths match real gRPC paths and nothing beside them', () => {
    const [rule] = GrpcRule.methods('cloudcity.DoorManager', 'GetName');
    const re = new RegExp(String(rule.toJson().path));
    expect(['/cloudcity.DoorManager/GetName', '/cloudcityXDoorManager/GetName', '/cloudcity.DoorManager/GetNameX'].map((p) => re.test(p))).toEqual([true, false, false]);
  });

  test.each([
    ['GrpcRule.methods(service)', () => GrpcRule.methods('cloudcity/DoorManager', 'GetName')],
    ['GrpcRule.methods[0]', () => GrpcRule.methods('cloudcity.DoorManager', 'Get-Name')],
    ['GrpcRule.methods', () => GrpcRule.methods('cloudcity.DoorManager')],
    ['GrpcRule.methods', () => GrpcRule.methods('cloudcity.DoorManager', 'A', 'A')],
    ['GrpcRule.service', () => GrpcRule.service('')],
  ])('%s is validated (case %#)', (property, fn) => {
    expect(thrown(fn).property).toBe(property);
  });
});

describe('ready-made gRPC example', () => {
  test('validates against the Cilium CRD and has no lint finding', () => {
    const m = grpcClientToService().toManifest();
    expect(validateCustomResource(CNP_CRD, m)).toEqual([]);
    expect(lintPolicy(grpcClientToService())).toEqual([]);
  });

  test('the server accepts only the listed methods from the client on its port', () => {
    const m = grpcClientToService({ namespace: 'doors', methods: ['GetName'] }).toManifest();
    const ingress = (m.specs?.[0].ingress as JsonObject[])[0];
    expect(ingress.toPorts).toEqual([{ ports: [{ port: '50051', protocol: 'TCP' }], rules: { http: [{ method: 'POST', path: '^/cloudcity\\.DoorManager/GetName$' }] } }]);
    expect(m.metadata.namespace).toBe('doors');
  });
});

describe('lint of gRPC paths', () => {
  test('a gRPC path with GET is an error; POST or no method passes', () => {
    expect(codes(raw({ method: 'GET', path: '^/cloudcity\\.DoorManager/GetName$' }))).toEqual(['error grpc-not-post']);
    expect(codes(raw({ method: 'POST', path: '^/cloudcity\\.DoorManager/GetName$' }))).toEqual([]);
    expect(codes(raw({ path: '^/cloudcity\\.DoorManager/.*$' }))).toEqual([]);
  });

  test('a gRPC path whose tail is not a method name warns', () => {
    expect(codes(raw({ method: 'POST', path: '^/cloudcity\\.DoorManager/Get/Name$' }))).toEqual(['warning grpc-path-shape']);
  });

  test('web paths with dots are not taken for gRPC', () => {
    expect(codes(raw({ method: 'GET', path: '^/static\\.files/app\\.js$' }))).toEqual([]);
    expect(codes(raw({ method: 'GET', path: '^/api/v1\\.2/books$' }))).toEqual([]);
  });

  test('GrpcRule output goes through PortRule.allowHttp like any HTTP rule', () => {
    const pr = PortRule.of(Port.tcp(50051)).allowHttp(...GrpcRule.methods('a.B', 'C'), HttpRule.get(HttpPath.exact('/healthz')));
    expect(valueAt(pr.toJson(), 'rules.http')).toHaveLength(2);
  });
});
