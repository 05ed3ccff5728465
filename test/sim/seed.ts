/**
 * A stack as a previous successful deploy left it: every resource created, the serving group
 * with its instances InService, and the event history of that earlier operation (so a poller
 * must page past it to find where the next operation starts).
 */
import type { SimCloud } from './cloud.js';
import { topologicalOrder } from './diff.js';
import { groupTags, launchSettingsFor } from './replacing-update.js';
import { newPhysicalId } from './resources.js';
import type { SimStack } from './stack.js';
import { groupSpec, parseTemplate, resolveParameterRefs, resolveParameters } from './template.js';
import { listenerRuleSpec } from './load-balancing.js';

export interface SeedOptions {
  stackName: string;
  templateBody: string;
  parameters?: Record<string, string>;
  tags?: Record<string, string>;
  /** How the last operation ended. */
  status?: 'CREATE_COMPLETE' | 'UPDATE_COMPLETE';
  /** The serving group's size if it differs from the template's (a service that scaled out). */
  liveDesiredCapacity?: number;
  /** Simulated time that passes after the seeded history, before the test acts. */
  idleSecondsAfter?: number;
}

export interface SeededStack {
  stack: SimStack;
  stackId: string;
  /** Physical names of the Auto Scaling groups, by logical id. */
  groups: Record<string, string>;
  /** The first group's name: the one that is serving. */
  groupName?: string;
  /** EventId of the newest event before anything the test does. */
  lastEventId: string;
}

export function seedStack(cloud: SimCloud, opts: SeedOptions): SeededStack {
  const template = parseTemplate(opts.templateBody);
  const params = resolveParameters(
    template,
    Object.entries(opts.parameters ?? {}).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
  );
  const stack = cloud.cloudFormation.newStack(opts.stackName);
  stack.template = template;
  stack.templateBody = opts.templateBody;
  stack.params = params;
  stack.tags = Object.entries(opts.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  stack.setStatus('CREATE_IN_PROGRESS', 'User Initiated');
  const groups: Record<string, string> = {};
  for (const id of topologicalOrder(template)) {
    const resource = template.resources.get(id)!;
    stack.setResourceStatus(id, resource.type, 'CREATE_IN_PROGRESS');
    const physicalId = newPhysicalId(resource.type, id, stack.stackName, cloud.random, resource.properties);
    if (resource.type === 'AWS::AutoScaling::AutoScalingGroup') {
      const spec = groupSpec(resource, params);
      const name = `${stack.stackName}-${id}-${cloud.random.physicalSuffix()}`;
      cloud.autoScaling.createGroup({
        name,
        min: spec.min,
        max: spec.max,
        desired: opts.liveDesiredCapacity ?? spec.desired,
        by: 'setup',
        alreadyRunning: true,
        tags: groupTags({ resource, params, stack, change: { logicalId: id, resourceType: resource.type, action: 'Add', replacement: false, details: [] } }),
        ...launchSettingsFor(stack, spec.launchResource),
      });
      groups[id] = name;
      stack.setResourceStatus(id, resource.type, 'CREATE_IN_PROGRESS', 'Resource creation Initiated', name);
    } else {
      stack.setResourceStatus(id, resource.type, 'CREATE_IN_PROGRESS', 'Resource creation Initiated', physicalId);
    }
    const created = stack.resources.get(id)!;
    if (resource.type === 'AWS::EC2::LaunchTemplate') {
      created.attributes = { LatestVersionNumber: '1', DefaultVersionNumber: '1', LaunchTemplateName: `${id}_${physicalId.slice(3, 11)}` };
    }
    if (resource.type === 'AWS::ElasticLoadBalancingV2::ListenerRule') {
      const spec = listenerRuleSpec(resolveParameterRefs(resource.properties, params) as Record<string, any>);
      if (spec) cloud.loadBalancing.claim(spec.listenerArn, spec.priority, spec.hostHeaders, physicalId, stack.stackName);
    }
    if (resource.type === 'AWS::AutoScaling::ScheduledAction') {
      created.attributes = { AutoScalingGroupName: stack.resolveValue(resource.properties.AutoScalingGroupName) };
    }
    stack.setResourceStatus(id, resource.type, 'CREATE_COMPLETE');
  }
  stack.setStatus('CREATE_COMPLETE');
  if (opts.status === 'UPDATE_COMPLETE') {
    stack.setStatus('UPDATE_IN_PROGRESS', 'User Initiated');
    stack.setStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    stack.setStatus('UPDATE_COMPLETE');
  }
  cloud.clock.advance((opts.idleSecondsAfter ?? 600) * 1000);
  return {
    stack,
    stackId: stack.stackId,
    groups,
    groupName: Object.values(groups)[0],
    lastEventId: stack.events[stack.events.length - 1]!.EventId!,
  };
}
