/**
 * The simulated CloudFormation honours rollback triggers as AWS documents them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-rollback-triggers.html):
 * the monitoring period keeps the update open with the old group kept, an alarm going to ALARM
 * rolls the whole update back, a missing trigger fails it, and the stack remembers its triggers.
 */
import { describe, expect, it } from '@jest/globals';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { runChangeSet } from './drive.js';
import { firstCreateScenario, updateScenario, type Scenario } from './scenarios.js';

const BREACH = 'Threshold Crossed: 2 out of the last 2 datapoints [41.0 (01/12/26 06:40:00), 37.0 (01/12/26 06:39:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).';

function withAlarm(minutes: number, name = 'hello-test-target-5xx'): { s: Scenario; arn: string } {
  const s = updateScenario();
  const alarm = s.cloud.cloudWatch.putAlarm(name, 'OK', 'Threshold Crossed: no datapoints were breaching');
  return { s, arn: alarm.arn };
}

const groupDone = (events: StackEvent[]) => events.find((e) => e.LogicalResourceId === 'AutoScalingGroup' && e.ResourceStatus === 'UPDATE_COMPLETE');
const stackStatuses = (events: StackEvent[], stackName: string) => events.filter((e) => e.LogicalResourceId === stackName).map((e) => e.ResourceStatus);

