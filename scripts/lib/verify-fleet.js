/**
 * `verify --fleet`: checks a meshed fleet across the kube contexts of its clusters (docs/fleet.md,
 * "Check it"). The judgements are pure functions (exported for the tests); `runFleet` runs them.
 *
 * The checks:
 * 1. Per cluster, `cilium clustermesh status --context <ctx> --wait`: the clustermesh-apiserver is
 *    up and every peer configured and connected (the cilium CLI waits up to --wait-duration).
 * 2. Per cluster, a global Service answered from another cluster: a client pod in the namespace of
 *    examples/cluster-mesh/echo.yaml (label `app=echo-client`, which its policies let through)
 *    asks the `echo` Service for the answering pod's name; with `service.cilium.io/affinity:
 *    remote` every answer must name an echo pod of another cluster. SKIP when echo.yaml is not
 *    applied in every cluster (what to apply is printed).
 * 3. `cilium connectivity test --multi-cluster <ctx>` from the first cluster to the second, when the
 *    installed cilium CLI has the flag (`cilium connectivity test --help` lists it; SKIP otherwise,
 *    and with --quick).
 */
'use strict';
const { commandLine, run } = require('./run');
const { createChecks, createSteps } = require('./steps');
const v = require('./verify-checks');

/** Where examples/cluster-mesh/echo.yaml puts the echo Service and its policies. */
const MESH_NAMESPACE = 'mesh-echo';
/** The image of the echo pods and of the client: agnhost (netexec answers GET /hostname; the image has curl). */
const MESH_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
/** The client pod's name and its label (the one echo.yaml's policies let through). */
const MESH_CLIENT_POD = 'cilium-eks-verify-mesh-client';
const MESH_CLIENT_LABELS = Object.freeze({ app: 'echo-client' });
const REQUESTS = 6;
/** A kube context / cluster name: a DNS-1123 label (the fleet's names are at most 32 of them). */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * `--fleet` as `cluster[=context],...`: each cluster of the fleet and its kube context (by default
 * the cluster's name, as the stack's `kubeconfig_command_*` outputs name them). Returns
 * `{ members, errors }`.
 */
function parseFleet(text) {
  const errors = [];
  const members = String(text)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [cluster, context = cluster] = entry.split('=', 2);
      if (!NAME.test(cluster)) errors.push(`--fleet: ${JSON.stringify(cluster)} is not a cluster name (lower-case letters, digits and dashes)`);
      if (!context) errors.push(`--fleet: ${JSON.stringify(entry)} names no kube context after "="`);
      return { cluster, context };
    });
  if (members.length < 2) errors.push('--fleet takes at least two clusters (a mesh needs a peer): --fleet eu-west-1a,us-east-1a');
  const seen = new Set();
  for (const m of members) {
    if (seen.has(m.cluster)) errors.push(`--fleet: cluster ${m.cluster} is listed twice`);
    seen.add(m.cluster);
  }
  return { members, errors };
}

/** The contexts of `members` that `kubectl config get-contexts -o name` does not list. */
function missingContexts(listed, members) {
  const known = new Set(String(listed).split('\n').map((s) => s.trim()).filter(Boolean));
  return members.filter((m) => !known.has(m.context));
}

/** Whether `cilium connectivity test --help` offers `--multi-cluster`. */
function hasMultiCluster(helpText) {
  return /(^|\s)--multi-cluster(\s|=|$)/m.test(String(helpText));
}

/** Names of the running pods of `kubectl get pods -o json` output. */
function runningPods(json) {
  return ((json && json.items) || []).filter((p) => p.status && p.status.phase === 'Running').map((p) => p.metadata.name);
}

/** `kubectl run` arguments of the mesh client: restricted, labelled for echo.yaml's policies, removed when done. */
function meshClientRunArgs(context, namespace, image) {
  const overrides = JSON.parse(v.checkPodOverrides(MESH_CLIENT_POD, image, ['/bin/sh', '-c', `for i in ${Array.from({ length: REQUESTS }, (_, i) => i + 1).join(' ')}; do curl -sS --max-time 5 http://echo.${namespace}.svc:8080/hostname; echo; done`]));
  overrides.metadata = { labels: { ...MESH_CLIENT_LABELS } };
  return [
    '--context', context, '-n', namespace, 'run', MESH_CLIENT_POD, `--image=${image}`, '--restart=Never', '--rm', '-i', '--quiet', '--pod-running-timeout=3m',
    `--labels=${Object.entries(MESH_CLIENT_LABELS).map(([k, val]) => `${k}=${val}`).join(',')}`, `--overrides=${JSON.stringify(overrides)}`,
  ];
}

