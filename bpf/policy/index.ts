/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy as typed code: builders, ready-made
 * policies and a lint. Pure TypeScript; the output is plain JSON for any deployment path.
 */
export { MatchExpression, NAMESPACE_LABEL, Selector } from './selector';
export type { SelectorOperator } from './selector';
export { ENTITIES, Fqdn, Peer } from './peer';
export type { CidrBlock, Entity, PeerKind } from './peer';
export { HttpHeader, HttpPath, HttpRule, Port, PortRule, PROTOCOLS } from './ports';
export type { HeaderMatchOptions, HeaderMismatchAction, HttpRuleProps, Protocol } from './ports';
export { Egress, EgressDeny, Ingress, IngressDeny } from './rules';
export type { PortSpec, RuleBuilder, RuleKind } from './rules';
export { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumPolicyBase, SELECT_ALL_ANNOTATION } from './policy';
export type {
  CiliumClusterwideNetworkPolicyProps,
  CiliumNetworkPolicyProps,
  CiliumPolicy,
  ClusterwidePolicySpec,
  DefaultDeny,
  PolicyKind,
  PolicyManifest,
  PolicyMetadata,
  PolicyProps,
  PolicySpec,
  RuleSet,
} from './policy';
export { allowKubeApiserver, defaultDeny, fqdnEgressAllowList, storefrontToCatalog } from './ready-made';
export type { AllowKubeApiserverOptions, FqdnEgressAllowListOptions, ReadyMadeOptions, StorefrontToCatalogProps } from './ready-made';
export { assertPolicyValid, lintPolicy } from './lint';
export type { LintCode, LintFinding, LintSeverity } from './lint';
export { allowPodIdentityAgent, lintPodIdentityEgress, podIdentityAgentPolicyName, SERVICE_ACCOUNT_LABEL } from './pod-identity';
export type { PodIdentityBinding } from './pod-identity';
export { POD_IDENTITY_AGENT_PORT } from './rules';
export { GRPC_METHOD_NAME, GRPC_SERVICE_NAME, GrpcRule, grpcClientToService } from './grpc';
export type { GrpcClientToServiceProps } from './grpc';
