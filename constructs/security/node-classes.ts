/**
 * What the rules that judge Karpenter EC2NodeClass objects share: finding them in a Helm
 * release's values (as `ManifestRelease` delivers them) and turning per-object problems into a
 * verdict.
 */
import { ec2NodeClasses, helmReleaseValues, objectName } from './parse';
import { isRecord } from '../../core/json';
import { compliant, nonCompliant, notApplicable, RuleContext, RuleResult, SynthesizedConfig, unreadable } from './rule';

/**
 * Runs `problemsOf` on the `spec` of every EC2NodeClass in the release values; `unreadable` when
 * the values cannot be read at synth, `not-applicable` when they hold no EC2NodeClass. `where`
 * prefixes each problem with the object's name.
 */
export function judgeNodeClasses(
  config: SynthesizedConfig,
  ctx: RuleContext,
  problemsOf: (spec: Record<string, unknown>, where: string) => string[],
  okMessage: string,
): RuleResult {
  const { values, unreadable: why } = helmReleaseValues(config, ctx);
  if (values === undefined) return unreadable(why);
  const classes = ec2NodeClasses(values);
  if (classes.length === 0) return notApplicable('no EC2NodeClass in the release values');
  const problems = classes.flatMap((c) => problemsOf(isRecord(c.spec) ? c.spec : {}, `EC2NodeClass ${objectName(c)} spec`));
  return problems.length > 0 ? nonCompliant(problems.join('; ')) : compliant(`${classes.length} EC2NodeClass(es): ${okMessage}`);
}
