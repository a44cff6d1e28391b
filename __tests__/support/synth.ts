/**
 * Synthesises stacks for tests and gives typed access to the Terraform JSON. Every test synth goes
 * through {@link synthStack} (or, where an error annotation is the subject, {@link synthStackWithErrors}):
 * like `cdktf synth`, it runs the aspects and the validations and fails on an ERROR annotation,
 * which cdktf's `Testing.synth` ignores. The lint refuses a direct `Testing.synth` or `.synth()`
 * under __tests__/ elsewhere (eslint.config.js).
 */
import { App, Testing, TerraformStack } from 'cdktf';
import { CiliumEksStack, CiliumEksStackProps } from '../../constructs/cilium-eks-stack';
import type { CiliumEksFleetStack, CiliumEksFleetStackProps } from '../../constructs/fleet/cilium-eks-fleet-stack';
import { config as appConfig } from '../../main';
import { deepFreeze } from './upstream';

export type TfBlock = Record<string, unknown>;
export interface TfJson {
  resource: Record<string, Record<string, TfBlock>>;
  data?: Record<string, Record<string, TfBlock>>;
  provider: Record<string, TfBlock[]>;
  output: Record<string, TfBlock>;
  terraform: TfBlock;
}

/** The Terraform JSON of `stack` and the text of every ERROR annotation under it. */
export function synthStackWithErrors(stack: TerraformStack): { text: string; errors: string[] } {
  const text = Testing.synth(stack, true);
  const errors = stack.node
    .findAll()
    .flatMap((n) => n.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => `${n.node.path}: ${String(m.data)}`));
  return { text, errors };
}

/** Synthesizes `stack` as `cdktf synth` does: aspects, validations, and a failure on any ERROR annotation. */
export function synthStack(stack: TerraformStack): string {
  const { text, errors } = synthStackWithErrors(stack);
  if (errors.length > 0) throw new Error(`${errors.length} ERROR annotation(s), which fail \`cdktf synth\`:\n${errors.join('\n')}`);
  return text;
}

/** {@link synthStack} of a stack `fn` fills. */
export function synthScope(fn: (scope: TerraformStack) => void): string {
  const stack = new TerraformStack(Testing.app(), 'stack');
  fn(stack);
  return synthStack(stack);
}

/** Synthesizes a whole app into its outdir, as the app command does (cdktf's App.synth fails on ERROR annotations itself). */
export function synthApp(app: App): void {
  app.synth();
}

export function buildStack(props: Partial<CiliumEksStackProps> = {}): CiliumEksStack {
  const app = Testing.app();
  return new CiliumEksStack(app, 'test', { ...appConfig, ...props });
}

export interface DefaultSynthesis {
  /** The stack of main.ts's config. Read it; adding to it would change what other tests read. */
  readonly stack: CiliumEksStack;
  /** Its synthesized Terraform JSON text. */
  readonly text: string;
  /** The same, parsed and frozen. */
  readonly tf: TfJson;
}

let defaultSynthesis: DefaultSynthesis | undefined;

/**
 * The default stack (main.ts's config, no changes), built and synthesized once per test file for
 * every test that only reads it: a synth of the full stack is the most expensive step of a test.
 */
export function defaultStack(): DefaultSynthesis {
  if (!defaultSynthesis) {
    const stack = buildStack();
    const text = synthStack(stack);
    defaultSynthesis = { stack, text, tf: deepFreeze(JSON.parse(text) as TfJson) };
  }
  return defaultSynthesis;
}

const fleetSyntheses = new Map<string, { readonly stack: CiliumEksFleetStack; readonly tf: TfJson }>();

/**
 * A `CiliumEksFleetStack` of `props` (stack id `fleet`), built and synthesized once per input for
 * every test of a group that only reads it: the specs of a group share one module registry, and
 * fleet-synth.spec.ts and fleet-removal.spec.ts ask for the same fleets (a 3-cluster fleet takes
 * about a second). The output is deterministic for the same input (stack.spec.ts proves it), so
 * a second synth would be the same text. Read it; adding to the stack would change what others read.
 */
export function fleetSynthesis(props: CiliumEksFleetStackProps): { readonly stack: CiliumEksFleetStack; readonly tf: TfJson } {
  const key = JSON.stringify(props);
  let done = fleetSyntheses.get(key);
  if (!done) {
    // Loaded here, not at the top: most files that read this module synthesize no fleet.
    const { CiliumEksFleetStack: Fleet } = require('../../constructs/fleet/cilium-eks-fleet-stack') as typeof import('../../constructs/fleet/cilium-eks-fleet-stack');
    const stack = new Fleet(Testing.app(), 'fleet', props);
    done = { stack, tf: deepFreeze(JSON.parse(synthStack(stack)) as TfJson) };
    fleetSyntheses.set(key, done);
  }
  return done;
}

export function synthJson(stack: CiliumEksStack): TfJson {
  return JSON.parse(synthStack(stack)) as TfJson;
}

/** The one resource of a type whose construct path ends with `pathSuffix`, with its Terraform address. */
export function resource(tf: TfJson, type: string, pathSuffix: string): { address: string; block: TfBlock } {
  const wanted = pathSuffix.replace(/\//g, '_');
  const matches = Object.entries(tf.resource[type] ?? {}).filter(([key]) => logicalPath(key) === wanted || logicalPath(key).endsWith(`_${wanted}`));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} at */${pathSuffix}, found ${matches.length}: ${Object.keys(tf.resource[type] ?? {}).join(', ')}`);
  }
  return { address: `${type}.${matches[0][0]}`, block: matches[0][1] };
}

export function resourcesOfType(tf: TfJson, type: string): TfBlock[] {
  return Object.values(tf.resource[type] ?? {});
}

/** A resource's logical ID without cdktf's hash suffix: its construct path joined by `_`. */
function logicalPath(key: string): string {
  return key.replace(/_[0-9A-F]{8}$/, '');
}

export function dependsOn(block: TfBlock): string[] {
  return (block.depends_on as string[] | undefined) ?? [];
}
