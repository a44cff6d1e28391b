#!/usr/bin/env node
/**
 * Lists what would stop `npm run destroy` from deleting the VPC, or stay behind after it, while
 * the cluster still runs and can clean up after itself, and what the destroy keeps on purpose (the
 * evidence log groups and their key). `npm run predestroy`; npm also runs it before every
 * `npm run destroy`, as its `pre` script. With `--delete` it deletes what it found, after listing
 * it, once confirmed. Flags and exit codes: HELP below (`--help`). The rules are in
 * scripts/lib/predestroy-checks.js; the context check in scripts/lib/context-checks.js.
 */
'use strict';
const fs = require('fs');
const checks = require('./lib/predestroy-checks');
const fleetChecks = require('./lib/predestroy-fleet');
const { checkContext } = require('./lib/context-checks');
const { commandLine, consoleIo, run, runJson } = require('./lib/run');
const { createSteps } = require('./lib/steps');
const { parseArgs, startScript } = require('./lib/target');

const USAGE = 'usage: node scripts/predestroy.js [--cluster NAME] [--region REGION] [--vpc-id VPC] [--aws-only] [--fleet FILE] [--delete [--yes]] [--help]';

const HELP = `${USAGE}

Lists what would stop \`npm run destroy\` from deleting the VPC (load balancers, interfaces, ...) or
stay behind after it (volumes, target groups), each with the command that removes it, and what the
destroy keeps on purpose: the cluster's evidence log groups and their KMS key, with the commands
that delete them deliberately. First it checks that the current kube context is the cluster's (its
API server is the endpoint of \`aws eks describe-cluster\`) and refuses to run otherwise.

Flags:
  --cluster NAME   the EKS cluster (default: $CLUSTER_NAME, then main.ts's config)
  --region REGION  its region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then main.ts)
  --vpc-id VPC     the VPC to check (default: the cluster's, from aws eks describe-cluster)
  --aws-only       check the VPC without the cluster (it is gone, the VPC is not); needs --vpc-id;
                   no kube context is read and the in-cluster checks are reported as not run
  --fleet FILE     a meshed fleet (the stack's outputs: cdktf output <stack> --outputs-file FILE):
                   with --cluster, that cluster leaves: its shared global Services are drained, the
                   other clusters' mesh Secrets drop it, then its own checks; without, every
                   cluster's own checks. kubectl uses the context named after each cluster
  --delete         after listing, run the listed removal commands (never the kept evidence's):
                   it prints every command first, then asks for confirmation on a terminal
  --yes            confirm --delete without a prompt (required when not on a terminal: CI, pipes)
  --help           this text

Needs on the PATH: kubectl (unless --aws-only) and the AWS CLI v2.

Exit status:
  0  nothing found that would block the destroy or stay behind
  1  something would block or stay behind (with --delete: found, and its commands were run; run
     predestroy again to confirm nothing is left)
  2  bad usage, or a check (or a --delete command) could not run: nothing is known about it
  3  refused: the current kube context is not the cluster (both are named), or --delete was not
     confirmed (nothing was deleted)`;

/** The flags that take a value, and those that do not (`--help` besides). */
const OPTION_NAMES = ['cluster', 'region', 'vpc-id', 'fleet'];
const FLAG_NAMES = ['aws-only', 'delete', 'yes'];

/**
 * The run: `argv` without node and the script, `env` for the commands and the defaults, `io` where
 * lines go (`consoleIo` from the command line; `io.interactive` and `io.ask` for the prompt).
 * Returns the exit status.
 */
