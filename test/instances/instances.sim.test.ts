/**
 * Short-lived instances (`--instance pr-123`) in the simulated cloud: an instance is a stack of
 * its own next to the environment's main stack, on the same shared listener with a priority no
 * other rule holds, tagged for `shipper list` / `shipper destroy --expired`, with its own history.
 */
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Stack } from '@aws-sdk/client-cloudformation';
import { ExitCode } from '../../src/errors.js';
import { StackTags } from '../../src/instances/identity.js';
import { DIGEST_V2, DIGEST_V3, STACK, touchesOf, world, type World } from '../deploy/harness.js';
import { editedExample } from '../helpers/temp-service.js';
import { exampleDir } from '../helpers/paths.js';

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';
const DAY_MS = 86_400_000;

/** The example with instances allowed in test (3 days by default). */
function instanceWorld(): World & { dir: string } {
  const dir = editedExample(exampleDir, (text) => text.replace('    region: eu-west-1\n', '    region: eu-west-1\n    instances:\n      ttl: 3d\n'));
  const w = world({ live: true, descriptor: path.join(dir, 'shipper.yml') });
  return { ...w, dir, run: (args, o = {}) => w.run(args, { cwd: dir, ...o }) };
}

async function stackOf(w: World, name: string): Promise<Stack> {
  return (await w.cloud.clients().cloudFormation.describeStacks({ StackName: name })).Stacks![0]!;
}
const tag = (stack: Stack, key: string) => stack.Tags?.find((t) => t.Key === key)?.Value;
const param = (stack: Stack, key: string) => stack.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
const output = (stack: Stack, key: string) => stack.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
const deployInstance = (w: World, name: string, ...flags: string[]) => w.run(['deploy', '--env', 'test', '--instance', name, ...flags]);

