/**
 * The target group, its listener rule and the security group are shared by the old and the new
 * Auto Scaling group. CloudFormation updates them in dependency order, before it creates the new
 * group (the group refers to them), so a change to them takes effect on the *old* instances while
 * those still serve every request:
 *  - a new health-check path (or port, protocol, matcher) is checked against the old release,
 *    which may not answer it: its instances turn unhealthy and the group replaces them;
 *  - a new port or protocol replaces the target group, and the listener rule then forwards to a
 *    new, empty target group until the new instances register and pass their checks;
 *  - changed inline ingress rules on the security group are revoked when it is updated.
 * Rule resources that are *removed* are deleted only in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, after
 * the new group is live, so additions and removals of separate ingress rules are safe.
 *
 * The guard reads what the change set says will change: each ResourceChange's Replacement and
 * its Details, whose Target names the attribute ("Properties") and the property that changes.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceTargetDefinition.html
 */
import type { Change } from '@aws-sdk/client-cloudformation';
import { PreflightError } from '../errors.js';

export type SharedChangeKind = 'health-check' | 'target-group-replaced' | 'routing' | 'inline-ingress';

export interface SharedResourceChange {
  logicalId: string;
  resourceType: string;
  kind: SharedChangeKind;
  /** What changes, in CloudFormation's words (property names, or "replaced"/"removed"). */
  what: string[];
}

const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';
const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';

/** Properties that decide whether the old release still passes the target group's check. */
const HEALTH_CHECK_PROPERTIES = ['HealthCheckPath', 'HealthCheckPort', 'HealthCheckProtocol', 'HealthCheckEnabled', 'Matcher'];
/** Properties whose change replaces the target group ("Update requires: Replacement"). */
const TARGET_GROUP_REPLACING = ['Port', 'Protocol', 'ProtocolVersion', 'TargetType', 'VpcId', 'Name', 'IpAddressType'];

/** The shared resources this change set changes in a way the old group would feel. */
export function sharedResourceChanges(changes: Change[]): SharedResourceChange[] {
  const found: SharedResourceChange[] = [];
  for (const change of changes) {
    const r = change.ResourceChange;
    if (!r?.LogicalResourceId || !r.ResourceType) continue;
    // Only what the template itself changes: a rule whose target group is merely modified shows a
    // Dynamic "Actions" detail, and a replaced target group is reported on its own.
    const direct = (r.Details ?? []).filter((d) => d.ChangeSource === undefined || d.ChangeSource === 'DirectModification');
    const properties = [...new Set(direct.flatMap((d) => (d.Target?.Attribute === 'Properties' && d.Target.Name ? [d.Target.Name] : [])))];
    const replaced = r.Action === 'Modify' && (r.Replacement === 'True' || r.Replacement === 'Conditional');
    const add = (kind: SharedChangeKind, what: string[]) => found.push({ logicalId: r.LogicalResourceId!, resourceType: r.ResourceType!, kind, what });
    if (r.ResourceType === TARGET_GROUP) {
      if (r.Action === 'Remove') add('target-group-replaced', ['removed']);
      else if (replaced || properties.some((p) => TARGET_GROUP_REPLACING.includes(p))) add('target-group-replaced', ['replaced', ...properties.filter((p) => TARGET_GROUP_REPLACING.includes(p))]);
      else if (properties.some((p) => HEALTH_CHECK_PROPERTIES.includes(p))) add('health-check', properties.filter((p) => HEALTH_CHECK_PROPERTIES.includes(p)));
    } else if (r.ResourceType === LISTENER_RULE) {
      if (r.Action === 'Remove') add('routing', ['removed']);
      else if (properties.includes('Actions') || properties.includes('ListenerArn')) add('routing', [...(replaced ? ['replaced'] : []), ...properties.filter((p) => p === 'Actions' || p === 'ListenerArn')]);
    } else if (r.ResourceType === SECURITY_GROUP && r.Action === 'Modify' && !replaced) {
      // A replaced security group is safe: the old instances keep the old one until cleanup.
      const rules = properties.filter((p) => p === 'SecurityGroupIngress' || p === 'SecurityGroupEgress');
      if (rules.length) add('inline-ingress', rules);
    }
  }
  return found;
}

/** The safe way to make each kind of change, in steps a person can follow. */
const TWO_STEP: Record<SharedChangeKind, string> = {
  'health-check':
    'the target group checks the OLD instances with the new settings as soon as it is updated, before any new instance exists. ' +
    'Safe in two deploys: (1) deploy a release whose app answers the new health check as well as the old one, leaving healthCheck unchanged; ' +
    '(2) when it is live, change healthCheck and deploy again with --allow-shared-change (the live release now passes the new check).',
  'target-group-replaced':
    'a new port or protocol replaces the target group, and the listener rule forwards to the new, empty one before any new instance is registered: requests fail until the new group is healthy. ' +
    'No in-place sequence avoids that. Safe: run the new port as a second stack (a new environment with its own stackName and listener rule priority), move traffic to it, then delete the old stack; ' +
    'or accept the gap in a maintenance window with --allow-shared-change.',
  routing:
    'the listener rule would forward differently before the new group exists. ' +
    'Safe: create the new rule as a second stack (or by hand) first, move traffic, then remove the old one; or accept the change on the old release with --allow-shared-change.',
  'inline-ingress':
    'inline ingress rules are revoked when the security group is updated, before the new group exists (stacks deployed by shipper before ingress rules became separate resources have them). ' +
    'This happens once: the separate rules are added right after, so new connections from the load balancer are refused for a few seconds. ' +
    'Run this deploy at a quiet time with --allow-shared-change; later port or source changes add the new rule before the old one is removed.',
};

export class SharedResourceChangeError extends PreflightError {
  constructor(readonly changes: SharedResourceChange[]) {
    const lines = changes.map((c) => `  ${c.logicalId} (${c.resourceType}): ${c.what.join(', ')}`);
    const kinds = [...new Set(changes.map((c) => c.kind))];
    super(
      `this deploy replaces the Auto Scaling group and also changes resources the old group still serves through; CloudFormation changes those first, while the old group serves alone:\n${lines.join('\n')}`,
      { hint: `nothing was changed (the change set was deleted).\n${kinds.map((k) => `${k}: ${TWO_STEP[k]}`).join('\n')}` },
    );
  }
}

/** Throws when a group replacement would carry a change to a shared resource, unless allowed. */
export function checkSharedResources(changes: Change[], groupReplaced: boolean, allowed: boolean): void {
  if (!groupReplaced || allowed) return;
  const shared = sharedResourceChanges(changes);
  if (shared.length) throw new SharedResourceChangeError(shared);
}
