import { Construct } from 'constructs';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { ClusterMeshCa } from '../../bpf/clustermesh';
import { check } from '../../core/errors';
import { Fn, TerraformProvider, Token } from '../cdktf';
import { declare, int, literal, optional, parse, strict, text, variant } from '../../core/schema';
import { provider } from '../inputs';

/**
 * Where the fleet's shared CA comes from.
 * - `generated`: a key and self-signed CA made by Terraform (`tls` provider). The private key is
 *   stored in the Terraform state: keep the state encrypted and access-controlled (docs/fleet.md).
 * - `secretsManager`: a secret the user manages in AWS Secrets Manager whose string is JSON
 *   `{"cert": "<PEM>", "key": "<PEM>"}`. Terraform reads it at plan time, so the key still
 *   reaches the state (data sources are stored) and the Helm release values; it is never generated
 *   or rotated by Terraform.
 */
export type FleetCaOptions =
  | {
      readonly kind: 'generated';
      /** Validity of the CA certificate in days. @default 1095 (the chart's `tls.ca.certValidityDuration`) */
      readonly validityDays?: number;
    }
  | {
      readonly kind: 'secretsManager';
      /** ARN or name of the secret. */
      readonly secretId: string;
    };
export const FleetCaOptionsSchema = declare<FleetCaOptions>()(
  variant(
    'kind',
    [
      strict({ kind: literal('generated'), validityDays: optional(int(30, 3650)) }, "{ kind: 'generated', validityDays? }"),
      strict({ kind: literal('secretsManager'), secretId: text('the ARN or name of a Secrets Manager secret') }, "{ kind: 'secretsManager', secretId }"),
    ],
    "{ kind: 'generated' } or { kind: 'secretsManager', secretId }",
  ),
);

/** Days a generated CA is valid: the chart's own default for a CA it generates (values.yaml `tls.ca.certValidityDuration`). */
export const DEFAULT_FLEET_CA_VALIDITY_DAYS = 1095;

export interface FleetCaProps {
  readonly options: FleetCaOptions;
  /** The fleet's name, in the CA's subject. */
  readonly fleetName: string;
  /** The AWS provider that reads a Secrets Manager secret (the secret's region). */
  readonly awsProvider: TerraformProvider;
  /** The `tls` provider. */
  readonly tlsProvider: TerraformProvider;
}
/** The declaration of {@link FleetCaProps}. */
export const FleetCaPropsSchema = declare<FleetCaProps>()(
  strict({ options: FleetCaOptionsSchema, fleetName: text('a fleet name'), awsProvider: provider, tlsProvider: provider }, 'FleetCa props { options, fleetName, awsProvider, tlsProvider }'),
);

/** The CA every cluster of a fleet shares, as the Cilium chart takes it (base64 PEM). */
export class FleetCa extends Construct {
  public readonly ca: ClusterMeshCa;

  constructor(scope: Construct, id: string, props: FleetCaProps) {
    super(scope, id);
    parse(FleetCaPropsSchema, props);
    const o = props.options;
    if (o.kind === 'secretsManager') {
      const secret = new DataAwsSecretsmanagerSecretVersion(this, 'secret', { secretId: o.secretId, provider: props.awsProvider });
      const doc = Fn.jsondecode(secret.secretString);
      this.ca = {
        certBase64: Token.asString(Fn.base64encode(Token.asString(Fn.lookup(doc, 'cert')))),
        keyBase64: Token.asString(Fn.base64encode(Token.asString(Fn.lookup(doc, 'key')))),
      };
      return;
    }
    const days = o.validityDays ?? DEFAULT_FLEET_CA_VALIDITY_DAYS;
    check(Number.isInteger(days) && days >= 30 && days <= 3650, 'ca.validityDays', days, 'an integer from 30 to 3650');
    // RSA 2048, as the chart's own CA (Helm's genCA); cilium-certgen signs with it.
    const key = new PrivateKey(this, 'key', { algorithm: 'RSA', rsaBits: 2048, provider: props.tlsProvider });
    const cert = new SelfSignedCert(this, 'cert', {
      privateKeyPem: key.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: days * 24,
      allowedUses: ['cert_signing', 'crl_signing', 'digital_signature', 'key_encipherment'],
      subject: [{ commonName: `Cilium Cluster Mesh CA ${props.fleetName}`, organization: 'cilium-eks' }],
      provider: props.tlsProvider,
    });
    this.ca = {
      certBase64: Token.asString(Fn.base64encode(cert.certPem)),
      keyBase64: Token.asString(Fn.base64encode(key.privateKeyPem)),
    };
  }
}
