/**
 * `npm run verify -- --fleet ...` (scripts/lib/verify-fleet.js) against stub `kubectl` and
 * `cilium` commands: a healthy fleet, and each way it can be broken.
 */
import * as fs from 'fs';
import * as path from 'path';
import { codeBlocks } from './support/markdown';
import { fixture, Recording, runScript } from './support/stub-cli';

const f = require('../scripts/lib/verify-fleet') as {
  MESH_CLIENT_POD: string;
  parseFleet(text: string): { members: { cluster: string; context: string }[]; errors: string[] };
  hasMultiCluster(help: string): boolean;
  crossClusterAnswers(output: string, local: string, pods: Record<string, string[]>): { pass: boolean; detail: string };
  meshClientRunArgs(context: string, namespace: string, image: string): string[];
};

const EU_PODS = ['echo-6d9f7c5b8-2kq4x', 'echo-6d9f7c5b8-x7m2p'];
const US_PODS = ['echo-7b4c9d6f5-9hz3r', 'echo-7b4c9d6f5-tq8wn'];
const answers = (pods: string[]): string => [0, 1, 0, 1, 1, 0].map((i) => pods[i]).join('\n') + '\n';

/** A healthy fleet of two clusters with echo.yaml applied; an override replaces the recording of the same command. */
function fleet(overrides: Recording[] = []): Recording[] {
  const base: Recording[] = [
    { cmd: 'kubectl', args: 'config get-contexts -o name', stdout: 'eu-west-1a\nus-east-1a\nstaging\n' },
    { cmd: 'cilium', args: 'clustermesh status --context eu-west-1a', stdout: fixture('cilium-clustermesh-status-connected.txt') },
    { cmd: 'cilium', args: 'clustermesh status --context us-east-1a', stdout: fixture('cilium-clustermesh-status-connected.txt') },
    { cmd: 'kubectl', args: '--context eu-west-1a -n mesh-echo get service echo', stdout: 'service/echo\n' },
    { cmd: 'kubectl', args: '--context us-east-1a -n mesh-echo get service echo', stdout: 'service/echo\n' },
    { cmd: 'kubectl', args: '--context eu-west-1a -n mesh-echo get pods -l app=echo', stdout: fixture('k8s-echo-pods-eu-west-1a.json') },
    { cmd: 'kubectl', args: '--context us-east-1a -n mesh-echo get pods -l app=echo', stdout: fixture('k8s-echo-pods-us-east-1a.json') },
    { cmd: 'kubectl', args: '--context eu-west-1a -n mesh-echo delete pod', stdout: '' },
    { cmd: 'kubectl', args: '--context us-east-1a -n mesh-echo delete pod', stdout: '' },
    { cmd: 'kubectl', args: `--context eu-west-1a -n mesh-echo run ${f.MESH_CLIENT_POD}`, stdout: answers(US_PODS) },
    { cmd: 'kubectl', args: `--context us-east-1a -n mesh-echo run ${f.MESH_CLIENT_POD}`, stdout: answers(EU_PODS) },
    { cmd: 'cilium', args: 'connectivity test --help', stdout: fixture('cilium-connectivity-test-help-multicluster.txt') },
    { cmd: 'cilium', args: 'connectivity test --context eu-west-1a --multi-cluster us-east-1a', stdout: 'All 61 tests (620 actions) successful, 41 tests skipped, 0 scenarios skipped.\n' },
  ];
  const key = (r: Recording): string => `${r.cmd} ${r.args}`;
  const replaced = new Set(overrides.map(key));
  return [...overrides, ...base.filter((r) => !replaced.has(key(r)))];
}

const ARGS = ['--fleet', 'eu-west-1a,us-east-1a'];