describe('shipper deploy --instance', () => {
  it('creates the instance its own stack next to the main one: tags, a free priority, its own host, one instance, the main stack untouched', async () => {
    const w = instanceWorld();
    const before = w.cloud.clock.now().getTime();
    const run = await deployInstance(w, 'pr-123', '--image-tag', 'v2', '--branch', 'feature/login');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/listener rule priority 121 for pr-123\.hello\.test\.example\.com \(free on the listener\)/);

    const stack = await stackOf(w, 'hello-test-pr-123');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(tag(stack, StackTags.instance)).toBe('pr-123');
    expect(tag(stack, StackTags.service)).toBe('hello');
    expect(tag(stack, StackTags.environment)).toBe('test');
    expect(tag(stack, StackTags.owner)).toMatch(/^alice@/);
    expect(tag(stack, StackTags.branch)).toBe('feature/login');
    const expiresAt = tag(stack, StackTags.expiresAt)!;
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(3 * DAY_MS - 1000);
    expect(Date.parse(expiresAt) - before).toBeLessThan(3 * DAY_MS + 3_600_000);
    expect(param(stack, 'ListenerRulePriority')).toBe('121');
    expect(param(stack, 'DesiredCapacity')).toBe('1');
    expect(param(stack, 'ImageDigest')).toBe(DIGEST_V2);
    expect(output(stack, 'InstanceUrl')).toBe('https://pr-123.hello.test.example.com/');
    expect(output(stack, 'Route53Name')).toBe('pr-123.hello.test.example.com');

    // The listener now has the main rule and the instance's, each on its own host.
    expect(w.cloud.loadBalancing.rulesOf(LISTENER).map((r) => [r.priority, r.hostHeaders])).toEqual([
      [120, ['hello.test.example.com']],
      [121, ['pr-123.hello.test.example.com']],
    ]);
    const main = await stackOf(w, STACK);
    expect(main.StackStatus).toBe('CREATE_COMPLETE');
    expect(param(main, 'ImageDigest')).not.toBe(DIGEST_V2);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
  });

  it('takes the lowest priority above the main rule that no other rule holds, read page by page', async () => {
    const w = instanceWorld();
    expect((await deployInstance(w, 'pr-1', '--image-tag', 'v2')).code).toBe(ExitCode.ok);
    // Another team's rules sit right above: 122 and, to need a second page of DescribeRules, 450 more.
    w.cloud.loadBalancing.addRule(LISTENER, 122, ['other.test.example.com']);
    for (let p = 1000; p < 1450; p++) w.cloud.loadBalancing.addRule(LISTENER, p, [`svc${p}.test.example.com`]);
    const before = w.cloud.calls.count('elbv2.describeRules');
    expect((await deployInstance(w, 'pr-2', '--image-tag', 'v2')).code).toBe(ExitCode.ok);
    expect(w.cloud.calls.count('elbv2.describeRules') - before).toBe(2);
    expect(param(await stackOf(w, 'hello-test-pr-2'), 'ListenerRulePriority')).toBe('123');
  });

  it('a redeploy keeps the priority the instance has (even when a lower one is free now) and starts its time to live again', async () => {
    const w = instanceWorld();
    const foreign = w.cloud.loadBalancing.addRule(LISTENER, 121, ['other.test.example.com']);
    expect((await deployInstance(w, 'pr-123', '--image-tag', 'v2')).code).toBe(ExitCode.ok);
    const first = await stackOf(w, 'hello-test-pr-123');
    expect(param(first, 'ListenerRulePriority')).toBe('122');
    w.cloud.loadBalancing.release(foreign.arn);
    w.cloud.clock.advance(DAY_MS);

    const redeployedAt = w.cloud.clock.now().getTime();
    const run = await deployInstance(w, 'pr-123', '--image-tag', 'v3', '--ttl', '5d');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/listener rule priority 122 for pr-123\.hello\.test\.example\.com \(kept from the stack\)/);
    expect(run.stdout).toMatch(/Follow it with: shipper watch --env test --instance pr-123 --wait-cleanup/);
    const second = await stackOf(w, 'hello-test-pr-123');
    expect(param(second, 'ListenerRulePriority')).toBe('122');
    expect(param(second, 'ImageDigest')).toBe(DIGEST_V3);
    const expiresAt = Date.parse(tag(second, StackTags.expiresAt)!);
    // Whole seconds: the tag drops the milliseconds.
    expect(expiresAt - redeployedAt).toBeGreaterThanOrEqual(5 * DAY_MS - 1000);
    expect(expiresAt - redeployedAt).toBeLessThan(5 * DAY_MS + 3_600_000);
    expect(w.cloud.loadBalancing.rulesOf(LISTENER).map((r) => r.priority)).toEqual([120, 122]);
  });

  it('a failed first create rolls the instance back; the main stack never notices and the next step names the instance', async () => {
    const w = instanceWorld();
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150 }]);
    const run = await deployInstance(w, 'pr-123', '--image-tag', 'v2');
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout + run.stderr).toMatch(/shipper deploy --env test --instance pr-123 --image-tag <tag>/);
    expect((await stackOf(w, 'hello-test-pr-123')).StackStatus).toBe('ROLLBACK_COMPLETE');
    // The rule it created is gone with the rollback; only the main rule is left.
    expect(w.cloud.loadBalancing.rulesOf(LISTENER).map((r) => r.priority)).toEqual([120]);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
    const instance = JSON.parse((await w.run(['releases', '--env', 'test', '--instance', 'pr-123', '--json'])).stdout);
    expect(instance.releases.map((r: { outcome: string }) => r.outcome)).toEqual(['rolled-back']);
  });

  it('two instances deployed at once race for one priority: the loser meets PriorityInUse, rolls back and is created again on the next free one', async () => {
    const w = instanceWorld();
    const [a, b] = await Promise.all([deployInstance(w, 'pr-1', '--image-tag', 'v2'), deployInstance(w, 'pr-2', '--image-tag', 'v2')]);
    expect([a.code, b.code]).toEqual([ExitCode.ok, ExitCode.ok]);
    const lost = [a, b].filter((run) => /another rule took the listener priority first/.test(run.stdout));
    expect(lost).toHaveLength(1);
    expect(lost[0]!.stdout).toMatch(/Priority '121' is currently in use \(Service: AmazonElasticLoadBalancingV2; Status Code: 400; Error Code: PriorityInUse/);
    const priorities = [param(await stackOf(w, 'hello-test-pr-1'), 'ListenerRulePriority'), param(await stackOf(w, 'hello-test-pr-2'), 'ListenerRulePriority')];
    expect(new Set(priorities)).toEqual(new Set(['121', '122']));
    expect(w.cloud.loadBalancing.rulesOf(LISTENER).map((r) => r.priority)).toEqual([120, 121, 122]);
  });
});

