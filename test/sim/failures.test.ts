import { describe, it, expect } from '@jest/globals';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { AutoScalingApi } from '../../src/aws/api.js';
import { failedInstanceIds, findRootCause } from '../../src/stack-events/root-cause.js';
import { needsAttention } from '../../src/stack-events/status.js';
import { runChangeSet } from './drive.js';
import { LAUNCH_FAILURE_REASONS, launchFailureStatusMessage } from './launch-failures.js';
import { failureSignalScenario, launchFailureScenario, signalTimeoutScenario, updateScenario, type Scenario } from './scenarios.js';

async function deploy(scenario: Scenario, onPoll?: Parameters<typeof runChangeSet>[2]['onPoll']) {
  return runChangeSet(scenario.cloud.clients(), scenario.cloud.clock, {
    stackName: scenario.stackName,
    templateBody: scenario.templateBody,
    parameters: scenario.parameters,
    token: 'deploy-token',
    onPoll,
  });
}

const line = (e: StackEvent) => `${e.LogicalResourceId} ${e.ResourceStatus} ${e.ResourceStatusReason ?? '-'}`;

function newGroupOf(events: StackEvent[]): string {
  return events.find((e) => e.LogicalResourceId === 'AutoScalingGroup' && e.ResourceStatusReason === 'Resource creation Initiated')!.PhysicalResourceId!;
}

/** The serving group was never scaled in, modified or deleted by the failed deploy, and still serves. */
async function expectOldGroupUntouched(scenario: Scenario) {
  const oldGroup = scenario.seeded!.groupName!;
  expect(scenario.cloud.groupMutations(oldGroup).filter((m) => m.by === 'cloudformation')).toEqual([]);
  const described = await scenario.cloud.clients().autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [oldGroup] });
  const group = described.AutoScalingGroups![0]!;
  expect(group.Instances!.map((i) => i.LifecycleState)).toEqual(['InService', 'InService']);
  const stack = (await scenario.cloud.clients().cloudFormation.describeStacks({ StackName: scenario.stackName })).Stacks![0]!;
  expect(stack.Outputs).toEqual([{ OutputKey: 'GroupName', OutputValue: oldGroup }]);
}

