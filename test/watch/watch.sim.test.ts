/**
 * Following an operation that the deploying CLI no longer follows: re-attaching with
 * `shipper watch` after the CLI was killed, and what Ctrl-C and --timeout do during an update.
 */
import { describe, expect, it } from '@jest/globals';
import { reportError } from '../../src/cli/errors-to-exit.js';
import type { CliIo } from '../../src/cli/io.js';
import { runDeploy } from '../../src/deploy/deploy.js';
import { runWatch } from '../../src/deploy/watch.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { DeployRolledBackError, DetachedError, ExitCode } from '../../src/errors.js';
import { releaseJournal } from '../../src/releases/journal.js';
import { ReleaseStore } from '../../src/releases/store.js';
import { RecordingReporter, type ShipperEvent } from '../../src/report/events.js';
import { DIGEST_V1, DIGEST_V2, STACK, touchesOf, world, type World } from '../deploy/harness.js';
import { exampleDescriptor } from '../helpers/paths.js';

const target = loadServiceEnvironment({ file: exampleDescriptor, env: 'test' });

/** `shipper deploy --image-tag v2` in-process, aborting `detach` or `interrupt` when `when` first matches an event. */
async function deployUntil(w: World, signal: 'detach' | 'interrupt', when: (e: ShipperEvent) => boolean) {
  const controller = new AbortController();
  const reporter = new RecordingReporter();
  const record = reporter.emit.bind(reporter);
  reporter.emit = (e) => {
    record(e);
    if (when(e)) controller.abort();
  };
  const store = new ReleaseStore(w.cloud.clients().ssm, w.cloud.clock, 'hello', 'test');
  const journal = releaseJournal(store, target, () => ({ by: 'alice@laptop' }), reporter);
  const ctx = { clients: w.cloud.clients(), clock: w.cloud.clock, reporter, registry: { fetch: w.registry.fetch }, [signal]: controller.signal };
  const error = await runDeploy(ctx, { target, image: { tag: 'v2' }, journal }).then(
    () => undefined,
    (err: unknown) => err,
  );
  return { error, reporter, store };
}

/** What the CLI's one error handler prints and returns for an error. */
function handled(err: unknown): { code: number; stderr: string } {
  let stderr = '';
  const io: CliIo = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: '/', stdinIsTTY: false };
  return { code: reportError(err, io), stderr };
}

/** The stack event lines of a run, without the column padding (which depends on what was planned). */
const eventLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => /^\d\d:\d\d:\d\dZ\s+\+/.test(line))
    .map((line) => line.replace(/\s+/g, ' ').trim());