describe('an instance addressed by status, releases and rollback', () => {
  it('plan --instance previews the instance\'s first create with its priority and tags, and changes nothing', async () => {
    const w = instanceWorld();
    const run = await w.run(['plan', '--env', 'test', '--instance', 'pr-9', '--image-tag', 'v2', '--json']);
    expect(run.code).toBe(ExitCode.ok);
    const plan = JSON.parse(run.stdout);
    expect(plan).toMatchObject({ stackName: 'hello-test-pr-9', env: 'test', instance: 'pr-9', operation: 'create' });
    expect(plan.parameters).toEqual(expect.arrayContaining([{ name: 'ListenerRulePriority', new: '121' }]));
    expect(w.cloud.loadBalancing.rulesOf(LISTENER).map((r) => r.priority)).toEqual([120]);
  });


  it('keeps a release history of its own, apart from the main stack\'s', async () => {
    const w = instanceWorld();
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'])).code).toBe(ExitCode.ok);
    expect((await deployInstance(w, 'pr-123', '--image-tag', 'v3')).code).toBe(ExitCode.ok);
    const main = JSON.parse((await w.run(['releases', '--env', 'test', '--json'])).stdout);
    const instance = JSON.parse((await w.run(['releases', '--env', 'test', '--instance', 'pr-123', '--json'])).stdout);
    expect(main.releases.map((r: { imageTag: string }) => r.imageTag)).toEqual(['v2']);
    expect(instance.releases.map((r: { imageTag: string; outcome: string }) => [r.imageTag, r.outcome])).toEqual([['v3', 'live']]);
    const history = await w.cloud.clients().ssm.getParameterHistory({ Name: '/shipper/hello/test/instances/pr-123/releases' });
    expect(history.Parameters).toHaveLength(1);
  });

  it('status --instance shows the instance\'s stack and release; rollback --instance goes back on the instance only', async () => {
    const w = instanceWorld();
    expect((await deployInstance(w, 'pr-123', '--image-tag', 'v2')).code).toBe(ExitCode.ok);
    w.cloud.clock.runUntilIdle();
    expect((await deployInstance(w, 'pr-123', '--image-tag', 'v3')).code).toBe(ExitCode.ok);
    w.cloud.clock.runUntilIdle();
    const status = await w.run(['status', '--env', 'test', '--instance', 'pr-123', '--json']);
    expect(status.code).toBe(ExitCode.ok);
    const view = JSON.parse(status.stdout);
    expect(view.stackName).toBe('hello-test-pr-123');
    expect(view.image.digest).toBe(DIGEST_V3);

    const mainDigest = param(await stackOf(w, STACK), 'ImageDigest');
    const rollback = await w.run(['rollback', '--env', 'test', '--instance', 'pr-123']);
    expect(rollback.code).toBe(ExitCode.ok);
    expect(rollback.stdout).toMatch(/rolling back to release #1: v2/);
    expect(param(await stackOf(w, 'hello-test-pr-123'), 'ImageDigest')).toBe(DIGEST_V2);
    expect(param(await stackOf(w, STACK), 'ImageDigest')).toBe(mainDigest);
  });
});

describe('where an instance is refused, before any AWS call', () => {
  const noAws = { clients: () => Promise.reject(new Error('no AWS call expected')) };

  it.each([
    [['--env', 'prod', '--instance', 'pr-1'], /--instance: environment "prod" is protected: it has no short-lived instances/],
    [['--env', 'test', '--instance', 'PR_1'], /--instance: "PR_1" is not an instance name \(expected lowercase letters/],
    [['--env', 'test', '--instance', 'pr-1-'], /"pr-1-" is not an instance name/],
    [['--env', 'test', '--instance', 'i-0abc1234'], /"i-0abc1234" looks like an EC2 instance id/],
    [['--env', 'test', '--instance', 'pr-1', '--ttl', 'forever'], /--ttl: "forever" is not a time to live \(expected e\.g\. 3d/],
    [['--env', 'test', '--ttl', '3d'], /--ttl: --ttl applies to an instance only/],
  ])('deploy %j: exit 2', async (flags, message) => {
    const w = instanceWorld();
    const run = await w.run(['deploy', ...flags, '--image-tag', 'v2'], { deps: noAws });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(message);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('an environment that did not opt in: exit 2 with the key to add', async () => {
    const w = world({ live: true });
    for (const command of [['deploy', '--image-tag', 'v2'], ['status'], ['releases'], ['rollback'], ['watch'], ['plan', '--image-tag', 'v2'], ['logs']]) {
      const run = await w.run([...command, '--env', 'test', '--instance', 'pr-1'], { deps: noAws });
      expect(run.code).toBe(ExitCode.badInput);
      expect(run.stderr).toMatch(/--instance: environment "test" does not allow short-lived instances \(expected environments\.test\.instances in .*shipper\.yml\)/);
    }
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('instances declared in a protected environment: the descriptor is refused at that line', async () => {
    const dir = editedExample(exampleDir, (text) => text.replace('    protected: true\n', '    protected: true\n    instances:\n      ttl: 1d\n'));
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'prod', '--image-tag', 'v2', '--yes'], { cwd: dir, deps: noAws });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/shipper\.yml:\d+:\d+ environments\.prod\.instances: a protected environment cannot have short-lived instances/);
    expect(w.cloud.calls.total()).toBe(0);
  });
});
