import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V1, DIGEST_V2, STACK, touchesOf, world } from './harness.js';

async function stackOf(w: ReturnType<typeof world>) {
  return (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!;
}
const param = (stack: Awaited<ReturnType<typeof stackOf>>, key: string) => stack.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;

describe('a replacing update that goes live', () => {
  it('reports live with the outputs the moment the new group is live, and leaves the old group to CloudFormation', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/The Auto Scaling group is REPLACED/);
    expect(run.stdout).toMatch(/Image: v1 \(111111111111\) → v2 \(222222222222\)/);
    expect(run.stdout).toMatch(/Received SUCCESS signal with UniqueId i-/);
    expect(run.stdout).toMatch(/is live after 3m\d\ds/);
    expect(run.stdout).toMatch(/ImageDigest\s+sha256:2{64}/);
    expect(run.stdout).toMatch(/drains and is deleted in the background/);
    expect(run.stdout).toMatch(/Follow it with: shipper watch --env test --wait-cleanup/);
    const stack = await stackOf(w);
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(param(stack, 'ImageDigest')).toBe(DIGEST_V2);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
  });

  it('shows only this operation\'s events, each once, oldest first', async () => {
    const w = world({ live: true });
    w.cloud.setEventPageSize(3);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    const eventLines = run.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\dZ +\+\S+ +\S+ +[A-Z_]+(\s|$)/.test(l));
    // The seeded create's events (CREATE_*) are history, not this deploy.
    expect(eventLines.some((l) => /CREATE_COMPLETE|CREATE_IN_PROGRESS/.test(l))).toBe(false);
    expect(eventLines[0]).toMatch(/hello-test +UPDATE_IN_PROGRESS +User Initiated/);
    expect(new Set(eventLines).size).toBe(eventLines.length);
    const times = eventLines.map((l) => l.slice(0, 8));
    expect([...times].sort()).toEqual(times);
  });

  it('--wait-cleanup follows the old group being deleted to UPDATE_COMPLETE', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--wait-cleanup']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Waiting for the old group to drain/);
    expect(run.stdout).toMatch(/cleanup finished/);
    expect((await stackOf(w)).StackStatus).toBe('UPDATE_COMPLETE');
    const deletion = touchesOf(w.cloud, w.oldGroup);
    expect(deletion.length).toBeGreaterThan(0);
    expect(deletion.every((m) => m.by === 'cloudformation')).toBe(true);
    // The old group went only after the new one was live.
    const liveAt = /is live after (\d+)m(\d\d)s/.exec(run.stdout)!;
    const liveMs = new Date('2026-11-23T06:25:30Z').getTime() + (Number(liveAt[1]) * 60 + Number(liveAt[2])) * 1000;
    expect(Math.min(...deletion.map((m) => m.time.getTime()))).toBeGreaterThanOrEqual(liveMs);
  });

  it('carries a scaled-out live capacity over to the new group and its signal count', async () => {
    const w = world({ live: true, liveDesiredCapacity: 4 });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/live group \S+ runs 4; the new group starts at 4 \(descriptor says 2\)/);
    expect(run.stdout).toMatch(/signals 4\/4/);
    expect(param(await stackOf(w), 'DesiredCapacity')).toBe('4');
  });

  it('never fails on throttling: every third call says "Rate exceeded" and the deploy still goes live', async () => {
    const w = world({ live: true });
    w.cloud.faults.throttleEvery(3);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.ok);
    expect(w.cloud.faults.injected).toBeGreaterThan(10);
    expect(run.stdout).toMatch(/is live after/);
  });

  it('creates the stack on a first deploy, with the same signals', async () => {
    const w = world();
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Create stack hello-test/);
    expect(run.stdout).toMatch(/CREATE_COMPLETE/);
    expect(run.stdout).not.toMatch(/old group/);
    expect(param(await stackOf(w), 'ImageDigest')).toBe(DIGEST_V1);
  });

  it('says so and exits 0 when there is nothing to change', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/[Nn]o changes/);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
  });

  it('prints one JSON object per line with --json', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--json']);
    expect(run.code).toBe(ExitCode.ok);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['phase', 'preflight.check', 'plan.summary', 'operation.started', 'stack.event', 'group.progress', 'deploy.live']));
    expect(events.at(-1).type).toBe('deploy.live');
  });

  it("reports the new group's progress only when it changed, not on every poll", async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--json']);
    const progress = run.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'group.progress');
    const pictures = progress.map((e) => JSON.stringify([e.signalsReceived, e.instances]));
    expect(pictures.length).toBeGreaterThan(1);
    expect(pictures.every((p, i) => i === 0 || p !== pictures[i - 1])).toBe(true);
    // The group was read more often than its picture changed.
    expect(w.cloud.calls.count('describeAutoScalingGroups')).toBeGreaterThan(pictures.length + 2);
    // A plain log shows the same reports, one line each.
    const plain = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v2'], { env: { PATH: process.env.PATH, CI: 'true' } });
    expect(plain.stdout.split('\n').filter((l) => / new group +signals /.test(l))).toHaveLength(pictures.length);
  });

  it('uses Buildkite group headers and no cursor control in CI', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { env: { PATH: process.env.PATH, BUILDKITE: 'true', CI: 'true' } });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/^--- /m);
    expect(run.stdout).not.toMatch(/\u001b\[[0-9;]*[A-HJKSTfn]/);
  });
});
