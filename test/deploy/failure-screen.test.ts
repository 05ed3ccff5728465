/**
 * The failure screen of a real CLI run against the simulated cloud: the failed instances' own
 * words (their boot log streams, read while the rollback runs), the release that still serves,
 * what blocked a failed rollback, and a cancelled deploy said as such.
 */
import { describe, expect, it } from '@jest/globals';
import os from 'node:os';
import { awsError } from '../../src/aws/api.js';
import { ExitCode } from '../../src/errors.js';
import type { ShipperEvent } from '../../src/report/events.js';
import { STACK, world, type World } from './harness.js';

const LOG_GROUP = '/shipper/hello/test';
const BOOT_LOG = [
  '[shipper-boot] 06:29:01 pulling 123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello@sha256:2222…',
  '[shipper-boot] 06:29:07 starting app, log-router, metrics-collector, reverse-proxy',
  '[shipper-boot] 06:29:38 health check http://127.0.0.1:8080/health: 503 (attempt 30 of 30)',
  '[shipper-boot] 06:29:38 app container exited: Error: DATABASE_URL is not set',
  '[shipper-boot] 06:29:38 FAILED at step health-check; signalling FAILURE',
];

function jsonEvents(stdout: string): ShipperEvent[] {
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as ShipperEvent);
}

function failureOf(stdout: string) {
  const failed = jsonEvents(stdout).find((e): e is Extract<ShipperEvent, { type: 'deploy.failed' }> => e.type === 'deploy.failed');
  return failed!.report;
}

async function stackStatus(w: World): Promise<string> {
  return (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!.StackStatus ?? '';
}

describe('the failed instances speak on the failure screen', () => {
  it("shows the last lines of a failed instance's boot log, read before the rollback terminated it", async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'SUCCESS', afterSeconds: 200 }, { signal: 'FAILURE', afterSeconds: 210, bootLog: BOOT_LOG }]);
    const statusWhenRead: string[] = [];
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], {
      deps: {
        clients: async () => {
          const clients = w.cloud.clients();
          return { ...clients, logs: { getLogEvents: async (i, o) => (statusWhenRead.push(await stackStatus(w)), clients.logs!.getLogEvents(i, o)) } };
        },
      },
    });
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(/Failed instances\n  i-[0-9a-f]{17}  signalled FAILURE; its boot log \(\/shipper\/hello\/test boot\/i-[0-9a-f]{17}\):\n/);
    for (const line of BOOT_LOG) expect(run.stdout).toContain(`    | ${line}\n`);
    expect(run.stdout).toContain('The boot log above names the step that failed; all of it is in CloudWatch log group /shipper/hello/test, stream boot/<instance-id>.');
    // Read once, the moment the FAILURE signal was seen: the update had not even started rolling back.
    expect(statusWhenRead).toEqual(['UPDATE_IN_PROGRESS']);
    expect(w.cloud.logs.reads).toEqual([{ logGroupName: LOG_GROUP, logStreamName: expect.stringMatching(/^boot\/i-[0-9a-f]{17}$/), limit: 50, startFromHead: false }]);
  });

  it('a failed first create: the log group goes with the stack, so the log is read as soon as the instance failed', async () => {
    const w = world();
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 100, bootLog: BOOT_LOG }, { signal: 'SUCCESS', afterSeconds: 100 }]);
    const statusWhenRead: string[] = [];
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'], {
      deps: {
        clients: async () => {
          const clients = w.cloud.clients();
          return { ...clients, logs: { getLogEvents: async (i, o) => (statusWhenRead.push(await stackStatus(w)), clients.logs!.getLogEvents(i, o)) } };
        },
      },
    });
    expect(run.code).toBe(ExitCode.deployRolledBack);
    // The FAILURE signal and the start of the rollback arrive together; the read comes before the
    // rollback deletes the stack's resources, the log group among them.
    expect(statusWhenRead).toEqual(['ROLLBACK_IN_PROGRESS']);
    expect(run.stdout).toContain(`    | ${BOOT_LOG[3]}\n`);
    expect(run.stdout).toMatch(/first deploy/);
  });

  it('the JSON failure event carries the boot logs in full', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150, bootLog: BOOT_LOG }]);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--json']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    const report = failureOf(run.stdout);
    expect(report.bootLogs).toEqual([{ instanceId: expect.stringMatching(/^i-/), logGroup: LOG_GROUP, stream: expect.stringMatching(/^boot\/i-/), lines: BOOT_LOG }]);
    expect(report.bootLogs![0]!.instanceId).toBe(report.failedInstances[0]!.instanceId);
  });

  it('an instance that wrote no boot log: the screen says so and still prints everything else', async () => {
    const w = world({ live: true });
    w.cloud.logs.createGroup(LOG_GROUP); // the stack's AppLogGroup
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150 }]);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(/i-[0-9a-f]{17}  signalled FAILURE; boot log boot\/i-[0-9a-f]{17} could not be read: not found: The specified log stream does not exist\./);
    expect(run.stdout).toMatch(/Root cause\n\s+AutoScalingGroup .*UPDATE_FAILED/);
    expect(run.stdout).toContain('Next steps');
  });

  it('a logs call that fails (no permission) is a sentence in the report, never the outcome', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150, bootLog: BOOT_LOG }]);
    w.cloud.faults.failNext(
      'logs.getLogEvents',
      awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/deployer/buildkite is not authorized to perform: logs:GetLogEvents on resource: arn:aws:logs:eu-west-1:123456789012:log-group:/shipper/hello/test:log-stream:boot/i-0 because no identity-based policy allows the logs:GetLogEvents action',
      ),
    );
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(/could not be read: access denied: the deploying role needs logs:GetLogEvents on the log group/);
    expect(run.stderr).toMatch(/^error: deploy failed and rolled back \(UPDATE_ROLLBACK_COMPLETE\): AutoScalingGroup: Received 1 FAILURE signal/);
  });

  it('a logs call that never answers costs the report a few seconds, then the report prints', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150, bootLog: BOOT_LOG }]);
    w.cloud.logs.stall = true;
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(/i-[0-9a-f]{17}  signalled FAILURE; boot log boot\/i-[0-9a-f]{17} could not be read: CloudWatch Logs did not answer within 5s/);
    expect(run.stdout).toMatch(/Root cause\n\s+AutoScalingGroup .*UPDATE_FAILED/);
    expect(w.cloud.logs.reads).toHaveLength(1);
  });
});

