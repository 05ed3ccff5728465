/**
 * A slow but healthy boot against the group's own health checks, in the simulated cloud (see
 * group-health.ts for what AWS documents): with HealthCheckType ELB and the grace period starting
 * at InService, an instance that needs seven minutes to install docker, pull its images and
 * start its app is replaced before it can ever signal; with the launch lifecycle hook shipper
 * composes, the same instance waits in Pending:Wait, goes in service once healthy, and the deploy
 * succeeds.
 */
import { describe, it, expect } from '@jest/globals';
import type { Activity } from '@aws-sdk/client-auto-scaling';
import { composeStack } from '../../src/compose/stack.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { runChangeSet } from './drive.js';
import type { InstanceScript } from './instances.js';
import { updateScenario, type Scenario } from './scenarios.js';

/** Healthy after 7 minutes (420 s); its boot script signals SUCCESS once the target group agrees. */
const SLOW_BOOT: InstanceScript = { signal: 'SUCCESS', afterSeconds: 450, healthyAfterSeconds: 420 };

/** The group's health settings exactly as shipper composes them for the example (test environment). */
function composedGroupHealth(): Record<string, unknown> {
  const template = composeStack(loadServiceEnvironment({ file: exampleDescriptor, env: 'test' }), { imageDigest: `sha256:${'a'.repeat(64)}` });
  const props = template.Resources.AutoScalingGroup!.Properties!;
  return { HealthCheckType: props.HealthCheckType, HealthCheckGracePeriod: props.HealthCheckGracePeriod, LifecycleHookSpecificationList: props.LifecycleHookSpecificationList };
}

function slowBootScenario(groupHealth: Record<string, unknown>, script: InstanceScript = SLOW_BOOT, signalTimeout = 'PT15M'): Scenario {
  const scenario = updateScenario({ desired: 1, signalTimeout });
  const template = JSON.parse(scenario.templateBody);
  Object.assign(template.Resources.AutoScalingGroup.Properties, groupHealth);
  scenario.templateBody = JSON.stringify(template);
  scenario.cloud.defaultInstanceScript = script; // replacements boot just as slowly
  return scenario;
}

async function deploy(scenario: Scenario) {
  const result = await runChangeSet(scenario.cloud.clients(), scenario.cloud.clock, {
    stackName: scenario.stackName,
    templateBody: scenario.templateBody,
    parameters: scenario.parameters,
    token: 'deploy-token',
  });
  const newGroup = result.events.find((e) => e.LogicalResourceId === 'AutoScalingGroup' && e.ResourceStatusReason === 'Resource creation Initiated')!.PhysicalResourceId!;
  const { Activities } = await scenario.cloud.clients().autoScaling.describeScalingActivities({ AutoScalingGroupName: newGroup, IncludeDeletedGroups: true });
  return { result, newGroup, activities: [...(Activities ?? [])].reverse() as Activity[] };
}

describe('a slow but healthy boot and the group\'s ELB health check', () => {
  it('without a launch hook, the grace period runs out mid-boot: the instance is replaced, again and again, and the deploy times out', async () => {
    const health = composedGroupHealth();
    delete health.LifecycleHookSpecificationList;
    expect(health).toEqual({ HealthCheckType: 'ELB', HealthCheckGracePeriod: 300 });
    const { result, activities } = await deploy(slowBootScenario(health));

    const terminations = activities.filter((a) => a.Description?.startsWith('Terminating EC2 instance:'));
    expect(terminations.length).toBeGreaterThanOrEqual(2);
    expect(terminations[0]!.Cause).toMatch(/^At \S+Z an instance was taken out of service in response to an ELB system health check failure\.$/);
    expect(activities.some((a) => /an instance was launched in response to an unhealthy instance needing to be replaced\./.test(a.Cause ?? ''))).toBe(true);
    expect(result.events.some((e) => /Received SUCCESS signal/.test(e.ResourceStatusReason ?? ''))).toBe(false);
    expect(result.events.map((e) => e.ResourceStatusReason)).toContain('Failed to receive 1 resource signal(s) within the specified duration');
    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
  });

  it('with shipper\'s launch hook, the instance waits in Pending:Wait, goes in service once healthy, is never replaced, and signals', async () => {
    const health = composedGroupHealth();
    expect(health.LifecycleHookSpecificationList).toEqual([expect.objectContaining({ LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', DefaultResult: 'ABANDON' })]);
    const scenario = slowBootScenario(health);
    const states = new Set<string>();
    // what the new group's instance is doing 200 s in: booting, held back by the hook
    scenario.cloud.clock.schedule(200_000, () => {
      for (const g of scenario.cloud.autoScaling.groups.values()) for (const i of g.instances) states.add(i.LifecycleState);
    });
    const { result, activities } = await deploy(scenario);

    expect(states).toContain('Pending:Wait');
    expect(activities.filter((a) => a.Description?.startsWith('Terminating'))).toEqual([]);
    expect(activities.filter((a) => a.Description?.startsWith('Launching'))).toHaveLength(1);
    expect(activities[0]!.StatusCode).toBe('Successful');
    expect(result.events.filter((e) => /^Received SUCCESS signal with UniqueId i-/.test(e.ResourceStatusReason ?? ''))).toHaveLength(1);
    expect(result.finalStatus).toMatch(/^UPDATE_COMPLETE/);
  });

  it('with the hook, an instance whose boot never finishes is abandoned when the heartbeat runs out, with AWS\'s own words', async () => {
    // a creation policy that waits longer than the hook's 900 s heartbeat, so the hook decides first
    const scenario = slowBootScenario(composedGroupHealth(), { signal: 'NONE', afterSeconds: 0, healthyAfterSeconds: 100_000 }, 'PT30M');
    const { result, activities } = await deploy(scenario);
    const cancelled = activities.filter((a) => a.StatusCode === 'Cancelled');
    expect(cancelled.length).toBeGreaterThanOrEqual(1);
    expect(cancelled[0]!.Description).toMatch(
      /^Launching a new EC2 instance: i-[0-9a-f]{17}\.  Status Reason: Instance failed to complete user's Lifecycle Action: Lifecycle Action with token [0-9a-f-]{36} was abandoned: Lifecycle Action Completed with ABANDON Result$/,
    );
    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
  });
});
