/**
 * Realistic event streams for the renderer tests. The successful deploy replays the recorded
 * charge-central replacing update (test/fixtures) with the progress polling a watcher would
 * interleave; the failed one is a FAILURE-signal rollback with failed scaling activities.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import type { FailureReport, InstanceView, ShipperEvent } from '../../src/report/events.js';

export const FIXTURE = resolve(repoRoot, 'test/fixtures/charge-central-deploy-test.events.tsv');
const DAY = '2017-06-14';
const STACK = 'charge-central-test';
const NEW_GROUP = 'charge-central-test-autoScalingGroup-1NEWGROUP';
const OLD_GROUP = 'charge-central-test-autoScalingGroup-0OLDGROUP';

const TYPES: Record<string, string> = {
  [STACK]: 'AWS::CloudFormation::Stack',
  launchConfiguration: 'AWS::AutoScaling::LaunchConfiguration',
  launchTemplate: 'AWS::EC2::LaunchTemplate',
  autoScalingGroup: 'AWS::AutoScaling::AutoScalingGroup',
  scheduledAction674c724b: 'AWS::AutoScaling::ScheduledAction',
  scheduledAction72f2dd39: 'AWS::AutoScaling::ScheduledAction',
};

export const at = (hms: string): Date => new Date(`${DAY}T${hms}Z`);
export const digest = (c: string): string => `sha256:${c.repeat(64)}`;

export interface FixtureRow {
  time: string;
  logicalId: string;
  status: string;
  reason?: string;
}

export function readFixture(): FixtureRow[] {
  return readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [time = '', logicalId = '', status = '', reason = '-'] = l.split('\t');
      return { time, logicalId, status, reason: reason === '-' ? undefined : reason };
    });
}

function stackEvent(startedAt: Date, row: FixtureRow, n: number): ShipperEvent {
  const timestamp = at(row.time);
  return {
    type: 'stack.event',
    eventId: `ev-${n}`,
    timestamp,
    elapsedSeconds: (timestamp.getTime() - startedAt.getTime()) / 1000,
    logicalId: row.logicalId,
    resourceType: TYPES[row.logicalId] ?? 'AWS::CloudFormation::CustomResource',
    status: row.status,
    reason: row.reason,
    isStack: row.logicalId === STACK,
  };
}

type GroupProgress = Extract<ShipperEvent, { type: 'group.progress' }>;

function progress(startedAt: Date, hms: string, instances: InstanceView[], signals: number, expected: number): GroupProgress {
  return {
    type: 'group.progress',
    groupName: NEW_GROUP,
    instances,
    signalsReceived: signals,
    signalsExpected: expected,
    elapsedSeconds: (at(hms).getTime() - startedAt.getTime()) / 1000,
  };
}

const inst = (id: string, lifecycleState: string, healthStatus = 'Healthy'): InstanceView => ({ instanceId: id, lifecycleState, healthStatus });

/** The recorded success, up to the moment the new group is live (cleanup left to the background). */
export function successfulDeploy(): ShipperEvent[] {
  const startedAt = at('06:25:38');
  const rows = readFixture();
  const live = rows.findIndex((r) => r.status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  const events: ShipperEvent[] = [
    { type: 'phase', phase: 'preflight', title: 'Preflight' },
    { type: 'preflight.check', name: 'credentials', ok: true, detail: 'account 123456789012' },
    { type: 'preflight.check', name: 'image', ok: true, detail: 'charge-central:1.5.0 found in ECR' },
    { type: 'phase', phase: 'plan', title: 'Plan' },
    {
      type: 'plan.summary',
      stackName: STACK,
      create: false,
      changes: ['launchConfiguration', 'autoScalingGroup', 'scheduledAction674c724b', 'scheduledAction72f2dd39'].map((id) => ({
        logicalId: id,
        resourceType: TYPES[id]!,
        action: 'Modify' as const,
        replacement: 'True' as const,
      })),
      groupReplaced: true,
      image: { oldTag: '1.4.0', oldDigest: digest('a'), newTag: '1.5.0', newDigest: digest('b') },
      capacity: { desired: 1, liveDesired: 1, signals: 1 },
    },
    { type: 'phase', phase: 'execute', title: 'Execute change set' },
    { type: 'operation.started', stackName: STACK, operation: 'UPDATE', token: 'shipper-test-1', startedAt },
    { type: 'phase', phase: 'rollout', title: 'Rolling out the new group' },
  ];
  const polls: Record<string, GroupProgress[]> = {
    '06:25:52': [progress(startedAt, '06:25:55', [], 0, 1), progress(startedAt, '06:26:05', [inst('i-0ef1552535f4c5e08', 'Pending')], 0, 1)],
    '06:29:18': [progress(startedAt, '06:29:18', [inst('i-0ef1552535f4c5e08', 'InService')], 1, 1)],
  };
  rows.slice(0, live).forEach((row, n) => {
    events.push(stackEvent(startedAt, row, n));
    // Core reports the group's progress only when it changed (RolloutState.progressChanged).
    events.push(...(polls[row.time] ?? []));
  });
  events.push(stackEvent(startedAt, rows[live]!, live));
  events.push({
    type: 'deploy.live',
    stackName: STACK,
    elapsedSeconds: 236,
    outputs: { ServiceUrl: 'https://charge-central.test.example.com', LoadBalancerDnsName: 'internal-cc-test-123.eu-west-1.elb.amazonaws.com' },
    cleanup: 'background',
  });
  return events;
}

export function failureReport(overrides: Partial<FailureReport> = {}): FailureReport {
  return {
    stackName: STACK,
    finalStatus: 'UPDATE_ROLLBACK_COMPLETE',
    rootCause: {
      logicalId: 'autoScalingGroup',
      resourceType: 'AWS::AutoScaling::AutoScalingGroup',
      status: 'UPDATE_FAILED',
      reason: 'Received 1 FAILURE signal(s) out of 2.  Unable to satisfy 100% MinSuccessfulInstancesPercent requirement',
    },
    groupActivities: [
      {
        time: at('06:26:01'),
        description: 'Launching a new EC2 instance.  Status Reason: We currently do not have sufficient t3.small capacity',
        statusMessage: 'We currently do not have sufficient t3.small capacity in the Availability Zone you requested (eu-west-1c).',
      },
      {
        time: at('06:27:10'),
        description: 'Launching a new EC2 instance: i-0aaa1111bbbb2222c',
        statusMessage: 'Instance i-0aaa1111bbbb2222c failed the app health check. Terminating instance.',
      },
      {
        time: at('06:27:40'),
        description: 'Launching a new EC2 instance: i-0ddd3333eeee4444f',
        statusMessage: 'Instance i-0ddd3333eeee4444f failed the app health check. Terminating instance.',
      },
    ],
    failedInstances: [{ instanceId: 'i-0aaa1111bbbb2222c', reason: 'signalled FAILURE: health check on :8080/health returned 503' }],
    previousReleaseLive: true,
    previousGroupName: OLD_GROUP,
    nextSteps: [
      'Read the app log of i-0aaa1111bbbb2222c: shipper logs --env test --instance i-0aaa1111bbbb2222c',
      'Fix the health check failure, then deploy again.',
    ],
    elapsedSeconds: 372,
    ...overrides,
  };
}

/** A replacing update whose new instance signals FAILURE; CloudFormation rolls back. */
export function failedDeploy(): ShipperEvent[] {
  const startedAt = at('06:25:38');
  const rows: FixtureRow[] = [
    { time: '06:25:38', logicalId: STACK, status: 'UPDATE_IN_PROGRESS', reason: 'User Initiated' },
    { time: '06:25:45', logicalId: 'launchTemplate', status: 'UPDATE_IN_PROGRESS' },
    { time: '06:25:46', logicalId: 'launchTemplate', status: 'UPDATE_COMPLETE' },
    { time: '06:25:51', logicalId: 'autoScalingGroup', status: 'UPDATE_IN_PROGRESS', reason: 'Requested update requires the creation of a new physical resource; hence creating one.' },
    { time: '06:25:52', logicalId: 'autoScalingGroup', status: 'UPDATE_IN_PROGRESS', reason: 'Resource creation Initiated' },
    { time: '06:28:02', logicalId: 'autoScalingGroup', status: 'UPDATE_IN_PROGRESS', reason: 'Received FAILURE signal with UniqueId i-0aaa1111bbbb2222c' },
    { time: '06:28:03', logicalId: 'autoScalingGroup', status: 'UPDATE_FAILED', reason: 'Received 1 FAILURE signal(s) out of 2.  Unable to satisfy 100% MinSuccessfulInstancesPercent requirement' },
    { time: '06:28:04', logicalId: STACK, status: 'UPDATE_ROLLBACK_IN_PROGRESS', reason: 'The following resource(s) failed to update: [autoScalingGroup]. ' },
    { time: '06:28:20', logicalId: 'launchTemplate', status: 'UPDATE_COMPLETE' },
    { time: '06:28:25', logicalId: STACK, status: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS' },
    { time: '06:28:27', logicalId: 'autoScalingGroup', status: 'DELETE_IN_PROGRESS' },
    { time: '06:31:45', logicalId: 'autoScalingGroup', status: 'DELETE_COMPLETE' },
    { time: '06:31:50', logicalId: STACK, status: 'UPDATE_ROLLBACK_COMPLETE' },
  ];
  const report = failureReport();
  const events: ShipperEvent[] = [
    { type: 'phase', phase: 'execute', title: 'Execute change set' },
    { type: 'operation.started', stackName: STACK, operation: 'UPDATE', startedAt },
    { type: 'phase', phase: 'rollout', title: 'Rolling out the new group' },
  ];
  rows.forEach((row, n) => {
    events.push(stackEvent(startedAt, row, n));
    if (row.reason === 'Resource creation Initiated') {
      const pending = progress(startedAt, '06:26:30', [inst('i-0aaa1111bbbb2222c', 'Pending'), inst('i-0ddd3333eeee4444f', 'Pending')], 0, 2);
      events.push(pending, pending);
      for (const activity of report.groupActivities) events.push({ type: 'group.activity-failed', groupName: NEW_GROUP, activity });
    }
    if (row.status === 'UPDATE_ROLLBACK_IN_PROGRESS') events.push({ type: 'phase', phase: 'rollback', title: 'Rolling back' });
  });
  // As core concludes a failed operation: an outcome phase, then the report.
  events.push({ type: 'phase', phase: 'outcome', title: `${STACK} did not go live` }, { type: 'deploy.failed', report });
  return events;
}

/** A stream-like sink that remembers everything written to it. */
export class CapturingStream {
  chunks: string[] = [];
  isTTY?: boolean;
  columns = 120;
  constructor(opts: { isTTY?: boolean } = {}) {
    this.isTTY = opts.isTTY;
  }
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
  get lines(): string[] {
    return this.text.split('\n').slice(0, -1);
  }
}

/** A capturing stream that moves the cursor the way a tty.WriteStream does, escape codes and all. */
export class TerminalStream extends CapturingStream {
  constructor() {
    super({ isTTY: true });
  }
  cursorTo(x: number): boolean {
    return this.write(`\u001b[${x + 1}G`);
  }
  moveCursor(dx: number, dy: number): boolean {
    return this.write(`${dx ? `\u001b[${dx}C` : ''}${dy < 0 ? `\u001b[${-dy}A` : dy > 0 ? `\u001b[${dy}B` : ''}`);
  }
  clearLine(dir: -1 | 0 | 1): boolean {
    return this.write(dir === 1 ? '\u001b[0K' : dir === -1 ? '\u001b[1K' : '\u001b[2K');
  }
}
