/**
 * How often the follow loop polls, and what each poll reads, decided by what the rollout knows.
 *
 * A replacing update spends minutes waiting for the new instances to boot and signal, and nothing
 * can complete before the last signal; once every expected signal is in, the stack goes live
 * within seconds. So the loop polls
 * - slowly and cheaply while instances boot: stack events only (a FAILURE signal, a failed
 *   resource and a rollback are all events, and every change of the stack's status is one), the
 *   group now and then for the progress view, DescribeStacks only when a stack-level event says
 *   the status moved;
 * - once every signal is in (or the group is complete): the events every second while resources
 *   still change (the stack cannot complete before its last resource), then quickly and
 *   narrowly: DescribeStacks, as live is a stack status, with the events now and then;
 * - during a bake (the update held open while CloudFormation watches its rollback triggers): the
 *   events every few seconds, until shortly before the bake's end, then as when settling, so the
 *   live status at its end is seen as quickly as without a bake;
 * - every 1-5 s, reading everything, whenever resources are changing, something failed or the
 *   stack rolls back (as it always did).
 * Pure: the follow loop describes the rollout, the pacer answers; no clock, no AWS. Another
 * stretch of a rollout with its own needs (e.g. an update held open while alarms are watched) is
 * one more phase: a case in `pollingPhase` and its plan and interval in `PollPacer`.
 */
import { isInProgress } from '../stack-events/status.js';

export interface PollTiming {
  /** Interval while things change. */
  minMs: number;
  /** Interval after a long quiet spell; never more while resources change or a rollback runs. */
  maxMs: number;
  /**
   * Longest interval while the new instances boot. It bounds how late a FAILURE signal or a
   * rollback is seen, so it stays below `maxMs`: never later than a plain 1-5 s poll saw them.
   */
  bootMs: number;
  /** Interval once every expected signal is in: how late the live status is seen. */
  settleMs: number;
  /** Settling ends after this long without a new stack event (e.g. an update kept open to monitor alarms). */
  settleQuietMs: number;
}

export const DEFAULT_POLL: PollTiming = { minMs: 1000, maxMs: 5000, bootMs: 4000, settleMs: 250, settleQuietMs: 20_000 };

/**
 * - `changing`: resources change, something failed, a rollback or cleanup runs: read everything, adaptive 1-5 s.
 * - `booting`: the new group's instances boot and no signal failed: events, the group now and then.
 * - `settling`: every expected signal is in (or the group is complete): the events each second
 *   while resources still change, then DescribeStacks every `settleMs`.
 * - `baking`: settled, but a bake holds the update open until `bakeEndsAtMs`: events every few seconds.
 * - `cleanup`: live, following the old group's deletion (--wait-cleanup): events, adaptive.
 */
export type PollingPhase = 'changing' | 'booting' | 'settling' | 'baking' | 'cleanup';

/** What the follow loop knows about the rollout after a poll. */
export interface RolloutView {
  /** The stack status last read (or implied by the last stack-level event). */
  status: string;
  live: boolean;
  /** CancelUpdateStack was sent and the stack has not answered with a rollback yet. */
  cancelling: boolean;
  newGroupKnown: boolean;
  signalsExpected: number;
  signalsSucceeded: number;
  /** A FAILURE signal, or any resource of this operation *_FAILED. */
  failed: boolean;
  /** The new group resource reached *_COMPLETE. */
  groupComplete: boolean;
  /** Resources of this operation whose last event is *_IN_PROGRESS (the stack itself aside). */
  resourcesInProgress: number;
  instancesInService: number;
  /** While a bake runs: when it ends (epoch ms), as shipper counts it from the new group getting in service. */
  bakeEndsAtMs?: number;
}

export function pollingPhase(v: RolloutView): PollingPhase {
  if (v.live) return 'cleanup';
  if (v.failed || v.cancelling || !isForward(v.status) || !v.newGroupKnown) return 'changing';
  if (v.groupComplete || v.signalsSucceeded >= v.signalsExpected) return 'settling';
  return 'booting';
}

/** What one poll reads, in order. */
export interface PollPlan {
  phase: PollingPhase;
  /** DescribeStacks before DescribeStackEvents: settling, once resources are done, waits for a status, not for events. */
  stackFirst: boolean;
  /** DescribeStackEvents (every page of new events). */
  events: boolean;
  /** DescribeStacks always, or only when this poll brought a stack-level event (the status moved). */
  stack: 'always' | 'on-stack-event';
  /** DescribeAutoScalingGroups of the new group (and its scaling activities now and then). */
  group: boolean;
}

/** Booting reads the group every this many polls while instances launch (the view, and failed launches)... */
const LAUNCHING_GROUP_EVERY = 2;
/** ...and every this many once they are all in service (health only changes now and then). */
const BOOT_GROUP_EVERY = 3;
/** Settling reads the events every this many `minMs` (the view; live comes from DescribeStacks). */
const SETTLE_EVENTS_EVERY = 2;

