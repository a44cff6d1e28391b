/**
 * The drain and rollback scripts of the old node groups, run by /bin/sh against stub `aws` and
 * `kubectl` commands that log their arguments: nothing reaches AWS or a cluster.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CORDON_SCRIPT, DRAIN_SCRIPT, RESTORE_SCRIPT, UNCORDON_SCRIPT } from '../constructs/migration/scripts';

interface Run {
  readonly status: number | null;
  readonly calls: string[];
  readonly leftovers: string[];
  readonly stderr: string;
}

/**
 * Runs `script` with stubs on PATH; the nodes of the group are `nodes`; `kubectl drain`, `aws eks
 * wait` and `aws eks update-nodegroup-config` exit with the codes given (0 by default).
 */
function run(script: string, env: Record<string, string>, options: { nodes?: string[]; drainExit?: number; waitExit?: number; updateExit?: number } = {}): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-migration-'));
  const bin = path.join(dir, 'bin');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(bin);
  fs.mkdirSync(tmp);
  const log = path.join(dir, 'calls.log');
  const nodes = (options.nodes ?? ['node/ip-10-0-1-10', 'node/ip-10-0-2-20']).join('\\n');
  fs.writeFileSync(
    path.join(bin, 'aws'),
    [
      '#!/bin/sh',
      `echo "aws $*" >> "${log}"`,
      `case "$2" in wait) exit ${options.waitExit ?? 0} ;; update-nodegroup-config) exit ${options.updateExit ?? 0} ;; esac`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(bin, 'kubectl'),
    [
      '#!/bin/sh',
      `echo "kubectl $*" >> "${log}"`,
      // The kubeconfig the script made must exist while kubectl runs.
      'case "$2" in /*) [ -f "$2" ] || { echo "no kubeconfig $2" >&2; exit 3; } ;; esac',
      `case "$3" in get) printf '${nodes}${nodes ? '\\n' : ''}' ;; drain) exit ${options.drainExit ?? 0} ;; esac`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const result = spawnSync('/bin/sh', ['-c', script], {
    env: { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: tmp, ...env },
    encoding: 'utf8',
  });
  const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  const leftovers = fs.readdirSync(tmp);
  fs.rmSync(dir, { recursive: true, force: true });
  // Stable kubeconfig paths in the log.
  return { status: result.status, calls: calls.map((c) => c.replace(/--kubeconfig \S+/g, '--kubeconfig KCFG')), leftovers, stderr: result.stderr };
}

const IDENTITY = { CLUSTER: 'shop-prod', REGION: 'eu-west-1', NODEGROUP: 'web', NODE_LABEL: 'eks.amazonaws.com/nodegroup' };
const TAINT = { TAINT_KEY: 'cilium-eks/migrating', TAINT_VALUE: 'true', TAINT_EFFECT: 'NO_SCHEDULE' };
const SIZES = { MIN_SIZE: '2', MAX_SIZE: '6', DESIRED_SIZE: '3', DRAIN_TIMEOUT: '1h' };
const KUBECONFIG = 'aws eks update-kubeconfig --region eu-west-1 --name shop-prod --kubeconfig KCFG';
const LIST = 'kubectl --kubeconfig KCFG get nodes -l eks.amazonaws.com/nodegroup=web -o name';
const WAIT = 'aws eks wait nodegroup-active --region eu-west-1 --cluster-name shop-prod --nodegroup-name web';

describe('cordon', () => {
  test('taints the node group NoSchedule, waits for it, cordons its nodes; the kubeconfig is removed', () => {
    const r = run(CORDON_SCRIPT, { ...IDENTITY, ...TAINT });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      KUBECONFIG,
      LIST,
      'aws eks update-nodegroup-config --region eu-west-1 --cluster-name shop-prod --nodegroup-name web --taints addOrUpdateTaints=[{key=cilium-eks/migrating,value=true,effect=NO_SCHEDULE}]',
      WAIT,
      'kubectl --kubeconfig KCFG cordon node/ip-10-0-1-10 node/ip-10-0-2-20',
    ]);
    expect(r.leftovers).toEqual([]);
  });

  test('a group without nodes is tainted and nothing is cordoned', () => {
    const r = run(CORDON_SCRIPT, { ...IDENTITY, ...TAINT }, { nodes: [] });
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c.includes(' cordon '))).toEqual([]);
  });

  test('rollback removes the taint and uncordons', () => {
    const r = run(UNCORDON_SCRIPT, { ...IDENTITY, ...TAINT });
    expect(r.status).toBe(0);
    expect(r.calls.slice(2)).toEqual([
      'aws eks update-nodegroup-config --region eu-west-1 --cluster-name shop-prod --nodegroup-name web --taints removeTaints=[{key=cilium-eks/migrating,value=true,effect=NO_SCHEDULE}]',
      WAIT,
      'kubectl --kubeconfig KCFG uncordon node/ip-10-0-1-10 node/ip-10-0-2-20',
    ]);
  });
});

describe('drain', () => {
  test('drains the nodes through evictions, then scales the group to zero keeping its maximum', () => {
    const r = run(DRAIN_SCRIPT, { ...IDENTITY, ...SIZES });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      KUBECONFIG,
      LIST,
      'kubectl --kubeconfig KCFG drain node/ip-10-0-1-10 node/ip-10-0-2-20 --ignore-daemonsets --delete-emptydir-data --timeout=1h',
      'aws eks update-nodegroup-config --region eu-west-1 --cluster-name shop-prod --nodegroup-name web --scaling-config minSize=0,maxSize=6,desiredSize=0',
      WAIT,
    ]);
    expect(r.leftovers).toEqual([]);
  });

  test('a drain that PodDisruptionBudgets hold past the timeout fails the deploy and the group keeps its nodes', () => {
    const r = run(DRAIN_SCRIPT, { ...IDENTITY, ...SIZES }, { drainExit: 1 });
    expect(r.status).not.toBe(0);
    expect(r.calls.some((c) => c.includes('--scaling-config'))).toBe(false);
    expect(r.leftovers).toEqual([]);
  });

  test('once the scale-down is accepted, a wait that times out is a warning, not a failed step', () => {
    const r = run(DRAIN_SCRIPT, { ...IDENTITY, ...SIZES }, { waitExit: 255 });
    expect(r.status).toBe(0);
    expect(r.calls[r.calls.length - 2]).toMatch(/--scaling-config minSize=0,maxSize=6,desiredSize=0$/);
    expect(r.stderr).toContain('warning: node group web is scaling to zero but not ACTIVE yet');
  });

  test('a refused scale-down fails the step', () => {
    const r = run(DRAIN_SCRIPT, { ...IDENTITY, ...SIZES }, { updateExit: 254 });
    expect(r.status).not.toBe(0);
    expect(r.calls.some((c) => c.includes(' wait '))).toBe(false);
  });

  test('rollback restores the sizes the group had before the drain', () => {
    const r = run(RESTORE_SCRIPT, { ...IDENTITY, ...SIZES });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      'aws eks update-nodegroup-config --region eu-west-1 --cluster-name shop-prod --nodegroup-name web --scaling-config minSize=2,maxSize=6,desiredSize=3',
      WAIT,
    ]);
  });

  test('a missing variable stops the script before it changes anything (set -u)', () => {
    const r = run(DRAIN_SCRIPT, { ...IDENTITY });
    expect(r.status).not.toBe(0);
    expect(r.calls.some((c) => c.includes('update-nodegroup-config'))).toBe(false);
  });
});
