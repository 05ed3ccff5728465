/**
 * `shipper destroy` in the simulated cloud: one instance followed to DELETE_COMPLETE with its
 * history removed; a resource that cannot be deleted (DELETE_FAILED) reported with its reason and
 * the exact next command; every refusal made before any DeleteStack call; `--expired` deleting
 * exactly the instances past their expiry.
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { StackTags } from '../../src/instances/identity.js';
import type { World } from '../deploy/harness.js';
import { hoursFromNow, instanceLogGroup, instanceWorld, seedInstance } from './instances-world.js';

const SG_DEPENDENCY =
  'resource sg-0a1b2c3d4e5f67890 has a dependent object (Service: AmazonEC2; Status Code: 400; Error Code: DependencyViolation; Request ID: 8a2b6e4c-1d3f-4a5b-9c7d-0e1f2a3b4c5d)';

const stackStatus = (w: World, name: string) => w.cloud.cloudFormation.stacks.filter((s) => s.stackName === name).at(-1)?.status;
const deleteCalls = (w: World) => w.cloud.calls.count('cloudFormation.deleteStack');
const historyOf = (w: World, instance: string) => w.cloud.ssm.names().filter((n) => n.startsWith(`/shipper/hello/test/instances/${instance}/`));

describe('shipper destroy --instance', () => {
  it('deletes the instance, follows it to DELETE_COMPLETE, and removes its release history', async () => {
    const w = instanceWorld([{ name: 'pr-7', owner: 'bob', release: true }, { name: 'pr-12' }]);
    expect(historyOf(w, 'pr-7')).toHaveLength(2);

    const run = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7', '--yes']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Started DELETE of hello-test-pr-7 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(run.stdout).toMatch(/hello-test-pr-7\s+DELETE_IN_PROGRESS/);
    expect(run.stdout).toMatch(/AutoScalingGroup\s+DELETE_COMPLETE/);
    // The log groups are retained by the template, so DeleteStack skips them; shipper removes them after.
    expect(run.stdout).toMatch(/AppLogGroup\s+DELETE_SKIPPED/);
    expect(run.stdout).toMatch(/Deleted hello-test-pr-7 \(\d+m\d\ds\)/);
    expect(run.stdout).toContain('Log group /shipper/hello/test/instances/pr-7: deleted');
    expect(run.stdout).toContain('Log group /shipper/hello/test/instances/pr-7/prometheus: deleted');
    expect(w.cloud.logs.hasGroup(instanceLogGroup('pr-7'))).toBe(false);
    expect(w.cloud.logs.hasGroup(instanceLogGroup('pr-12'))).toBe(true);
    expect(run.stdout).toContain('Release history /shipper/hello/test/instances/pr-7/releases, /shipper/hello/test/instances/pr-7/outcomes: deleted');
    expect(stackStatus(w, 'hello-test-pr-7')).toBe('DELETE_COMPLETE');
    expect(historyOf(w, 'pr-7')).toEqual([]);
    // Nothing else was touched: the main stack, the other instance, the environment's history.
    expect(deleteCalls(w)).toBe(1);
    expect(stackStatus(w, 'hello-test')).toBe('CREATE_COMPLETE');
    expect(stackStatus(w, 'hello-test-pr-12')).toBe('CREATE_COMPLETE');
  });

  it('--keep-history keeps the instance history; --json streams the deletion and ends with its outcome', async () => {
    const w = instanceWorld([{ name: 'pr-7', release: true }]);

    const run = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7', '--yes', '--keep-history', '--keep-logs', '--json']);

    expect(run.code).toBe(ExitCode.ok);
    const events = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; outcome?: Record<string, unknown> });
    expect(events.filter((e) => e.type === 'stack.event').length).toBeGreaterThan(3);
    expect(events.at(-1)).toMatchObject({ type: 'destroy.outcome', outcome: { stackName: 'hello-test-pr-7', instance: 'pr-7', finalStatus: 'DELETE_COMPLETE', history: { removed: false, detail: '--keep-history' } } });
    expect(historyOf(w, 'pr-7')).toHaveLength(2);
    expect(events.at(-1)!.outcome!.logGroups).toEqual([
      { name: instanceLogGroup('pr-7'), removed: false, detail: `--keep-logs; remove it with: aws logs delete-log-group --log-group-name ${instanceLogGroup('pr-7')} --region eu-west-1` },
      { name: instanceLogGroup('pr-7', '/prometheus'), removed: false, detail: expect.stringContaining('--keep-logs') },
    ]);
    expect(w.cloud.logs.hasGroup(instanceLogGroup('pr-7'))).toBe(true);
  });

  it('never removes a log group another stack tagged', async () => {
    const w = instanceWorld([{ name: 'pr-7' }]);
    w.cloud.logs.createGroup(instanceLogGroup('pr-7'), { 'shipper:stack': 'someone-else' });

    const run = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7', '--yes']);

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain(`Log group ${instanceLogGroup('pr-7')}: kept (not tagged shipper:stack=hello-test-pr-7, so not shipper's to remove)`);
    expect(w.cloud.logs.hasGroup(instanceLogGroup('pr-7'))).toBe(true);
  });

  it('asks in a terminal, and a "no" deletes nothing (exit 6)', async () => {
    const w = instanceWorld([{ name: 'pr-7' }]);
    const questions: string[] = [];

    const run = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7'], { deps: { confirm: async (q) => (questions.push(q), false) } });

    expect(questions).toEqual(['Delete instance pr-7 (stack hello-test-pr-7)?']);
    expect(run.code).toBe(ExitCode.aborted);
    expect(deleteCalls(w)).toBe(0);
  });

  it('a resource that cannot be deleted: DELETE_FAILED, its reason, the exact next command, exit 5; the history stays', async () => {
    const w = instanceWorld([{ name: 'pr-7', release: true }]);
    w.cloud.failDeletionOf('hello-test-pr-7', 'InstanceSecurityGroup', SG_DEPENDENCY);

    const run = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7', '--yes']);

    expect(run.code).toBe(ExitCode.needsAttention);
    expect(stackStatus(w, 'hello-test-pr-7')).toBe('DELETE_FAILED');
    expect(run.stdout).toContain('hello-test-pr-7 is DELETE_FAILED');
    expect(run.stdout).toContain(`InstanceSecurityGroup (AWS::EC2::SecurityGroup`);
    expect(run.stdout).toContain(SG_DEPENDENCY);
    const retry = 'aws cloudformation delete-stack --stack-name hello-test-pr-7 --region eu-west-1 --retain-resources InstanceSecurityGroup';
    expect(run.stdout).toContain(retry);
    expect(run.stderr).toContain('hello-test-pr-7 is DELETE_FAILED');
    expect(run.stderr).toContain('shipper destroy --env test --instance pr-7 --yes');
    expect(historyOf(w, 'pr-7')).toHaveLength(2);

    // The command it names works: the failed resource is left behind and the rest is deleted.
    await w.cloud.cloudFormation.deleteStack({ StackName: 'hello-test-pr-7', RetainResources: ['InstanceSecurityGroup'] });
    w.cloud.clock.runUntilIdle();
    expect(stackStatus(w, 'hello-test-pr-7')).toBe('DELETE_COMPLETE');
  });

  it('a deletion cannot be cancelled: the first signal says so and the deletion is followed to its end', async () => {
    const w = instanceWorld([{ name: 'pr-7' }]);
    w.cloud.clock.schedule(30_000, () => void process.emit('SIGTERM' as NodeJS.Signals, 'SIGTERM' as NodeJS.Signals));

    const run = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7', '--yes']);

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain('Warning: a deletion cannot be cancelled; following hello-test-pr-7 to the end (Ctrl-C again to leave it to finish alone)');
    expect(stackStatus(w, 'hello-test-pr-7')).toBe('DELETE_COMPLETE');
  });

  it('waits for an operation in progress, or refuses it with --no-wait-busy (exit 3)', async () => {
    const w = instanceWorld([{ name: 'pr-7' }]);
    const stack = w.cloud.cloudFormation.findStack('hello-test-pr-7')!;
    stack.setStatus('UPDATE_IN_PROGRESS', 'User Initiated');

    const refused = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7', '--yes', '--no-wait-busy']);
    expect(refused.code).toBe(ExitCode.preflightRefused);
    expect(refused.stderr).toContain('stack hello-test-pr-7 is busy (UPDATE_IN_PROGRESS)');
    expect(deleteCalls(w)).toBe(0);

    w.cloud.clock.schedule(25_000, () => stack.setStatus('UPDATE_COMPLETE'));
    const waited = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7', '--yes']);
    expect(waited.code).toBe(ExitCode.ok);
    expect(waited.stdout).toMatch(/Stack hello-test-pr-7 is busy \(UPDATE_IN_PROGRESS\); waiting/);
    expect(stackStatus(w, 'hello-test-pr-7')).toBe('DELETE_COMPLETE');
  });
});

describe('shipper destroy refuses, and never calls DeleteStack', () => {
  it('an instance that does not exist: exit 3, naming the existing ones', async () => {
    const w = instanceWorld([{ name: 'pr-7' }, { name: 'pr-12' }]);
    const run = await w.run(['destroy', '--env', 'test', '--instance', 'pr-9', '--yes']);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toContain('no instance "pr-9" of hello in test');
    expect(run.stderr).toContain('Existing instances: pr-12, pr-7');
    expect(deleteCalls(w)).toBe(0);
  });

  it("a stack named like an instance that is not this service's: exit 3", async () => {
    const w = instanceWorld([]);
    seedInstance(w, { name: 'shared', tags: { [StackTags.service]: 'billing', [StackTags.environment]: 'test', [StackTags.instance]: 'shared' } });
    seedInstance(w, { name: 'handmade', tags: {} });
    for (const name of ['shared', 'handmade']) {
      const run = await w.run(['destroy', '--env', 'test', '--instance', name, '--yes']);
      expect(run.code).toBe(ExitCode.preflightRefused);
      expect(run.stderr).toContain(`stack hello-test-${name} is not an instance of hello in test`);
      expect(run.stderr).toContain('shipper never deletes a stack it did not make');
    }
    expect(deleteCalls(w)).toBe(0);
  });

  it('the main stack without --main (exit 2), and with --main but no confirmation (exit 6) or the wrong name typed (exit 6)', async () => {
    const w = instanceWorld([{ name: 'pr-7' }]);
    const nothing = await w.run(['destroy', '--env', 'test', '--yes']);
    expect(nothing.code).toBe(ExitCode.badInput);
    expect(nothing.stderr).toContain('nothing to destroy was named');

    const noTerminal = await w.run(['destroy', '--env', 'test', '--main']);
    expect(noTerminal.code).toBe(ExitCode.aborted);
    expect(noTerminal.stderr).toContain('pass --yes with --main');

    const mistyped = await w.run(['destroy', '--env', 'test', '--main', '--yes'], { deps: { askText: async () => 'hello-test-pr-7' } });
    expect(mistyped.code).toBe(ExitCode.aborted);
    expect(mistyped.stderr).toContain('"hello-test-pr-7" is not hello-test; nothing was deleted');
    expect(deleteCalls(w)).toBe(0);
  });

  it('a name that cannot be an instance, or two things at once: bad input (exit 2), no AWS call', async () => {
    const w = instanceWorld([{ name: 'pr-7' }]);
    const bad = await w.run(['destroy', '--env', 'test', '--instance', 'PR_7', '--yes']);
    expect(bad.code).toBe(ExitCode.badInput);
    expect(bad.stderr).toContain('--instance: "PR_7" is not an instance name (expected lower-case letters, digits and dashes');
    const both = await w.run(['destroy', '--env', 'test', '--instance', 'pr-7', '--expired', '--yes']);
    expect(both.code).toBe(ExitCode.badInput);
    expect(both.stderr).toContain('--instance and --expired: choose one of them');
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('a protected environment without --allow-protected: exit 3 before any AWS call', async () => {
    const w = instanceWorld([]);
    const run = await w.run(['destroy', '--env', 'prod', '--instance', 'pr-7', '--yes']);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toContain('environment "prod" is protected: shipper destroy refuses it');
    expect(run.stderr).toContain('--allow-protected');
    expect(w.cloud.calls.total()).toBe(0);
  });
});

describe('shipper destroy --main', () => {
  it('deletes the main stack once its name is typed, and keeps the environment history', async () => {
    const w = instanceWorld([{ name: 'pr-7' }]);
    await w.cloud.ssm.putParameter({ Name: '/shipper/hello/test/releases', Value: '{}', Type: 'String' });

    const run = await w.run(['destroy', '--env', 'test', '--main'], { deps: { askText: async () => 'hello-test' } });

    expect(run.code).toBe(ExitCode.ok);
    expect(stackStatus(w, 'hello-test')).toBe('DELETE_COMPLETE');
    expect(stackStatus(w, 'hello-test-pr-7')).toBe('CREATE_COMPLETE');
    expect(w.cloud.ssm.names()).toContain('/shipper/hello/test/releases');
    expect(run.stdout).toContain("Log group /shipper/hello/test: kept (the environment's own logs; remove it with: aws logs delete-log-group --log-group-name /shipper/hello/test --region eu-west-1)");
  });
});

describe('shipper destroy --expired', () => {
  it('deletes exactly the instances past their expiry, concurrently, and sums up', async () => {
    const w = instanceWorld([]);
    seedInstance(w, { name: 'pr-1', expiresAt: hoursFromNow(w, -30), release: true });
    seedInstance(w, { name: 'pr-2', expiresAt: hoursFromNow(w, -1) });
    seedInstance(w, { name: 'pr-3', expiresAt: hoursFromNow(w, 5) });
    seedInstance(w, { name: 'demo' });

    const run = await w.run(['destroy', '--env', 'test', '--expired', '--yes']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Deleting 2 expired instance\(s\), 2 at a time: pr-1 \(expired 1d 6h ago\), pr-2 \(expired 1h \d+m ago\)/);
    expect(run.stdout).toMatch(/^pr-1: DELETE_IN_PROGRESS$/m);
    expect(run.stdout).toMatch(/^pr-2: DELETE_COMPLETE$/m);
    expect(run.stdout).toContain('Deleted 2 of 2 expired instance(s).');
    expect(deleteCalls(w)).toBe(2);
    expect(stackStatus(w, 'hello-test-pr-1')).toBe('DELETE_COMPLETE');
    expect(stackStatus(w, 'hello-test-pr-2')).toBe('DELETE_COMPLETE');
    expect(stackStatus(w, 'hello-test-pr-3')).toBe('CREATE_COMPLETE');
    expect(stackStatus(w, 'hello-test-demo')).toBe('CREATE_COMPLETE');
    expect(stackStatus(w, 'hello-test')).toBe('CREATE_COMPLETE');
    expect(historyOf(w, 'pr-1')).toEqual([]);
  });

  it('one that fails does not stop the others; the run exits 5 naming it', async () => {
    const w = instanceWorld([]);
    seedInstance(w, { name: 'pr-1', expiresAt: hoursFromNow(w, -3) });
    seedInstance(w, { name: 'pr-2', expiresAt: hoursFromNow(w, -3) });
    w.cloud.failDeletionOf('hello-test-pr-1', 'InstanceSecurityGroup', SG_DEPENDENCY);

    const run = await w.run(['destroy', '--env', 'test', '--expired', '--yes']);

    expect(run.code).toBe(ExitCode.needsAttention);
    expect(run.stdout).toContain(`pr-1: InstanceSecurityGroup DELETE_FAILED: ${SG_DEPENDENCY}`);
    expect(run.stdout).toContain('Deleted 1 of 2 expired instance(s); not deleted: pr-1 (DELETE_FAILED).');
    expect(run.stderr).toContain('1 of 2 expired instance(s) could not be deleted');
    expect(stackStatus(w, 'hello-test-pr-2')).toBe('DELETE_COMPLETE');
  });

  it('nothing expired: says so, exit 0, nothing deleted', async () => {
    const w = instanceWorld([]);
    seedInstance(w, { name: 'pr-3', expiresAt: hoursFromNow(w, 5) });
    seedInstance(w, { name: 'demo' });

    const run = await w.run(['destroy', '--env', 'test', '--expired']);

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain('No expired instances of hello in test (2 instances, none past its expiry).');
    expect(deleteCalls(w)).toBe(0);
  });

  it('without a terminal and without --yes: refused before deleting anything (exit 6)', async () => {
    const w = instanceWorld([]);
    seedInstance(w, { name: 'pr-1', expiresAt: hoursFromNow(w, -3) });
    const run = await w.run(['destroy', '--env', 'test', '--expired']);
    expect(run.code).toBe(ExitCode.aborted);
    expect(run.stderr).toContain('pass --yes');
    expect(deleteCalls(w)).toBe(0);
  });
});
