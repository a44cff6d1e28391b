/**
 * What a synthesized app built, in the lines `npm run synth` prints after the synth:
 * per stack its file, per cluster its region, versions, nodes, NodePools, the features on and off
 * (with the setting that turns each), the IP capacity plan and the warnings of the synth with how
 * to fix them; per migration its phase and the next one. Read after `app.synth()`: the aspects
 * have added their warnings then, and every NodePool is known.
 */
import { IConstruct } from 'constructs';
import { formatCapacityPlan } from '../bpf/ipam';
import { KubernetesManifest } from '../core/k8s';
import { TerraformStack } from './cdktf';
import { CiliumEksCluster } from './cilium-eks-cluster';
import { CiliumEksFleet } from './fleet/cilium-eks-fleet';
import { CiliumMigration } from './migration/cilium-migration';
import { SECURITY_RULES } from './security/rules';
import { declare, optional, parse, strict, text } from '../core/schema';

/** cdktf's metadata type of a warning annotation (`AnnotationMetadataEntryType.WARN`). */
const WARN = '@cdktf/warn';
/** How the security checks start a finding: `[cilium-eks-security:<rule id>]`. */
const RULE_FINDING = /^\[cilium-eks-security:([a-z0-9-]+)\]/;

/** Options of {@link synthSummary}. */
export interface SynthSummaryOptions {
  /** The output folder as the reader names it (`cdktf.out`), for the stacks' file paths. @default 'cdktf.out' */
  readonly outdir?: string;
}

/** The declaration of {@link SynthSummaryOptions}. */
export const SynthSummaryOptionsSchema = declare<SynthSummaryOptions>()(strict({ outdir: optional(text('a folder name')) }, 'summary options { outdir? }'));

/**
 * The summary of everything `app` holds, one line each, indented by two spaces per level: its
 * stacks, their clusters (fleets and migrations too) and the warnings with their fixes. Call it
 * after `app.synth()`.
 */
export function synthSummary(app: IConstruct, options: SynthSummaryOptions = {}): string[] {
  parse(SynthSummaryOptionsSchema, options, 'synthSummary(options)');
  const outdir = options.outdir ?? 'cdktf.out';
  const lines: string[] = [];
  const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  for (const stack of stacks) {
    lines.push(`stack ${stack.node.id}: ${outdir}/stacks/${stack.node.id}/cdk.tf.json`);
    const inStack = stack.node.findAll();
    for (const fleet of inStack.filter((c): c is CiliumEksFleet => c instanceof CiliumEksFleet)) {
      lines.push(`  fleet: ${fleet.clusters.size} clusters meshed with Cilium Cluster Mesh (${[...fleet.clusters.keys()].join(', ')})`);
    }
    for (const cluster of inStack.filter((c): c is CiliumEksCluster => c instanceof CiliumEksCluster)) lines.push(...clusterLines(cluster).map((l) => `  ${l}`));
    for (const migration of inStack.filter((c): c is CiliumMigration => c instanceof CiliumMigration)) lines.push(...migrationLines(migration).map((l) => `  ${l}`));
    const claimed = new Set(inStack.filter((c) => c instanceof CiliumEksCluster || c instanceof CiliumMigration).flatMap((c) => c.node.findAll()));
    const others = warningsOf(inStack.filter((c) => !claimed.has(c)));
    if (others.length > 0) lines.push(...warningLines(others).map((l) => `  ${l}`));
  }
  return lines;
}

