import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLL, PollPacer, pollingPhase, type PollNews, type RolloutView } from '../../src/deploy/poll-pacing.js';

/** Two instances booting in a replacing update, nothing signalled yet. */
const booting: RolloutView = {
  status: 'UPDATE_IN_PROGRESS',
  live: false,
  cancelling: false,
  newGroupKnown: true,
  signalsExpected: 2,
  signalsSucceeded: 0,
  failed: false,
  groupComplete: false,
  resourcesInProgress: 1,
  instancesInService: 2,
};
const quiet = (atMs: number): PollNews => ({ atMs, events: false, any: false, signalled: false });

describe('the polling phase', () => {
  it('is booting while the new group waits for signals, settling once they are all in or the group is complete', () => {
    expect(pollingPhase(booting)).toBe('booting');
    expect(pollingPhase({ ...booting, signalsSucceeded: 1 })).toBe('booting');
    expect(pollingPhase({ ...booting, signalsSucceeded: 2 })).toBe('settling');
    // MinSuccessfulInstancesPercent below 100: the group can complete without every signal.
    expect(pollingPhase({ ...booting, signalsSucceeded: 1, groupComplete: true })).toBe('settling');
  });

  it('goes back to reading everything every 1-5 s on a failure, a cancel, a rollback, or before the new group exists', () => {
    expect(pollingPhase({ ...booting, failed: true })).toBe('changing');
    expect(pollingPhase({ ...booting, cancelling: true })).toBe('changing');
    expect(pollingPhase({ ...booting, status: 'UPDATE_ROLLBACK_IN_PROGRESS' })).toBe('changing');
    expect(pollingPhase({ ...booting, newGroupKnown: false })).toBe('changing');
    // The first poll knows no status yet.
    expect(pollingPhase({ ...booting, status: '' })).toBe('changing');
  });

  it('follows the cleanup once live', () => {
    expect(pollingPhase({ ...booting, live: true, status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' })).toBe('cleanup');
  });
});

describe('the pacer', () => {
  it('reads only the events while booting, the group every few polls, and slows down to bootMs', () => {
    const pacer = new PollPacer(DEFAULT_POLL);
    const plans = [];
    const sleeps = [];
    for (let i = 0, t = 0; i < 8; i++) {
      const plan = pacer.plan(booting, t);
      plans.push(plan);
      const sleep = pacer.after(plan, quiet(t), booting);
      sleeps.push(sleep);
      t += sleep;
    }
    expect(plans.every((p) => p.phase === 'booting' && p.events && p.stack === 'on-stack-event' && !p.stackFirst)).toBe(true);
    expect(plans.map((p) => p.group)).toEqual([true, false, false, true, false, false, true, false]);
    expect(sleeps.at(-1)).toBe(DEFAULT_POLL.bootMs);
    expect(sleeps).toEqual([...sleeps].sort((a, b) => a - b));
  });

  it('reads the group every other poll while instances are still launching', () => {
    const pacer = new PollPacer(DEFAULT_POLL);
    const launching = { ...booting, instancesInService: 0 };
    const groups = [0, 1, 2, 3].map((i) => {
      const plan = pacer.plan(launching, i * 4000);
      pacer.after(plan, quiet(i * 4000), launching);
      return plan.group;
    });
    expect(groups).toEqual([true, false, true, false]);
  });

  it('looks again after a second once a signal arrives (the others come close behind)', () => {
    const pacer = new PollPacer(DEFAULT_POLL);
    let t = 0;
    for (let i = 0; i < 6; i++) t += pacer.after(pacer.plan(booting, t), quiet(t), booting);
    const one = { ...booting, signalsSucceeded: 1 };
    expect(pacer.after(pacer.plan(booting, t), { atMs: t, events: true, any: true, signalled: true }, one)).toBe(DEFAULT_POLL.minMs);
  });

  it('once every signal is in: the events each second while resources change, then DescribeStacks first, every settleMs', () => {
    const pacer = new PollPacer(DEFAULT_POLL);
    const signalled = { ...booting, signalsSucceeded: 2 };
    const busy = pacer.plan(signalled, 0);
    expect(busy).toMatchObject({ phase: 'settling', stackFirst: false, events: true, stack: 'on-stack-event', group: false });
    expect(pacer.after(busy, { atMs: 0, events: true, any: true, signalled: true }, signalled)).toBe(DEFAULT_POLL.minMs);

    const done = { ...signalled, groupComplete: true, resourcesInProgress: 0 };
    const plans = [];
    for (let t = 1000; t < 4000; ) {
      const plan = pacer.plan(done, t);
      plans.push(plan);
      t += pacer.after(plan, quiet(t), done);
    }
    expect(plans.every((p) => p.phase === 'settling' && p.stackFirst && p.stack === 'always' && !p.group)).toBe(true);
    // The events only now and then: 2 s after the last read (at 0), not on each 250 ms poll.
    expect(plans.length).toBe(12);
    expect(plans.filter((p) => p.events).length).toBe(1);
  });

  it('stops settling fast when the stack stays in progress without news (an update held open to watch alarms)', () => {
    const pacer = new PollPacer(DEFAULT_POLL);
    const done = { ...booting, signalsSucceeded: 2, groupComplete: true, resourcesInProgress: 0 };
    let t = 0;
    const phases = new Set<string>();
    while (t < DEFAULT_POLL.settleQuietMs + 30_000) {
      const plan = pacer.plan(done, t);
      phases.add(plan.phase);
      t += pacer.after(plan, quiet(t), done);
    }
    expect([...phases]).toEqual(['settling', 'changing']);
    expect(pacer.after(pacer.plan(done, t), quiet(t), done)).toBe(DEFAULT_POLL.maxMs);
    // A new event (e.g. the monitoring ended and resources move again) makes it settle fast again.
    expect(pacer.after(pacer.plan(done, t), { atMs: t, events: true, any: true, signalled: false }, done)).toBe(DEFAULT_POLL.settleMs);
  });

  it('reads everything and backs off from minMs to maxMs while resources change or a rollback runs', () => {
    const pacer = new PollPacer(DEFAULT_POLL);
    const rollingBack = { ...booting, status: 'UPDATE_ROLLBACK_IN_PROGRESS', failed: true };
    const plan = pacer.plan(rollingBack, 0);
    expect(plan).toMatchObject({ phase: 'changing', events: true, stack: 'always', group: true });
    const sleeps = [0, 1, 2, 3, 4, 5].map((i) => pacer.after(pacer.plan(rollingBack, i), quiet(i), rollingBack));
    expect(sleeps[0]).toBe(1500);
    expect(sleeps.at(-1)).toBe(DEFAULT_POLL.maxMs);
    expect(pacer.after(pacer.plan(rollingBack, 9), { atMs: 9, events: true, any: true, signalled: false }, rollingBack)).toBe(DEFAULT_POLL.minMs);
  });
});
