/**
 * The migration's plan-time checks, as pure functions from readings of the running cluster
 * (`PlanReading`s of the project's plan gates, or a data source's address) to `PlanCheck`s: HCL
 * conditions and messages that a test evaluates with a real `terraform plan`. The construct
 * attaches them with `guard` (docs/migration.md#what-the-plan-checks).
 *
 * Every reading is null or an empty list where nothing can be read, and every check passes then:
 * a gate never blocks what it cannot judge. Messages name what runs, what was declared, and the
 * next step. Names in HCL are bound once with a one-element `for` expression (`[for x in [e] :
 * body][0]`), as the version gates do.
 */
import { ExistingAddonSettings, JsonPatchOperation, KARPENTER_CILIUM_STARTUP_TAINT, NON_CARRYING_FEATURES, NonCarryingFeature, SubnetDemand } from '../../bpf/migration-preflight';
import { CILIUM_NODE_LABEL } from '../../bpf/migration';
import { isPlainObject } from '../../core/json';
import { JsonObject, JsonValue } from '../../core/yaml';
import { PlanCheck, PlanReading } from '../plan-gate';

const SUBJECT = 'cilium-eks migration';

/** A string as an HCL quoted string literal (template sequences escaped). */
export function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** A JSON value as an HCL expression (objects with quoted keys). */
export function hclLiteral(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${hclString(k)} = ${hclLiteral(v)}`)
    .join(', ')}}`;
}

/** A value for a message: the expression as text, `fallback` where it is null or cannot be read (a null fails a template). */
const text = (expr: string, fallback: string): string => `coalesce(try(tostring(${expr}), null), ${hclString(fallback)})`;

/** `body` with `name` bound to `expr`. */
const bind = (name: string, expr: string, body: string): string => `[for ${name} in [${expr}] : ${body}][0]`;

// ---------------------------------------------------------------------------------------------
// prepare: the add-ons as they run agree with what is declared

export interface EnvCheckOptions {
  /** The running DaemonSet's pod spec (`spec.template.spec`). */
  readonly podSpec: PlanReading;
  /** `containers` or `initContainers`. */
  readonly list: 'containers' | 'initContainers';
  /** The container's name. */
  readonly container: string;
  /** The declared variables (`configuration.env` or `configuration.init.env`). */
  readonly declared: Readonly<Record<string, string>>;
  /** The add-on's defaults: a running variable with its default value needs no declaration. */
  readonly defaults: Readonly<Record<string, string>>;
  /** Variables never compared (versioned ones). */
  readonly uncompared: readonly string[];
  /** Variables the user accepts to see reset. */
  readonly reset: readonly string[];
  /** The property that declares them, e.g. `current.vpcCni.configuration.env`. */
  readonly property: string;
}

/**
 * The running container's literal environment (a `valueFrom` has no literal value and is left
 * out) against the declared one: a running variable that differs from the default must be
 * declared with its value, and a declared one must be what runs (or the default, when unset).
 */
export function envCheck(o: EnvCheckOptions): PlanCheck {
  const running = `merge([for c in try(${o.podSpec.hcl}.${o.list}, []) : {for e in c.env[*] : e.name => e.value if try(e.value, null) != null} if c.name == ${hclString(o.container)}]...)`;
  // Each literal and the running map bound once: the comprehensions below read them per variable.
  const differences = bind(
    'd',
    hclLiteral(o.declared),
    bind(
      'expected',
      `merge(${hclLiteral(o.defaults)}, d)`,
      bind(
        'skip',
        hclLiteral([...o.uncompared, ...o.reset]),
        bind(
          'r',
          running,
          `concat(` +
            `[for k, v in r : format("%s=%s runs, %s", k, v, lookup(d, k, null) == null ? "not declared" : format("declared %s", lookup(d, k, ""))) if !contains(skip, k) && lookup(expected, k, null) != v], ` +
            `[for k, v in d : format("%s=%s declared, %s", k, v, lookup(r, k, null) == null ? "unset on the running container" : format("%s runs", lookup(r, k, ""))) if !contains(skip, k) && lookup(r, k, lookup(expected, k, null)) != v])`,
        ),
      ),
    ),
  );
  return {
    condition: `length(${differences}) == 0`,
    errorMessage:
      `${SUBJECT} (prepare): the ${o.container} container of ${o.podSpec.description} does not run what ${o.property} declares: \${join("; ", ${differences})}. ` +
      `prepare writes the declared configuration into the add-on, so anything else would be reset to the add-on's default. Declare each running value in ${o.property}, ` +
      `or list the variable in current.vpcCni.resetEnv to accept its reset.`,
  };
}