/** One cluster: where, which versions, which nodes, which features, its IP capacity and warnings. */
function clusterLines(c: CiliumEksCluster): string[] {
  const o = c.cilium.options;
  const lines = [
    `cluster ${c.clusterName} in ${c.region}: Kubernetes ${c.controlPlane.kubernetesVersion}, Cilium ${o.chartVersion}` +
      `${c.karpenter ? `, Karpenter ${c.karpenter.version}` : ''} (every pinned version: npm run versions)`,
  ];
  const s = c.systemNodes;
  lines.push(
    `  system node group: ${s.instanceTypes.join(', ')}, ${s.sizes.minSize} to ${s.sizes.maxSize} nodes (${s.sizes.desiredSize} at first)` +
      `${s.maxPods !== undefined ? `, ${s.maxPods} pods per node` : ''}${s.dedicated ? ', system pods only' : ''}`,
  );
  const admins = c.controlPlane.node
    .findAll()
    .map((n) => n as IConstruct & { terraformResourceType?: string; principalArnInput?: string; typeInput?: string })
    .filter((n) => n.terraformResourceType === 'aws_eks_access_entry' && n.typeInput === 'STANDARD' && typeof n.principalArnInput === 'string')
    .map((n) => n.principalArnInput);
  lines.push(`  admins (EKS access entries, cluster admin): ${admins.join(', ') || 'none'}`);
  if (c.karpenter) {
    const pools = c.karpenter.nodeResources.manifests.filter((m) => m.kind === 'NodePool');
    lines.push(`  Karpenter NodePools: ${pools.length === 0 ? 'none (karpenter.defaultNodePool is false; add one in karpenter.nodePools)' : pools.map(poolText).join('; ')}`);
  }
  const h = o.hubble;
  const features: [string, boolean, string][] = [
    ['WireGuard encryption', o.wireguard, 'cilium.wireguard'],
    [`Hubble ${[h.relay ? 'relay' : '', h.ui ? 'UI' : '', h.metrics.length > 0 ? 'metrics' : ''].filter(Boolean).join(', ')}`.trim(), h.relay || h.ui || h.metrics.length > 0, 'cilium.hubble'],
    ['prefix delegation', o.prefixDelegation, 'cilium.prefixDelegation'],
    ['pod subnets', c.podSubnets !== undefined, 'podSubnets'],
    ['Karpenter', c.karpenter !== undefined, 'karpenter'],
    ['Tetragon', c.tetragon !== undefined, 'tetragon'],
    ['log export to CloudWatch Logs', c.logShipping !== undefined, 'logExport'],
    ['EBS CSI storage', c.storage !== undefined, 'storage'],
    ['alert rules', c.alerts !== undefined, 'monitoring.alerts'],
    ['plan gates', c.planGate !== undefined, 'planGates'],
  ];
  lines.push(`  on:  ${features.filter(([, on]) => on).map(([name, , prop]) => `${name} (${prop})`).join(', ') || 'none'}`);
  lines.push(`  off: ${features.filter(([, on]) => !on).map(([name, , prop]) => `${name} (${prop})`).join(', ') || 'none'}`);
  const plan = c.capacityPlan();
  lines.push(...(plan ? formatCapacityPlan(plan).map((l) => `  ${l}`) : ['  IP capacity: not planned (the subnets of an existing VPC are unknown at synth; pass podSubnets to plan them)']));
  lines.push(...warningLines(warningsOf(c.node.findAll())).map((l) => `  ${l}`));
  return lines;
}

/** A migration: its cluster, the phase this synth deploys and the one after it. */
function migrationLines(m: CiliumMigration): string[] {
  const p = m.phase;
  const next = p.sequence[p.index + 1];
  return [
    `migration of ${m.cluster.nameInput ?? m.node.id} to Cilium: phase ${p.name} (${p.index + 1} of ${p.sequence.length}: ${p.sequence.join(', ')})`,
    `  next phase: ${next === undefined ? 'none, the migration is complete' : `${next}, once the checks of docs/migration.md pass`}`,
    ...warningLines(warningsOf(m.node.findAll())).map((l) => `  ${l}`),
  ];
}

/** One NodePool in words: name, capacity types, architectures, limits, taints. */
function poolText(pool: KubernetesManifest): string {
  const spec = pool.spec as
    | { limits?: Record<string, unknown>; template?: { spec?: { requirements?: { key: string; operator: string; values?: string[] }[]; taints?: { key: string }[] } } }
    | undefined;
  const reqs = spec?.template?.spec?.requirements ?? [];
  const values = (key: string) => reqs.find((r) => r.key === key && r.operator === 'In')?.values;
  const parts = [
    values('karpenter.sh/capacity-type')?.join('+'),
    values('kubernetes.io/arch')?.join('+'),
    values('karpenter.k8s.aws/instance-category') ? `categories ${values('karpenter.k8s.aws/instance-category')!.join('')}` : undefined,
    spec?.limits && Object.keys(spec.limits).length > 0 ? `limits ${Object.entries(spec.limits).map(([k, v]) => `${k} ${String(v)}`).join(', ')}` : undefined,
    ...(spec?.template?.spec?.taints ?? []).filter((t) => t.key !== 'node.cilium.io/agent-not-ready').map((t) => `taint ${t.key}`),
  ].filter((x): x is string => x !== undefined);
  return `${pool.metadata.name}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** The warning annotations on `nodes`. */
function warningsOf(nodes: readonly IConstruct[]): string[] {
  return nodes.flatMap((n) => n.node.metadata.filter((m) => m.type === WARN).map((m) => String(m.data)));
}

/**
 * The warnings, counted, with a fix for each finding of a security check (meet the rule, or accept
 * the risk by name); every other warning of the project says what to change in its own text.
 */
function warningLines(warnings: readonly string[]): string[] {
  if (warnings.length === 0) return [];
  const lines = [`${warnings.length} warning${warnings.length === 1 ? '' : 's'} (above), each with its fix:`];
  for (const w of warnings) {
    const rule = RULE_FINDING.exec(w)?.[1];
    const known = SECURITY_RULES.find((r) => r.id === rule);
    if (known) {
      lines.push(`  [${known.id}] fix: ${known.title.replace(/\.$/, '')}; or accept it: securityChecks: { suppress: { '${known.id}': '<why>' } } (docs/security.md#security-baseline-checks)`);
    } else {
      lines.push(`  ${w}`);
    }
  }
  return lines;
}
