/**
 * How the follow loop paces its polls in a real-shaped replacing update, over the wire: every
 * API call takes 80-250 ms of simulated time (test/sim/latency.ts), so "noticed" includes the
 * calls' own durations. Everything is read from the simulated cloud's call log and stack events,
 * in simulated time; nothing here measures wall-clock time.
 */
import { describe, expect, it } from '@jest/globals';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { runDeploy } from '../../src/deploy/deploy.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { DeployRolledBackError } from '../../src/errors.js';
import type { Reporter, ShipperEvent } from '../../src/report/events.js';
import { uniformLatency } from '../sim/latency.js';
import { STACK, world, type World } from './harness.js';
import { exampleDescriptor } from '../helpers/paths.js';

const target = loadServiceEnvironment({ file: exampleDescriptor, env: 'test' });

/** API calls of one standard deploy of the example before the follow loop was paced by the rollout (npm run bench:timeline at 7b1b5be, in-process). */
const CALLS_PER_DEPLOY_BEFORE = 218;

interface Timed {
  atMs: number;
  event: ShipperEvent;
}

/** `shipper deploy --image-tag v2` in-process, every event stamped with the simulated time it was reported. */
async function deploy(w: World, timeoutMs?: number): Promise<{ reported: Timed[]; error?: unknown }> {
  const reported: Timed[] = [];
  const reporter: Reporter = { emit: (event) => reported.push({ atMs: w.cloud.clock.nowMs(), event }), close: () => undefined };
  const ctx = { clients: w.cloud.clients(), clock: w.cloud.clock, reporter, registry: { fetch: w.registry.fetch } };
  const error = await runDeploy(ctx, { target, image: { tag: 'v2' }, timeoutMs }).then(
    () => undefined,
    (err: unknown) => err,
  );
  return { reported, error };
}

function overTheWire(seed = 7): World {
  const w = world({ live: true });
  w.cloud.apiLatency = uniformLatency(undefined, seed);
  return w;
}

/** The events of this deploy's operation (the seeded stack has a history of its own). */
function stackEvents(w: World): StackEvent[] {
  const all = w.cloud.cloudFormation.findStack(STACK)!.events;
  const start = all.findLastIndex((e) => e.LogicalResourceId === STACK && e.ResourceStatus === 'UPDATE_IN_PROGRESS' && e.ResourceStatusReason === 'User Initiated');
  return all.slice(start);
}
const timeOf = (e: StackEvent | undefined) => e!.Timestamp!.getTime();
const stackReached = (w: World, status: string) => timeOf(stackEvents(w).find((e) => e.LogicalResourceId === STACK && e.ResourceStatus === status));
const signals = (w: World, kind: 'SUCCESS' | 'FAILURE') => stackEvents(w).filter((e) => new RegExp(`Received ${kind} signal`).test(e.ResourceStatusReason ?? ''));
const shownAt = (reported: Timed[], event: StackEvent) => reported.find((r) => r.event.type === 'stack.event' && r.event.eventId === event.EventId)!.atMs;
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
const callTimes = (w: World, call: string, from: number, to: number) =>
  w.cloud.calls
    .log(call)
    .map((c) => c.atMs)
    .filter((t) => t >= from && t < to);