describe('the failure screen names the release that still serves', () => {
  it('from the release history: number, tag, short digest, when and by whom, and its group', async () => {
    const w = world();
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'])).code).toBe(ExitCode.ok);
    const group = (await w.cloud.clients().cloudFormation.describeStackResources({ StackName: STACK, LogicalResourceId: 'AutoScalingGroup' })).StackResources![0]!.PhysicalResourceId!;
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150 }]);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(
      new RegExp(`Deploy failed and was rolled back\\. The previous release is still live\\.\\nRelease #1 still serves: v1 \\(111111111111\\), deployed 2026-11-23 \\d\\d:\\d\\d:\\d\\d UTC by alice[^,]*@${os.hostname()}, from group ${group}\\.\\n`),
    );
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150 }]);
    const json = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--json']);
    expect(failureOf(json.stdout).previousRelease).toMatchObject({ number: 1, tag: 'v1', digest: `sha256:${'1'.repeat(64)}`, by: expect.stringMatching(/^alice/) });
  });

  it('without a history, what the stack runs again: tag and short digest', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150 }]);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.stdout).toContain(`The previous release still serves: v1 (111111111111), from group ${w.oldGroup}.`);
  });
});

describe('a rollback that fails', () => {
  it('shows the resource that could not be rolled back, its reason, and how to continue or skip it', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 120 }]);
    // The reason CloudFormation gives when a resource handler is refused during the rollback.
    const reason = 'Resource handler returned message: "You are not authorized to perform this operation. (Service: Ec2, Status Code: 403, Request ID: 5e9b7c41-7d0b-4a51-b5a1-2f4c8d1e6a90)" (RequestToken: 0c2bb5a4-1f1e-2d93-b8d4-c3a5f0e1d2c7, HandlerErrorCode: AccessDenied)';
    w.cloud.failRollbackOf('LaunchTemplate', reason);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.needsAttention);
    expect(run.stdout).toMatch(/Root cause\n\s+AutoScalingGroup \(AWS::AutoScaling::AutoScalingGroup\) UPDATE_FAILED\n\s+Received 1 FAILURE signal/);
    expect(run.stdout).toMatch(/What blocked the rollback\n  LaunchTemplate \(AWS::EC2::LaunchTemplate\) UPDATE_FAILED\n  Resource handler returned message: "You are not authorized/);
    expect(run.stdout).toContain(
      'CloudFormation could not roll back LaunchTemplate. Fix what its reason names, then: aws cloudformation continue-update-rollback --stack-name hello-test --region eu-west-1 (or leave it as it is: aws cloudformation continue-update-rollback --stack-name hello-test --region eu-west-1 --resources-to-skip LaunchTemplate)',
    );
  });

  it('the JSON failure event names the blocker apart from the root cause', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 120 }]);
    w.cloud.failRollbackOf('LaunchTemplate', 'Resource handler returned message: "Access denied"');
    const report = failureOf((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--json'])).stdout);
    expect(report.rootCause).toMatchObject({ logicalId: 'AutoScalingGroup', status: 'UPDATE_FAILED' });
    expect(report.rollbackBlocker).toEqual({ logicalId: 'LaunchTemplate', resourceType: 'AWS::EC2::LaunchTemplate', status: 'UPDATE_FAILED', reason: 'Resource handler returned message: "Access denied"' });
  });
});
