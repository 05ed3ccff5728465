/**
 * `shipper list` in the simulated cloud: the main stack and every instance of the service in the
 * environment, with release, age, owner, branch and expiry; stacks of other services, other
 * environments, and deleted ones are left out; ListStacks is followed across pages.
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import type { EnvironmentListing } from '../../src/instances/listing.js';
import { StackTags } from '../../src/instances/identity.js';
import { hoursFromNow, instanceWorld, seedInstance } from './instances-world.js';

type ListingJson = EnvironmentListing & { now: string; stacks: Array<EnvironmentListing['stacks'][number] & { createdAt: string; expiresAt?: string }> };

function environment() {
  const w = instanceWorld([]);
  seedInstance(w, { name: 'pr-7', owner: 'bob', branch: 'feature/login', expiresAt: hoursFromNow(w, -2), release: true });
  seedInstance(w, { name: 'pr-12', owner: 'carol', branch: 'fix/typo', expiresAt: hoursFromNow(w, 51) });
  seedInstance(w, { name: 'demo', owner: 'dave' });
  // Another service's stack whose name happens to start like ours, and the same service in prod.
  seedInstance(w, { name: 'other', tags: { [StackTags.service]: 'hello-other', [StackTags.environment]: 'test' } });
  w.cloud.seedStack({ stackName: 'hello-prod-pr-1', templateBody: '{"Resources":{"T":{"Type":"AWS::SNS::Topic"}}}', tags: { [StackTags.service]: 'hello', [StackTags.environment]: 'prod', [StackTags.instance]: 'pr-1' } });
  return w;
}

describe('shipper list', () => {
  it('shows the main stack and every instance with release, age, owner, branch and expiry, in UTC', async () => {
    const w = environment();
    w.cloud.cloudFormation.listPageSize = 2;

    const run = await w.run(['list', '--env', 'test']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STACK\s+STATUS\s+RELEASE\s+AGE\s+OWNER\s+BRANCH\s+EXPIRES$/);
    expect(lines[1]).toMatch(/^main\s+hello-test\s+CREATE_COMPLETE\s+v1\s+1h \d+m\s+-\s+-\s+-$/);
    // Sorted by name; pr-7's release number comes from its own history.
    expect(lines[2]).toMatch(/^demo\s+hello-test-demo\s+CREATE_COMPLETE\s+pr-build\s+\d+m\s+dave\s+-\s+never$/);
    expect(lines[3]).toMatch(/^pr-12\s+hello-test-pr-12\s+CREATE_COMPLETE\s+pr-build\s+\d+m\s+carol\s+fix\/typo\s+in 2d 2h$/);
    expect(lines[4]).toMatch(/^pr-7\s+hello-test-pr-7\s+CREATE_COMPLETE\s+#1 pr-build\s+\d+m\s+bob\s+feature\/login\s+expired 2h \d+m ago$/);
    expect(run.stdout).toContain('1 expired; remove it with: shipper destroy --env test --expired');
    expect(run.stdout).toMatch(/Warning: hello-test-other is named like an instance of hello but is not one/);
    expect(run.stdout).not.toContain('hello-prod');
    expect(run.stdout).toMatch(/Times in UTC; now \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
    expect(w.cloud.calls.count('cloudFormation.listStacks')).toBeGreaterThan(1);
    expect(w.cloud.calls.count('cloudFormation.deleteStack')).toBe(0);
  });

  it('--json: one object with the same facts, times in ISO 8601 UTC', async () => {
    const w = environment();

    const run = await w.run(['list', '--env', 'test', '--json']);

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    const listing = JSON.parse(run.stdout) as ListingJson;
    expect(listing).toMatchObject({ service: 'hello', env: 'test', stackName: 'hello-test', warnings: [] });
    expect(listing.stacks.map((s) => [s.name, s.expired])).toEqual([
      ['main', false],
      ['demo', false],
      ['pr-12', false],
      ['pr-7', true],
    ]);
    expect(listing.stacks[3]).toMatchObject({ instance: 'pr-7', stackName: 'hello-test-pr-7', owner: 'bob', branch: 'feature/login', live: { tag: 'pr-build', release: 1 } });
    expect(listing.stacks[3]!.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(listing.stacks[1]!.expiresAt).toBeUndefined();
    expect(listing.foreign).toEqual([expect.objectContaining({ stackName: 'hello-test-other' })]);
  });

  it('leaves deleted stacks out', async () => {
    const w = environment();
    await w.cloud.cloudFormation.deleteStack({ StackName: 'hello-test-demo' });
    w.cloud.clock.runUntilIdle();

    const listing = JSON.parse((await w.run(['list', '--env', 'test', '--json'])).stdout) as ListingJson;

    expect(listing.stacks.map((s) => s.name)).toEqual(['main', 'pr-12', 'pr-7']);
  });
});