/**
 * The client's answers against the echo pods of each cluster: PASS when there is at least one
 * answer and every answer names an echo pod of a cluster other than `local`.
 */
function crossClusterAnswers(output, local, podsByCluster) {
  const owner = new Map();
  for (const [cluster, pods] of Object.entries(podsByCluster)) for (const p of pods) owner.set(p, cluster);
  const answers = String(output).split('\n').map((s) => s.trim()).filter(Boolean);
  if (answers.length === 0) return { pass: false, detail: `no answer from the echo Service in ${local}: the client printed nothing` };
  const from = answers.map((a) => owner.get(a));
  const unknown = answers.filter((a, i) => from[i] === undefined);
  if (unknown.length) return { pass: false, detail: `${unknown.length} of ${answers.length} answers in ${local} name no echo pod: ${unknown.slice(0, 2).join(' | ').slice(0, 200)}` };
  const localOnes = from.filter((c) => c === local).length;
  if (localOnes) return { pass: false, detail: `${localOnes} of ${answers.length} answers in ${local} came from its own pods: with affinity remote and healthy remote backends, none should` };
  const clusters = [...new Set(from)].sort();
  return { pass: true, detail: `${answers.length} of ${answers.length} answers in ${local} came from ${clusters.join(', ')}` };
}

/** The fleet run: `options` and `flags` as verify parsed them. Returns the exit status. */
function runFleet(options, flags, env, io) {
  const { members, errors } = parseFleet(options.fleet);
  const namespace = options['mesh-namespace'] || MESH_NAMESPACE;
  const image = options['check-image'] || MESH_IMAGE;
  if (errors.length) {
    for (const e of errors) io.error(`verify: ${e}`);
    return 2;
  }
  io.log(`verify: fleet of ${members.length} clusters: ${members.map((m) => (m.context === m.cluster ? m.cluster : `${m.cluster} (context ${m.context})`)).join(', ')}`);

  // Every context must exist before any check: a missing one would fail every check it is in.
  io.log('\nThe kube contexts must exist:');
  const listed = run('kubectl', ['config', 'get-contexts', '-o', 'name'], { env });
  io.log(`  $ ${listed.command}`);
  if (!listed.ok) {
    io.error(`verify: refused: could not list the kube contexts: ${listed.error}`);
    return 3;
  }
  const missing = missingContexts(listed.stdout, members);
  if (missing.length) {
    io.error(`verify: refused: no kube context ${missing.map((m) => m.context).join(', ')}`);
    for (const m of missing) io.error(`verify: what to do: aws eks update-kubeconfig --region <its region> --name ${m.cluster} --alias ${m.context} (the stack's kubeconfig_command_${m.cluster.replace(/-/g, '_')} output)`);
    return 3;
  }
  io.log(`  ok    ${members.map((m) => m.context).join(', ')}`);

  const steps = createSteps(io, members.length * 2 + 1);
  const results = [];
  const exec = (cmd, args, opts) => {
    io.log(`  $ ${commandLine(cmd, args)}`);
    const r = run(cmd, args, { env, stream: Boolean(opts && opts.stream && io.stream) });
    if (!r.ok) throw Object.assign(new Error(`${r.command}: ${r.error}`), { result: r });
    return r.stdout;
  };
  const check = createChecks(steps, results);

  for (const m of members) {
    check(
      `clustermesh status ${m.cluster}`,
      'its clustermesh-apiserver is up and every peer is configured and connected (up to 5 minutes)',
      [
        `cilium clustermesh status --context ${m.context} (without --wait) names the peer that is not connected`,
        `kubectl --context ${m.context} -n kube-system get targetgroupbindings,pods -l k8s-app=clustermesh-apiserver: the apiserver pods and their binding to the load balancer`,
        `kubectl --context ${m.context} -n kube-system logs deploy/aws-load-balancer-controller: a target the controller could not register`,
        "a peer not connected: its name <peer>.<domain> must resolve from this cluster (the fleet's private zone) and its load balancer's targets be healthy (aws elbv2 describe-target-health)",
      ],
      () => {
        exec('cilium', ['clustermesh', 'status', '--context', m.context, '--wait', '--wait-duration', '5m'], { stream: true });
        return { pass: true, detail: 'connected to every peer' };
      },
    );
  }

  // The echo pods of every cluster, once: SKIP the global-service checks when echo.yaml is missing anywhere.
  const podsByCluster = {};
  let notDeployed;
  let podsError;
  try {
    for (const m of members) {
      const svc = exec('kubectl', ['--context', m.context, '-n', namespace, 'get', 'service', 'echo', '--ignore-not-found', '-o', 'name']).trim();
      if (!svc) {
        notDeployed = `no Service ${namespace}/echo in ${m.cluster}: apply examples/cluster-mesh/echo.yaml in every cluster (docs/fleet.md, "Check it")`;
        break;
      }
      podsByCluster[m.cluster] = runningPods(JSON.parse(exec('kubectl', ['--context', m.context, '-n', namespace, 'get', 'pods', '-l', 'app=echo', '-o', 'json'])));
    }
  } catch (e) {
    podsError = e.message;
  }
  for (const m of members) {
    check(
      `global service from ${m.cluster}`,
      `a pod in ${m.cluster} asks the global Service ${namespace}/echo ${REQUESTS} times; every answer must come from another cluster`,
      [
        `kubectl --context ${m.context} -n kube-system exec ds/cilium -c cilium-agent -- cilium-dbg service list: the echo ClusterIP must list backends of the other clusters`,
        `hubble observe -P --namespace ${namespace} --last 20 (after cilium hubble port-forward --context ${m.context}): "Policy denied" means echo.yaml's policies are missing in one of the clusters`,
        `answers from its own pods only: the Service is not global in every cluster (service.cilium.io/global), or the other clusters' echo pods are not ready`,
      ],
      () => {
        if (podsError) throw new Error(podsError);
        if (notDeployed) return { result: 'SKIP', detail: notDeployed };
        const empty = members.filter((o) => o.cluster !== m.cluster && podsByCluster[o.cluster].length === 0).map((o) => o.cluster);
        if (empty.length === members.length - 1) return { pass: false, detail: `no running echo pod in ${empty.join(', ')}: nothing remote can answer` };
        exec('kubectl', ['--context', m.context, '-n', namespace, 'delete', 'pod', MESH_CLIENT_POD, '--ignore-not-found', '--wait=true']);
        return crossClusterAnswers(exec('kubectl', meshClientRunArgs(m.context, namespace, image)), m.cluster, podsByCluster);
      },
    );
  }

  const [from, to] = members;
  const title = 'connectivity test, multi-cluster';
  if (flags.quick) {
    steps.start(title, 'skipped (--quick)');
    steps.result('SKIP', 'skipped (--quick)');
    results.push({ name: title, result: 'SKIP', detail: 'skipped (--quick)' });
  } else {
    check(title, `cilium connectivity test --context ${from.context} --multi-cluster ${to.context}, where the installed cilium CLI has it`, ['the sysdump it collected (cilium-sysdump-*.zip); cilium clustermesh status on both contexts'], () => {
      if (!hasMultiCluster(exec('cilium', ['connectivity', 'test', '--help']))) {
        return { result: 'SKIP', detail: 'the installed cilium CLI has no --multi-cluster (cilium connectivity test --help): the global-service checks above cover the path' };
      }
      exec('cilium', ['connectivity', 'test', '--context', from.context, '--multi-cluster', to.context], { stream: true });
      return { pass: true, detail: `every test from ${from.cluster} to ${to.cluster} that applies passed` };
    });
  }

  io.log(`\n${v.table(results)}\n`);
  const failed = results.filter((r) => r.result === 'FAIL').length;
  io.log(failed ? `verify: ${failed} fleet check(s) FAILED` : 'verify: all fleet checks passed');
  return failed ? 1 : 0;
}

module.exports = { MESH_CLIENT_LABELS, MESH_CLIENT_POD, MESH_IMAGE, MESH_NAMESPACE, crossClusterAnswers, hasMultiCluster, meshClientRunArgs, missingContexts, parseFleet, runFleet, runningPods };
