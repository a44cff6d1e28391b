/**
 * Karpenter's interruption handling as pure data: the SQS queue settings, its queue policy and the
 * EventBridge rules that feed it, as in the getting-started CloudFormation template of the pinned
 * release (`shared/upstream/karpenter/1.14.1/cloudformation.yaml`: KarpenterInterruptionQueue,
 * KarpenterInterruptionQueuePolicy and the five `AWS::Events::Rule` resources).
 * `__tests__/karpenter-policy.spec.ts` compares it with that file.
 */
import { IAM_POLICY_VERSION } from './controller-policy';
import { clusterNames } from '../../core/names';

/** An EventBridge event pattern as the template writes it. */
export interface EventPattern {
  /** Event sources (`aws.ec2`, `aws.health`). */
  readonly source: string[];
  /** Event detail types. */
  readonly 'detail-type': string[];
}

/** One EventBridge rule that sends interruption events to the queue. */
export interface InterruptionRule {
  /** Logical id of the rule in the template (`SpotInterruptionRule`): stable, fit for a construct id. */
  readonly logicalId: string;
  /** Kebab-case suffix for the rule's name, e.g. `<cluster>-karpenter-` + `spot-interruption`. */
  readonly nameSuffix: string;
  /** The rule's event pattern, exactly as in the template. */
  readonly eventPattern: EventPattern;
}

/** A statement of a resource-based policy (the SQS queue policy). */
export interface ResourcePolicyStatement {
  /** Statement id. @default - none (the template's first statement has none) */
  Sid?: string;
  /** `Allow` or `Deny`. */
  Effect: 'Allow' | 'Deny';
  /** Who the statement applies to: `*` or service principals. */
  Principal: '*' | { Service: string[] };
  /** Actions, always as a list. */
  Action: string[];
  /** The queue's ARN. */
  Resource: string;
  /** Conditions. @default - none */
  Condition?: Record<string, Record<string, string | boolean | string[]>>;
}

/** `MessageRetentionPeriod` of the interruption queue, in seconds (template: 300). */
export const INTERRUPTION_QUEUE_MESSAGE_RETENTION_SECONDS = 300;

/** `SqsManagedSseEnabled` of the interruption queue (template: true). */
export const INTERRUPTION_QUEUE_SQS_MANAGED_SSE = true;

/** `Id` of the queue policy document (template: `EC2InterruptionPolicy`). */
export const INTERRUPTION_QUEUE_POLICY_ID = 'EC2InterruptionPolicy';

/** `Targets[].Id` of every rule (template: `KarpenterInterruptionQueueTarget`). */
export const INTERRUPTION_RULE_TARGET_ID = 'KarpenterInterruptionQueueTarget';

/**
 * Name of the interruption queue: the template names it after the cluster, and Karpenter's
 * `settings.interruptionQueue` takes this name.
 */
export function interruptionQueueName(clusterName: string): string {
  // Cluster names of 81 to 100 characters are cut with a hash (core/names.ts): SQS allows 80.
  return clusterNames.karpenterInterruptionQueue(clusterName);
}

function rule(logicalId: string, nameSuffix: string, source: string, detailType: string): InterruptionRule {
  return { logicalId, nameSuffix, eventPattern: { source: [source], 'detail-type': [detailType] } };
}

/** The template's EventBridge rules, in its order; each call returns fresh objects. */
export function karpenterInterruptionRules(): InterruptionRule[] {
  return [
    rule('ScheduledChangeRule', 'scheduled-change', 'aws.health', 'AWS Health Event'),
    rule('SpotInterruptionRule', 'spot-interruption', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'),
    rule('RebalanceRule', 'rebalance', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'),
    rule('InstanceStateChangeRule', 'instance-state-change', 'aws.ec2', 'EC2 Instance State-change Notification'),
    rule('CapacityReservationInterruptionRule', 'capacity-reservation-interruption', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'),
  ];
}

/**
 * The queue policy's statements (template KarpenterInterruptionQueuePolicy): EventBridge and SQS
 * may send messages; any request not over TLS is denied. `queueArn` may be a Terraform token.
 */
export function interruptionQueuePolicyStatements(queueArn: string): ResourcePolicyStatement[] {
  return [
    {
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
      Action: ['sqs:SendMessage'],
      Resource: queueArn,
    },
    {
      Sid: 'DenyHTTP',
      Effect: 'Deny',
      // A Deny: the wildcard narrows nothing it grants, it refuses every SQS action over plain HTTP.
      Action: ['sqs:*'],
      Resource: queueArn,
      Condition: { Bool: { 'aws:SecureTransport': false } },
      Principal: '*',
    },
  ];
}

/**
 * The queue policy document. The template omits `Version`; it is added here because without it
 * IAM reads a document as `2008-10-17` (no statement uses a policy variable, so the meaning is the same).
 */
export function interruptionQueuePolicyDocument(queueArn: string): { Version: string; Id: string; Statement: ResourcePolicyStatement[] } {
  return { Version: IAM_POLICY_VERSION, Id: INTERRUPTION_QUEUE_POLICY_ID, Statement: interruptionQueuePolicyStatements(queueArn) };
}
