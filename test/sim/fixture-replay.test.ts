import { describe, it, expect } from '@jest/globals';
import { runChangeSet } from './drive.js';
import { loadFixture } from './fixture.js';
import { mapFixture, orderViolations, pairRows, reasonPattern, rowsFromEvents, sequenceOf, type Row } from './fixture-compare.js';
import { fixtureReplayScenario } from './scenarios.js';

const ids = (launch: string) => ({
  launchConfiguration: launch,
  autoScalingGroup: 'AutoScalingGroup',
  scheduledAction674c724b: 'ScheduledAction674c724b',
  scheduledAction72f2dd39: 'ScheduledAction72f2dd39',
});

async function replay(launch: 'template' | 'configuration') {
  const scenario = fixtureReplayScenario(launch);
  const result = await runChangeSet(scenario.cloud.clients(), scenario.cloud.clock, {
    stackName: scenario.stackName,
    templateBody: scenario.templateBody,
    parameters: scenario.parameters,
    token: 'shipper-deploy-0001',
  });
  return { scenario, result, rows: rowsFromEvents(result.events) };
}

function expectSameShape(expected: Row[], actual: Row[], toleranceSeconds: number) {
  for (const id of new Set(expected.map((r) => r.logicalId))) {
    expect({ id, sequence: sequenceOf(actual, id) }).toEqual({ id, sequence: sequenceOf(expected, id) });
  }
  expect(actual.map((r) => r.logicalId).sort()).toEqual(expected.map((r) => r.logicalId).sort());
  const pairs = pairRows(expected, actual);
  const late = pairs
    .filter(([e, a]) => !a || Math.abs(a.elapsedSeconds - e.elapsedSeconds) > toleranceSeconds)
    .map(([e, a]) => `${e.logicalId} ${e.status} ${reasonPattern(e.reason)}: fixture ${e.elapsedSeconds}s, simulated ${a?.elapsedSeconds}s`);
  expect(late).toEqual([]);
  expect(orderViolations(pairs, 3)).toEqual([]);
}

describe('the default scenario replays the real replacing update (fixture)', () => {
  it('with a launch configuration, reproduces every row of the fixture in order and on time', async () => {
    const fixture = mapFixture(loadFixture(), { ...ids('LaunchConfiguration'), 'charge-central-test': 'charge-central-test' });
    const { result, rows } = await replay('configuration');
    expect(result.finalStatus).toBe('UPDATE_COMPLETE');
    expect(rows).toHaveLength(fixture.length);
    expectSameShape(fixture, rows, 8);
  });

  it('with a launch template, matches the fixture except that the template gets a new version in place', async () => {
    // A launch template is not replaced: it is updated (UPDATE_IN_PROGRESS, UPDATE_COMPLETE) and
    // nothing of it is left to delete in cleanup. Every other row is the fixture's.
    const fixture = mapFixture(loadFixture(), ids('LaunchTemplate'));
    const expected = fixture
      .filter((r) => !(r.logicalId === 'LaunchTemplate' && (r.status.startsWith('DELETE_') || r.reason === 'Resource creation Initiated')))
      .map((r) => (r.logicalId === 'LaunchTemplate' ? { ...r, reason: undefined } : r));
    const { result, rows } = await replay('template');
    expect(result.finalStatus).toBe('UPDATE_COMPLETE');
    expectSameShape(expected, rows, 8);
  });

  it('follows the fixture timeline: new group live at ~3m44s, cleanup at ~3m56s, UPDATE_COMPLETE at ~5m52s', async () => {
    const { rows } = await replay('template');
    const at = (id: string, status: string) => rows.find((r) => r.logicalId === id && r.status === status)!.elapsedSeconds;
    expect(Math.abs(at('AutoScalingGroup', 'UPDATE_COMPLETE') - 224)).toBeLessThanOrEqual(2);
    expect(Math.abs(at('charge-central-test', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') - 236)).toBeLessThanOrEqual(2);
    expect(Math.abs(at('charge-central-test', 'UPDATE_COMPLETE') - 352)).toBeLessThanOrEqual(4);
    const signal = rows.find((r) => /Received SUCCESS signal/.test(r.reason ?? ''))!;
    expect(signal.elapsedSeconds - rows.find((r) => r.reason === 'Resource creation Initiated' && r.logicalId === 'AutoScalingGroup')!.elapsedSeconds).toBe(206);
  });
});

describe('the replacing update, as the rest of AWS sees it', () => {
  it('signals come from the new group, which is live at the template size; the old group is only deleted in cleanup', async () => {
    const { scenario, result } = await replay('template');
    const cloud = scenario.cloud;
    const oldGroup = scenario.seeded!.groupName!;
    const newGroup = result.events.find((e) => e.ResourceStatusReason === 'Resource creation Initiated' && e.LogicalResourceId === 'AutoScalingGroup')!
      .PhysicalResourceId!;
    expect(newGroup).toMatch(/^charge-central-test-AutoScalingGroup-[A-Z0-9]{12}$/);
    expect(newGroup).not.toBe(oldGroup);

    const groups = await cloud.clients().autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [newGroup, oldGroup] });
    expect(groups.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual([newGroup]);
    const live = groups.AutoScalingGroups![0]!;
    expect(live.DesiredCapacity).toBe(1);
    expect(live.Instances!.map((i) => i.LifecycleState)).toEqual(['InService']);
    expect(live.LaunchTemplate?.Version).toBe('2');
    expect(live.Tags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Key: 'aws:cloudformation:stack-name', Value: 'charge-central-test' }),
        expect.objectContaining({ Key: 'aws:cloudformation:logical-id', Value: 'AutoScalingGroup' }),
      ]),
    );
    const signalled = /UniqueId (i-[0-9a-f]+)/.exec(result.events.find((e) => /Received SUCCESS/.test(e.ResourceStatusReason ?? ''))!.ResourceStatusReason!)![1];
    expect(live.Instances![0]!.InstanceId).toBe(signalled);

    const activities = await cloud.clients().autoScaling.describeScalingActivities({ AutoScalingGroupName: newGroup });
    expect(activities.Activities![0]).toMatchObject({ Description: `Launching a new EC2 instance: ${signalled}`, StatusCode: 'Successful' });

    const cleanupAt = result.events.find((e) => (e.ResourceStatus as string) === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')!.Timestamp!.getTime();
    const byCloudFormation = cloud.groupMutations(oldGroup).filter((m) => m.by === 'cloudformation');
    expect(byCloudFormation.length).toBeGreaterThan(0);
    expect(byCloudFormation.every((m) => m.time.getTime() >= cleanupAt)).toBe(true);
    expect(byCloudFormation.map((m) => m.action)).toContain('group-deleted');
  });

  it('stamps every event of the operation with its ClientRequestToken and serves the new parameters and outputs', async () => {
    const { scenario, result } = await replay('template');
    expect(result.events.every((e) => e.ClientRequestToken === 'shipper-deploy-0001')).toBe(true);
    const stack = (await scenario.cloud.clients().cloudFormation.describeStacks({ StackName: 'charge-central-test' })).Stacks![0]!;
    expect(stack.Parameters).toEqual(expect.arrayContaining([{ ParameterKey: 'ImageDigest', ParameterValue: scenario.parameters.ImageDigest }]));
    expect(stack.Outputs).toEqual([{ OutputKey: 'GroupName', OutputValue: expect.stringMatching(/^charge-central-test-AutoScalingGroup-/) }]);
    expect(stack.Tags).toEqual(expect.arrayContaining([{ Key: 'service', Value: 'hello' }]));
  });
});
