/**
 * The Auto Scaling group during a stack operation, as CloudFormation documents it: with
 * AutoScalingReplacingUpdate (WillReplace) a changed launch template creates a NEW group at the
 * template's DesiredCapacity; the creation policy then waits for ResourceSignal.Count signals
 * within its Timeout, and MinSuccessfulInstancesPercent decides how many must be SUCCESS.
 * The group that was serving is never touched here: only cleanup deletes it, after success.
 */
import { CREATION_INITIATED, REQUIRES_NEW_RESOURCE, type ResourceWork } from './resource-work.js';
import { groupHealthSpec } from './group-health.js';
import type { SimInstance } from './instances.js';
import type { SimStack } from './stack.js';
import { groupSpec, resolveParameterRefs } from './template.js';
import { byType } from './timings.js';
import { updateInPlace } from './resources.js';

export function signalFailureReason(failures: number, count: number, percent: number): string {
  return `Received ${failures} FAILURE signal(s) out of ${count}. Unable to satisfy ${percent}% MinSuccessfulInstancesPercent requirement`;
}

export function signalTimeoutReason(missing: number): string {
  return `Failed to receive ${missing} resource signal(s) within the specified duration`;
}

export function signalEventReason(signal: 'SUCCESS' | 'FAILURE', instanceId: string): string {
  return `Received ${signal} signal with UniqueId ${instanceId}`;
}

export function runGroup(work: ResourceWork): void {
  const replacing = work.operation === 'UPDATE' && work.change.action === 'Modify';
  if (replacing && !work.change.replacement) return updateGroupInPlace(work);

  const { world, stack, change } = work;
  const spec = groupSpec(work.resource, work.params);
  work.emit(work.inProgress, replacing ? REQUIRES_NEW_RESOURCE : undefined);
  const initiate = replacing ? byType(world.timings.replaceInitiateSeconds, change.resourceType) : world.timings.createInitiateSeconds;

  work.after(initiate, () => {
    const name = `${stack.stackName}-${change.logicalId}-${world.random.physicalSuffix()}`;
    work.created(name);
    work.emit(work.inProgress, CREATION_INITIATED, name);

    const required = Math.ceil((spec.signalCount * spec.minSuccessfulPercent) / 100);
    let successes = 0;
    let failures = 0;
    let decided = false;
    const decide = (outcome: 'succeed' | 'fail', reason?: string) => {
      decided = true;
      if (outcome === 'succeed') {
        work.after(world.timings.groupCompleteAfterSignalsSeconds, () => {
          work.emit(work.complete);
          work.succeed();
        });
      } else {
        work.after(world.timings.groupFailAfterSignalSeconds, () => work.fail(reason!));
      }
    };
    const receive = (instance: SimInstance, signal: 'SUCCESS' | 'FAILURE') => {
      if (decided || instance.LifecycleState === 'Terminating' || instance.LifecycleState === 'Terminated') return;
      work.emit(work.inProgress, signalEventReason(signal, instance.InstanceId));
      if (signal === 'SUCCESS') successes++;
      else failures++;
      if (failures > spec.signalCount - required) decide('fail', signalFailureReason(failures, spec.signalCount, spec.minSuccessfulPercent));
      else if (successes >= spec.signalCount || (successes >= required && successes + failures >= spec.signalCount)) decide('succeed');
    };

    world.autoScaling.createGroup({
      name,
      min: spec.min,
      max: spec.max,
      desired: spec.desired,
      by: 'cloudformation',
      tags: groupTags(work),
      ...launchSettingsFor(stack, spec.launchResource),
      vpcZoneIdentifier: vpcZones(work),
      health: groupHealthSpec(resolveParameterRefs(work.resource.properties, work.params) as Record<string, any>),
      onInstanceLaunched: (instance) => {
        const script = world.nextInstanceScript(stack.stackName);
        if (script.signal !== 'NONE') {
          const signal = script.signal;
          work.after(script.afterSeconds, () => {
            const logGroup = stack.template?.resources.get('AppLogGroup')?.properties.LogGroupName;
            if (signal === 'FAILURE' && script.bootLog && typeof logGroup === 'string') world.writeBootLog?.(logGroup, instance.InstanceId, script.bootLog);
            receive(instance, signal);
          });
        }
        return { inServiceAfterSeconds: script.inServiceAfterSeconds, healthyAfterSeconds: script.healthyAfterSeconds };
      },
    });

    if (spec.signalCount === 0) return decide('succeed');
    work.after(spec.signalTimeoutSeconds, () => {
      if (decided) return;
      if (successes >= required) decide('succeed');
      else {
        decided = true;
        work.fail(signalTimeoutReason(spec.signalCount - successes));
      }
    });
  });
}

/** A change that does not replace the group (e.g. MaxSize) updates the live group itself. */
function updateGroupInPlace(work: ResourceWork): void {
  const spec = groupSpec(work.resource, work.params);
  const name = work.stack.resources.get(work.change.logicalId)?.physicalId;
  const group = name ? work.world.autoScaling.groups.get(name) : undefined;
  if (group) {
    group.min = spec.min;
    group.max = spec.max;
  }
  updateInPlace(work);
}

export function groupTags(work: Pick<ResourceWork, 'resource' | 'params' | 'stack' | 'change'>): Array<{ Key: string; Value: string }> {
  const props = resolveParameterRefs(work.resource.properties, work.params) as Record<string, any>;
  const own = Array.isArray(props.Tags) ? props.Tags.map((t: any) => ({ Key: String(t.Key), Value: work.stack.resolveValue(t.Value) })) : [];
  return [
    { Key: 'aws:cloudformation:logical-id', Value: work.change.logicalId },
    { Key: 'aws:cloudformation:stack-id', Value: work.stack.stackId },
    { Key: 'aws:cloudformation:stack-name', Value: work.stack.stackName },
    ...own,
  ];
}

/** The launch template version (or launch configuration) a new group launches from. */
export function launchSettingsFor(stack: SimStack, launchResource: string | undefined) {
  const launch = launchResource ? stack.resources.get(launchResource) : undefined;
  if (!launch?.physicalId) return {};
  if (launch.type === 'AWS::AutoScaling::LaunchConfiguration') return { launchConfigurationName: launch.physicalId };
  return {
    launchTemplate: {
      LaunchTemplateId: launch.physicalId,
      LaunchTemplateName: launch.attributes.LaunchTemplateName ?? launchResource!,
      Version: launch.attributes.LatestVersionNumber ?? '1',
    },
  };
}

function vpcZones(work: ResourceWork): string | undefined {
  const props = resolveParameterRefs(work.resource.properties, work.params) as Record<string, any>;
  const zones = props.VPCZoneIdentifier;
  if (Array.isArray(zones) && zones.every((z) => typeof z === 'string')) return zones.join(',');
  if (typeof zones === 'string') return zones;
  return undefined;
}
