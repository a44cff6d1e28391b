import { Aspects, LocalBackend, TerraformStack } from './cdktf';
import { CiliumEksSecurityChecks, CiliumEksSecurityChecksProps } from './security/security-aspect';
import { withPropertyPrefix } from '../core/props';

/** What every stack of this project takes besides its own props. */
export interface StackSetupOptions {
  /**
   * Keep state in a local file beside the project (`terraform.<stack id>.tfstate`), named by a
   * relative path so the synthesized output holds no machine path. Set false to add your own backend.
   * @default true
   */
  readonly localBackend?: boolean;
  /** The security baseline checks (docs/security.md#security-baseline-checks); `false` runs none. @default - every rule on */
  readonly securityChecks?: CiliumEksSecurityChecksProps | false;
}

/**
 * What every stack of the project sets up the same way: no cdktf stack traces (they carry machine
 * paths into manifest.json), the local backend, and the security checks, whose errors name
 * `securityChecks.*` as the user wrote it.
 */
export function setUpStack(stack: TerraformStack, id: string, options: StackSetupOptions): void {
  stack.node.setContext('@cdktf/disable_stack_trace_in_metadata', true);
  addSecurityChecks(stack, options.securityChecks);
  // Terraform runs in cdktf.out/stacks/<id>/: three levels up is the project root.
  if (options.localBackend ?? true) new LocalBackend(stack, { path: `../../../terraform.${id}.tfstate` });
}

/** Adds the security checks to `stack` unless `securityChecks` is false. */
export function addSecurityChecks(stack: TerraformStack, securityChecks: CiliumEksSecurityChecksProps | false | undefined): void {
  if (securityChecks === false) return;
  Aspects.of(stack).add(withPropertyPrefix('securityChecks', () => new CiliumEksSecurityChecks(securityChecks ?? {})));
}