const stackStatus = async (w: World) => (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!;
const imageDigest = async (w: World) => (await stackStatus(w)).Parameters?.find((p) => p.ParameterKey === 'ImageDigest')?.ParameterValue;

describe('a deploy whose CLI was killed right after execution', () => {
  it('leaves with exit code 130, and `shipper watch` follows the same operation to live', async () => {
    const w = world({ live: true });
    const { error, store } = await deployUntil(w, 'detach', (e) => e.type === 'operation.started');
    expect(error).toBeInstanceOf(DetachedError);
    const left = handled(error);
    expect(left.code).toBe(ExitCode.detached);
    expect(left.stderr).toMatch(/stopped following hello-test; CloudFormation carries on with the operation by itself/);
    expect(left.stderr).toMatch(/re-attach with: shipper watch --env test$/m);
    const recorded = (await store.history()).releases[0]!;
    expect(recorded).toMatchObject({ number: 1, imageTag: 'v2' });
    expect(recorded.outcome).toBeUndefined();
    expect((await stackStatus(w)).StackStatus).toBe('UPDATE_IN_PROGRESS');

    const watch = await w.run(['watch', '--env', 'test']);
    expect(watch.code).toBe(ExitCode.ok);
    expect(watch.stderr).toBe('');
    expect(watch.stdout).toMatch(/Following hello-test \(UPDATE_IN_PROGRESS\)/);
    expect(watch.stdout).toMatch(/hello-test is live after 3m\d\ds\./);
    expect(await imageDigest(w)).toBe(DIGEST_V2);
    // watch records the outcome the killed deploy could not.
    expect((await store.history()).releases[0]).toMatchObject({ number: 1, imageTag: 'v2', outcome: 'live' });

    // The same lines a deploy that was never interrupted shows, in the same simulated world.
    const reference = world({ live: true });
    const deploy = await reference.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(deploy.code).toBe(ExitCode.ok);
    const expected = eventLines(deploy.stdout);
    expect(expected.length).toBeGreaterThan(10);
    expect(eventLines(watch.stdout)).toEqual(expected);
  });

  it('a Ctrl-C in `shipper watch` only stops watching: it never cancels an update it did not start', async () => {
    const w = world({ live: true });
    await deployUntil(w, 'detach', (e) => e.type === 'operation.started');
    const interrupt = new AbortController();
    const reporter = new RecordingReporter();
    const record = reporter.emit.bind(reporter);
    reporter.emit = (e) => {
      record(e);
      if (e.type === 'stack.event') interrupt.abort();
    };
    const error = await runWatch({ clients: w.cloud.clients(), clock: w.cloud.clock, reporter, interrupt: interrupt.signal }, { target }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DetachedError);
    expect(w.cloud.calls.count('cancelUpdateStack')).toBe(0);
    expect((await stackStatus(w)).StackStatus).toBe('UPDATE_IN_PROGRESS');
  });

  it('`shipper watch` on a stack with nothing in progress says so and exits 0', async () => {
    const w = world({ live: true });
    const run = await w.run(['watch', '--env', 'test']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toBe('Stack hello-test is CREATE_COMPLETE; nothing is in progress.\n');
    expect(w.cloud.calls.count('cancelUpdateStack')).toBe(0);
  });

  it('`shipper watch` on a stack that does not exist is refused with exit code 3', async () => {
    const run = await world().run(['watch', '--env', 'test']);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/stack hello-test does not exist/);
  });
});

describe('cancelling an update', () => {
  it('a first Ctrl-C cancels it and follows the rollback; the old group is untouched (exit code 4)', async () => {
    const w = world({ live: true });
    const { error, reporter, store } = await deployUntil(w, 'interrupt', (e) => e.type === 'group.progress');
    expect(error).toBeInstanceOf(DeployRolledBackError);
    expect(handled(error).code).toBe(ExitCode.deployRolledBack);
    expect(reporter.of('operation.cancelling')[0]).toMatchObject({ reason: 'interrupted', cancellation: { by: 'signal', signal: 'SIGINT' } });
    expect(w.cloud.calls.count('cancelUpdateStack')).toBe(1);

    const [failed] = reporter.of('deploy.failed');
    expect(failed!.report).toMatchObject({
      finalStatus: 'UPDATE_ROLLBACK_COMPLETE',
      previousReleaseLive: true,
      previousGroupName: w.oldGroup,
      previousRelease: { tag: 'v1', digest: DIGEST_V1 },
      cancelled: { by: 'signal', signal: 'SIGINT' },
    });
    expect(failed!.report.nextSteps.join('\n')).not.toMatch(/Try the image locally/);
    expect((await stackStatus(w)).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(await imageDigest(w)).toBe(DIGEST_V1);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
    expect((await store.history()).releases[0]).toMatchObject({ number: 1, outcome: 'cancelled', rootCause: 'by Ctrl-C' });
    expect((error as Error).message).toBe('deploy cancelled by Ctrl-C and rolled back (UPDATE_ROLLBACK_COMPLETE)');
  });

  it('--timeout cancels an update that is not live in time, the same way', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--timeout', '2m']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toContain('Cancelling the update (--timeout 2m); CloudFormation rolls back to the previous release.\n');
    expect(run.stdout).toMatch(/Deploy cancelled \(by --timeout 2m\) and was rolled back\. The previous release is still live\.\nThe previous release still serves: v1 \(111111111111\), from group hello-test-AutoScalingGroup-/);
    expect(run.stdout).toContain('Cancelled by --timeout 2m before the new group was live; CloudFormation rolled the update back.');
    expect(run.stdout).toContain('The new group was not live within --timeout 2m: raise it');
    expect(run.stdout).not.toMatch(/Deploy failed|Try the image locally/);
    expect(run.stderr).toMatch(/^error: deploy cancelled by --timeout 2m and rolled back \(UPDATE_ROLLBACK_COMPLETE\)$/m);
    expect(w.cloud.calls.count('cancelUpdateStack')).toBe(1);
    expect((await stackStatus(w)).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(await imageDigest(w)).toBe(DIGEST_V1);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
    const releases = await w.run(['releases', '--env', 'test']);
    expect(releases.stdout).toMatch(/1\s+v2\s.*cancelled: by --timeout 2m$/m);

    const cancelledAt = run.stdout.match(/^(\d\d:\d\d:\d\d)Z\s+\+(\d+)m(\d\d)s\s+AutoScalingGroup\s+UPDATE_FAILED\s+Resource update cancelled$/m);
    expect(cancelledAt).not.toBeNull();
    // Cancelled soon after the two minutes ran out, not when the signals' own 15-minute timeout would have.
    expect(Number(cancelledAt![2]) * 60 + Number(cancelledAt![3])).toBeGreaterThanOrEqual(120);
    expect(Number(cancelledAt![2]) * 60 + Number(cancelledAt![3])).toBeLessThan(130);
  });
});

describe('SIGTERM (Buildkite cancelling the job) during an update', () => {
  it('cancels the update; the screen says so, names what still serves, and gives no debugging advice', async () => {
    const w = world({ live: true });
    // Some simulated minutes into the rollout, the CI agent sends SIGTERM to the process.
    w.cloud.clock.schedule(150_000, () => void process.emit('SIGTERM' as NodeJS.Signals, 'SIGTERM' as NodeJS.Signals));
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toContain('Cancelling the update (SIGTERM); CloudFormation rolls back to the previous release (SIGTERM again to leave it to finish alone).\n');
    expect(run.stdout).not.toMatch(/Cancelling the update[^\n]*cancelling the update/i);
    expect(run.stdout).toMatch(/Deploy cancelled \(by SIGTERM\) and was rolled back\. The previous release is still live\.\nThe previous release still serves: v1 \(111111111111\), from group hello-test-AutoScalingGroup-/);
    expect(run.stdout).toContain('The update was cancelled by SIGTERM; deploy again when ready.');
    expect(run.stdout).not.toMatch(/Deploy failed|Try the image locally/);
    expect(run.stderr).toBe('error: deploy cancelled by SIGTERM and rolled back (UPDATE_ROLLBACK_COMPLETE)\n');
    expect((await stackStatus(w)).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
  });
});

describe('`shipper watch` on a deploy that fails', () => {
  it('shows the same failure screen: the boot log of the failed instance and the release that still serves', async () => {
    const w = world();
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'])).code).toBe(ExitCode.ok);
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150, bootLog: ['[shipper-boot] pulling hello@sha256:2222…', '[shipper-boot] FAILED at step pull: manifest unknown'] }]);
    const { error } = await deployUntil(w, 'detach', (e) => e.type === 'operation.started');
    expect(error).toBeInstanceOf(DetachedError);

    const run = await w.run(['watch', '--env', 'test']);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stdout).toMatch(/Deploy failed and was rolled back\. The previous release is still live\.\nRelease #1 still serves: v1 \(111111111111\), deployed 2026-11-23 \d\d:\d\d:\d\d UTC by alice[^,]*, from group hello-test-AutoScalingGroup-\w+\.\n/);
    expect(run.stdout).toMatch(/i-[0-9a-f]{17}  signalled FAILURE; its boot log \(\/shipper\/hello\/test boot\/i-[0-9a-f]{17}\):\n    \| \[shipper-boot\] pulling hello@sha256:2222…\n    \| \[shipper-boot\] FAILED at step pull: manifest unknown\n/);
  });
});