function main(argv, env, io) {
  const pre = parseArgs(argv, OPTION_NAMES, [...FLAG_NAMES, 'help']);
  if (!pre.flags.help && pre.errors.length === 0 && pre.options.fleet !== undefined) return fleetMain(pre.options, pre.flags, env, io);
  const start = startScript(
    {
      name: 'predestroy',
      usage: USAGE,
      help: HELP,
      optionNames: OPTION_NAMES,
      flagNames: FLAG_NAMES,
      check: (flags, target) => [
        ...(flags['aws-only'] && !target.vpc ? ['--aws-only needs the VPC: pass --vpc-id or set VPC_ID'] : []),
        ...(flags.yes && !flags.delete ? ['--yes confirms --delete: pass both, or neither'] : []),
      ],
    },
    argv,
    env,
    io,
  );
  if ('exit' in start) return start.exit;
  const { flags, target } = start;
  const cluster = target.cluster.value;
  const region = target.region.value;
  const awsOnly = Boolean(flags['aws-only']);

  // The right cluster or nothing: before any check (unless the cluster is gone: --aws-only).
  let vpcId = target.vpc && target.vpc.value;
  if (!awsOnly) {
    io.log(`\nThe kube context must be cluster ${cluster}:`);
    const context = checkContext(cluster, region, env, io);
    if (!context.ok) {
      io.error(`predestroy: refused: ${context.detail}`);
      for (const f of context.fix) io.error(`predestroy: what to do: ${f}`);
      if (!target.vpc) io.error('predestroy: if the cluster is already gone, check its VPC alone: --aws-only --vpc-id vpc-...');
      return 3;
    }
    io.log(`  ok    ${context.detail}`);
    if (!vpcId) {
      try {
        vpcId = checks.vpcOfCluster(context.describe);
      } catch (e) {
        io.error(`predestroy: ${e.message} (pass --vpc-id)`);
        return 2;
      }
    }
  }
  io.log(`VPC ${vpcId} (${target.vpc ? target.vpc.from : 'aws eks describe-cluster'})`);

  const steps = createSteps(io, (awsOnly ? 0 : 4) + 5 + 1);
  const results = [];
  const kept = clusterChecks({ cluster, region, vpcId, awsOnly }, env, io, steps, results);
  return finish(results, kept, flags, env, io, awsOnly ? ' in the VPC (the cluster was not checked: --aws-only)' : '');
}

/** The summary of a run, then `--delete`'s commands. Returns the exit status. */
function finish(results, kept, flags, env, io, scope) {
  const code = checks.exitCode(results);
  const findings = results.flatMap((r) => r.findings || []);
  const failed = results.filter((r) => r.error).map((r) => r.title);
  io.log('');
  const keptCount = kept.filter((k) => k.kind === 'kept').length;
  if (keptCount > 0) io.log(`predestroy: the destroy keeps ${keptCount} item(s) of evidence on purpose (listed above as KEPT, with the commands that delete them deliberately).`);
  if (code === 2) {
    io.log(`predestroy: FAILED: ${failed.length} check(s) could not run (${failed.join('; ')}). Nothing is known about them: fix the cause and run it again.`);
    if (findings.length > 0) io.log(`predestroy: besides, ${findings.length} item(s) above would block deleting the VPC or stay behind.`);
  } else if (code === 1) {
    io.log(`predestroy: ${findings.length} item(s) would block deleting the VPC or stay behind. Remove them (commands above, or --delete), run \`npm run predestroy\` again, then \`npm run destroy\`.`);
  } else {
    io.log(`predestroy: nothing found that would block the destroy${scope}.`);
  }
  if (!flags.delete || findings.length === 0) {
    if (flags.delete) io.log('predestroy --delete: nothing to delete.');
    return code;
  }
  return deleteFindings(findings, Boolean(flags.yes), env, io, code);
}

/**
 * A check runner: `check(title, commands, evaluate)` runs one check as a step (prints the commands,
 * then its findings or its failure) and records it in `results`. `adapt` turns each command, and
 * each finding's fix, into the form that reaches the right cluster (a fleet's `--context`).
 */