describe('rollback triggers in the simulated cloud', () => {
  it('keep the update open for the monitoring period with the old group serving, then clean up', async () => {
    const { s, arn } = withAlarm(10);
    const oldGroup = s.seeded!.groupName!;
    let groupCompleteAt: number | undefined;
    let seenDuringMonitoring: { status: string; oldGroupInstances: number } | undefined;
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, {
      ...s,
      rollbackConfiguration: { MonitoringTimeInMinutes: 10, RollbackTriggers: [{ Arn: arn, Type: 'AWS::CloudWatch::Alarm' }] },
      onPoll: async ({ status, events }) => {
        const done = groupDone(events);
        if (done) groupCompleteAt = done.Timestamp!.getTime();
        if (groupCompleteAt && !seenDuringMonitoring && s.cloud.clock.nowMs() > groupCompleteAt + 5 * 60_000) {
          const old = await s.cloud.clients().autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [oldGroup] });
          seenDuringMonitoring = { status, oldGroupInstances: old.AutoScalingGroups![0]!.Instances!.length };
        }
      },
    });

    expect(result.finalStatus).toBe('UPDATE_COMPLETE');
    expect(seenDuringMonitoring).toEqual({ status: 'UPDATE_IN_PROGRESS', oldGroupInstances: 2 });
    const cleanup = result.events.find((e) => (e.ResourceStatus as string) === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')!;
    expect(cleanup.Timestamp!.getTime() - groupCompleteAt!).toBeGreaterThanOrEqual(10 * 60_000);
    expect(stackStatuses(result.events, s.stackName)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    // The old group is deleted only after the monitoring period.
    const deletion = s.cloud.groupMutations(oldGroup).find((m) => m.by === 'cloudformation')!;
    expect(deletion.time.getTime()).toBeGreaterThanOrEqual(cleanup.Timestamp!.getTime());
  });

  it('roll the update back when an alarm goes to ALARM during monitoring; the old group is never touched', async () => {
    const { s, arn } = withAlarm(10);
    const oldGroup = s.seeded!.groupName!;
    let breachedAt: number | undefined;
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, {
      ...s,
      rollbackConfiguration: { MonitoringTimeInMinutes: 10, RollbackTriggers: [{ Arn: arn, Type: 'AWS::CloudWatch::Alarm' }] },
      onPoll: ({ events }) => {
        if (groupDone(events) && breachedAt === undefined) {
          s.cloud.cloudWatch.setAlarmStateAfter(120, { AlarmName: 'hello-test-target-5xx', StateValue: 'ALARM', StateReason: BREACH });
          breachedAt = s.cloud.clock.nowMs() + 120_000;
        }
      },
    });

    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const rollback = result.events.find((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!;
    expect(rollback.ResourceStatusReason).toContain(arn);
    expect(rollback.Timestamp!.getTime()).toBeGreaterThanOrEqual(breachedAt!);
    expect(result.events.some((e) => (e.ResourceStatus as string) === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')).toBe(false);
    expect(s.cloud.groupMutations(oldGroup).filter((m) => m.by === 'cloudformation')).toEqual([]);
    const newGroup = result.events.find((e) => e.LogicalResourceId === 'AutoScalingGroup' && e.PhysicalResourceId && e.PhysicalResourceId !== oldGroup)!.PhysicalResourceId!;
    expect(s.cloud.groupMutations(newGroup).some((m) => m.action === 'group-deleted')).toBe(true);
    const [alarm] = (await s.cloud.clients().cloudWatch!.describeAlarms({ AlarmNames: ['hello-test-target-5xx'] })).MetricAlarms!;
    expect(alarm).toMatchObject({ StateValue: 'ALARM', StateReason: BREACH });
  });

  it('ignore INSUFFICIENT_DATA and OK: only ALARM rolls back', async () => {
    const { s, arn } = withAlarm(3);
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, {
      ...s,
      rollbackConfiguration: { MonitoringTimeInMinutes: 3, RollbackTriggers: [{ Arn: arn, Type: 'AWS::CloudWatch::Alarm' }] },
      onPoll: ({ events }) => {
        if (groupDone(events)) s.cloud.cloudWatch.setAlarmStateAfter(30, { AlarmName: 'hello-test-target-5xx', StateValue: 'INSUFFICIENT_DATA', StateReason: 'Insufficient Data: 1 datapoint was unknown.' });
      },
    });
    expect(result.finalStatus).toBe('UPDATE_COMPLETE');
  });

  it('roll back an alarm breach while the new group is still being created; its work is cancelled', async () => {
    const { s, arn } = withAlarm(10);
    s.cloud.cloudWatch.setAlarmStateAfter(120, { AlarmName: 'hello-test-target-5xx', StateValue: 'ALARM', StateReason: BREACH });
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, {
      ...s,
      rollbackConfiguration: { MonitoringTimeInMinutes: 10, RollbackTriggers: [{ Arn: arn, Type: 'AWS::CloudWatch::Alarm' }] },
    });

    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.events.find((e) => e.LogicalResourceId === 'AutoScalingGroup' && e.ResourceStatus === 'UPDATE_FAILED')?.ResourceStatusReason).toBe('Resource update cancelled');
    expect(result.events.find((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!.ResourceStatusReason).toContain(arn);
    expect(s.cloud.groupMutations(s.seeded!.groupName!).filter((m) => m.by === 'cloudformation')).toEqual([]);
  });

  it('fail the whole operation when a trigger alarm does not exist, before any resource changes', async () => {
    const s = updateScenario();
    const missing = s.cloud.cloudWatch.arnOf('never-created');
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, {
      ...s,
      rollbackConfiguration: { MonitoringTimeInMinutes: 5, RollbackTriggers: [{ Arn: missing, Type: 'AWS::CloudWatch::Alarm' }] },
    });

    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.events.find((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!.ResourceStatusReason).toContain(missing);
    expect(result.events.filter((e) => e.LogicalResourceId !== s.stackName)).toEqual([]);
  });

  it('cancel during monitoring (CancelUpdateStack) rolls back like any other cancel', async () => {
    const { s, arn } = withAlarm(10);
    const oldGroup = s.seeded!.groupName!;
    const cfn = s.cloud.clients().cloudFormation;
    let cancelled = false;
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, {
      ...s,
      rollbackConfiguration: { MonitoringTimeInMinutes: 10, RollbackTriggers: [{ Arn: arn, Type: 'AWS::CloudWatch::Alarm' }] },
      onPoll: async ({ events, status }) => {
        if (!cancelled && groupDone(events)) {
          await s.cloud.clock.sleep(60_000);
          expect(status).toBe('UPDATE_IN_PROGRESS');
          await cfn.cancelUpdateStack({ StackName: s.stackName });
          cancelled = true;
        }
      },
    });

    expect(result.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.events.find((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!.ResourceStatusReason).toBe('Resource update cancelled');
    expect(s.cloud.groupMutations(oldGroup).filter((m) => m.by === 'cloudformation')).toEqual([]);
  });

  it('are remembered by the stack for later updates unless replaced, and an empty list removes them', async () => {
    const { s, arn } = withAlarm(1);
    const cfn = s.cloud.clients().cloudFormation;
    const config = { MonitoringTimeInMinutes: 1, RollbackTriggers: [{ Arn: arn, Type: 'AWS::CloudWatch::Alarm' }] };
    expect((await runChangeSet(s.cloud.clients(), s.cloud.clock, { ...s, rollbackConfiguration: config })).finalStatus).toBe('UPDATE_COMPLETE');
    expect((await cfn.describeStacks({ StackName: s.stackName })).Stacks![0]!.RollbackConfiguration).toEqual(config);

    // The next update names no configuration: the remembered trigger still guards it.
    s.cloud.cloudWatch.setAlarmState({ AlarmName: 'hello-test-target-5xx', StateValue: 'ALARM', StateReason: BREACH });
    const guarded = await runChangeSet(s.cloud.clients(), s.cloud.clock, { ...s, parameters: { ...s.parameters, DesiredCapacity: '3' } });
    expect(guarded.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');

    const cleared = await runChangeSet(s.cloud.clients(), s.cloud.clock, {
      ...s,
      parameters: { ...s.parameters, DesiredCapacity: '3' },
      rollbackConfiguration: { MonitoringTimeInMinutes: 0, RollbackTriggers: [] },
    });
    expect(cleared.finalStatus).toBe('UPDATE_COMPLETE');
    expect((await cfn.describeStacks({ StackName: s.stackName })).Stacks![0]!.RollbackConfiguration).toEqual({ MonitoringTimeInMinutes: 0, RollbackTriggers: [] });
  });

  it('refuse a monitoring time over 180 minutes and more than five triggers', async () => {
    const { s, arn } = withAlarm(1);
    const cfn = s.cloud.clients().cloudFormation;
    const base = { StackName: s.stackName, ChangeSetName: 'c', ChangeSetType: 'UPDATE' as const, TemplateBody: s.templateBody, Capabilities: ['CAPABILITY_IAM' as const], Parameters: [{ ParameterKey: 'ImageDigest', ParameterValue: s.parameters.ImageDigest }] };
    await expect(cfn.createChangeSet({ ...base, RollbackConfiguration: { MonitoringTimeInMinutes: 181 } })).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('less than or equal to 180') });
    const six = Array.from({ length: 6 }, () => ({ Arn: arn, Type: 'AWS::CloudWatch::Alarm' }));
    await expect(cfn.createChangeSet({ ...base, RollbackConfiguration: { RollbackTriggers: six } })).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('length less than or equal to 5') });
  });

  it('apply to a first create too: CREATE_IN_PROGRESS through monitoring, ROLLBACK_COMPLETE on a breach', async () => {
    const clean = firstCreateScenario();
    const ok = clean.cloud.cloudWatch.putAlarm('a', 'OK', 'fine');
    let statusWhileMonitoring: string | undefined;
    const created = await runChangeSet(clean.cloud.clients(), clean.cloud.clock, {
      ...clean,
      rollbackConfiguration: { MonitoringTimeInMinutes: 5, RollbackTriggers: [{ Arn: ok.arn, Type: 'AWS::CloudWatch::Alarm' }] },
      onPoll: ({ status, elapsedSeconds }) => {
        if (elapsedSeconds > 6 * 60 && !statusWhileMonitoring) statusWhileMonitoring = status;
      },
    });
    expect(created.finalStatus).toBe('CREATE_COMPLETE');
    expect(statusWhileMonitoring).toBe('CREATE_IN_PROGRESS');

    const breached = firstCreateScenario();
    const alarm = breached.cloud.cloudWatch.putAlarm('a', 'OK', 'fine');
    breached.cloud.cloudWatch.setAlarmStateAfter(6 * 60, { AlarmName: 'a', StateValue: 'ALARM', StateReason: BREACH });
    const rolledBack = await runChangeSet(breached.cloud.clients(), breached.cloud.clock, {
      ...breached,
      rollbackConfiguration: { MonitoringTimeInMinutes: 5, RollbackTriggers: [{ Arn: alarm.arn, Type: 'AWS::CloudWatch::Alarm' }] },
    });
    expect(rolledBack.finalStatus).toBe('ROLLBACK_COMPLETE');
    expect(rolledBack.events.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')!.ResourceStatusReason).toContain(alarm.arn);
  });
});
