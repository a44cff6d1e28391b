/**
 * `predestroy --fleet`: what must happen, and in which order, so that no cluster of a meshed fleet
 * points at a cluster that is gone. Pure functions from the fleet description and the JSON that
 * `kubectl` prints to findings with their commands; scripts/predestroy.js runs the commands.
 *
 * The order, for the clusters that leave (one with `--cluster`, else all of them):
 * 1. Drain: a leaving cluster's global Services stop sharing their backends
 *    (`service.cilium.io/shared: "false"`, Cilium docs `network/clustermesh/services.rst`), so the
 *    clusters that stay stop sending requests to it while it still answers.
 * 2. Disconnect: the clusters that stay drop it from their mesh configuration, the Secrets the
 *    chart renders from `clustermesh.config.clusters`, one key per peer (`cilium-clustermesh`, and
 *    `cilium-kvstoremesh` with KVStoreMesh; chart templates `clustermesh-config/*.yaml`); the
 *    agents and KVStoreMesh watch them and disconnect (what `cilium clustermesh disconnect` edits).
 *    The fleet's next apply renders the same Secrets without it (docs/fleet.md#taking-clusters-down-predestroy-for-a-fleet).
 * 3. Each leaving cluster's own checks, as for a single cluster: its load balancers, volumes,
 *    NodeClaims, interfaces and kept evidence, then the destroy.
 * With the whole fleet going, nothing stays to point anywhere: only step 3 runs, per cluster.
 */
'use strict';
const { commandLine } = require('./run');

/** The namespace of the Cilium release (constructs/cilium-release.ts). */
const CILIUM_NAMESPACE = 'kube-system';
/** The Secrets holding a cluster's peers, one data key per peer name (chart templates clustermesh-config/). */
const MESH_SECRETS = ['cilium-clustermesh', 'cilium-kvstoremesh'];
const GLOBAL = 'service.cilium.io/global';
const SHARED = 'service.cilium.io/shared';

const cmd = (command, args) => [command, args];
function finding(kind, what, why, commands) {
  return { kind, what, why, fix: commands.map(([c, args]) => commandLine(c, args)), commands };
}

/** The stack output `predestroy --fleet` reads (constructs/fleet/cilium-eks-fleet-stack.ts). */
const FLEET_OUTPUT = 'fleet_clusters';

/**
 * The fleet from a file's text: the stack's `fleet_clusters` output as `cdktf output
 * --outputs-file` writes it (`{ "<stack>": { "fleet_clusters": "<json>" } }`), as `terraform
 * output -json` prints it (`{ "fleet_clusters": { "value": "<json>" } }`), or the description
 * itself (`{ "name": ..., "clusters": [{ "name", "region", "awsProfile"? }] }`). Throws with what
 * is wrong.
 */
function readFleet(text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`the fleet file is not JSON (${e.message})`);
  }
  const unwrap = (v) => (typeof v === 'string' ? JSON.parse(v) : v);
  let fleet = json;
  if (json && !Array.isArray(json.clusters)) {
    const output = json[FLEET_OUTPUT];
    if (output !== undefined) fleet = unwrap(output && output.value !== undefined ? output.value : output);
    else {
      const stacks = Object.values(json || {}).filter((v) => v && typeof v === 'object' && v[FLEET_OUTPUT] !== undefined);
      if (stacks.length === 1) fleet = unwrap(stacks[0][FLEET_OUTPUT]);
    }
  }
  if (!fleet || !Array.isArray(fleet.clusters) || fleet.clusters.length === 0) {
    throw new Error('the fleet file has no clusters: pass the stack\'s outputs (cdktf output <stack> --outputs-file fleet.json) or { "clusters": [{ "name", "region" }] }');
  }
  fleet.clusters.forEach((c, i) => {
    if (!c || typeof c.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c.name)) throw new Error(`clusters[${i}].name in the fleet file is not a cluster name: ${JSON.stringify(c && c.name)}`);
    if (typeof c.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(c.region)) throw new Error(`clusters[${i}].region in the fleet file is not a region: ${JSON.stringify(c.region)}`);
    if (c.awsProfile !== undefined && (typeof c.awsProfile !== 'string' || c.awsProfile === '')) throw new Error(`clusters[${i}].awsProfile in the fleet file is not a profile name`);
  });
  return { name: fleet.name, clusters: fleet.clusters.map((c) => ({ name: c.name, region: c.region, ...(c.awsProfile ? { awsProfile: c.awsProfile } : {}) })) };
}

/** kubectl arguments for the context named after `cluster` (the fleet's `kubeconfig_command_*` outputs name them so). */
const inContext = (cluster, args) => ['--context', cluster, ...args];

/** A leaving cluster's global Services that share their backends with the other clusters: drained first. */
function sharedGlobalServices(servicesJson, cluster) {
  return (servicesJson.items || [])
    .filter((s) => {
      const a = (s.metadata && s.metadata.annotations) || {};
      return a[GLOBAL] === 'true' && a[SHARED] !== 'false';
    })
    .map((s) =>
      finding(
        'blocks',
        `global Service ${s.metadata.namespace}/${s.metadata.name} of ${cluster}, shared with the other clusters`,
        'the other clusters send requests to its backends until it is no longer shared; once the cluster is gone they would go nowhere',
        [cmd('kubectl', inContext(cluster, ['-n', s.metadata.namespace, 'annotate', 'service', s.metadata.name, `${SHARED}=false`, '--overwrite']))],
      ),
    );
}

/**
 * The mesh Secrets of cluster `peer` that still name a leaving cluster, from `kubectl get secrets
 * cilium-clustermesh cilium-kvstoremesh --ignore-not-found -o json` (a List, or one Secret, or
 * nothing when neither exists).
 */
function peersStillListed(secretsText, peer, leaving) {
  const text = String(secretsText || '').trim();
  if (text === '') return [];
  const json = JSON.parse(text);
  const secrets = Array.isArray(json.items) ? json.items : [json];
  const out = [];
  for (const s of secrets) {
    const keys = Object.keys(s.data || {});
    for (const gone of leaving) {
      const own = keys.filter((k) => k === gone || k.startsWith(`${gone}.`));
      if (own.length === 0) continue;
      const patch = JSON.stringify(own.map((k) => ({ op: 'remove', path: `/data/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` })));
      out.push(
        finding(
          'blocks',
          `${peer} still dials ${gone} (Secret ${CILIUM_NAMESPACE}/${s.metadata.name}, key ${own.join(', ')})`,
          `once ${gone} is gone, ${peer} keeps retrying it and keeps what it learned of it; disconnect it first (the fleet's next apply renders the Secret without it)`,
          [cmd('kubectl', inContext(peer, ['-n', CILIUM_NAMESPACE, 'patch', 'secret', s.metadata.name, '--type', 'json', '-p', patch]))],
        ),
      );
    }
  }
  return out;
}

/** A finding's commands run against `cluster`: kubectl in its context, the AWS CLI with its profile. */
function forCluster(found, cluster, awsProfile) {
  const adapt = ([c, args]) =>
    c === 'kubectl' && cluster !== undefined && args[0] !== '--context' ? cmd(c, inContext(cluster, args)) : c === 'aws' && awsProfile ? cmd(c, [...args, '--profile', awsProfile]) : cmd(c, args);
  return found.map((f) => {
    const commands = (f.commands || []).map(adapt);
    return { ...f, commands, fix: commands.map(([c, args]) => commandLine(c, args)) };
  });
}

module.exports = { CILIUM_NAMESPACE, FLEET_OUTPUT, MESH_SECRETS, forCluster, inContext, peersStillListed, readFleet, sharedGlobalServices };
