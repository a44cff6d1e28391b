/**
 * Rotating the fleet's CA (constructs/fleet/fleet-ca.ts, docs/fleet.md "Rotating the CA"): which
 * CA issues and which CAs are trusted in each phase, what the Cilium values carry, and the input
 * checks. The CA is synthesized on its own (a fleet synth is not needed to see its expressions).
 */
import { Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { ClusterMeshCa, clusterMeshValues } from '../bpf/clustermesh';
import { buildCiliumValues } from '../bpf/cilium-values';
import { FleetCa, FleetCaOptions } from '../constructs/fleet/fleet-ca';
import { CiliumEksFleet } from '../constructs/fleet/cilium-eks-fleet';
import { TerraformOutput, TerraformStack } from '../constructs/cdktf';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { synthStack, TfJson } from './support/synth';
import { unknownCiliumKeys } from './support/chart-keys';
import { validateCiliumValues } from './support/upstream';

/** The CA's three chart inputs as Terraform writes them, for `options`. */
function synthCa(options: FleetCaOptions): { cert: string; key: string; bundle?: string; tf: TfJson } {
  const stack = new TerraformStack(Testing.app(), 'ca');
  const aws = new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const tls = new TlsProvider(stack, 'tls');
  const ca = new FleetCa(stack, 'ca', { options, fleetName: 'demo', awsProvider: aws, tlsProvider: tls }).ca;
  new TerraformOutput(stack, 'cert', { value: ca.certBase64 });
  new TerraformOutput(stack, 'key', { value: ca.keyBase64 });
  if (ca.bundlePem !== undefined) new TerraformOutput(stack, 'bundle', { value: ca.bundlePem });
  const tf = JSON.parse(synthStack(stack)) as TfJson & { output: Record<string, { value: string }> };
  return { cert: tf.output.cert.value, key: tf.output.key.value, bundle: tf.output.bundle?.value, tf };
}

/** The generated CA of `generation` as referenced from an expression: its certificate resource. */
function generatedCert(tf: TfJson, generation: number): string {
  const name = Object.keys(tf.resource.tls_self_signed_cert).find((k) => (generation === 1 ? /^ca_cert_[0-9A-F]{8}$/ : new RegExp(`^ca_cert-gen${generation}_`)).test(k));
  if (name === undefined) throw new Error(`no certificate of generation ${generation} in ${Object.keys(tf.resource.tls_self_signed_cert).join(', ')}`);
  return `tls_self_signed_cert.${name}.cert_pem`;
}

describe('CA rotation: what each phase issues from and trusts', () => {
  test('no rotation: one CA issues, no bundle (the addresses of a CA made before rotations existed)', () => {
    const { cert, bundle, tf } = synthCa({ kind: 'generated' });
    expect(Object.keys(tf.resource.tls_self_signed_cert)).toHaveLength(1);
    expect(cert).toBe(`\${base64encode(${generatedCert(tf, 1)})}`);
    expect(bundle).toBeUndefined();
  });

  test("phase 'trust': the previous CA still issues, the bundle holds both, previous first", () => {
    const { cert, key, bundle, tf } = synthCa({ kind: 'generated', generation: 2, rotation: { previous: { kind: 'generated' }, phase: 'trust' } });
    expect(Object.keys(tf.resource.tls_private_key)).toHaveLength(2);
    const [prev, next] = [generatedCert(tf, 1), generatedCert(tf, 2)];
    expect(cert).toBe(`\${base64encode(${prev})}`);
    expect(key).toMatch(/^\$\{base64encode\(tls_private_key\.ca_key_[0-9A-F]{8}\.private_key_pem\)\}$/);
    expect(bundle).toBe(`\${format("%s\\n%s\\n", trimspace(${prev}), trimspace(${next}))}`);
  });

  test("phase 'switch': the new CA issues, the bundle still holds both", () => {
    const { cert, key, bundle, tf } = synthCa({ kind: 'generated', generation: 2, rotation: { previous: { kind: 'generated' }, phase: 'switch' } });
    const [prev, next] = [generatedCert(tf, 1), generatedCert(tf, 2)];
    expect(cert).toBe(`\${base64encode(${next})}`);
    expect(key).toMatch(/^\$\{base64encode\(tls_private_key\.ca_key-gen2_[0-9A-F]{8}\.private_key_pem\)\}$/);
    expect(bundle).toBe(`\${format("%s\\n%s\\n", trimspace(${prev}), trimspace(${next}))}`);
  });

  test('rotation dropped: only the new CA, the old one is gone from the configuration', () => {
    const { cert, bundle, tf } = synthCa({ kind: 'generated', generation: 2 });
    expect(Object.keys(tf.resource.tls_self_signed_cert)).toEqual([expect.stringMatching(/^ca_cert-gen2_/)]);
    expect(cert).toBe(`\${base64encode(${generatedCert(tf, 2)})}`);
    expect(bundle).toBeUndefined();
  });

  test('from a generated CA to one in Secrets Manager: both read or made, the secret issues after the switch', () => {
    const secretId = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:mesh-ca-2026';
    const trust = synthCa({ kind: 'secretsManager', secretId, rotation: { previous: { kind: 'generated' }, phase: 'trust' } });
    const secret = 'data.aws_secretsmanager_secret_version.ca_secret_';
    expect(trust.cert).toBe(`\${base64encode(${generatedCert(trust.tf, 1)})}`);
    expect(trust.bundle).toContain(`trimspace(jsondecode(${secret}`);
    const sw = synthCa({ kind: 'secretsManager', secretId, rotation: { previous: { kind: 'generated' }, phase: 'switch' } });
    expect(sw.cert).toMatch(new RegExp(`^\\$\\{base64encode\\(jsondecode\\(${secret.replace(/\./g, '\\.')}[0-9A-F]{8}\\.secret_string\\)\\.cert\\)\\}$`));
  });

  test('between two secrets: each read by its own data source', () => {
    const { tf, bundle } = synthCa({ kind: 'secretsManager', secretId: 'mesh-ca-new', rotation: { previous: { kind: 'secretsManager', secretId: 'mesh-ca-old' }, phase: 'trust' } });
    const reads = Object.values(tf.data?.aws_secretsmanager_secret_version ?? {}).map((d) => d.secret_id);
    expect(reads.sort()).toEqual(['mesh-ca-new', 'mesh-ca-old']);
    expect(bundle?.match(/trimspace\(/g)).toHaveLength(2);
  });
});

describe('CA rotation: Cilium values', () => {
  const BUNDLE: ClusterMeshCa = { certBase64: 'Q0VSVA==', keyBase64: 'S0VZ', bundlePem: '-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n' };
  const mesh = (ca: ClusterMeshCa): Parameters<typeof clusterMeshValues>[0] => ({ clusterName: 'eu-1', clusterId: 1, peers: [{ name: 'us-1', address: 'us-1.mesh.cilium.io' }], ca, nativeRoutingCidr: '10.0.0.0/8' });

  test.each(['1.19.6', '1.20.0'])('chart %s: the bundle goes to tls.caBundle (enabled, content); the keys are the chart\'s, the values its schema\'s', (version) => {
    const values = clusterMeshValues(mesh(BUNDLE), version);
    expect((values.tls as JsonObject).caBundle).toEqual({ enabled: true, content: BUNDLE.bundlePem });
    expect(unknownCiliumKeys(version, values, ['clustermesh.config.clusters'])).toEqual([]);
    const all = buildCiliumValues({ k8sServiceHost: 'ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com', region: 'eu-west-1', chartVersion: version, clusterMesh: mesh(BUNDLE) });
    expect(validateCiliumValues(version, all)).toEqual([]);
  });

  test('without a rotation there is no caBundle key at all (the chart default stays)', () => {
    const values = clusterMeshValues(mesh({ certBase64: 'Q0VSVA==', keyBase64: 'S0VZ' }), '1.19.6');
    expect(Object.keys(values.tls as JsonObject)).toEqual(['ca']);
  });
});

describe('CA rotation: input', () => {
  test('a previous CA that is the current one', () => {
    expect(thrown(() => synthCa({ kind: 'generated', rotation: { previous: { kind: 'generated', generation: 1 }, phase: 'trust' } })).property).toBe('ca.rotation.previous');
    expect(thrown(() => synthCa({ kind: 'secretsManager', secretId: 's', rotation: { previous: { kind: 'secretsManager', secretId: 's' }, phase: 'switch' } })).property).toBe('ca.rotation.previous');
  });

  test('a bad phase, generation or unknown key is refused by the fleet naming the property', () => {
    const fleet = (ca: unknown): unknown =>
      new CiliumEksFleet(new TerraformStack(Testing.app(), 's'), 'f', {
        name: 'demo',
        clusters: [
          { name: 'a', region: 'eu-west-1', clusterId: 1, vpcCidr: '10.1.0.0/16', serviceIpv4Cidr: '172.20.0.0/16', admins: [] },
          { name: 'b', region: 'eu-west-1', clusterId: 2, vpcCidr: '10.2.0.0/16', serviceIpv4Cidr: '172.21.0.0/16', admins: [] },
        ],
        ca: ca as FleetCaOptions,
      });
    expect(thrown(() => fleet({ kind: 'generated', generation: 2, rotation: { previous: { kind: 'generated' }, phase: 'later' } })).property).toBe('ca.rotation.phase');
    expect(thrown(() => fleet({ kind: 'generated', generation: 0 })).property).toBe('ca.generation');
    expect(thrown(() => fleet({ kind: 'generated', generation: 2, rotation: { previous: { kind: 'generated', validity: 3 }, phase: 'trust' } })).property).toMatch(/^ca\.rotation\.previous/);
  });
});