/** A bake polls this often (its alarms are read at the same pace, bake-watch.ts)... */
const BAKE_POLL_MS = 5000;
/** ...until this long before its end, when it settles: CloudFormation's count may end a little earlier than ours. */
const BAKE_END_LEAD_MS = 10_000;

/** What one poll brought. */
export interface PollNews {
  atMs: number;
  /** New stack events. */
  events: boolean;
  /** Anything new: events, or a new picture of the group. */
  any: boolean;
  /** A new signal among the events. */
  signalled: boolean;
}

export class PollPacer {
  private intervalMs: number;
  private phase: PollingPhase = 'changing';
  private bootPolls = 0;
  private lastEventsAtMs = -Infinity;
  private lastNewsAtMs = -Infinity;
  /** Settling brought no event for `settleQuietMs`: the stack is held open, not about to go live. */
  private settledQuietly = false;

  constructor(private readonly timing: PollTiming) {
    this.intervalMs = timing.minMs;
  }

  /** What the next poll reads, at `nowMs`. */
  plan(view: RolloutView, nowMs: number): PollPlan {
    const phase = this.phaseFor(view, nowMs);
    switch (phase) {
      case 'booting': {
        const launching = view.instancesInService < view.signalsExpected;
        const group = this.bootPolls % (launching ? LAUNCHING_GROUP_EVERY : BOOT_GROUP_EVERY) === 0;
        this.bootPolls++;
        return { phase, stackFirst: false, events: true, stack: 'on-stack-event', group };
      }
      case 'settling': {
        // The stack completes only after its last resource: until then, the events say when.
        if (view.resourcesInProgress > 0) return { phase, stackFirst: false, events: true, stack: 'on-stack-event', group: false };
        const events = nowMs - this.lastEventsAtMs >= SETTLE_EVENTS_EVERY * this.timing.minMs;
        return { phase, stackFirst: true, events, stack: 'always', group: false };
      }
      case 'baking':
      case 'cleanup':
        return { phase, stackFirst: false, events: true, stack: 'on-stack-event', group: false };
      case 'changing':
        return { phase, stackFirst: false, events: true, stack: 'always', group: view.newGroupKnown && !view.live && isInProgress(view.status) };
    }
  }

  /** The sleep before the next poll, from what this poll brought and the rollout as it is now. */
  after(plan: PollPlan, news: PollNews, view: RolloutView): number {
    if (plan.events) this.lastEventsAtMs = news.atMs;
    if (news.events) {
      this.lastNewsAtMs = news.atMs;
      this.settledQuietly = false;
    }
    const { minMs, maxMs, bootMs, settleMs } = this.timing;
    switch (this.phaseFor(view, news.atMs)) {
      case 'settling':
        return view.resourcesInProgress > 0 ? minMs : settleMs;
      case 'baking':
        return Math.max(minMs, Math.min(BAKE_POLL_MS, view.bakeEndsAtMs! - BAKE_END_LEAD_MS - news.atMs));
      case 'booting':
        // Signals come close together: after one, look again soon for the rest.
        this.intervalMs = news.signalled ? minMs : Math.min(bootMs, Math.round(this.intervalMs * 1.5));
        return this.intervalMs;
      default:
        this.intervalMs = news.any ? minMs : Math.min(maxMs, Math.round(this.intervalMs * 1.5));
        return this.intervalMs;
    }
  }

  /** After a cancel is sent: look again soon. */
  hurry(): void {
    this.intervalMs = this.timing.minMs;
  }

  private phaseFor(view: RolloutView, nowMs: number): PollingPhase {
    let phase = pollingPhase(view);
    if (phase === 'settling' && view.bakeEndsAtMs !== undefined && nowMs < view.bakeEndsAtMs - BAKE_END_LEAD_MS) phase = 'baking';
    if (phase === 'settling' && this.phase === 'settling' && nowMs - this.lastNewsAtMs >= this.timing.settleQuietMs) this.settledQuietly = true;
    // E.g. an update held open to watch its rollback triggers' alarms: not about to go live.
    if (phase === 'settling' && this.settledQuietly) phase = 'changing';
    if (phase !== this.phase) {
      this.phase = phase;
      this.bootPolls = 0;
      if (phase === 'settling') this.lastNewsAtMs = nowMs;
      if (phase !== 'booting') this.intervalMs = this.timing.minMs;
    }
    return phase;
  }
}

/** An operation still going forward (not rolling back, cleaning up or finished). */
function isForward(status: string): boolean {
  return status === 'UPDATE_IN_PROGRESS' || status === 'CREATE_IN_PROGRESS';
}