/** The running `enable-network-policy-controller` against the declared `enableNetworkPolicy`. */
export function networkPolicyCheck(configMapData: PlanReading, declared: string, property: string): PlanCheck {
  const running = `try(${configMapData.hcl}["enable-network-policy-controller"], "false")`;
  return {
    condition: `${running} == ${hclString(declared)}`,
    errorMessage:
      `${SUBJECT} (prepare): ${configMapData.description} has enable-network-policy-controller "\${${running}}" but ${property} is ${hclString(declared)}; ` +
      `declare enableNetworkPolicy: "\${${running}}" so prepare keeps the network policy agent as it runs.`,
  };
}

/** The running IRSA role of a service account against the declared one (self-managed add-ons). */
export function roleAnnotationCheck(annotations: PlanReading, declared: string | undefined, property: string): PlanCheck {
  const running = `try(${annotations.hcl}["eks.amazonaws.com/role-arn"], "")`;
  return {
    condition: `${running} == ${hclString(declared ?? '')}`,
    errorMessage:
      `${SUBJECT} (prepare): ${annotations.description} has the IAM role "\${${running}}" (eks.amazonaws.com/role-arn) but ${property} is ${hclString(declared ?? '')}; ` +
      `set ${property} to the running role so the add-on keeps it (an empty value means the node role).`,
  };
}

/** kube-proxy's running mode (ConfigMap `kube-proxy-config`, key `config`) against the declared one. */
export function kubeProxyModeCheck(config: PlanReading, declaredMode: string, defaultMode: string, property: string): PlanCheck {
  const running = `try(coalesce(yamldecode(${config.hcl}).mode, ${hclString(defaultMode)}), ${hclString(defaultMode)})`;
  return {
    condition: `${running} == ${hclString(declaredMode)}`,
    errorMessage:
      `${SUBJECT} (prepare): kube-proxy runs in mode \${${running}} (${config.description}) but ${property} says ${hclString(declaredMode)}; ` +
      `declare mode: "\${${running}}" so the add-on keeps it.`,
  };
}

/** `configuration` without its environment maps (`env`, and `env` inside `init`). */
function withoutEnv(configuration: JsonObject): { rest: JsonObject; initRest: JsonObject } {
  const { env: _env, init, ...rest } = configuration;
  const { env: _initEnv, ...initRest } = isPlainObject(init) ? (init as JsonObject) : {};
  return { rest, initRest };
}

/**
 * A managed add-on's configuration values, role and Pod Identity associations, read with
 * `data aws_eks_addon`. With `envFromDaemonSet` (vpc-cni), the environment maps are compared as
 * a subset: every variable in the running configuration values must be declared with its value,
 * and the declaration may hold more, the variables set on the DaemonSet with kubectl (which
 * {@link envCheck} compares with what runs); every other key must be equal.
 */
