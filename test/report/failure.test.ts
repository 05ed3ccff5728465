import { describe, expect, it } from '@jest/globals';
import type { FailedActivity } from '../../src/report/events.js';
import { failureKind, formatFailureReport, summariseActivities } from '../../src/report/failure.js';
import { ansiStyle } from '../../src/report/style.js';
import { at, failureReport } from './scenarios.js';

/** The failure screen, everything included, fits a terminal without scrolling. */
const ONE_SCREEN = 40;
/** Without boot logs it stays as short as it always was. */
const WITHOUT_BOOT_LOGS = 25;

describe('formatFailureReport', () => {
  it('leads with the reassurance that the previous release is still live, and names the old group', () => {
    const lines = formatFailureReport(failureReport());
    expect(lines[0]).toBe('Deploy failed and was rolled back. The previous release is still live.');
    expect(lines[1]).toBe('The previous release still serves from group charge-central-test-autoScalingGroup-0OLDGROUP.');
  });

  it('names the release that still serves: number, tag, short digest, when and by whom, and its group', () => {
    const previousRelease = { number: 7, tag: 'v1', digest: `sha256:${'1'.repeat(64)}`, deployedAt: '2026-11-23T06:25:30.000Z', by: 'alice@laptop' };
    const lines = formatFailureReport(failureReport({ previousRelease }));
    expect(lines[1]).toBe(
      'Release #7 still serves: v1 (111111111111), deployed 2026-11-23 06:25:30 UTC by alice@laptop, from group charge-central-test-autoScalingGroup-0OLDGROUP.',
    );
  });

  it('without a release history, names the image the stack runs again', () => {
    const lines = formatFailureReport(failureReport({ previousRelease: { tag: 'v1', digest: `sha256:${'1'.repeat(64)}` } }));
    expect(lines[1]).toBe('The previous release still serves: v1 (111111111111), from group charge-central-test-autoScalingGroup-0OLDGROUP.');
  });

  it.each([
    [{ by: 'signal', signal: 'SIGINT' } as const, 'Ctrl-C'],
    [{ by: 'signal', signal: 'SIGTERM' } as const, 'SIGTERM'],
    [{ by: 'timeout', timeoutSeconds: 1200 } as const, '--timeout 20m'],
    [{ by: 'timeout', timeoutSeconds: 90 } as const, '--timeout 1m30s'],
  ])('a cancelled deploy says it was cancelled, and by what (%j)', (cancelled, by) => {
    const lines = formatFailureReport(failureReport({ cancelled, rootCause: undefined, groupActivities: [], failedInstances: [], nextSteps: ['deploy again when ready'] }));
    expect(lines[0]).toBe(`Deploy cancelled (by ${by}) and was rolled back. The previous release is still live.`);
    const text = lines.join('\n');
    expect(text).toContain(`Cancelled by ${by} before the new group was live`);
    expect(text).not.toMatch(/Deploy failed|No resource reported/);
  });

  it('a failed rollback shows what blocked it next to the original root cause', () => {
    const lines = formatFailureReport(
      failureReport({
        finalStatus: 'UPDATE_ROLLBACK_FAILED',
        previousReleaseLive: false,
        rollbackBlocker: { logicalId: 'LaunchTemplate', resourceType: 'AWS::EC2::LaunchTemplate', status: 'UPDATE_FAILED', reason: 'Resource handler returned message: "Access denied"' },
      }),
    );
    const text = lines.join('\n');
    expect(text).toMatch(/Root cause\n  autoScalingGroup .*UPDATE_FAILED\n  Received 1 FAILURE signal/);
    expect(text).toMatch(/What blocked the rollback\n  LaunchTemplate \(AWS::EC2::LaunchTemplate\) UPDATE_FAILED\n  Resource handler returned message: "Access denied"/);
  });

  it("shows the last lines of each failed instance's boot log under it, or why it could not be read", () => {
    const bootLog = Array.from({ length: 50 }, (_, n) => `boot line ${n + 1}`);
    const lines = formatFailureReport(
      failureReport({
        failedInstances: [
          { instanceId: 'i-0aaa1111bbbb2222c', reason: 'signalled FAILURE' },
          { instanceId: 'i-0ddd3333eeee4444f', reason: 'signalled FAILURE' },
        ],
        bootLogs: [
          { instanceId: 'i-0aaa1111bbbb2222c', logGroup: '/shipper/hello/test', stream: 'boot/i-0aaa1111bbbb2222c', lines: bootLog },
          { instanceId: 'i-0ddd3333eeee4444f', logGroup: '/shipper/hello/test', stream: 'boot/i-0ddd3333eeee4444f', lines: [], unreadable: 'not found: The specified log stream does not exist.' },
        ],
      }),
    );
    const text = lines.join('\n');
    expect(text).toContain('i-0aaa1111bbbb2222c  signalled FAILURE; last 10 lines of its boot log (/shipper/hello/test boot/i-0aaa1111bbbb2222c):');
    expect(text).toContain('    | boot line 41\n    | boot line 42');
    expect(text).toContain('    | boot line 50');
    expect(text).not.toContain('boot line 40\n');
    expect(text).toContain('i-0ddd3333eeee4444f  signalled FAILURE; boot log boot/i-0ddd3333eeee4444f could not be read: not found: The specified log stream does not exist.');
  });

  it('names the root cause: logical id, type, status and the reason with its double spaces collapsed', () => {
    const text = formatFailureReport(failureReport()).join('\n');
    expect(text).toContain('autoScalingGroup (AWS::AutoScaling::AutoScalingGroup) UPDATE_FAILED');
    expect(text).toContain('Received 1 FAILURE signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement');
  });

  it('shows what the group said, each distinct message once, the failed instance, next steps and elapsed time', () => {
    const lines = formatFailureReport(failureReport());
    const text = lines.join('\n');
    expect(text).toContain('sufficient t3.small capacity');
    expect(lines.filter((l) => l.includes('failed the app health check'))).toHaveLength(1);
    expect(text).toContain('(2 times)');
    expect(text).toMatch(/i-0aaa1111bbbb2222c\s+signalled FAILURE/);
    expect(text).toContain('Next steps');
    expect(text).toContain('  - Fix the health check failure, then deploy again.');
    expect(text).toContain('after 6m12s');
  });

  it('fits one screen even when everything went wrong at once', () => {
    const failedInstances = Array.from({ length: 12 }, (_, n) => ({ instanceId: `i-0${n}`, reason: 'health check failed' }));
    const activities: FailedActivity[] = Array.from({ length: 30 }, (_, n) => ({
      time: new Date(at('06:26:00').getTime() + n * 1000),
      description: `Launching a new EC2 instance: i-0${String(n).padStart(16, '0')}`,
      statusMessage: `Distinct failure number ${n} ${'with a very long explanation '.repeat(20)}`,
    }));
    const lines = formatFailureReport(
      failureReport({
        groupActivities: activities,
        failedInstances,
        nextSteps: Array.from({ length: 9 }, (_, n) => `step ${n}`),
        finalStatus: 'UPDATE_ROLLBACK_FAILED',
        previousReleaseLive: false,
        rollbackBlocker: { logicalId: 'LaunchTemplate', resourceType: 'AWS::EC2::LaunchTemplate', status: 'UPDATE_FAILED', reason: 'x'.repeat(600) },
        bootLogs: failedInstances.map((i) => ({ instanceId: i.instanceId, logGroup: '/g', stream: `boot/${i.instanceId}`, lines: Array.from({ length: 50 }, (_, n) => `line ${n} ${'y'.repeat(400)}`) })),
      }),
    );
    expect(lines.length).toBeLessThanOrEqual(ONE_SCREEN);
    expect(formatFailureReport(failureReport({ groupActivities: activities, failedInstances, nextSteps: Array.from({ length: 9 }, (_, n) => `step ${n}`) })).length).toBeLessThanOrEqual(WITHOUT_BOOT_LOGS);
    // What was left out is said, not silently dropped.
    expect(lines.join('\n')).toContain('(5 of 30)');
    expect(lines.join('\n')).toContain('(3 of 12)');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(260);
  });

  it('says the stack needs attention when the rollback itself failed', () => {
    const report = failureReport({ finalStatus: 'UPDATE_ROLLBACK_FAILED', previousReleaseLive: false });
    expect(failureKind(report)).toBe('needs-attention');
    const lines = formatFailureReport(report);
    expect(lines[0]).toBe('Deploy failed and the stack needs attention: it is stuck in UPDATE_ROLLBACK_FAILED.');
    expect(lines.join('\n')).not.toContain('previous release is still live');
  });

  it('does not claim the previous release is live when that could not be proven', () => {
    const lines = formatFailureReport(failureReport({ previousReleaseLive: false }));
    expect(lines[0]).toMatch(/needs attention: shipper could not confirm/);
    expect(lines.join('\n')).toContain('Check which Auto Scaling group is serving');
  });

  it('tells a failed first deploy apart: nothing was live before it', () => {
    const report = failureReport({ finalStatus: 'ROLLBACK_COMPLETE', previousReleaseLive: false, previousGroupName: undefined });
    expect(failureKind(report)).toBe('create-rolled-back');
    expect(formatFailureReport(report)[0]).toContain('Nothing was live before it');
  });

  it('still says where to look when no resource gave a reason', () => {
    const text = formatFailureReport(failureReport({ rootCause: undefined, groupActivities: [], failedInstances: [] })).join('\n');
    expect(text).toContain('No resource reported a failure reason');
    expect(text).not.toContain('What the new Auto Scaling group said');
  });

  it('is colourless by default and coloured with a colour style', () => {
    expect(formatFailureReport(failureReport()).join('\n')).not.toContain('\u001b');
    expect(formatFailureReport(failureReport(), ansiStyle)[0]).toContain('\u001b[31m');
  });
});

describe('summariseActivities', () => {
  it('groups messages that differ only by instance id, oldest first', () => {
    const summary = summariseActivities([
      { time: at('06:27:00'), description: 'Launching a new EC2 instance: i-0bbbbbbbbbbbbbbbb', statusMessage: 'Instance i-0bbbbbbbbbbbbbbbb failed.' },
      { time: at('06:26:00'), description: 'Launching a new EC2 instance: i-0aaaaaaaaaaaaaaaa', statusMessage: 'Instance i-0aaaaaaaaaaaaaaaa failed.' },
      { time: at('06:28:00'), description: 'Launching a new EC2 instance', statusMessage: 'Insufficient capacity.' },
    ]);
    expect(summary).toEqual([
      { message: 'Instance i-0aaaaaaaaaaaaaaaa failed.', count: 2 },
      { message: 'Insufficient capacity.', count: 1 },
    ]);
  });

  it('names the instance from the description when the status message does not', () => {
    const [only] = summariseActivities([
      { time: at('06:27:00'), description: 'Launching a new EC2 instance: i-0abcdef0123456789', statusMessage: 'Instance became unhealthy.' },
    ]);
    expect(only?.message).toBe('i-0abcdef0123456789: Instance became unhealthy.');
  });
});
