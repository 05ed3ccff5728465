import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { runDeploy } from '../../src/deploy/deploy.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { RecordingReporter } from '../../src/report/events.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { STACK, world } from './harness.js';

const MUTATING = ['createChangeSet', 'executeChangeSet', 'deleteChangeSet', 'cancelUpdateStack', 'deleteStack', 'putParameter'];
const mutations = (w: ReturnType<typeof world>) => MUTATING.reduce((n, call) => n + w.cloud.calls.count(call), 0);

describe('preflight refuses before anything changes', () => {
  it('refuses credentials for another account', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'prod', '--image-tag', 'v2', '--yes']);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/these credentials are for account 123456789012, but environment "prod" deploys to account 210987654321/);
    expect(mutations(w)).toBe(0);
  });

  it('refuses an unknown image tag and lists recent tags; the stack is untouched', async () => {
    const w = world({ live: true });
    const before = JSON.stringify((await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v9']);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/image tag "v9" does not exist in ECR repository hello/);
    expect(run.stderr).toMatch(/recent tags: v[123], v[123], v[123]/);
    expect(mutations(w)).toBe(0);
    expect(JSON.stringify((await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks)).toBe(before);
  });

  it('requires --yes for a protected environment when nobody can confirm, before any AWS call', async () => {
    const w = world();
    const run = await w.run(['deploy', '--env', 'prod', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.aborted);
    expect(run.stderr).toMatch(/environment "prod" is protected[\s\S]*pass --yes/);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('asks in a terminal for a protected environment, and a "no" changes nothing', async () => {
    const w = world();
    w.cloud.callerArn = 'arn:aws:sts::210987654321:assumed-role/deployer/alice';
    const questions: string[] = [];
    const reporter = new RecordingReporter();
    const target = loadServiceEnvironment({ file: exampleDescriptor, env: 'prod' });
    // The simulated account is 123456789012; prod's guard is checked first, so run prod's rules in test's account.
    target.service.account = w.cloud.account;
    await expect(
      runDeploy(
        { clients: w.cloud.clients(), clock: w.cloud.clock, reporter, registry: { fetch: w.registry.fetch }, confirm: async (q) => (questions.push(q), false) },
        { target, image: { tag: 'v2' } },
      ),
    ).rejects.toThrow(/not confirmed; nothing was changed/);
    expect(questions).toEqual(['Deploy v2 to prod (hello-prod)?']);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
    // The change set made for the plan is removed again.
    expect(w.cloud.calls.count('deleteChangeSet')).toBe(1);
  });

  it('waits for an operation in progress, saying so, then deploys', async () => {
    const w = world({ live: true });
    const first = w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    const second = w.run(['deploy', '--env', 'test', '--image-tag', 'v3']);
    const [a, b] = await Promise.all([first, second]);
    expect(a.code).toBe(ExitCode.ok);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(ExitCode.ok);
    expect(b.stdout).toMatch(/hello-test is busy \(UPDATE_(IN_PROGRESS|COMPLETE_CLEANUP_IN_PROGRESS)\)/);
    const stack = (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!;
    expect(stack.Parameters?.find((p) => p.ParameterKey === 'ImageTag')?.ParameterValue).toBe('v3');
  });

  it('--no-wait-busy fails at once instead, pointing at shipper watch', async () => {
    const w = world({ live: true });
    const first = w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    const second = w.run(['deploy', '--env', 'test', '--image-tag', 'v3', '--no-wait-busy']);
    const [a, b] = await Promise.all([first, second]);
    expect(a.code).toBe(ExitCode.ok);
    expect(b.code).toBe(ExitCode.preflightRefused);
    expect(b.stderr).toMatch(/is busy[\s\S]*shipper watch/);
  });
});
