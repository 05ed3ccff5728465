/**
 * Which resources an update changes, and which of them CloudFormation replaces, following the
 * resource reference's "Update requires" rules for the types shipper deploys. A change reaches
 * the resources that refer to a changed one: a replaced group gets a new name, so scheduled
 * actions naming it are replaced too, exactly as in a real replacing update.
 */
import { dependenciesOf, groupSpec, referencedIds, resolveParameterRefs, type ParsedTemplate, type TemplateResource } from './template.js';

export interface PlannedChange {
  logicalId: string;
  resourceType: string;
  action: 'Add' | 'Modify' | 'Remove';
  replacement: boolean;
  /**
   * What changes, as a change set's ResourceChange.Details describe it: the property (Target
   * Attribute "Properties", Name), whether changing it recreates the resource, and whether the
   * template changed it (Static, DirectModification) or a changed resource it refers to did
   * (Dynamic, ResourceReference/ResourceAttribute, CausingEntity).
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChangeDetail.html
   */
  details: PlannedDetail[];
}

export interface PlannedDetail {
  property: string;
  requiresRecreation: 'Never' | 'Conditionally' | 'Always';
  evaluation: 'Static' | 'Dynamic';
  changeSource: 'DirectModification' | 'ResourceReference' | 'ResourceAttribute';
  causingEntity?: string;
}

/**
 * Properties whose change replaces the resource, from the resource reference's
 * "Update requires: Replacement" for the networking types shipper deploys.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-targetgroup.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listenerrule.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupingress.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-autoscaling-scheduledaction.html
 */
const REPLACING_PROPERTIES: Record<string, string[]> = {
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['Port', 'Protocol', 'ProtocolVersion', 'TargetType', 'VpcId', 'Name', 'IpAddressType'],
  'AWS::ElasticLoadBalancingV2::ListenerRule': ['ListenerArn'],
  'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'],
  'AWS::AutoScaling::ScheduledAction': ['AutoScalingGroupName'],
  'AWS::EC2::SecurityGroupIngress': ['GroupId', 'GroupName', 'IpProtocol', 'FromPort', 'ToPort', 'CidrIp', 'CidrIpv6', 'SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourceSecurityGroupOwnerId', 'SourcePrefixListId'],
};

/** Properties whose change makes CloudFormation apply the group's AutoScalingReplacingUpdate policy. */
const GROUP_REPLACING_PROPERTIES = ['LaunchTemplate', 'LaunchConfigurationName', 'VPCZoneIdentifier', 'MixedInstancesPolicy'];

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Resources ordered so each comes after everything it depends on. */
export function topologicalOrder(template: ParsedTemplate): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done' || state.get(id) === 'visiting') return;
    state.set(id, 'visiting');
    for (const dep of dependenciesOf(template.resources.get(id)!, template)) visit(dep);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of template.resources.keys()) visit(id);
  return order;
}

export function planChanges(
  previous: { template: ParsedTemplate; params: Record<string, string> } | undefined,
  next: { template: ParsedTemplate; params: Record<string, string> },
): PlannedChange[] {
  const changes = new Map<string, PlannedChange>();
  for (const id of topologicalOrder(next.template)) {
    const resource = next.template.resources.get(id)!;
    const before = previous?.template.resources.get(id);
    if (!before) {
      changes.set(id, { logicalId: id, resourceType: resource.type, action: 'Add', replacement: false, details: [] });
      continue;
    }
    const changedProps = changedProperties(before, previous!.params, resource, next.params);
    const deps = dependenciesOf(resource, next.template).filter((d) => changes.get(d)?.action === 'Modify' || changes.get(d)?.action === 'Add');
    if (before.type !== resource.type) {
      changes.set(id, { logicalId: id, resourceType: resource.type, action: 'Modify', replacement: true, details: [] });
    } else if (changedProps.length > 0 || deps.length > 0 || policiesChanged(before, resource)) {
      const replacedDeps = deps.filter((d) => changes.get(d)!.replacement);
      changes.set(id, {
        logicalId: id,
        resourceType: resource.type,
        action: 'Modify',
        replacement: requiresReplacement(resource, changedProps, deps, replacedDeps, next.params),
        details: detailsOf(resource, changedProps, deps),
      });
    }
  }
  for (const [id, resource] of previous?.template.resources ?? []) {
    if (!next.template.resources.has(id)) changes.set(id, { logicalId: id, resourceType: resource.type, action: 'Remove', replacement: false, details: [] });
  }
  return [...changes.values()];
}

