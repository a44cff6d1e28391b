/**
 * Judges a deployed cluster from what `kubectl`, the AWS CLI, `cilium-dbg` and `hubble` print:
 * pure functions returning `{ pass, detail }`. scripts/verify.js runs the commands; the tests feed
 * recorded outputs.
 */
'use strict';

/** The connectivity test's flags, as in Cilium's own EKS (ENI) conformance job. See verify.js. */
const CONNECTIVITY_TEST_ARGS = ['connectivity', 'test', '--flow-validation=disabled', '--hubble=false', '--external-target', 'amazon.com.', '--collect-sysdump-on-failure'];

function ipv4ToInt(ip) {
  const parts = String(ip).split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether IPv4 `ip` lies in `cidr` (`10.0.0.0/16`). */
function inCidr(ip, cidr) {
  const [base, bits] = cidr.split('/');
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base);
  const n = Number(bits);
  if (a === undefined || b === undefined || !(n >= 0 && n <= 32)) return false;
  const size = 2 ** (32 - n);
  return Math.floor(a / size) === Math.floor(b / size);
}

/** The VPC's associated IPv4 CIDRs (primary and secondary) from `aws ec2 describe-vpcs`. */
function vpcCidrs(describeVpcsJson) {
  const vpc = (describeVpcsJson.Vpcs || [])[0];
  if (!vpc) throw new Error('aws ec2 describe-vpcs printed no VPC');
  const cidrs = (vpc.CidrBlockAssociationSet || []).filter((a) => a.CidrBlockState && a.CidrBlockState.State === 'associated').map((a) => a.CidrBlock);
  return cidrs.length > 0 ? cidrs : [vpc.CidrBlock];
}

/** No DaemonSet kube-system/kube-proxy: `kubectl get ... --ignore-not-found -o name` printed nothing. */
function noKubeProxy(stdout) {
  const found = stdout.trim();
  return found === '' ? { pass: true, detail: 'no DaemonSet kube-system/kube-proxy' } : { pass: false, detail: `${found} exists: kube-proxy runs beside Cilium's replacement` };
}

/**
 * Every running pod on the pod network (not `hostNetwork`) has addresses in the VPC: Cilium's ENI
 * IPAM hands out VPC addresses, an overlay or cluster-pool IPAM would not.
 */
function podAddresses(podsJson, cidrs) {
  const pods = (podsJson.items || []).filter((p) => !(p.spec && p.spec.hostNetwork) && p.status && p.status.phase === 'Running' && p.status.podIP);
  if (pods.length === 0) return { pass: false, detail: 'no running pod on the pod network to judge (CoreDNS should be one)' };
  const outside = [];
  for (const p of pods) {
    const ips = (p.status.podIPs || [{ ip: p.status.podIP }]).map((x) => x.ip).filter((ip) => ipv4ToInt(ip) !== undefined);
    for (const ip of ips) if (!cidrs.some((c) => inCidr(ip, c))) outside.push(`${p.metadata.namespace}/${p.metadata.name} ${ip}`);
  }
  return outside.length === 0
    ? { pass: true, detail: `${pods.length} pods, all in ${cidrs.join(', ')}` }
    : { pass: false, detail: `${outside.length} pod address(es) outside ${cidrs.join(', ')}: ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', ...' : ''}` };
}

/** `hubble status` text: the relay answers its health check and reaches every node. */
function hubbleStatus(text) {
  const health = /^Healthcheck \(via ([^)]*)\): *(\S+)/m.exec(text);
  const nodes = /^Connected Nodes: *(\d+)\/(\d+)/m.exec(text);
  if (!health) return { pass: false, detail: 'hubble status printed no health check line' };
  if (health[2] !== 'Ok') return { pass: false, detail: `relay health check via ${health[1]}: ${health[2]}` };
  if (!nodes) return { pass: false, detail: 'hubble status printed no "Connected Nodes" line' };
  const [connected, total] = [Number(nodes[1]), Number(nodes[2])];
  return connected === total && total > 0
    ? { pass: true, detail: `relay answers, ${connected}/${total} nodes connected` }
    : { pass: false, detail: `relay answers but only ${connected}/${total} nodes are connected` };
}

/** `cilium-dbg encrypt status` text: the mode and the WireGuard interfaces' peer counts. */
function parseEncryptStatus(text) {
  const mode = /^Encryption: *(\S+)/m.exec(text);
  const peers = [...text.matchAll(/Number of peers: *(\d+)/g)].map((m) => Number(m[1]));
  return { mode: mode ? mode[1] : undefined, peers };
}

/**
 * WireGuard on every node: each node runs a Cilium agent, and each agent reports WireGuard with
 * one peer per other node. `statusByPod` maps agent pod name to its `cilium-dbg encrypt status`
 * text.
 */
function wireguardEverywhere(nodesJson, agentPodsJson, statusByPod) {
  const nodes = (nodesJson.items || []).map((n) => n.metadata.name);
  const agents = (agentPodsJson.items || []).filter((p) => p.status && p.status.phase === 'Running');
  const problems = [];
  for (const node of nodes) if (!agents.some((p) => p.spec.nodeName === node)) problems.push(`${node}: no running Cilium agent`);
  for (const pod of agents) {
    const text = statusByPod[pod.metadata.name];
    if (text === undefined) continue;
    const s = parseEncryptStatus(text);
    if (!s.mode || s.mode.toLowerCase() !== 'wireguard') problems.push(`${pod.spec.nodeName}: encryption ${s.mode || 'not reported'}`);
    else if (!s.peers.includes(nodes.length - 1)) problems.push(`${pod.spec.nodeName}: ${s.peers.join('/') || 'no'} WireGuard peers, expected ${nodes.length - 1}`);
  }
  if (nodes.length === 0) problems.push('no nodes');
  return problems.length === 0
    ? { pass: true, detail: `${nodes.length} nodes, WireGuard with ${nodes.length - 1} peers each` }
    : { pass: false, detail: problems.join('; ') };
}

/** The pass/fail table. */
function table(results) {
  const w = Math.max(5, ...results.map((r) => r.name.length));
  const lines = [`${'CHECK'.padEnd(w)}  RESULT  DETAIL`];
  for (const r of results) lines.push(`${r.name.padEnd(w)}  ${r.result.padEnd(6)}  ${r.detail}`);
  return lines.join('\n');
}

module.exports = { CONNECTIVITY_TEST_ARGS, inCidr, hubbleStatus, noKubeProxy, parseEncryptStatus, podAddresses, table, vpcCidrs, wireguardEverywhere };