describe('polling paced by what the rollout knows', () => {
  it('reports live within 1 s of the stack reaching UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, over the wire', async () => {
    // Signals a little later each time, so the status changes at a different moment of the poll loop.
    for (const [i, offset] of [0, 0.4, 0.9, 1.7].entries()) {
      const w = overTheWire(11 + i);
      w.cloud.defaultInstanceScript = { signal: 'SUCCESS', afterSeconds: 206 + offset };
      const { reported, error } = await deploy(w);
      expect(error).toBeUndefined();
      const live = reported.find((r) => r.event.type === 'deploy.live')!;
      const latency = live.atMs - stackReached(w, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      expect(latency).toBeGreaterThan(0);
      expect(latency).toBeLessThanOrEqual(1000);
    }
  });

  it('polls slowly while the instances boot and quickly once every signal is in', async () => {
    const w = overTheWire();
    const { error } = await deploy(w);
    expect(error).toBeUndefined();
    const groupCreated = timeOf(stackEvents(w).find((e) => e.ResourceStatusReason === 'Resource creation Initiated' && e.LogicalResourceId === 'AutoScalingGroup'));
    const firstSignal = timeOf(signals(w, 'SUCCESS')[0]);
    const lastSignal = timeOf(signals(w, 'SUCCESS').at(-1));
    const live = stackReached(w, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');

    // Booting (from half a minute into it until the first signal): the events every few seconds, the
    // status never (a change of it would be an event).
    const booting = callTimes(w, 'describeStackEvents', groupCreated + 30_000, firstSignal);
    expect(booting.length).toBeGreaterThan(20);
    expect(Math.min(...gaps(booting))).toBeGreaterThanOrEqual(3000);
    expect(callTimes(w, 'describeStacks', groupCreated + 30_000, firstSignal)).toEqual([]);

    // Every signal in and every resource done: DescribeStacks several times a second until live
    // (250 ms apart, plus the calls between two reads: at most the events now and then), and the
    // group is no longer read.
    const resourcesDone = timeOf(stackEvents(w).filter((e) => e.LogicalResourceId !== STACK && timeOf(e) <= live).at(-1));
    const settling = callTimes(w, 'describeStacks', resourcesDone, live + 1000);
    expect(settling.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...gaps(settling))).toBeLessThanOrEqual(800);
    expect(callTimes(w, 'describeAutoScalingGroups', lastSignal + 5000, live + 1000)).toEqual([]);
  });

  it('makes fewer API calls for a standard deploy than before', async () => {
    const w = world({ live: true });
    const { error } = await deploy(w);
    expect(error).toBeUndefined();
    expect(w.cloud.calls.total()).toBeLessThanOrEqual(CALLS_PER_DEPLOY_BEFORE);
    // Fewer reads of the group and of the status above all: booting needs neither on every poll.
    expect(w.cloud.calls.count('describeAutoScalingGroups')).toBeLessThan(w.cloud.calls.count('describeStackEvents') / 2);
    expect(w.cloud.calls.count('describeStacks')).toBeLessThan(w.cloud.calls.count('describeStackEvents') / 2);
  });

  it('still shows a FAILURE signal during the slow phase within a few seconds, and the rollback start soon after', async () => {
    for (const [i, failAt] of [90, 121.3, 152.6].entries()) {
      const w = overTheWire(23 + i);
      w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: failAt }]);
      const { reported, error } = await deploy(w);
      expect(error).toBeInstanceOf(DeployRolledBackError);
      const [failure] = signals(w, 'FAILURE');
      // At most the slow interval (4 s) plus a couple of calls: never later than the 5 s the loop used to allow.
      expect(shownAt(reported, failure!) - timeOf(failure)).toBeLessThan(5000);
      const rollback = stackEvents(w).find((e) => e.LogicalResourceId === STACK && e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!;
      expect(shownAt(reported, rollback) - timeOf(rollback)).toBeLessThan(3000);
    }
  });

  it('cancels on --timeout the moment it passes, even in the slow phase', async () => {
    const w = overTheWire(31);
    const { error } = await deploy(w, 100_500);
    expect(error).toBeInstanceOf(DeployRolledBackError);
    const [executed] = w.cloud.calls.log('executeChangeSet');
    const [cancelled] = w.cloud.calls.log('cancelUpdateStack');
    // The deadline counts from just before ExecuteChangeSet's request (at most 125 ms before the log's time for it).
    const late = cancelled!.atMs - (executed!.atMs + 100_500);
    expect(late).toBeGreaterThan(-125);
    expect(late).toBeLessThan(1000);
  });
});
