/**
 * `npm run versions` (scripts/versions.js): the report of the stack main.ts configures, run as a
 * user runs it on a fixed day, its refusal of a configuration past EKS extended support, and its
 * arguments.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { TEST_SUPPORT_CALENDAR_DATE } from './support/support-calendar-date';

const ROOT = path.join(__dirname, '..');
const script = require('../scripts/versions') as { main(argv: string[], env: NodeJS.ProcessEnv, io: Io): number };
const { formatVersionReport } = require('../scripts/lib/versions-format') as {
  formatVersionReport(rows: { component: string; version: string; source: string; supportEnds?: string; next: string; newerCommand: string }[], today: string, title: string): string;
};

interface Io {
  log(line: string): void;
  error(line: string): void;
}
function captured(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (l) => out.push(l), error: (l) => err.push(l) };
}

describe('npm run versions', () => {
  test('run as a user runs it: each component of the configured stack, its pin, support end, next step and a command for newer versions', () => {
    // WHEN
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'versions.js'), '--date', TEST_SUPPORT_CALENDAR_DATE], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    // THEN
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^cilium-eks \(cilium-eks\/cluster\): versions on 2026-12-04\n/);
    const components = [...out.matchAll(/^(\S[^:\n]*): (.+)$/gm)].map((m) => `${m[1]}: ${m[2]}`).slice(1);
    expect(components).toEqual([
      'Kubernetes (EKS): 1.35 (support ends 2027-03-27)',
      'Cilium chart: 1.19.6',
      'Karpenter: 1.14.1',
      'Tetragon chart: 1.7.0',
      'Fluent Bit chart (aws-for-fluent-bit): 0.2.0',
      'AL2023 AMI release: v20261012',
      'CDK for Terraform: cdktf 0.21.0 (support ended 2025-12-10)',
    ]);
    expect(out.match(/^ {2}next: {7}\S/gm)).toHaveLength(7);
    expect(out.match(/^ {2}newer\? {6}(aws|helm|git|npm) /gm)).toHaveLength(7);
    expect(out).toContain('the synth warns from 2026-12-27. Then: move to 1.36');
  });

  test('a configuration past EKS extended support on the day asked for does not build: exit 1 with the allowed versions', () => {
    const io = captured();
    expect(script.main(['--date', '2028-03-27'], process.env, io)).toBe(1);
    expect(io.err.join('\n')).toMatch(/^versions: the configuration in main\.ts does not build:\nkubernetesVersion: "1\.35" is not valid; allowed: one of 1\.36 \(EKS extended support of 1\.35 ended on 2028-03-27; /);
  });

  test('--help, and a --date that is not a date', () => {
    const help = captured();
    expect(script.main(['--help'], {}, help)).toBe(0);
    expect(help.out).toEqual(['usage: node scripts/versions.js [--date YYYY-MM-DD]']);
    const bad = captured();
    expect(script.main(['--date', '2027-02-30', '--json'], {}, bad)).toBe(2);
    expect(bad.err).toEqual(['versions: unknown option --json', 'versions: --date 2027-02-30 is not a date as YYYY-MM-DD', 'usage: node scripts/versions.js [--date YYYY-MM-DD]']);
  });

  test('a support end on or before the day reads "ended"', () => {
    const row = { component: 'X', version: '1', source: 's', next: 'n', newerCommand: 'c' };
    expect(formatVersionReport([{ ...row, supportEnds: '2026-12-04' }], '2026-12-04', 't')).toContain('X: 1 (support ended 2026-12-04)');
    expect(formatVersionReport([{ ...row, supportEnds: '2026-12-05' }], '2026-12-04', 't')).toContain('X: 1 (support ends 2026-12-05)');
    expect(formatVersionReport([row], '2026-12-04', 't')).toContain('X: 1\n');
  });
});
