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

// ---- Pod Identity credentials from a pod ------------------------------------------------------------

/**
 * The image of the pods the checks start: the AWS CLI v2 from ECR Public, pinned (tag 2.31.23, as
 * pinned by public projects; its botocore reads the Pod Identity variables
 * AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, which the AWS SDKs
 * support since November 2023: inferred from the release dates, not run here). `--check-image`
 * replaces it, e.g. with a mirror in a private registry.
 */
const CHECK_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.31.23';

/** Names of the pods the checks start (fixed, so a leftover from an interrupted run is found and removed). */
const POD_IDENTITY_POD = 'cilium-eks-verify-pod-identity';
const EXPORT_POD = 'cilium-eks-verify-export';

/** The service account verify borrows by default: the log shipper's (a pod on the pod network, bound by the project). */
const DEFAULT_POD_IDENTITY = { namespace: 'log-shipping', serviceAccount: 'log-shipper' };

/**
 * The association to test, from `aws eks list-pod-identity-associations` output: `wanted`
 * (`NAMESPACE/SERVICEACCOUNT`) when given, else the log shipper's, else the first outside
 * kube-system (kube-system's are the Cilium operator's and add-ons', on the host network or
 * system-critical). Returns `{ association }` or `{ skip }` / `{ fail }` with the reason.
 */
function podIdentityTarget(listJson, wanted) {
  const all = (listJson.associations || []).slice().sort((a, b) => `${a.namespace}/${a.serviceAccount}`.localeCompare(`${b.namespace}/${b.serviceAccount}`));
  const key = (a) => `${a.namespace}/${a.serviceAccount}`;
  if (wanted) {
    const found = all.find((a) => key(a) === wanted);
    return found ? { association: found } : { fail: `no Pod Identity association for ${wanted} (the cluster has: ${all.map(key).join(', ') || 'none'})` };
  }
  const preferred = all.find((a) => key(a) === key(DEFAULT_POD_IDENTITY)) || all.find((a) => a.namespace !== 'kube-system');
  return preferred ? { association: preferred } : { skip: 'no Pod Identity association outside kube-system to borrow: pass --pod-identity NAMESPACE/SERVICEACCOUNT' };
}

/**
 * The `kubectl run --overrides` of a check pod: the service account, and a securityContext that
 * passes Pod Security `restricted` (whatever the namespace enforces); HOME on /tmp for the CLI.
 */
function checkPodOverrides(name, image, command, serviceAccount) {
  return JSON.stringify({
    apiVersion: 'v1',
    spec: {
      ...(serviceAccount ? { serviceAccountName: serviceAccount } : {}),
      securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name,
          image,
          command,
          env: [{ name: 'HOME', value: '/tmp' }],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  });
}

/** `kubectl run` arguments of a check pod that runs to completion and is removed (`--rm -i`: its output is printed). */
function checkPodRunArgs(namespace, name, image, command, serviceAccount) {
  return ['-n', namespace, 'run', name, `--image=${image}`, '--restart=Never', '--rm', '-i', '--quiet', '--pod-running-timeout=3m', `--overrides=${checkPodOverrides(name, image, command, serviceAccount)}`];
}

/** The role name of a role ARN (`arn:aws:iam::1:role/path/name`) or of an assumed-role ARN (`arn:aws:sts::1:assumed-role/name/session`). */
function roleNameOf(arn) {
  const m = /:role\/(?:.*\/)?([^/]+)$/.exec(arn) || /:assumed-role\/([^/]+)\//.exec(arn);
  return m ? m[1] : undefined;
}

/** The first JSON object in a pod's output (kubectl may add lines around it). */
function firstJsonObject(text) {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/** The pod's `aws sts get-caller-identity` output against the role of its association. */
function podIdentityResult(podOutput, roleArn, where) {
  const identity = firstJsonObject(podOutput);
  if (!identity || typeof identity.Arn !== 'string') return { pass: false, detail: `the pod in ${where} printed no caller identity: ${podOutput.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}` };
  const got = roleNameOf(identity.Arn);
  const expected = roleNameOf(roleArn);
  return got !== undefined && got === expected
    ? { pass: true, detail: `a pod in ${where} got role ${expected} through Pod Identity (${identity.Arn})` }
    : { pass: false, detail: `a pod in ${where} got ${identity.Arn}, not role ${expected} of its association (${roleArn})` };
}

// ---- the export pipeline ---------------------------------------------------------------------------

/** The log group names from `aws logs describe-log-groups` output. */
function logGroupNames(json) {
  return (json.logGroups || []).map((g) => g.logGroupName);
}

/** The newest flow of `hubble observe -o json` output (one JSON object per line): its uuid and time. */
function newestFlow(text) {
  const flows = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return undefined;
      }
    })
    .map((o) => o && (o.flow || o))
    .filter((f) => f && typeof f.uuid === 'string' && f.uuid !== '');
  return flows.length ? { uuid: flows[flows.length - 1].uuid, time: flows[flows.length - 1].time } : undefined;
}

/** Whether `aws logs filter-log-events` output holds an event. */
function foundEvents(json) {
  return (json.events || []).length;
}

// ---- Spot ------------------------------------------------------------------------------------------

/**
 * Whether a NodePool lets Karpenter launch Spot: a `karpenter.sh/capacity-type` requirement that
 * admits `spot`. Without one, Karpenter v1 launches on-demand only (Karpenter docs, NodePools,
 * "karpenter.sh/capacity-type": on-demand when not set).
 */
function nodePoolsWithSpot(nodePoolsJson) {
  const admits = (r) =>
    r.key === 'karpenter.sh/capacity-type' &&
    ((r.operator === 'In' && (r.values || []).includes('spot')) || r.operator === 'Exists' || (r.operator === 'NotIn' && !(r.values || []).includes('spot')));
  return (nodePoolsJson.items || [])
    .filter((p) => ((p.spec && p.spec.template && p.spec.template.spec && p.spec.template.spec.requirements) || []).some(admits))
    .map((p) => p.metadata.name);
}

/** The pass/fail table. */
function table(results) {
  const w = Math.max(5, ...results.map((r) => r.name.length));
  const lines = [`${'CHECK'.padEnd(w)}  RESULT  DETAIL`];
  for (const r of results) lines.push(`${r.name.padEnd(w)}  ${r.result.padEnd(6)}  ${r.detail}`);
  return lines.join('\n');
}

module.exports = {
  CHECK_IMAGE,
  CONNECTIVITY_TEST_ARGS,
  DEFAULT_POD_IDENTITY,
  EXPORT_POD,
  POD_IDENTITY_POD,
  checkPodOverrides,
  checkPodRunArgs,
  foundEvents,
  hubbleStatus,
  inCidr,
  logGroupNames,
  newestFlow,
  noKubeProxy,
  nodePoolsWithSpot,
  parseEncryptStatus,
  podAddresses,
  podIdentityResult,
  podIdentityTarget,
  roleNameOf,
  table,
  vpcCidrs,
  wireguardEverywhere,
};
