/**
 * Two deploys at once (two pipelines, or a person and a pipeline): each gets its own release
 * number and its own outcome in the history, and neither is lost.
 */
import { describe, expect, it } from '@jest/globals';
import { awsError } from '../../src/aws/api.js';
import { runDeploy } from '../../src/deploy/deploy.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { ExitCode } from '../../src/errors.js';
import { releaseJournal } from '../../src/releases/journal.js';
import { ReleaseStore } from '../../src/releases/store.js';
import { RecordingReporter, type ShipperEvent } from '../../src/report/events.js';
import { SimCloud } from '../sim/cloud.js';
import { DIGEST_V2, DIGEST_V3, world, type World } from '../deploy/harness.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { releasesJson, stackParameter } from './history-world.js';

const target = loadServiceEnvironment({ file: exampleDescriptor, env: 'test' });

function storeOf(cloud: SimCloud): ReleaseStore {
  return new ReleaseStore(cloud.clients().ssm, cloud.clock, 'hello', 'test');
}

/** A deploy started in-process, with a hook on its events (to start something else at a given moment). */
function deploy(w: World, tag: string, onEvent: (e: ShipperEvent) => void = () => undefined) {
  const reporter = new RecordingReporter();
  const record = reporter.emit.bind(reporter);
  reporter.emit = (e) => {
    record(e);
    onEvent(e);
  };
  const ctx = { clients: w.cloud.clients(), clock: w.cloud.clock, reporter, registry: { fetch: w.registry.fetch } };
  const journal = releaseJournal(storeOf(w.cloud), target, () => ({ by: `pipeline-${tag}` }), reporter);
  const done = runDeploy(ctx, { target, image: { tag }, journal }).then(
    () => ExitCode.ok,
    (err: { exitCode?: number }) => err.exitCode ?? -1,
  );
  return { reporter, done, number: () => journal.number() };
}

describe('two deploys of one service at the same time', () => {
  it('CLI runs started together: the one that loses the race waits, plans again, and both are recorded live', async () => {
    const w = world({ live: true });
    const [a, b] = await Promise.all([
      w.run(['deploy', '--env', 'test', '--image-tag', 'v2']),
      w.run(['deploy', '--env', 'test', '--image-tag', 'v3']),
    ]);
    expect([a.code, b.code]).toEqual([ExitCode.ok, ExitCode.ok]);
    const waited = [a, b].filter((run) => /another operation started on hello-test first/.test(run.stdout));
    expect(waited).toHaveLength(1);
    expect(waited[0]!.stdout).toMatch(/Stack hello-test is busy \(UPDATE_IN_PROGRESS\)/);

    const history = await releasesJson(w);
    expect(history.releases.map((r) => r.number)).toEqual([2, 1]);
    expect(history.releases.map((r) => r.outcome)).toEqual(['live', 'live']);
    expect(new Set(history.releases.map((r) => r.imageTag))).toEqual(new Set(['v2', 'v3']));
    // The one that went second is what runs now.
    expect(history.live).toBe(2);
    expect(await stackParameter(w, 'ImageDigest')).toBe(history.releases[0]!.imageDigest);
  });

  it('a deploy started while another one runs waits for it; each records its own outcome', async () => {
    const w = world({ live: true });
    // The first group's two instances succeed; the second deploy's first instance fails.
    w.cloud.scriptInstances([
      { signal: 'SUCCESS', afterSeconds: 206 },
      { signal: 'SUCCESS', afterSeconds: 206 },
      { signal: 'FAILURE', afterSeconds: 150 },
    ]);
    let second: ReturnType<typeof deploy> | undefined;
    const first = deploy(w, 'v2', (e) => {
      if (e.type === 'operation.started' && !second) second = deploy(w, 'v3');
    });
    expect(await first.done).toBe(ExitCode.ok);
    expect(await second!.done).toBe(ExitCode.deployRolledBack);

    expect(second!.reporter.of('stack.busy').map((e) => e.status)).toContain('UPDATE_IN_PROGRESS');
    expect([first.number(), second!.number()]).toEqual([1, 2]);
    const history = await releasesJson(w);
    expect(history.releases.map((r) => [r.number, r.imageDigest, r.by, r.outcome])).toEqual([
      [2, DIGEST_V3, 'pipeline-v3', 'rolled-back'],
      [1, DIGEST_V2, 'pipeline-v2', 'live'],
    ]);
    expect(history.releases[0]!.rootCause).toMatch(/FAILURE signal/);
    expect(history.live).toBe(1);
  });
});

describe('the release store under concurrent writers', () => {
  const attempt = (cloud: SimCloud, tag: string) => ({
    kind: 'deploy' as const,
    service: 'hello',
    env: 'test',
    stackName: 'hello-test',
    imageTag: tag,
    imageDigest: DIGEST_V2,
    by: `pipeline-${tag}`,
    shipperVersion: '0.1.0',
    startedAt: cloud.clock.now().toISOString(),
  });
  const tags = ['a', 'b', 'c', 'd', 'e'];

  it('gives every concurrent start its own number, and the history maps each number to its record', async () => {
    const cloud = new SimCloud();
    const store = storeOf(cloud);
    const numbers = await Promise.all(tags.map((tag) => store.start(attempt(cloud, tag))));
    expect([...numbers].sort()).toEqual([1, 2, 3, 4, 5]);
    const { releases } = await store.history();
    for (const [i, tag] of tags.entries()) expect(releases.find((r) => r.number === numbers[i])?.imageTag).toBe(tag);
  });

  it('writes again after TooManyUpdates, without losing or duplicating a release', async () => {
    const cloud = new SimCloud();
    const store = storeOf(cloud);
    cloud.faults.failNext('ssm.putParameter', awsError('TooManyUpdates', 'There are concurrent updates for the resource that you are trying to modify.'));
    const numbers = await Promise.all(tags.map((tag) => store.start(attempt(cloud, tag))));
    expect(cloud.faults.injected).toBe(1);
    expect([...numbers].sort()).toEqual([1, 2, 3, 4, 5]);
    // The write that met TooManyUpdates went in last, after a backoff.
    expect(numbers[0]).toBe(5);

    cloud.faults.failNext('ssm.putParameter', awsError('TooManyUpdates', 'There are concurrent updates for the resource that you are trying to modify.'));
    await Promise.all(numbers.map((n) => store.finish(n, n % 2 ? 'live' : 'rolled-back', cloud.clock.now())));
    const { releases, unreadable } = await store.history();
    expect(unreadable).toEqual([]);
    expect(releases.map((r) => [r.number, r.outcome])).toEqual([
      [5, 'live'],
      [4, 'rolled-back'],
      [3, 'live'],
      [2, 'rolled-back'],
      [1, 'live'],
    ]);
  });
});
