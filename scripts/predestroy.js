#!/usr/bin/env node
/**
 * Lists what would stop `npm run destroy` from deleting the VPC, or stay behind after it, while
 * the cluster still runs and can clean up after itself (`npm run predestroy`; npm also runs it
 * before every `npm run destroy`, as its `pre` script).
 *
 *   node scripts/predestroy.js [--cluster NAME] [--region REGION] [--vpc-id VPC] [--aws-only]
 *
 * Defaults: $CLUSTER_NAME, $AWS_REGION / $AWS_DEFAULT_REGION, then main.ts's config; the VPC from
 * `aws eks describe-cluster`. Needs `kubectl` (pointed at the cluster) and the AWS CLI v2 on the
 * PATH. Prints every command it runs and, for each finding, the command that removes it.
 * `--aws-only` (with `--vpc-id`) checks the VPC without the cluster, e.g. after a destroy that
 * deleted the cluster but not the VPC; it says which checks it did not run.
 *
 * Exit status: 0 nothing found; 1 something blocks the VPC's deletion or would be left behind;
 * 2 a check could not run (a CLI missing or failing): then nothing is known, and it says so.
 * The rules are in scripts/lib/predestroy-checks.js.
 */
'use strict';
const checks = require('./lib/predestroy-checks');
const { consoleIo, run, runJson } = require('./lib/run');
const { startScript } = require('./lib/target');

const USAGE = 'usage: node scripts/predestroy.js [--cluster NAME] [--region REGION] [--vpc-id VPC] [--aws-only]';

/**
 * The run: `argv` without node and the script, `env` for the commands and the defaults, `io` where
 * lines go (`consoleIo` from the command line). Returns the exit status.
 */
