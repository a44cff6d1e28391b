/**
 * cdktf checks the installed Terraform's version at synth once per construct that needs a newer
 * Terraform: every `terraform_data` resource (>= 1.4), every import block (>= 1.5) and a stack with
 * moved blocks (>= 1.5) carry a `ValidateTerraformVersion`, and each one runs `terraform version`
 * in a child process when the app synthesizes (cdktf 0.21.0 and cdktn 0.24.0
 * `lib/validations/validate-binary-version.js`; cdktn marks that probe as legacy, its issue #275).
 * The bundled fleet example runs it 80 times, about 0.1 s each (measured here with Terraform
 * 1.11.4); the Jest suite ran it about 500 times, 40 s of an 83 s run.
 *
 * This makes each distinct check (binary, version command, constraint and hint, under the same PATH) run once per process and
 * answer every later construct with the first result: the installed Terraform does not change while
 * one app synthesizes. The check itself is kept: a Terraform older than a construct needs still
 * fails the synth with cdktf's own message. Under both toolchains: cdktf 0.21.0 (the last release,
 * so the private module patched here cannot move under the pinned version) and CDK Terrain
 * (`cdktn`, also when installed under the `cdktf` alias), whose module has the same path and class.
 *
 * The bundled app and the examples call it; a library user may call it in their own app.
 */
export function checkTerraformVersionOnce(): void {
  type Check = { validate(): string[]; binary: string; versionCommand: string; versionConstraint: string; hint?: string };
  const module = require('cdktf/lib/validations/validate-binary-version') as { ValidateBinaryVersion?: { prototype: Check } };
  const prototype = module.ValidateBinaryVersion?.prototype as (Check & { [ONCE]?: true }) | undefined;
  if (!prototype || prototype[ONCE]) return;
  const probe = prototype.validate;
  const answers = new Map<string, string[]>();
  prototype.validate = function validateOnce(this: Check): string[] {
    // PATH too: the binary the command finds is the installed one.
    const key = JSON.stringify([process.env.PATH ?? '', this.binary, this.versionCommand, this.versionConstraint, this.hint ?? '']);
    let answer = answers.get(key);
    if (!answer) {
      answer = probe.call(this);
      answers.set(key, answer);
    }
    return [...answer];
  };
  prototype[ONCE] = true;
}

/** Marks the prototype once patched, so a second call (the app, then a test setup) wraps nothing twice. */
const ONCE = Symbol.for('cilium-eks.checkTerraformVersionOnce');
