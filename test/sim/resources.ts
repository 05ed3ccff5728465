/**
 * Handlers for the resources that are not Auto Scaling groups: a new launch template version in
 * place, replaced launch configurations and scheduled actions, plain creates, and the physical
 * names CloudFormation generates for them.
 */
import { CREATION_INITIATED, REQUIRES_NEW_RESOURCE, type ResourceWork } from './resource-work.js';
import type { SimRandom } from './random.js';
import { byType } from './timings.js';
import { resolveParameterRefs } from './template.js';
import { listenerRuleSpec } from './load-balancing.js';

export function newPhysicalId(type: string, logicalId: string, stackName: string, random: SimRandom, properties: Record<string, unknown> = {}): string {
  switch (type) {
    // A named log group's physical id is its name (Ref returns it).
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html
    case 'AWS::Logs::LogGroup':
      return typeof properties.LogGroupName === 'string' ? properties.LogGroupName : `${stackName}-${logicalId}-${random.physicalSuffix()}`;
    case 'AWS::EC2::LaunchTemplate':
      return `lt-0${random.hex(16)}`;
    case 'AWS::EC2::SecurityGroup':
      return `sg-0${random.hex(16)}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.eu-west-1.amazonaws.com/123456789012/${stackName}-${logicalId}-${random.physicalSuffix()}`;
    default:
      return `${stackName}-${logicalId}-${random.physicalSuffix()}`;
  }
}

/** Creates (first deploy, or an added resource) or replaces a resource. */
export function createOrReplace(work: ResourceWork): void {
  const { world, stack, change } = work;
  const replacing = work.operation === 'UPDATE' && change.action === 'Modify';
  work.emit(work.inProgress, replacing ? REQUIRES_NEW_RESOURCE : undefined);
  const initiate = replacing ? byType(world.timings.replaceInitiateSeconds, change.resourceType) : world.timings.createInitiateSeconds;
  work.after(initiate, () => {
    const physicalId = newPhysicalId(change.resourceType, change.logicalId, stack.stackName, world.random, work.resource.properties);
    const refused = claimListenerPriority(work, physicalId);
    if (refused) return work.fail(refused);
    work.created(physicalId);
    work.emit(work.inProgress, CREATION_INITIATED, physicalId);
    applySideEffects(work, physicalId);
    work.emit(work.complete);
    work.succeed();
  });
}

/** Updates a resource in place (no new physical resource). */
export function updateInPlace(work: ResourceWork): void {
  work.emit(work.inProgress);
  work.after(byType(work.world.timings.inPlaceUpdateSeconds, work.change.resourceType), () => {
    const current = work.stack.resources.get(work.change.logicalId);
    if (current?.physicalId && work.change.resourceType === 'AWS::ElasticLoadBalancingV2::ListenerRule') {
      // Priority and conditions update in place (SetRulePriorities, ModifyRule); a taken priority fails the update.
      const spec = listenerRuleSpec(resolveParameterRefs(work.resource.properties, work.params) as Record<string, any>);
      const refused = spec ? work.world.loadBalancing?.move(current.physicalId, spec.priority) : undefined;
      if (refused) return work.fail(refused);
    }
    if (current && work.change.resourceType === 'AWS::EC2::LaunchTemplate') {
      // Changing a launch template's data creates a new version of the same template.
      current.attributes.LatestVersionNumber = String(Number(current.attributes.LatestVersionNumber ?? '1') + 1);
    }
    work.emit(work.complete);
    work.succeed();
  });
}

/** CreateRule on the listener: undefined when the priority was free, else CloudFormation's reason for PriorityInUse. */
function claimListenerPriority(work: ResourceWork, physicalId: string): string | undefined {
  if (work.change.resourceType !== 'AWS::ElasticLoadBalancingV2::ListenerRule' || !work.world.loadBalancing) return undefined;
  const spec = listenerRuleSpec(resolveParameterRefs(work.resource.properties, work.params) as Record<string, any>);
  if (!spec) return undefined;
  const claimed = work.world.loadBalancing.claim(spec.listenerArn, spec.priority, spec.hostHeaders, physicalId, work.stack.stackName);
  return typeof claimed === 'string' ? claimed : undefined;
}

function applySideEffects(work: ResourceWork, physicalId: string): void {
  const resource = work.stack.resources.get(work.change.logicalId)!;
  const props = resolveParameterRefs(work.resource.properties, work.params) as Record<string, any>;
  if (work.change.resourceType === 'AWS::EC2::LaunchTemplate') {
    resource.attributes = {
      LatestVersionNumber: '1',
      DefaultVersionNumber: '1',
      LaunchTemplateName: typeof props.LaunchTemplateName === 'string' ? props.LaunchTemplateName : `${work.change.logicalId}_${physicalId.slice(3, 11)}`,
    };
  }
  if (work.change.resourceType === 'AWS::AutoScaling::ScheduledAction') {
    const group = work.stack.resolveValue(work.resource.properties.AutoScalingGroupName);
    resource.attributes = { AutoScalingGroupName: group };
    work.world.autoScaling.recordScheduledAction(group, 'put-scheduled-action', physicalId);
  }
}