describe('a FAILURE signal', () => {
  it('fails the group, cancels nothing else, rolls back, deletes only the new group', async () => {
    const scenario = failureSignalScenario();
    const result = await deploy(scenario);
    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const lines = result.events.map(line);
    const newGroup = newGroupOf(result.events);
    expect(lines).toEqual([
      `${scenario.stackName} UPDATE_IN_PROGRESS User Initiated`,
      'LaunchTemplate UPDATE_IN_PROGRESS -',
      'LaunchTemplate UPDATE_COMPLETE -',
      'AutoScalingGroup UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.',
      'AutoScalingGroup UPDATE_IN_PROGRESS Resource creation Initiated',
      expect.stringMatching(/^AutoScalingGroup UPDATE_IN_PROGRESS Received FAILURE signal with UniqueId i-[0-9a-f]{17}$/),
      'AutoScalingGroup UPDATE_FAILED Received 1 FAILURE signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement',
      `${scenario.stackName} UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [AutoScalingGroup]. `,
      'AutoScalingGroup UPDATE_IN_PROGRESS -',
      'AutoScalingGroup UPDATE_COMPLETE -',
      'LaunchTemplate UPDATE_IN_PROGRESS -',
      'LaunchTemplate UPDATE_COMPLETE -',
      `${scenario.stackName} UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS -`,
      'AutoScalingGroup DELETE_IN_PROGRESS -',
      'AutoScalingGroup DELETE_COMPLETE -',
      `${scenario.stackName} UPDATE_ROLLBACK_COMPLETE -`,
    ]);
    const deletions = result.events.filter((e) => e.ResourceStatus?.startsWith('DELETE_'));
    expect(deletions.map((e) => e.PhysicalResourceId)).toEqual([newGroup, newGroup]);
    const revert = result.events.find((e) => e.LogicalResourceId === 'AutoScalingGroup' && e.ResourceStatus === 'UPDATE_COMPLETE')!;
    expect(revert.PhysicalResourceId).toBe(scenario.seeded!.groupName);

    const cause = findRootCause(result.events, { stackName: scenario.stackName })!;
    expect(cause).toMatchObject({ logicalId: 'AutoScalingGroup', status: 'UPDATE_FAILED', classification: { kind: 'signal-failure', failures: 1, expected: 2 } });
    const failedInstance = failedInstanceIds(result.events);
    expect(failedInstance).toHaveLength(1);
    expect(scenario.cloud.groupMutations(newGroup).map((m) => m.detail)).toContain(failedInstance[0]);
    await expectOldGroupUntouched(scenario);
    const stack = (await scenario.cloud.clients().cloudFormation.describeStacks({ StackName: scenario.stackName })).Stacks![0]!;
    expect(stack.Parameters).toEqual(expect.arrayContaining([{ ParameterKey: 'ImageDigest', ParameterValue: scenario.seeded!.stack.params.ImageDigest }]));
  });

  it('is tolerated when MinSuccessfulInstancesPercent is still met', async () => {
    const scenario = updateScenario({
      minSuccessfulInstancesPercent: 50,
      instances: [{ signal: 'SUCCESS', afterSeconds: 120 }, { signal: 'FAILURE', afterSeconds: 150 }],
    });
    const result = await deploy(scenario);
    expect(result.finalStatus).toBe('UPDATE_COMPLETE');
    expect(result.events.filter((e) => /Received (SUCCESS|FAILURE) signal/.test(e.ResourceStatusReason ?? ''))).toHaveLength(2);
  });

  it('cancels the resources still in flight, with CloudFormation\'s cancellation reason', async () => {
    // A second resource whose update takes longer than the group's: it is in flight when the group fails.
    const scenario = updateScenario({
      extraResources: { Warmup: { Type: 'Custom::Warmup', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:warmup', Digest: { Ref: 'ImageDigest' } } } },
      instances: [{ signal: 'FAILURE', afterSeconds: 100 }],
    });
    scenario.cloud.timings.inPlaceUpdateSeconds['Custom::Warmup'] = 400;
    const result = await deploy(scenario);
    const lines = result.events.map(line);
    expect(lines).toContain('Warmup UPDATE_FAILED Resource update cancelled');
    expect(findRootCause(result.events, { stackName: scenario.stackName })?.logicalId).toBe('AutoScalingGroup');
  });
});

describe('signals that never come', () => {
  it('time out after the creation policy\'s Timeout', async () => {
    const scenario = signalTimeoutScenario();
    const result = await deploy(scenario);
    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const failure = result.events.find((e) => e.ResourceStatus === 'UPDATE_FAILED')!;
    expect(failure.ResourceStatusReason).toBe('Failed to receive 2 resource signal(s) within the specified duration');
    const initiated = result.events.find((e) => e.ResourceStatusReason === 'Resource creation Initiated')!;
    expect((failure.Timestamp!.getTime() - initiated.Timestamp!.getTime()) / 1000).toBe(600);
    expect(findRootCause(result.events)?.classification).toEqual({ kind: 'signal-timeout', missing: 2 });
    await expectOldGroupUntouched(scenario);
  });

  it.each([
    ['vCPU limit', LAUNCH_FAILURE_REASONS.vcpuLimit],
    ['missing AMI', LAUNCH_FAILURE_REASONS.invalidAmi('ami-0a1b2c3d4e5f60718')],
    ['IAM', LAUNCH_FAILURE_REASONS.notAuthorized],
  ])('because EC2 refuses to launch instances (%s): failed scaling activities, no instances, timeout', async (_name, reason) => {
    const scenario = launchFailureScenario(reason);
    let activities: Awaited<ReturnType<AutoScalingApi['describeScalingActivities']>> | undefined;
    let instances = -1;
    const result = await deploy(scenario, async ({ events, elapsedSeconds }) => {
      if (elapsedSeconds < 300 || activities) return;
      void events;
      const clients = scenario.cloud.clients();
      const groups = await clients.autoScaling.describeAutoScalingGroups({
        Filters: [{ Name: 'tag:aws:cloudformation:stack-name', Values: [scenario.stackName] }],
      });
      const newGroup = groups.AutoScalingGroups!.find((g) => g.AutoScalingGroupName !== scenario.seeded!.groupName)!;
      instances = newGroup.Instances!.length;
      activities = await clients.autoScaling.describeScalingActivities({ AutoScalingGroupName: newGroup.AutoScalingGroupName });
    });
    expect(instances).toBe(0);
    const first = activities!.Activities![0]!;
    expect(first.StatusCode).toBe('Failed');
    expect(first.StatusMessage).toBe(launchFailureStatusMessage(reason));
    expect(first.Description).toBe(`Launching a new EC2 instance.  Status Reason: ${reason} Launching EC2 instance failed.`);
    expect(first.Cause).toMatch(/an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2/);
    expect(activities!.Activities!.length).toBeGreaterThan(3);
    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(findRootCause(result.events)?.reason).toBe('Failed to receive 2 resource signal(s) within the specified duration');
    await expectOldGroupUntouched(scenario);
  });
});

describe('CancelUpdateStack', () => {
  it('during UPDATE_IN_PROGRESS cancels the new group and rolls back', async () => {
    const scenario = updateScenario();
    const cfn = scenario.cloud.clients().cloudFormation;
    let cancelled = false;
    const result = await deploy(scenario, async ({ elapsedSeconds }) => {
      if (!cancelled && elapsedSeconds >= 60) {
        cancelled = true;
        await cfn.cancelUpdateStack({ StackName: scenario.stackName });
      }
    });
    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const lines = result.events.map(line);
    expect(lines).toContain('AutoScalingGroup UPDATE_FAILED Resource update cancelled');
    expect(lines).toContain(`${scenario.stackName} UPDATE_ROLLBACK_IN_PROGRESS Resource update cancelled`);
    expect(findRootCause(result.events)).toBeUndefined();
    const newGroup = newGroupOf(result.events);
    expect(scenario.cloud.groupMutations(newGroup).map((m) => m.action)).toContain('group-deleted');
    await expectOldGroupUntouched(scenario);
  });

  it('is refused outside UPDATE_IN_PROGRESS', async () => {
    const scenario = updateScenario();
    const cfn = scenario.cloud.clients().cloudFormation;
    await expect(cfn.cancelUpdateStack({ StackName: scenario.stackName })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'CancelUpdateStack cannot be called from current stack status',
    });
  });
});

describe('a rollback that fails', () => {
  it('leaves the stack in UPDATE_ROLLBACK_FAILED, which needs a human', async () => {
    const scenario = failureSignalScenario();
    scenario.cloud.failRollbackOf('LaunchTemplate', 'Resource handler returned message: "You are not authorized to perform this operation."');
    const result = await deploy(scenario);
    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect(result.finalReason).toBe('The following resource(s) failed to update: [LaunchTemplate]. ');
    expect(needsAttention(result.finalStatus!)).toBe(true);
    // The root cause is still the deploy's own failure, not the rollback's.
    expect(findRootCause(result.events)?.logicalId).toBe('AutoScalingGroup');
    expect(scenario.cloud.groupMutations(scenario.seeded!.groupName!).filter((m) => m.by === 'cloudformation')).toEqual([]);
  });
});
