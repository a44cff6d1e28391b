import { Construct } from 'constructs';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { ClusterMeshCa } from '../../bpf/clustermesh';
import { check, ValidationError } from '../../core/errors';
import { Fn, TerraformProvider, Token } from '../cdktf';
import { declare, int, literal, oneOf, optional, parse, strict, text, variant } from '../../core/schema';
import { provider } from '../inputs';

/**
 * Where a CA of the fleet comes from.
 * - `generated`: a key and self-signed CA made by Terraform (`tls` provider). The private key is
 *   stored in the Terraform state: keep the state encrypted and access-controlled (docs/fleet.md).
 *   `generation` numbers the CAs made this way: a new generation is a new key and certificate
 *   beside the old one, which is what a rotation needs.
 * - `secretsManager`: a secret the user manages in AWS Secrets Manager whose string is JSON
 *   `{"cert": "<PEM>", "key": "<PEM>"}`. Terraform reads it at plan time, so the key still
 *   reaches the state (data sources are stored) and the Helm release values; it is never generated
 *   or rotated by Terraform.
 */
export type FleetCaSource =
  | {
      readonly kind: 'generated';
      /** Validity of the CA certificate in days. @default 1095 (the chart's `tls.ca.certValidityDuration`) */
      readonly validityDays?: number;
      /**
       * Which generated CA this is, 1 to 99: generation 1 keeps the Terraform addresses of a CA made
       * before rotations existed (`ca/key`, `ca/cert`); generation n > 1 is `ca/key-gen<n>`,
       * `ca/cert-gen<n>`. Raise it to rotate (see {@link FleetCaRotation}).
       * @default 1
       */
      readonly generation?: number;
    }
  | {
      readonly kind: 'secretsManager';
      /** ARN or name of the secret. */
      readonly secretId: string;
    };

/**
 * A rotation of the fleet's CA in progress: `ca` is the new CA, `previous` the one it replaces
 * (what `ca` said before). Three applies, each over the whole fleet, and no moment where two
 * clusters trust disjoint CAs (docs/fleet.md, "Rotating the CA"):
 * 1. `phase: 'trust'`: every cluster trusts both CAs (`tls.caBundle`) and still issues from `previous`.
 * 2. `phase: 'switch'`: every cluster issues from the new CA and still trusts both; re-issue the
 *    certificates (the chart's certgen CronJob, run once by hand) in every cluster.
 * 3. Remove `rotation`: only the new CA is trusted and used.
 */
export interface FleetCaRotation {
  /** The CA being replaced. */
  readonly previous: FleetCaSource;
  /** `trust`: issue from `previous`, trust both; `switch`: issue from `ca`, trust both. */
  readonly phase: 'trust' | 'switch';
}

/** The fleet's shared CA, and a rotation in progress if any. */
export type FleetCaOptions = FleetCaSource & {
  /** A rotation in progress. @default - none: `ca` is the only CA trusted and used */
  readonly rotation?: FleetCaRotation;
};

const generatedEntries = { kind: literal('generated'), validityDays: optional(int(30, 3650)), generation: optional(int(1, 99)) } as const;
const secretEntries = { kind: literal('secretsManager'), secretId: text('the ARN or name of a Secrets Manager secret') } as const;
const SOURCES = "{ kind: 'generated', validityDays?, generation? } or { kind: 'secretsManager', secretId }";
export const FleetCaSourceSchema = declare<FleetCaSource>()(
  variant('kind', [strict(generatedEntries, "{ kind: 'generated', validityDays?, generation? }"), strict(secretEntries, "{ kind: 'secretsManager', secretId }")], SOURCES),
);
export const FleetCaRotationSchema = declare<FleetCaRotation>()(
  strict({ previous: FleetCaSourceSchema, phase: oneOf(['trust', 'switch'] as const, "'trust' or 'switch'", 'a rotation trusts both CAs first, then switches the issuer') }, "a CA rotation { previous, phase }"),
);
export const FleetCaOptionsSchema = declare<FleetCaOptions>()(
  variant(
    'kind',
    [
      strict({ ...generatedEntries, rotation: optional(FleetCaRotationSchema) }, "{ kind: 'generated', validityDays?, generation?, rotation? }"),
      strict({ ...secretEntries, rotation: optional(FleetCaRotationSchema) }, "{ kind: 'secretsManager', secretId, rotation? }"),
    ],
    "{ kind: 'generated' } or { kind: 'secretsManager', secretId }, each with an optional rotation",
  ),
);

/** Days a generated CA is valid: the chart's own default for a CA it generates (values.yaml `tls.ca.certValidityDuration`). */
export const DEFAULT_FLEET_CA_VALIDITY_DAYS = 1095;

/**
 * The props of {@link FleetCa}: the CA's source and any rotation in progress, the fleet's name, and the
 * providers that read or make it. {@link CiliumEksFleet} fills them from its `ca` prop.
 */
export interface FleetCaProps {
  /**
   * Where the CA comes from, `{ kind: 'generated', validityDays?, generation? }` (made by the `tls` provider;
   * its key in the Terraform state) or `{ kind: 'secretsManager', secretId }` (read from a secret), with the
   * `rotation` in progress if any ({@link FleetCaOptions}).
   */
  readonly options: FleetCaOptions;
  /** The fleet's name, in the CA's subject. */
  readonly fleetName: string;
  /** The AWS provider that reads a Secrets Manager secret (the secret's region). */
  readonly awsProvider: TerraformProvider;
  /** The `tls` provider. */
  readonly tlsProvider: TerraformProvider;
  /** Where the options were written, for errors. @default 'ca' */
  readonly property?: string;
}
/** The declaration of {@link FleetCaProps}. */
export const FleetCaPropsSchema = declare<FleetCaProps>()(
  strict(
    { options: FleetCaOptionsSchema, fleetName: text('a fleet name'), awsProvider: provider, tlsProvider: provider, property: optional(text('the path of the options, e.g. ca')) },
    'FleetCa props { options, fleetName, awsProvider, tlsProvider, property? }',
  ),
);