describe('verify --fleet', () => {
  test('a healthy fleet: clustermesh status per context, a global service answered from the other cluster, the multi-cluster connectivity test', () => {
    const r = runScript('verify.js', ARGS, fleet());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\[1\/5\] clustermesh status eu-west-1a: .*\n {2}\$ cilium clustermesh status --context eu-west-1a --wait --wait-duration 5m\n {2}PASS/);
    expect(r.stdout).toContain('PASS  6 of 6 answers in eu-west-1a came from us-east-1a');
    expect(r.stdout).toContain('PASS  6 of 6 answers in us-east-1a came from eu-west-1a');
    expect(r.calls).toContain('cilium connectivity test --context eu-west-1a --multi-cluster us-east-1a');
    expect(r.stdout).toMatch(/verify: all fleet checks passed\n$/);
    // THEN the client runs labelled for echo.yaml's policies, restricted, in the check's namespace
    const run = r.calls.find((c) => c.startsWith(`kubectl --context eu-west-1a -n mesh-echo run ${f.MESH_CLIENT_POD}`)) as string;
    expect(run).toContain('--labels=app=echo-client');
    expect(run).toContain('"runAsNonRoot":true');
  });

  test('a peer not connected: that cluster FAILs with what to look at, the run goes on and exits 1', () => {
    const r = runScript('verify.js', ARGS, fleet([{ cmd: 'cilium', args: 'clustermesh status --context us-east-1a', stderr: fixture('cilium-clustermesh-status-timeout.txt'), status: 1 }]));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\[2\/5\] clustermesh status us-east-1a[^\n]*\n[^\n]*\n {2}FAIL {2}could not check: cilium clustermesh status --context us-east-1a --wait --wait-duration 5m: exited 1: [^\n]*context deadline exceeded/);
    expect(r.stdout).toContain('what to do: cilium clustermesh status --context us-east-1a (without --wait) names the peer that is not connected');
    expect(r.stdout).toContain('what to do: kubectl --context us-east-1a -n kube-system get targetgroupbindings,pods -l k8s-app=clustermesh-apiserver');
    expect(r.stdout).toMatch(/verify: 1 fleet check\(s\) FAILED\n$/);
  });

  test('answers from the local cluster only (the Service is not global everywhere): FAIL, saying so', () => {
    const r = runScript('verify.js', ARGS, fleet([{ cmd: 'kubectl', args: `--context eu-west-1a -n mesh-echo run ${f.MESH_CLIENT_POD}`, stdout: answers(EU_PODS) }]));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL  6 of 6 answers in eu-west-1a came from its own pods');
    expect(r.stdout).toContain('what to do: answers from its own pods only: the Service is not global in every cluster');
  });

  test('no answer at all (a policy drops it): FAIL with the hubble command to see the drop', () => {
    const r = runScript('verify.js', ARGS, fleet([{ cmd: 'kubectl', args: `--context us-east-1a -n mesh-echo run ${f.MESH_CLIENT_POD}`, stdout: '\n' }]));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL  no answer from the echo Service in us-east-1a');
    expect(r.stdout).toContain('what to do: hubble observe -P --namespace mesh-echo --last 20');
  });

  test('echo.yaml not applied everywhere: the global-service checks SKIP with what to apply; the rest still decides', () => {
    const r = runScript('verify.js', ARGS, fleet([{ cmd: 'kubectl', args: '--context us-east-1a -n mesh-echo get service echo', stdout: '' }]));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('SKIP  no Service mesh-echo/echo in us-east-1a: apply examples/cluster-mesh/echo.yaml in every cluster');
    expect(r.calls.some((c) => c.includes(' run '))).toBe(false);
  });

  test('a cilium CLI without --multi-cluster: the connectivity test SKIPs, detected from its --help', () => {
    const r = runScript('verify.js', ARGS, fleet([{ cmd: 'cilium', args: 'connectivity test --help', stdout: fixture('cilium-connectivity-test-help-single.txt') }]));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('SKIP  the installed cilium CLI has no --multi-cluster');
    expect(r.calls.filter((c) => c.startsWith('cilium connectivity test'))).toEqual(['cilium connectivity test --help']);
  });

  test('a context that does not exist: refused (exit 3) before any check, with the command that writes it', () => {
    const r = runScript('verify.js', ['--fleet', 'eu-west-1a,us-west-2a'], fleet());
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('verify: refused: no kube context us-west-2a');
    expect(r.stderr).toContain("aws eks update-kubeconfig --region <its region> --name us-west-2a --alias us-west-2a (the stack's kubeconfig_command_us_west_2a output)");
    expect(r.calls).toEqual(['kubectl config get-contexts -o name']);
  });

  test('contexts other than the cluster names, and --quick', () => {
    const r = runScript('verify.js', ['--fleet', 'eu-west-1a=eu,us-east-1a=us', '--quick'], [
      { cmd: 'kubectl', args: 'config get-contexts -o name', stdout: 'eu\nus\n' },
      { cmd: 'cilium', args: 'clustermesh status --context eu', stdout: '' },
      { cmd: 'cilium', args: 'clustermesh status --context us', stdout: '' },
      { cmd: 'kubectl', args: '--context eu -n mesh-echo get service echo', stdout: '' },
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('fleet of 2 clusters: eu-west-1a (context eu), us-east-1a (context us)');
    expect(r.stdout).toContain('SKIP  skipped (--quick)');
  });

  test('bad usage: one cluster, a duplicate, a single-cluster flag (exit 2)', () => {
    expect(runScript('verify.js', ['--fleet', 'eu-west-1a'], []).stderr).toContain('--fleet takes at least two clusters');
    expect(runScript('verify.js', ['--fleet', 'a,a'], []).stderr).toContain('--fleet: cluster a is listed twice');
    const r = runScript('verify.js', ['--fleet', 'a,b', '--cluster', 'a'], []);
    expect([r.status, r.calls]).toEqual([2, []]);
    expect(r.stderr).toContain('--cluster checks one cluster and does not go with --fleet');
    expect(runScript('verify.js', ['--mesh-namespace', 'x'], []).stderr).toContain('--mesh-namespace goes with --fleet');
  });

  test('the judgements: parsing, the help text, the answers', () => {
    expect(f.parseFleet('a, b=ctx-b').members).toEqual([
      { cluster: 'a', context: 'a' },
      { cluster: 'b', context: 'ctx-b' },
    ]);
    expect(f.hasMultiCluster(fixture('cilium-connectivity-test-help-multicluster.txt'))).toBe(true);
    expect(f.hasMultiCluster('      --multi-cluster-x string')).toBe(false);
    expect(f.crossClusterAnswers('echo-a\nsomething-else\n', 'x', { x: [], y: ['echo-a'] })).toEqual({ pass: false, detail: '1 of 2 answers in x name no echo pod: something-else' });
  });
});

