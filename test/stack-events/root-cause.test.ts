import { describe, it, expect } from '@jest/globals';
import { classifyReason, failedInstanceIds, findRollbackBlocker, findRootCause, signalsFromEvents, type EventLike } from '../../src/stack-events/root-cause.js';

const ev = (LogicalResourceId: string, ResourceStatus: string, ResourceStatusReason?: string, ResourceType = 'AWS::AutoScaling::AutoScalingGroup'): EventLike => ({
  LogicalResourceId,
  ResourceStatus: ResourceStatus as EventLike['ResourceStatus'],
  ResourceStatusReason,
  ResourceType,
});
const stack = (status: string, reason?: string) => ev('hello-test', status, reason, 'AWS::CloudFormation::Stack');

describe('findRootCause', () => {
  it('skips cancellations and the stack summary, and returns the first real failure', () => {
    const events = [
      stack('UPDATE_IN_PROGRESS', 'User Initiated'),
      ev('Warmup', 'UPDATE_FAILED', 'Resource update cancelled', 'Custom::Warmup'),
      ev('AutoScalingGroup', 'UPDATE_IN_PROGRESS', 'Received FAILURE signal with UniqueId i-0ef1552535f4c5e08'),
      ev('AutoScalingGroup', 'UPDATE_FAILED', 'Received 1 FAILURE signal(s) out of 2.  Unable to satisfy 100% MinSuccessfulInstancesPercent requirement'),
      stack('UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [AutoScalingGroup]. '),
      ev('LaunchTemplate', 'UPDATE_FAILED', 'Later rollback trouble', 'AWS::EC2::LaunchTemplate'),
    ];
    expect(findRootCause(events, { stackName: 'hello-test' })).toMatchObject({
      logicalId: 'AutoScalingGroup',
      status: 'UPDATE_FAILED',
      classification: { kind: 'signal-failure', failures: 1, expected: 2 },
    });
  });

  it('ignores the ". ." variant of the stack summary and creation cancellations', () => {
    const events = [
      ev('Queue', 'CREATE_FAILED', 'Resource creation cancelled', 'AWS::SQS::Queue'),
      stack('ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [ManagerAsg]. . Rollback requested by user.'),
    ];
    expect(findRootCause(events)).toBeUndefined();
  });

  it('returns nothing for a cancel (no resource failed on its own)', () => {
    expect(findRootCause([ev('AutoScalingGroup', 'UPDATE_FAILED', 'Resource update cancelled'), stack('UPDATE_ROLLBACK_IN_PROGRESS', 'Resource update cancelled')])).toBeUndefined();
  });
});

describe('classifyReason', () => {
  it.each([
    ['Received 1 FAILURE signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement', { kind: 'signal-failure', failures: 1, expected: 2 }],
    ['Received  3 FAILURE signal(s) out of 4 .', { kind: 'signal-failure', failures: 3, expected: 4 }],
    ['Failed to receive 2 resource signal(s) within the specified duration', { kind: 'signal-timeout', missing: 2 }],
    ['Failed to receive 1 resource signal(s) for the current batch. Each resource signal timeout is counted as a FAILURE.', { kind: 'signal-timeout', missing: 1 }],
    ['Received 0 SUCCESS signal(s) out of 1.  Unable to satisfy 100% MinSuccessfulInstancesPercent requirement', { kind: 'signal-timeout', received: 0, expected: 1 }],
    ['Resource handler returned message: "Access denied"', { kind: 'other' }],
  ])('%s', (reason, expected) => {
    expect(classifyReason(reason)).toEqual(expected);
  });
});

describe('signals', () => {
  it('extract instance ids from signal events, each failure once', () => {
    const events = [
      ev('AutoScalingGroup', 'UPDATE_IN_PROGRESS', 'Received SUCCESS signal with UniqueId i-0ef1552535f4c5e08'),
      ev('AutoScalingGroup', 'UPDATE_IN_PROGRESS', 'Received FAILURE signal with UniqueId i-0aaaaaaaaaaaaaaa1.'),
      ev('AutoScalingGroup', 'UPDATE_IN_PROGRESS', 'Received  FAILURE signal with UniqueId i-0aaaaaaaaaaaaaaa1'),
    ];
    expect(signalsFromEvents(events).map((s) => [s.signal, s.instanceId])).toEqual([
      ['SUCCESS', 'i-0ef1552535f4c5e08'],
      ['FAILURE', 'i-0aaaaaaaaaaaaaaa1'],
      ['FAILURE', 'i-0aaaaaaaaaaaaaaa1'],
    ]);
    expect(failedInstanceIds(events)).toEqual(['i-0aaaaaaaaaaaaaaa1']);
  });
});

describe('findRollbackBlocker', () => {
  const stack = (status: string, reason?: string): EventLike => ({ LogicalResourceId: 'svc', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: status as EventLike['ResourceStatus'], ResourceStatusReason: reason });
  const resource = (id: string, type: string, status: string, reason?: string): EventLike => ({ LogicalResourceId: id, ResourceType: type, ResourceStatus: status as EventLike['ResourceStatus'], ResourceStatusReason: reason });

  it('finds the resource that failed after the rollback began, not the original failure', () => {
    const events = [
      stack('UPDATE_IN_PROGRESS', 'User Initiated'),
      resource('AutoScalingGroup', 'AWS::AutoScaling::AutoScalingGroup', 'UPDATE_FAILED', 'Received 1 FAILURE signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement'),
      stack('UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [AutoScalingGroup]. '),
      resource('LaunchTemplate', 'AWS::EC2::LaunchTemplate', 'UPDATE_IN_PROGRESS'),
      resource('LaunchTemplate', 'AWS::EC2::LaunchTemplate', 'UPDATE_FAILED', 'Resource handler returned message: "Access denied"'),
      stack('UPDATE_ROLLBACK_FAILED', 'The following resource(s) failed to update: [LaunchTemplate]. '),
    ];
    expect(findRootCause(events, { stackName: 'svc' })?.logicalId).toBe('AutoScalingGroup');
    expect(findRollbackBlocker(events, { stackName: 'svc' })).toMatchObject({ logicalId: 'LaunchTemplate', status: 'UPDATE_FAILED', reason: 'Resource handler returned message: "Access denied"' });
  });

  it('finds nothing when the rollback never started or nothing failed in it', () => {
    expect(findRollbackBlocker([stack('UPDATE_IN_PROGRESS')], { stackName: 'svc' })).toBeUndefined();
    expect(findRollbackBlocker([stack('UPDATE_ROLLBACK_IN_PROGRESS'), resource('X', 'AWS::SNS::Topic', 'UPDATE_COMPLETE')], { stackName: 'svc' })).toBeUndefined();
  });
});
