import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { LAUNCH_FAILURE_REASONS } from '../sim/launch-failures.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';
import { DIGEST_V1, STACK, touchesOf, world } from './harness.js';

async function stackOf(w: ReturnType<typeof world>) {
  return (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!;
}

/** Every failed update must end with the old group serving, untouched. */
async function expectPreviousReleaseServing(w: ReturnType<typeof world>) {
  const stack = await stackOf(w);
  expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(stack.Parameters?.find((p) => p.ParameterKey === 'ImageDigest')?.ParameterValue).toBe(DIGEST_V1);
  expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
  const group = (await w.cloud.clients().autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [w.oldGroup!] })).AutoScalingGroups![0]!;
  expect(group.Instances!.filter((i) => i.LifecycleState === 'InService')).toHaveLength(2);
}

describe('a deploy that fails rolls back and never touches live traffic', () => {
  it('an instance signals FAILURE: root cause, the failed instance, previous release live, exit 4', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'SUCCESS', afterSeconds: 200 }, { signal: 'FAILURE', afterSeconds: 210 }]);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(/Deploy failed and was rolled back\. The previous release is still live\./);
    expect(run.stdout).toMatch(/Root cause\n\s+AutoScalingGroup .*UPDATE_FAILED\n\s+Received 1 FAILURE signal\(s\) out of 2/);
    expect(run.stdout).toMatch(/Failed instances\n\s+i-[0-9a-f]+ +signalled FAILURE/);
    expect(run.stdout).toMatch(/UPDATE_ROLLBACK_COMPLETE/);
    expect(run.stderr).toMatch(/^error: deploy failed and rolled back \(UPDATE_ROLLBACK_COMPLETE\): AutoScalingGroup: Received 1 FAILURE signal/);
    await expectPreviousReleaseServing(w);
  });

  it('instances never signal: the timeout is the root cause', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'NONE', afterSeconds: 0 }, { signal: 'NONE', afterSeconds: 0 }]);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(/Failed to receive 2 resource signal\(s\) within the specified duration/);
    expect(run.stdout).toMatch(/did not signal within PT15M/);
    await expectPreviousReleaseServing(w);
  });

  it('the new group cannot launch instances: what the scaling activities said', async () => {
    const w = world({ live: true });
    w.cloud.failLaunches({ reason: LAUNCH_FAILURE_REASONS.vcpuLimit, attempts: 'always' });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(/vCPU limit of 32/);
    expect(run.stdout).toMatch(/Instances could not launch/);
    await expectPreviousReleaseServing(w);
    // The failure screen stays short: one screen, however many launch retries there were.
    const screen = run.stdout.slice(run.stdout.indexOf('Deploy failed'));
    expect(screen.split('\n').length).toBeLessThanOrEqual(26);
  });

  it('MinSuccessfulInstancesPercent lets a release go live with some failures', async () => {
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR.replace('service: svc', 'service: hello').replace('repository: svc', 'repository: hello')}capacity: {min: 1, desired: 2, max: 4}\nminSuccessfulInstancesPercent: 50\n`);
    const w = world({ live: true, descriptor: `${dir}/shipper.yml` });
    w.cloud.scriptInstances([{ signal: 'SUCCESS', afterSeconds: 200 }, { signal: 'FAILURE', afterSeconds: 210 }]);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { cwd: dir });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/is live after/);
  });

  it('a rollback that fails leaves the stack needing attention: exit 5 and the way out', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 120 }]);
    w.cloud.failRollbackOf('LaunchTemplate', 'Resource handler returned message: "Access denied for operation \'ec2:ModifyLaunchTemplate\'"');
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.needsAttention);
    expect((await stackOf(w)).StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect(run.stdout).toMatch(/continue-update-rollback --stack-name hello-test/);

    // The next deploy refuses before touching anything, with the exact way out.
    const again = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(again.code).toBe(ExitCode.needsAttention);
    expect(again.stderr).toMatch(/UPDATE_ROLLBACK_FAILED[\s\S]*aws cloudformation continue-update-rollback --stack-name hello-test --region eu-west-1/);
  });

  it('a failed first deploy is rolled back, and the next deploy deletes it and creates it again', async () => {
    const w = world();
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 100 }, { signal: 'SUCCESS', afterSeconds: 100 }]);
    const first = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1']);
    expect(first.code).toBe(ExitCode.deployRolledBack);
    expect(first.stdout).toMatch(/first deploy/i);
    expect((await stackOf(w)).StackStatus).toBe('ROLLBACK_COMPLETE');

    const second = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1']);
    expect(second.code).toBe(ExitCode.ok);
    expect(second.stdout).toMatch(/ROLLBACK_COMPLETE from a failed first deploy/);
    expect((await stackOf(w)).StackStatus).toBe('CREATE_COMPLETE');
  });
});