export function managedAddonChecks(o: {
  /** The `data.aws_eks_addon` address. */
  readonly address: string;
  readonly addonName: string;
  readonly settings: ExistingAddonSettings | undefined;
  /** Configurations the running add-on may have: the declared one, and (vpc-cni) the declared one with the migration's affinity, after a first prepare. */
  readonly accepted: readonly JsonObject[];
  readonly property: string;
  /** Compare `env` and `init.env` as subsets of the declared ones. @default false */
  readonly envFromDaemonSet?: boolean;
}): PlanCheck[] {
  const s = o.settings ?? {};
  const raw = `coalesce(${o.address}.configuration_values, "{}")`;
  const declared = JSON.stringify(s.configuration ?? {});
  let same: string;
  if (o.envFromDaemonSet) {
    const d = s.configuration ?? {};
    const env = hclLiteral(isPlainObject(d.env) ? d.env : {});
    const initEnv = hclLiteral(isPlainObject(d.init) && isPlainObject((d.init as JsonObject).env) ? (d.init as JsonObject).env : {});
    const rest = o.accepted.map((c) => `{for k, v in r : k => v if k != "env" && k != "init"} == ${hclLiteral(withoutEnv(c).rest)}`).join(' || ');
    same = bind(
      'r',
      `yamldecode(${raw})`,
      `alltrue([for k, v in try(r.env, {}) : lookup(${env}, k, null) == v]) && alltrue([for k, v in try(r.init.env, {}) : lookup(${initEnv}, k, null) == v]) && ` +
        `try({for k, v in r.init : k => v if k != "env"}, {}) == ${hclLiteral(withoutEnv(d).initRest)} && (${rest})`,
    );
  } else {
    same = o.accepted.map((c) => `yamldecode(${raw}) == ${hclLiteral(c)}`).join(' || ');
  }
  const role = `(${o.address}.service_account_role_arn == null ? "" : ${o.address}.service_account_role_arn)`;
  const associations = `join(",", sort([for a in ${o.address}.pod_identity_association[*] : format("%s=%s", a.service_account, a.role_arn)]))`;
  const declaredAssociations = [...(s.podIdentityAssociations ?? [])].map((a) => `${a.serviceAccount}=${a.roleArn}`).sort().join(',');
  return [
    {
      condition: same,
      errorMessage:
        `${SUBJECT} (prepare): the ${o.addonName} add-on's configuration values are \${${raw}} but ${o.property}.configuration is ${hclString(declared)}; ` +
        `set ${o.property}.configuration to the running values (aws eks describe-addon --query addon.configurationValues) so prepare keeps them.`,
    },
    {
      condition: `${role} == ${hclString(s.serviceAccountRoleArn ?? '')}`,
      errorMessage: `${SUBJECT} (prepare): the ${o.addonName} add-on runs with the service account role "\${${role}}" but ${o.property}.serviceAccountRoleArn is ${hclString(s.serviceAccountRoleArn ?? '')}; set it to the running role so the add-on keeps it.`,
    },
    {
      condition: `${associations} == ${hclString(declaredAssociations)}`,
      errorMessage:
        `${SUBJECT} (prepare): the ${o.addonName} add-on owns the Pod Identity associations "\${${associations}}" but ${o.property}.podIdentityAssociations declares ${hclString(declaredAssociations)}; ` +
        `declare each running association (service account and role ARN): an update without them removes them.`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// prepare: features that do not carry over, acknowledged or refused

const unacknowledged = (feature: NonCarryingFeature): string => {
  const info = NON_CARRYING_FEATURES[feature];
  return `It does not carry over to Cilium: ${info.consequence}. Once that is in place, set acknowledge.${feature}: '${info.acknowledgement}' (docs/migration.md#features-that-do-not-carry-over).`;
};

/** SecurityGroupPolicy objects refused unless security groups for pods are acknowledged. */
export function securityGroupPolicyCheck(policies: PlanReading): PlanCheck {
  const names = `join(", ", [for p in slice(${policies.hcl}, 0, min(5, length(${policies.hcl}))) : format("%s/%s", p.metadata.namespace, p.metadata.name)])`;
  return {
    condition: `length(${policies.hcl}) == 0`,
    errorMessage: `${SUBJECT}: \${length(${policies.hcl})} SecurityGroupPolicy object(s) give pods their own security groups (\${${names}}). ${unacknowledged('securityGroupsForPods')}`,
  };
}

/**
 * SecurityGroupPolicy objects refused once pods move (the drain phases), acknowledged or not: the
 * VPC resource controller's admission webhook adds the `vpc.amazonaws.com/pod-eni` resource to every
 * pod an SGP selects (amazon-vpc-resource-controller-k8s PR #28), and only nodes with a trunk ENI,
 * which aws-node sets up, offer it (inferred), so a moved pod would stay Pending.
 */
export function securityGroupPoliciesGoneCheck(policies: PlanReading): PlanCheck {
  const names = `join(", ", [for p in slice(${policies.hcl}, 0, min(5, length(${policies.hcl}))) : format("%s/%s", p.metadata.namespace, p.metadata.name)])`;
  return {
    condition: `length(${policies.hcl}) == 0`,
    errorMessage:
      `${SUBJECT} (drain): \${length(${policies.hcl})} SecurityGroupPolicy object(s) remain (\${${names}}). The VPC resource controller adds the vpc.amazonaws.com/pod-eni resource to every pod they select, ` +
      `which no Cilium node offers, so the drained pods would stay Pending. Admit the Cilium node security group (output cilium_node_security_group_id) where the pods' security groups are admitted, ` +
      `delete the SecurityGroupPolicy objects, then plan again (docs/migration.md#features-that-do-not-carry-over).`,
  };
}

/** A running network policy agent refused unless acknowledged. */
export function networkPolicyAgentCheck(configMapData: PlanReading): PlanCheck {
  const running = `try(${configMapData.hcl}["enable-network-policy-controller"], "false")`;
  return {
    condition: `${running} != "true"`,
    errorMessage: `${SUBJECT}: the VPC CNI network policy agent is on (${configMapData.description}: enable-network-policy-controller "true"). ${unacknowledged('networkPolicyAgent')}`,
  };
}

/** A running aws-node variable that turns on a feature refused unless acknowledged. */
export function runningFeatureCheck(podSpec: PlanReading, variable: string, feature: NonCarryingFeature): PlanCheck {
  const value = `try(one([for e in one([for c in try(${podSpec.hcl}.containers, []) : c.env[*] if c.name == "aws-node"]) : e.value if e.name == ${hclString(variable)}]), null)`;
  return {
    condition: `${value} != "true"`,
    errorMessage: `${SUBJECT}: the running aws-node has ${variable}=true. ${unacknowledged(feature)}`,
  };
}

/** With `podIdentityAgent: 'install'`, the agent must not run already (installing it again fails at apply). */
export function podIdentityAgentAbsentCheck(daemonSetName: PlanReading): PlanCheck {
  return {
    condition: `${daemonSetName.hcl} == null`,
    errorMessage:
      `${SUBJECT} (prepare): podIdentityAgent is 'install' but ${daemonSetName.description} runs already, and creating the add-on again fails. ` +
      `Set podIdentityAgent: 'adopt' if it is a managed EKS add-on (prepare imports it and keeps its configuration) or 'present' to leave it as it is.`,
  };
}

/** What this stack installs must not run already: creating it again fails at apply. */
export function notInstalledCheck(found: PlanReading, what: string, nextStep: string): PlanCheck {
  return {
    condition: `length(${found.hcl}) == 0`,
    errorMessage: `${SUBJECT} (prepare): ${what} runs already (${found.description} exists), and installing it again fails at apply. ${nextStep}`,
  };
}

// ---------------------------------------------------------------------------------------------
// prepare and cilium-nodes: room for the Cilium nodes' pod addresses

/** The `data.aws_subnet` a check reads, and what the Cilium nodes need in it. */
export interface SubnetCapacityOptions {
  /** The `data.aws_subnet` address. */
  readonly subnet: string;
  readonly demand: SubnetDemand;
  readonly prefixDelegation: boolean;
  /** HCL: true when the check applies (false once Cilium nodes exist, so their own addresses are not counted twice). */
  readonly applies: string;
  /** The phase the message names. */
  readonly phase: string;
}

/** Refuses a subnet with fewer free addresses than the Cilium nodes need at their maxSize. */
export function subnetCapacityCheck(o: SubnetCapacityOptions): PlanCheck {
  const free = `${o.subnet}.available_ip_address_count`;
  return {
    condition: `!(${o.applies}) || ${free} >= ${o.demand.addresses}`,
    errorMessage:
      `${SUBJECT} (${o.phase}): subnet \${${o.subnet}.id} (\${${o.subnet}.cidr_block}, \${${o.subnet}.availability_zone}) has \${${free}} free addresses; ` +
      `the Cilium nodes need up to ${o.demand.addresses} there at maxSize (${o.demand.explanation}${o.prefixDelegation ? `, ${o.demand.prefixes} free /28 blocks` : ''}). ` +
      `Add subnets with room to privateSubnetIds, lower maxSize or maxPods of ciliumNodeGroups, or free addresses in the subnet, then plan again.`,
  };
}

/** Warns (a `check` block) when prefix delegation may find no free /28 though addresses are free (cilium #46644). */
export function subnetPrefixHeadroomCheck(o: SubnetCapacityOptions, factor: number): PlanCheck {
  const free = `${o.subnet}.available_ip_address_count`;
  return {
    condition: `!(${o.applies}) || ${free} >= ${o.demand.addresses * factor}`,
    errorMessage:
      `${SUBJECT} (${o.phase}): subnet \${${o.subnet}.id} has \${${free}} free addresses, less than ${factor} x the ${o.demand.addresses} the Cilium nodes need (${o.demand.prefixes} /28 blocks). ` +
      `Free addresses do not say how many /28 blocks are free; in a fragmented subnet Cilium falls back to /32 addresses and the node stays there (cilium #46644), ` +
      `so a node may address fewer pods than its maxPods. Reserve /28 blocks (aws ec2 create-subnet-cidr-reservation --reservation-type prefix) or add subnets.`,
  };
}

// ---------------------------------------------------------------------------------------------
// drain: existing Karpenter NodePools make Cilium nodes

/** Every NodePool of a Karpenter that runs already must launch Cilium nodes before the old nodes are drained. */
export function karpenterNodePoolsCheck(nodePools: PlanReading): PlanCheck {
  const missing = `[for p in ${nodePools.hcl} : p.metadata.name if try(p.spec.template.metadata.labels[${hclString(CILIUM_NODE_LABEL.key)}], "") != ${hclString(CILIUM_NODE_LABEL.value)} || !anytrue([for t in try(p.spec.template.spec.startupTaints[*], []) : t.key == ${hclString(KARPENTER_CILIUM_STARTUP_TAINT.key)} && t.effect == ${hclString(KARPENTER_CILIUM_STARTUP_TAINT.effect)}])]`;
  const labelPatch: JsonPatchOperation = { op: 'add', path: '/spec/template/metadata/labels/cilium-eks~1cni', value: CILIUM_NODE_LABEL.value };
  return {
    condition: `length(${missing}) == 0`,
    errorMessage:
      `${SUBJECT} (drain): the Karpenter NodePool(s) \${join(", ", ${missing})} would launch nodes without the label ${CILIUM_NODE_LABEL.key}=${CILIUM_NODE_LABEL.value} and the Cilium startup taint, ` +
      `which get aws-node and the pods the drain moves. Add both to spec.template of each (kubectl patch nodepool <name> --type json -p '[${JSON.stringify(labelPatch)}]' for the label, ` +
      `and ${JSON.stringify(KARPENTER_CILIUM_STARTUP_TAINT)} in spec.template.spec.startupTaints; or in the repository that owns them): Karpenter then replaces their nodes through drift, ` +
      `within each NodePool's disruption budgets (docs/migration.md#karpenter-nodes).`,
  };
}

// ---------------------------------------------------------------------------------------------
// kube-proxy-replacement and finalize: only when it is true

/** Every node (but Fargate, hybrid and Auto Mode nodes) carries the Cilium label, and no aws-node pod runs. */
export function ciliumEverywhereChecks(o: { readonly unlabelledNodes: PlanReading; readonly awsNodePods: PlanReading; readonly phase: string }): PlanCheck[] {
  const names = (list: string, field: string): string => `join(", ", [for o in slice(${list}, 0, min(10, length(${list}))) : ${field}])`;
  return [
    {
      condition: `length(${o.unlabelledNodes.hcl}) == 0`,
      errorMessage:
        `${SUBJECT} (${o.phase}): \${length(${o.unlabelledNodes.hcl})} node(s) do not carry ${CILIUM_NODE_LABEL.key}=${CILIUM_NODE_LABEL.value} (\${${names(o.unlabelledNodes.hcl, 'o.metadata.name')}}); ` +
        `this phase runs Cilium on every node, so they would run both CNIs. They are old nodes: deploy the drain phase of their node group, let Karpenter replace them ` +
        `(docs/migration.md#karpenter-nodes), or drain and remove nodes no node group manages, then plan again.`,
    },
    {
      condition: `length(${o.awsNodePods.hcl}) == 0`,
      errorMessage:
        `${SUBJECT} (${o.phase}): \${length(${o.awsNodePods.hcl})} aws-node pod(s) still run (on \${${names(o.awsNodePods.hcl, 'coalesce(try(o.spec.nodeName, null), o.metadata.name)')}}); ` +
        `their nodes still use the VPC CNI. Drain those nodes first (the drain phases), then plan again.`,
    },
  ];
}

/**
 * Kube-proxy replacement on and rolled out on every node, read from what runs: cilium-config
 * `kube-proxy-replacement: "true"` (Cilium docs, the agent ConfigMap) and the agent DaemonSet's
 * rollout complete (generation observed; every scheduled agent updated and available).
 */
export function kubeProxyReplacementVerifiedCheck(o: { readonly ciliumConfig: PlanReading; readonly agentStatus: PlanReading; readonly agentGeneration: PlanReading }): PlanCheck {
  const kpr = text(`${o.ciliumConfig.hcl}["kube-proxy-replacement"]`, 'unset');
  const st = o.agentStatus.hcl;
  const rolledOut =
    `try(${st}.observedGeneration == ${o.agentGeneration.hcl} && ${st}.updatedNumberScheduled == ${st}.desiredNumberScheduled && ` +
    `${st}.numberAvailable == ${st}.desiredNumberScheduled && ${st}.desiredNumberScheduled > 0, false)`;
  return {
    condition: `${kpr} == "true" && ${rolledOut}`,
    errorMessage:
      `${SUBJECT} (finalize): finalize removes kube-proxy, but kube-proxy replacement is not verified on every node: cilium-config has kube-proxy-replacement "\${${kpr}}", ` +
      `agents updated \${${text(`${st}.updatedNumberScheduled`, '0')}} and available \${${text(`${st}.numberAvailable`, '0')}} of \${${text(`${st}.desiredNumberScheduled`, '0')}} ` +
      `(generation \${${text(o.agentGeneration.hcl, 'unknown')}}, observed \${${text(`${st}.observedGeneration`, 'unknown')}}). ` +
      `Deploy kube-proxy-replacement, wait for kubectl -n kube-system rollout status ds/cilium and cilium status, then plan finalize again.`,
  };
}
