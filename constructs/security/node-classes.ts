/**
 * What the rules that judge Karpenter EC2NodeClass objects share: finding them in a Helm
 * release's values (as `ManifestRelease` delivers them) and turning per-object problems into a
 * verdict.
 */
import { ec2NodeClasses, helmReleaseValues, objectName } from './parse';
import { compliant, isRecord, nonCompliant, notApplicable, RuleResult, SynthesizedConfig } from './rule';

/**
 * Runs `problemsOf` on the `spec` of every EC2NodeClass in the release values; `not-applicable`
 * when the values are not YAML text or hold no EC2NodeClass. `where` prefixes each problem with
 * the object's name.
 */
export function judgeNodeClasses(
  config: SynthesizedConfig,
  problemsOf: (spec: Record<string, unknown>, where: string) => string[],
  okMessage: string,
): RuleResult {
  const values = helmReleaseValues(config);
  if (values === undefined) return notApplicable('the release values are not YAML text');
  const classes = ec2NodeClasses(values);
  if (classes.length === 0) return notApplicable('no EC2NodeClass in the release values');
  const problems = classes.flatMap((c) => problemsOf(isRecord(c.spec) ? c.spec : {}, `EC2NodeClass ${objectName(c)} spec`));
  return problems.length > 0 ? nonCompliant(problems.join('; ')) : compliant(`${classes.length} EC2NodeClass(es): ${okMessage}`);
}
