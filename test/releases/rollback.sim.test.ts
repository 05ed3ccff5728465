/**
 * `shipper rollback` in the simulated cloud: which release it goes back to, that it deploys the
 * digest that ran (not whatever the tag says today), and that a refusal changes nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V1, DIGEST_V2, world, type World } from '../deploy/harness.js';
import { releasesJson, stackParameter, threeReleases } from './history-world.js';

const MOVED_V1 = `sha256:${'9'.repeat(64)}`;

async function rollback(w: World, ...flags: string[]) {
  return w.run(['rollback', '--env', 'test', '--yes', ...flags]);
}

describe('shipper rollback after v1, v2 and a failed v3 (v2 live)', () => {
  it('by default goes back to the release live before the current one, and records a rollback release', async () => {
    const w = await threeReleases();
    const run = await rollback(w);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/rolling back to release #1: v1 1{12}/);
    expect(run.stdout).toMatch(/release #4 \(rollback to #1\)/);
    expect(run.stdout).toMatch(/is live after/);
    expect(await stackParameter(w, 'ImageDigest')).toBe(DIGEST_V1);
    const history = await releasesJson(w);
    expect(history.live).toBe(4);
    expect(history.releases[0]).toMatchObject({ number: 4, kind: 'rollback', rollbackOf: 1, imageTag: 'v1', imageDigest: DIGEST_V1, outcome: 'live' });
    const table = await w.run(['releases', '--env', 'test']);
    expect(table.stdout).toMatch(/▶\s+4\s+v1\s.*LIVE \(rollback to #1\)/);
  });

  it('--json gives the new release number as a field of a release.recorded event, not as text', async () => {
    const w = await threeReleases();
    const run = await rollback(w, '--json');
    expect(run.code).toBe(ExitCode.ok);
    const events = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; message?: string });
    expect(events.filter((e) => e.type === 'release.recorded')).toEqual([{ type: 'release.recorded', number: 4, rollbackOf: 1 }]);
    expect(events.filter((e) => e.type === 'info' && /release #4/.test(e.message ?? ''))).toEqual([]);
  });

  it('--to TAG goes to the newest release of that tag that went live', async () => {
    const w = await threeReleases();
    expect((await rollback(w)).code).toBe(ExitCode.ok);
    const run = await rollback(w, '--to', 'v2');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/rolling back to release #2: v2/);
    expect(await stackParameter(w, 'ImageDigest')).toBe(DIGEST_V2);
    expect((await releasesJson(w)).releases[0]).toMatchObject({ number: 5, kind: 'rollback', rollbackOf: 2, outcome: 'live' });
  });

  it('--release N goes to exactly that release', async () => {
    const w = await threeReleases();
    const run = await rollback(w, '--release', '1');
    expect(run.code).toBe(ExitCode.ok);
    expect(await stackParameter(w, 'ImageDigest')).toBe(DIGEST_V1);
    expect((await releasesJson(w)).releases[0]).toMatchObject({ kind: 'rollback', rollbackOf: 1 });
  });

  it.each([
    [['--to', 'v9'], /no release of tag "v9" ever went live; nothing was changed/],
    [['--release', '3'], /release #3 never went live; nothing was changed/],
    [['--release', '42'], /release #42 is not in the history; nothing was changed/],
    [['--to', 'v2'], /release #2 \(v2\) is already live; nothing to roll back/],
  ])('refuses %j with exit code 3 and creates no change set', async (flags, message) => {
    const w = await threeReleases();
    w.cloud.calls.reset();
    const run = await rollback(w, ...flags);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(message);
    expect(w.cloud.calls.count('createChangeSet')).toBe(0);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
    expect(await stackParameter(w, 'ImageDigest')).toBe(DIGEST_V2);
    expect((await releasesJson(w)).releases).toHaveLength(3);
  });

  it('lists what can be rolled back to when it refuses', async () => {
    const w = await threeReleases();
    const run = await rollback(w, '--to', 'v9');
    expect(run.stderr).toMatch(/releases you can roll back to:\n\s+#1\s+v1\s+1{12}/);
    // Neither the live release nor one that never went live is offered.
    expect(run.stderr).not.toMatch(/#2|#3/);
  });
});

describe('shipper rollback to a tag that has moved since', () => {
  it('deploys the digest recorded for that release and says the tag now points elsewhere', async () => {
    const w = world();
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'])).code).toBe(ExitCode.ok);
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'])).code).toBe(ExitCode.ok);
    w.cloud.ecr.addImage('hello', 'v1', MOVED_V1);
    const run = await rollback(w, '--to', 'v1');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/tag v1 now points at 9{12}; deploying the recorded digest 1{12} of that release/);
    expect(await stackParameter(w, 'ImageDigest')).toBe(DIGEST_V1);
    expect((await releasesJson(w)).releases[0]).toMatchObject({ imageTag: 'v1', imageDigest: DIGEST_V1, rollbackOf: 1 });
  });
});

describe('shipper rollback without a history', () => {
  it('refuses with exit code 3 and changes nothing', async () => {
    const w = world({ live: true });
    w.cloud.calls.reset();
    const run = await rollback(w);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/no earlier release that went live to roll back to; nothing was changed/);
    expect(run.stderr).toMatch(/the history has no other release that went live/);
    expect(w.cloud.calls.count('createChangeSet')).toBe(0);
  });
});

describe('what a rollback records', () => {
  it('the commit and branch of the release it goes back to, not of the current checkout', async () => {
    const w = world();
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v1', '--commit', 'aaaa1111', '--branch', 'main'])).code).toBe(ExitCode.ok);
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--commit', 'bbbb2222', '--branch', 'main'])).code).toBe(ExitCode.ok);
    expect((await rollback(w)).code).toBe(ExitCode.ok);
    const [newest] = (await releasesJson(w)).releases;
    expect(newest).toMatchObject({ kind: 'rollback', rollbackOf: 1, imageDigest: DIGEST_V1, commit: 'aaaa1111', branch: 'main' });
  });
});