function checkRunner(io, steps, results, env, adapt = (found) => found, adaptCommand = (c) => c) {
  return (title, commands, evaluate) => {
    steps.start(title);
    const outputs = [];
    for (const command of commands) {
      const [cmd, args] = adaptCommand(command);
      const asJson = command[2];
      const r = asJson === false ? run(cmd, args, { env }) : runJson(cmd, args, { env });
      io.log(`  $ ${r.command}`);
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
      found = adapt(found);
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
}

/**
 * One cluster's checks, in the cluster (unless `awsOnly`) and in its VPC, then its kept evidence.
 * `kube` and `aws` add what reaches the cluster to each kubectl and AWS CLI call (a fleet's
 * `--context <name>`, an account's `--profile`). Returns the kept evidence.
 */
function clusterChecks({ cluster, region, vpcId, awsOnly, context, awsProfile }, env, io, steps, results) {
  const adapt = (found) => fleetChecks.forCluster(found, context, awsProfile);
  const adaptCommand = ([c, args, asJson]) => [c, adapt([{ commands: [[c, args]] }])[0].commands[0][1], asJson];
  const check = checkRunner(io, steps, results, env, adapt, adaptCommand);
  const scope = context === undefined ? '' : ` (${cluster})`;
  // In the cluster: what users created that makes AWS resources.
  if (awsOnly) io.log('\n  NOT RUN Services of type LoadBalancer, PersistentVolumeClaims, NodeClaims (--aws-only)');
  else inCluster(check, steps, io, scope);

  // In the VPC: what is already there that Terraform does not know.
  check(`Load balancers (ALB/NLB) in the VPC${scope}`, [['aws', ['elbv2', 'describe-load-balancers', '--region', region, '--output', 'json']]], (j) => checks.loadBalancersV2(j, vpcId, region));
  check(`Classic load balancers in the VPC${scope}`, [['aws', ['elb', 'describe-load-balancers', '--region', region, '--output', 'json']]], (j) => checks.classicLoadBalancers(j, vpcId, region));
  check(`Target groups in the VPC${scope}`, [['aws', ['elbv2', 'describe-target-groups', '--region', region, '--output', 'json']]], (j) => checks.targetGroups(j, vpcId, region));
  check(
    `Detached EBS volumes of the cluster${scope}`,
    [['aws', ['ec2', 'describe-volumes', '--region', region, '--filters', `Name=tag-key,Values=kubernetes.io/cluster/${cluster}`, 'Name=status,Values=available', '--output', 'json']]],
    (j) => checks.detachedVolumes(j, region),
  );
  check(`Network interfaces left in the subnets${scope}`, [['aws', ['ec2', 'describe-network-interfaces', '--region', region, '--filters', `Name=vpc-id,Values=${vpcId}`, '--output', 'json']]], (j) => checks.networkInterfaces(j, region));

  return keptEvidence(cluster, region, env, io, steps, results, (args) => adaptCommand(['aws', args])[1], scope, adapt);
}

/**
 * `--fleet FILE`: the clusters that leave (`--cluster`, else all) and, in this order, what keeps the
 * others from pointing at them (scripts/lib/predestroy-fleet.js): their shared global Services
 * drained, the others' mesh Secrets without them, then each one's own checks. Every context is
 * checked first: the right clusters or nothing.
 */
function fleetMain(options, flags, env, io) {
  const usage = [];
  if (flags['aws-only']) usage.push('--aws-only checks one VPC: leave out --fleet');
  if (options['vpc-id'] || options.region) usage.push('--vpc-id and --region come from the fleet file with --fleet');
  if (flags.yes && !flags.delete) usage.push('--yes confirms --delete: pass both, or neither');
  let fleet;
  try {
    fleet = fleetChecks.readFleet(fs.readFileSync(options.fleet, 'utf8'));
  } catch (e) {
    usage.push(e.code === 'ENOENT' ? `no fleet file ${options.fleet}` : e.message);
  }
  const leaving = fleet && options.cluster ? fleet.clusters.filter((c) => c.name === options.cluster) : fleet ? fleet.clusters : [];
  if (fleet && options.cluster && leaving.length === 0) usage.push(`--cluster ${options.cluster} is not in the fleet (${fleet.clusters.map((c) => c.name).join(', ')})`);
  if (usage.length) {
    for (const e of usage) io.error(`predestroy: ${e}`);
    io.error(USAGE);
    return 2;
  }
  const staying = fleet.clusters.filter((c) => !leaving.includes(c));
  io.log(`predestroy: fleet ${fleet.name || options.fleet}: ${leaving.length === fleet.clusters.length ? `every cluster leaves (${leaving.map((c) => c.name).join(', ')})` : `${leaving.map((c) => c.name).join(', ')} leaves; ${staying.map((c) => c.name).join(', ')} stay`}`);

  // Every context first: kubectl --context <cluster> must reach that cluster.
  const vpcs = new Map();
  for (const c of fleet.clusters) {
    io.log(`\nThe kube context ${c.name} must be cluster ${c.name} (${c.region}):`);
    const context = checkContext(c.name, c.region, env, io, { context: c.name, awsProfile: c.awsProfile });
    if (!context.ok) {
      io.error(`predestroy: refused: ${context.detail}`);
      // The fleet's contexts are named after the clusters (its kubeconfig_command_* outputs).
      for (const f of context.fix) io.error(`predestroy: what to do: ${f.startsWith('aws eks update-kubeconfig') ? `${f} --alias ${c.name}` : f}`);
      return 3;
    }
    io.log(`  ok    ${context.detail}`);
    try {
      vpcs.set(c.name, checks.vpcOfCluster(context.describe));
    } catch (e) {
      io.error(`predestroy: ${c.name}: ${e.message}`);
      return 2;
    }
  }

  const perCluster = 4 + 5 + 1;
  const steps = createSteps(io, (staying.length > 0 ? leaving.length + staying.length : 0) + leaving.length * perCluster);
  const results = [];
  if (staying.length > 0) {
    // 1. Drain: the leaving clusters' global Services stop sharing their backends.
    for (const c of leaving) {
      checkRunner(io, steps, results, env)(`Global Services of ${c.name} shared with the other clusters`, [['kubectl', fleetChecks.inContext(c.name, ['get', 'services', '--all-namespaces', '-o', 'json'])]], (j) =>
        fleetChecks.sharedGlobalServices(j, c.name),
      );
    }
    // 2. Disconnect: the clusters that stay drop them from their mesh Secrets.
    const gone = leaving.map((c) => c.name);
    for (const p of staying) {
      checkRunner(io, steps, results, env)(
        `Mesh configuration of ${p.name} (peers it dials)`,
        [['kubectl', fleetChecks.inContext(p.name, ['-n', fleetChecks.CILIUM_NAMESPACE, 'get', 'secrets', ...fleetChecks.MESH_SECRETS, '--ignore-not-found', '-o', 'json']), false]],
        (text) => fleetChecks.peersStillListed(text, p.name, gone),
      );
    }
  }
  // 3. Each leaving cluster's own checks.
  const kept = leaving.flatMap((c) => clusterChecks({ cluster: c.name, region: c.region, vpcId: vpcs.get(c.name), awsOnly: false, context: c.name, awsProfile: c.awsProfile }, env, io, steps, results));
  return finish(results, kept, flags, env, io, '');
}

/** The checks that need the cluster. */
function inCluster(check, steps, io, scope = '') {
  check(`Services of type LoadBalancer${scope}`, [['kubectl', ['get', 'services', '--all-namespaces', '-o', 'json']]], checks.loadBalancerServices);
  check(`PersistentVolumeClaims${scope}`, [['kubectl', ['get', 'persistentvolumeclaims', '--all-namespaces', '-o', 'json']]], checks.persistentVolumeClaims);
  // The CRD itself, not `kubectl api-resources`: discovery fails as a whole when any aggregated
  // API (metrics-server, ...) is down.
  const api = check(`Karpenter API${scope}`, [['kubectl', ['get', 'customresourcedefinition', 'nodeclaims.karpenter.sh', '--ignore-not-found', '-o', 'name'], false]], (text) => {
    const present = checks.hasKarpenterApi(text);
    io.log(present ? '  NodeClaim CRD present' : '  no NodeClaim CRD in the cluster: Karpenter is not installed, no NodeClaim to check');
    return present;
  });
  if (api === true) {
    check(
      `NodeClaims the destroy would not wait for${scope}`,
      [
        ['kubectl', ['get', 'nodepools.karpenter.sh', '-o', 'json']],
        ['kubectl', ['get', 'nodeclaims.karpenter.sh', '-o', 'json']],
      ],
      checks.unmanagedNodeClaims,
    );
  } else {
    steps.start(`NodeClaims the destroy would not wait for${scope}`);
    io.log('  not run: no Karpenter API');
  }
}

/**
 * What the destroy keeps: the cluster's log groups (and their tags) and their key. Informational:
 * a kept item is no finding, but a command that fails is a failed check.
 */
function keptEvidence(cluster, region, env, io, steps, results, awsArgs = (args) => args, scope = '', adapt = (items) => items) {
  const title = `Evidence the destroy keeps (log groups and their key)${scope}`;
  steps.start(title);
  const fail = (r) => {
    io.log(`  FAILED  ${title}: could not check: ${r.error}`);
    results.push({ title, error: r.error });
    return [];
  };
  // The log export's groups, then the control plane's (kept too, by default: keepControlPlaneLogsOnDestroy).
  const logGroups = [];
  for (const [prefix, exact] of [
    [checks.logGroupPrefix(cluster), false],
    [checks.controlPlaneLogGroup(cluster), true],
  ]) {
    const groups = runJson('aws', awsArgs(['logs', 'describe-log-groups', '--region', region, '--log-group-name-prefix', prefix, '--output', 'json']), { env });
    io.log(`  $ ${groups.command}`);
    if (!groups.ok) return fail(groups);
    logGroups.push(...(groups.json.logGroups || []).filter((g) => !exact || g.logGroupName === prefix));
  }
  const tagsByArn = {};
  for (const g of logGroups) {
    const arn = checks.logGroupArn(g);
    const tags = runJson('aws', awsArgs(['logs', 'list-tags-for-resource', '--region', region, '--resource-arn', arn, '--output', 'json']), { env });
    io.log(`  $ ${tags.command}`);
    if (!tags.ok) return fail(tags);
    tagsByArn[arn] = tags.json.tags || {};
  }
  const items = adapt(checks.keptEvidence({ logGroups }, tagsByArn, region));
  results.push({ title, findings: [] });
  if (items.length === 0) io.log(`  ok      no log group under ${checks.logGroupPrefix(cluster)}, and no ${checks.controlPlaneLogGroup(cluster)}`);
  for (const item of items) {
    io.log(`  ${item.kind === 'kept' ? 'KEPT   ' : 'DELETED'} ${item.what}`);
    io.log(`          ${item.why}`);
    for (const fix of item.fix) io.log(`          ${item.kind === 'kept' ? 'delete it deliberately' : 'or now'}: ${fix}`);
  }
  return items;
}

/**
 * `--delete`: lists every command first, asks (or takes `--yes`), then runs them in order. Without
 * confirmation nothing runs and the status is 3.
 */
function deleteFindings(findings, yes, env, io, code) {
  const commands = findings.flatMap((f) => f.commands);
  io.log(`\npredestroy --delete will run these ${commands.length} command(s), in this order:`);
  for (const [cmd, args] of commands) io.log(`  ${commandLine(cmd, args)}`);
  let confirmed = yes;
  if (!confirmed && io.interactive && typeof io.ask === 'function') {
    confirmed = /^(y|yes)$/i.test(String(io.ask(`Delete the ${findings.length} item(s) above? Type yes to go on: `) || '').trim());
  }
  if (!confirmed) {
    io.error(
      io.interactive
        ? 'predestroy: not confirmed: nothing was deleted.'
        : 'predestroy: refused: --delete needs --yes when not run on a terminal (nothing was deleted). Read the list above, then run it again with --delete --yes.',
    );
    return 3;
  }
  let broken = 0;
  for (const [cmd, args] of commands) {
    const r = run(cmd, args, { env });
    io.log(`  $ ${r.command}`);
    if (!r.ok) {
      broken += 1;
      io.log(`  FAILED  ${r.error}`);
    }
  }
  io.log(
    broken
      ? `predestroy --delete: ${broken} of ${commands.length} command(s) failed (above). Run \`npm run predestroy\` again to see what is left.`
      : `predestroy --delete: ran ${commands.length} command(s). Load balancers and interfaces go away over minutes: run \`npm run predestroy\` again before \`npm run destroy\`.`,
  );
  return broken ? 2 : Math.max(code, 1);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), process.env, consoleIo);

module.exports = { FLAG_NAMES, HELP, OPTION_NAMES, main };