function detailsOf(resource: TemplateResource, changedProps: string[], changedDeps: string[]): PlannedDetail[] {
  const recreation = (property: string): PlannedDetail['requiresRecreation'] => (REPLACING_PROPERTIES[resource.type]?.includes(property) ? 'Always' : 'Never');
  const direct = changedProps.map((property): PlannedDetail => ({ property, requiresRecreation: recreation(property), evaluation: 'Static', changeSource: 'DirectModification' }));
  const dynamic = changedDeps.flatMap((dep) =>
    Object.entries(resource.properties)
      .filter(([property, value]) => !changedProps.includes(property) && referencedIds(value).has(dep))
      .map(([property, value]): PlannedDetail => ({
        property,
        requiresRecreation: recreation(property),
        evaluation: 'Dynamic',
        changeSource: JSON.stringify(value).includes('"Fn::GetAtt"') ? 'ResourceAttribute' : 'ResourceReference',
        causingEntity: dep,
      })),
  );
  return [...direct, ...dynamic];
}

function changedProperties(before: TemplateResource, beforeParams: Record<string, string>, after: TemplateResource, afterParams: Record<string, string>): string[] {
  const a = resolveParameterRefs(before.properties, beforeParams) as Record<string, unknown>;
  const b = resolveParameterRefs(after.properties, afterParams) as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => stableJson(a[k]) !== stableJson(b[k]));
}

/** Whether a replaced resource is referenced from one of this resource's replacing properties. */
function referencesReplacing(resource: TemplateResource, dep: string): boolean {
  return (REPLACING_PROPERTIES[resource.type] ?? []).some((p) => referencedIds(resource.properties[p]).has(dep));
}

function policiesChanged(before: TemplateResource, after: TemplateResource): boolean {
  return stableJson(before.creationPolicy) !== stableJson(after.creationPolicy) || stableJson(before.updatePolicy) !== stableJson(after.updatePolicy);
}

function requiresReplacement(resource: TemplateResource, changedProps: string[], changedDeps: string[], replacedDeps: string[], params: Record<string, string>): boolean {
  switch (resource.type) {
    case 'AWS::AutoScaling::LaunchConfiguration':
      // Launch configurations are immutable: every property change replaces them.
      return true;
    case 'AWS::EC2::LaunchTemplate':
      // A changed launch template gets a new version in place.
      return false;
    case 'AWS::AutoScaling::AutoScalingGroup': {
      const spec = groupSpec(resource, params);
      const launchChanged = spec.launchResource !== undefined && changedDeps.includes(spec.launchResource);
      return spec.willReplace && (launchChanged || changedProps.some((p) => GROUP_REPLACING_PROPERTIES.includes(p)));
    }
    case 'AWS::ElasticLoadBalancingV2::TargetGroup':
    case 'AWS::ElasticLoadBalancingV2::ListenerRule':
    case 'AWS::EC2::SecurityGroup':
    case 'AWS::EC2::SecurityGroupIngress':
      return changedProps.some((p) => REPLACING_PROPERTIES[resource.type]!.includes(p)) || replacedDeps.some((d) => referencesReplacing(resource, d));
    case 'AWS::AutoScaling::ScheduledAction':
      return changedProps.includes('AutoScalingGroupName') || replacedDeps.length > 0;
    default:
      return false;
  }
}