/** One CA as Terraform expressions: the PEM certificate and key. */
interface CaPem {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A source's identity: two sources with the same one are the same CA. */
function sourceKey(s: FleetCaSource): string {
  return s.kind === 'generated' ? `generated:${s.generation ?? 1}` : `secretsManager:${s.secretId}`;
}

/**
 * The CA every cluster of a fleet shares, as the Cilium chart takes it (base64 PEM), and during a
 * rotation the trust bundle of both CAs (`tls.caBundle.content`, PEM; the chart makes the
 * `cilium-root-ca.crt` ConfigMap from it, and its values.yaml says the bundle "overrides the
 * content of the 'ca.crt' field of the respective certificates, allowing for CA rotation with no
 * down-time").
 */
export class FleetCa extends Construct {
  /** What the clusters are given: the issuing CA and, during a rotation, the trust bundle. */
  public readonly ca: ClusterMeshCa;

  constructor(scope: Construct, id: string, props: FleetCaProps) {
    super(scope, id);
    parse(FleetCaPropsSchema, props);
    const at = props.property ?? 'ca';
    const o = props.options;
    const current = this.source(o, at, props);
    const rotation = o.rotation;
    if (rotation === undefined) {
      this.ca = chartCa(current);
      return;
    }
    check(rotation.phase === 'trust' || rotation.phase === 'switch', `${at}.rotation.phase`, rotation.phase, "'trust' or 'switch'");
    if (sourceKey(rotation.previous) === sourceKey(o)) {
      throw new ValidationError(
        `${at}.rotation.previous`,
        sourceKey(rotation.previous),
        `a CA other than ${at} itself (${o.kind === 'generated' ? 'raise ca.generation' : 'name the new secret in ca.secretId'})`,
        'a rotation replaces one CA with another',
      );
    }
    const previous = this.source(rotation.previous, `${at}.rotation.previous`, props, true);
    const issuer = rotation.phase === 'trust' ? previous : current;
    this.ca = { ...chartCa(issuer), bundlePem: trustBundle([previous, current]) };
  }

  /** The PEM of one source, made (generated) or read (Secrets Manager). */
  private source(s: FleetCaSource, at: string, props: FleetCaProps, previous = false): CaPem {
    if (s.kind === 'secretsManager') {
      check(typeof s.secretId === 'string' && s.secretId.length > 0, `${at}.secretId`, s.secretId, 'the ARN or name of a Secrets Manager secret');
      // Data sources have no lifecycle: their addresses may change between phases.
      const secret = new DataAwsSecretsmanagerSecretVersion(this, previous ? 'secret-previous' : 'secret', { secretId: s.secretId, provider: props.awsProvider });
      const doc = Fn.jsondecode(secret.secretString);
      return { certPem: Token.asString(Fn.lookup(doc, 'cert')), keyPem: Token.asString(Fn.lookup(doc, 'key')) };
    }
    const days = s.validityDays ?? DEFAULT_FLEET_CA_VALIDITY_DAYS;
    check(Number.isInteger(days) && days >= 30 && days <= 3650, `${at}.validityDays`, days, 'an integer from 30 to 3650');
    const generation = s.generation ?? 1;
    check(Number.isInteger(generation) && generation >= 1 && generation <= 99, `${at}.generation`, generation, 'an integer from 1 to 99');
    // Generation 1 keeps the addresses of the CA made before rotations existed: nothing is replaced.
    const suffix = generation === 1 ? '' : `-gen${generation}`;
    // RSA 2048, as the chart's own CA (Helm's genCA); cilium-certgen signs with it.
    const key = new PrivateKey(this, `key${suffix}`, { algorithm: 'RSA', rsaBits: 2048, provider: props.tlsProvider });
    const cert = new SelfSignedCert(this, `cert${suffix}`, {
      privateKeyPem: key.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: days * 24,
      allowedUses: ['cert_signing', 'crl_signing', 'digital_signature', 'key_encipherment'],
      subject: [{ commonName: `Cilium Cluster Mesh CA ${props.fleetName}${generation === 1 ? '' : ` (generation ${generation})`}`, organization: 'cilium-eks' }],
      provider: props.tlsProvider,
    });
    return { certPem: cert.certPem, keyPem: key.privateKeyPem };
  }
}

/** The chart's `tls.ca` form: base64 PEM. */
function chartCa(pem: CaPem): ClusterMeshCa {
  return { certBase64: Token.asString(Fn.base64encode(pem.certPem)), keyBase64: Token.asString(Fn.base64encode(pem.keyPem)) };
}

/**
 * The certificates of `cas`, PEM, one after the other (each trimmed, one newline after each), as a
 * JSON string literal (`jsonencode`): Terraform interpolates it into the release's YAML values, where
 * a bare multi-line PEM would be folded into one line; a JSON string is a YAML double-quoted scalar
 * whose `\n` escapes read back as the newlines.
 */
function trustBundle(cas: readonly CaPem[]): string {
  return Token.asString(Fn.jsonencode(Fn.format(cas.map(() => '%s\n').join(''), cas.map((c) => Fn.trimspace(c.certPem)))));
}