describe('docs/fleet.md "Check it"', () => {
  const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'fleet.md'), 'utf8');
  const block = codeBlocks(page).find((b) => b.lang === 'sh' && b.text.includes('examples/cluster-mesh/echo.yaml'));
  const lines = (block?.text ?? '').split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);

  test('the files it applies exist, and the names it waits for and reads are the manifests\'', () => {
    expect(lines.length).toBeGreaterThan(5);
    const files = lines.flatMap((l) => [...l.matchAll(/-f (\S+)/g)].map((m) => m[1]));
    expect(files.sort()).toEqual(['examples/cluster-mesh/client.yaml', 'examples/cluster-mesh/echo.yaml', 'examples/cluster-mesh/echo.yaml', 'examples/cluster-mesh/echo.yaml']);
    for (const file of files) expect(fs.existsSync(path.join(__dirname, '..', file))).toBe(true);
    const client = fs.readFileSync(path.join(__dirname, '..', 'examples', 'cluster-mesh', 'client.yaml'), 'utf8');
    for (const l of lines.filter((x) => x.includes(' -n '))) expect(l).toContain(' -n mesh-echo ');
    expect(lines.join('\n')).toContain('job/echo-client');
    expect(client).toMatch(/kind: Job\nmetadata:\n {2}name: echo-client\n/);
  });

  test('its verify line runs as written against a healthy fleet of the example\'s three clusters', () => {
    const line = lines.find((l) => l.startsWith('npm run verify -- ')) as string;
    const args = line.replace('npm run verify -- ', '').split(/\s+/);
    const clusters = ['eu-west-1a', 'eu-west-1b', 'us-east-1a'];
    const pods: Record<string, string[]> = { 'eu-west-1a': EU_PODS, 'eu-west-1b': ['echo-5f8d7c6b9-4lm2v', 'echo-5f8d7c6b9-8sk1q'], 'us-east-1a': US_PODS };
    const podList = (names: string[]): string => JSON.stringify({ items: names.map((n) => ({ metadata: { name: n }, status: { phase: 'Running' } })) });
    const table: Recording[] = [
      { cmd: 'kubectl', args: 'config get-contexts -o name', stdout: `${clusters.join('\n')}\n` },
      { cmd: 'cilium', args: 'connectivity test --help', stdout: fixture('cilium-connectivity-test-help-multicluster.txt') },
      { cmd: 'cilium', args: 'connectivity test --context eu-west-1a --multi-cluster eu-west-1b', stdout: '' },
      ...clusters.flatMap((c): Recording[] => [
        { cmd: 'cilium', args: `clustermesh status --context ${c}`, stdout: fixture('cilium-clustermesh-status-connected.txt') },
        { cmd: 'kubectl', args: `--context ${c} -n mesh-echo get service echo`, stdout: 'service/echo\n' },
        { cmd: 'kubectl', args: `--context ${c} -n mesh-echo get pods -l app=echo`, stdout: podList(pods[c]) },
        { cmd: 'kubectl', args: `--context ${c} -n mesh-echo delete pod`, stdout: '' },
        { cmd: 'kubectl', args: `--context ${c} -n mesh-echo run`, stdout: answers(pods[clusters.find((o) => o !== c) as string]) },
      ]),
    ];
    const r = runScript('verify.js', args, table);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('[7/7] connectivity test, multi-cluster');
  });
});