function main(argv, env, io) {
  const start = startScript(
    {
      name: 'predestroy',
      usage: USAGE,
      optionNames: ['cluster', 'region', 'vpc-id'],
      flagNames: ['aws-only'],
      check: (flags, target) => (flags['aws-only'] && !target.vpc ? ['--aws-only needs the VPC: pass --vpc-id or set VPC_ID'] : []),
    },
    argv,
    env,
    io,
  );
  if ('exit' in start) return start.exit;
  const { flags, target } = start;
  const cluster = target.cluster.value;
  const region = target.region.value;

  const results = [];
  /** Runs one check: prints the commands, then its findings or its failure. */
  const check = (title, commands, evaluate) => {
    const outputs = [];
    for (const [cmd, args, asJson] of commands) {
      const r = asJson === false ? run(cmd, args, { env }) : runJson(cmd, args, { env });
      io.log(`\n$ ${r.command}`);
      if (!r.ok) {
        io.log(`  FAILED  ${title}: could not check: ${r.error}`);
        results.push({ title, error: r.error });
        return undefined;
      }
      outputs.push(asJson === false ? r.stdout : r.json);
    }
    let found;
    try {
      found = evaluate(...outputs);
    } catch (e) {
      io.log(`  FAILED  ${title}: could not read the output: ${e.message}`);
      results.push({ title, error: e.message });
      return undefined;
    }
    if (Array.isArray(found)) {
      results.push({ title, findings: found });
      if (found.length === 0) io.log(`  ok      ${title}: none`);
      for (const f of found) {
        io.log(`  ${f.kind === 'blocks' ? 'BLOCKS ' : 'STAYS  '} ${f.what}`);
        io.log(`          ${f.why}`);
        for (const fix of f.fix) io.log(`          fix: ${fix}`);
      }
    }
    return found;
  };

  // The VPC: given, or the cluster's.
  let vpcId = target.vpc && target.vpc.value;
  if (vpcId) io.log(`VPC ${vpcId} (${target.vpc.from})`);
  else {
    const r = runJson('aws', ['eks', 'describe-cluster', '--region', region, '--name', cluster, '--output', 'json'], { env });
    io.log(`\n$ ${r.command}`);
    try {
      if (!r.ok) throw new Error(r.error);
      vpcId = checks.vpcOfCluster(r.json);
      io.log(`  VPC ${vpcId}`);
    } catch (e) {
      io.log(`  FAILED  the cluster's VPC: ${e.message} (pass --vpc-id to check the VPC anyway)`);
      results.push({ title: 'VPC of the cluster', error: e.message });
    }
  }

  // In the cluster: what users created that makes AWS resources.
  if (flags['aws-only']) io.log('\n  NOT RUN Services of type LoadBalancer, PersistentVolumeClaims, NodeClaims (--aws-only)');
  else inCluster(check, io);

  // In the VPC: what is already there that Terraform does not know.
  if (vpcId) {
    check('Load balancers (ALB/NLB) in the VPC', [['aws', ['elbv2', 'describe-load-balancers', '--region', region, '--output', 'json']]], (j) =>
      checks.loadBalancersV2(j, vpcId, region),
    );
    check('Classic load balancers in the VPC', [['aws', ['elb', 'describe-load-balancers', '--region', region, '--output', 'json']]], (j) =>
      checks.classicLoadBalancers(j, vpcId, region),
    );
    check('Target groups in the VPC', [['aws', ['elbv2', 'describe-target-groups', '--region', region, '--output', 'json']]], (j) =>
      checks.targetGroups(j, vpcId, region),
    );
    check(
      "Detached EBS volumes of the cluster",
      [
        [
          'aws',
          ['ec2', 'describe-volumes', '--region', region, '--filters', `Name=tag-key,Values=kubernetes.io/cluster/${cluster}`, 'Name=status,Values=available', '--output', 'json'],
        ],
      ],
      (j) => checks.detachedVolumes(j, region),
    );
    check(
      'Network interfaces left in the subnets',
      [['aws', ['ec2', 'describe-network-interfaces', '--region', region, '--filters', `Name=vpc-id,Values=${vpcId}`, '--output', 'json']]],
      (j) => checks.networkInterfaces(j, region),
    );
  }

  const code = checks.exitCode(results);
  const count = results.reduce((n, r) => n + (r.findings || []).length, 0);
  const failed = results.filter((r) => r.error).map((r) => r.title);
  io.log('');
  if (code === 2) {
    io.log(`predestroy: FAILED: ${failed.length} check(s) could not run (${failed.join('; ')}). Nothing is known about them: fix the cause and run it again.`);
    if (count > 0) io.log(`predestroy: besides, ${count} item(s) above would block deleting the VPC or stay behind.`);
  } else if (code === 1) {
    io.log(`predestroy: ${count} item(s) would block deleting the VPC or stay behind. Remove them (commands above), run \`npm run predestroy\` again, then \`npm run destroy\`.`);
  } else {
    io.log(`predestroy: nothing found that would block the destroy${flags['aws-only'] ? ' in the VPC (the cluster was not checked: --aws-only)' : ''}.`);
  }
  return code;
}

/** The checks that need the cluster. */
function inCluster(check, io) {
  check('Services of type LoadBalancer', [['kubectl', ['get', 'services', '--all-namespaces', '-o', 'json']]], checks.loadBalancerServices);
  check('PersistentVolumeClaims', [['kubectl', ['get', 'persistentvolumeclaims', '--all-namespaces', '-o', 'json']]], checks.persistentVolumeClaims);
  // The CRD itself, not `kubectl api-resources`: discovery fails as a whole when any aggregated
  // API (metrics-server, ...) is down.
  const api = check('Karpenter API', [['kubectl', ['get', 'customresourcedefinition', 'nodeclaims.karpenter.sh', '--ignore-not-found', '-o', 'name'], false]], (text) => {
    const present = checks.hasKarpenterApi(text);
    io.log(present ? '  NodeClaim CRD present' : '  no NodeClaim CRD in the cluster: Karpenter is not installed, no NodeClaim to check');
    return present;
  });
  if (api === true) {
    check(
      'NodeClaims the destroy would not wait for',
      [
        ['kubectl', ['get', 'nodepools.karpenter.sh', '-o', 'json']],
        ['kubectl', ['get', 'nodeclaims.karpenter.sh', '-o', 'json']],
      ],
      checks.unmanagedNodeClaims,
    );
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), process.env, consoleIo);

module.exports = { main };
