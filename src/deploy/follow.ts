/**
 * Follow one stack operation to its outcome: poll its events, the stack status and the new
 * group, and turn them into progress events. Success comes from DescribeStacks (never from the
 * event stream); events are polled once more at the end so late failures are shown.
 * Interrupts and the --timeout cancel an update, which CloudFormation then rolls back.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import { DetachedError } from '../errors.js';
import type { StackEventPoller } from '../stack-events/poller.js';
import { isInProgress, isSuccessfulLive, isTerminal } from '../stack-events/status.js';
import { failedInstanceIds } from '../stack-events/root-cause.js';
import type { Cancellation } from '../report/events.js';
import type { BakePlan } from '../bake/plan.js';
import { BootLogReader } from './boot-logs.js';
import { aws, elapsedSeconds, type DeployContext } from './context.js';
import { RolloutState } from './rollout-state.js';
import { describeGroup, describeStack } from './stack-state.js';

export interface PollTiming {
  /** Interval while things change. */
  minMs: number;
  /** Interval after a long quiet spell (signals take minutes); never more. */
  maxMs: number;
}

export const DEFAULT_POLL: PollTiming = { minMs: 1000, maxMs: 5000 };

export interface FollowRequest {
  stackName: string;
  /** The stack id once known: it keeps answering after a failed create deletes the stack. */
  stackId?: string;
  poller: StackEventPoller;
  startedAt: Date;
  oldGroupName?: string;
  expectedSignals: number;
  /** Keep following through cleanup to UPDATE_COMPLETE. */
  waitCleanup: boolean;
  /** Cancel the update if the new group is not live by then. */
  deadline?: Date;
  /** How to follow the operation again after leaving it, e.g. `shipper watch --env test`. */
  attachHint?: string;
  /** Called once, the moment the new release is live. */
  onLive?: (stack: Stack) => void;
  poll?: PollTiming;
  /** The log group failed instances copy their boot log to (see boot-logs.ts). */
  bootLogGroup?: string;
  /** The bake CloudFormation runs after the new group is in service (monitoring time, alarms); absent without one. */
  bake?: BakePlan;
}

export interface FollowResult {
  stack: Stack;
  state: RolloutState;
  live: boolean;
  cancelled?: 'interrupt' | 'timeout';
  /** Failed instances' boot logs, read the moment they signalled FAILURE (the rollback terminates them). */
  bootLogs?: BootLogReader;
  /** What cancelled the update, when `cancelled` is set. */
  cancellation?: Cancellation;
}

export async function followOperation(ctx: DeployContext, req: FollowRequest): Promise<FollowResult> {
  const timing = req.poll ?? DEFAULT_POLL;
  const state = new RolloutState(req.oldGroupName);
  const stackRef = req.stackId ?? req.stackName;
  let interval = timing.minMs;
  let live = false;
  let cancelled: FollowResult['cancelled'];
  let cancelNoticeGiven = false;
  let cancellation: Cancellation | undefined;
  const bootLogs = new BootLogReader(ctx.clients.logs, ctx.clock, req.bootLogGroup);
  const done = (stack: Stack): FollowResult => ({ stack, state, live, cancelled, bootLogs, cancellation });

  for (;;) {
    if (ctx.detach?.aborted) {
      throw new DetachedError(`stopped following ${req.stackName}; CloudFormation carries on with the operation by itself`, {
        hint: `re-attach with: ${req.attachHint ?? 'shipper watch --env <env>'}`,
      });
    }
    const fresh = await pollEvents(ctx, req, state);
    // Read now: a failed first create deletes the log group with the rest of the stack.
    if (fresh > 0) await bootLogs.capture(failedInstanceIds(state.events));
    const stack = await describeStack(ctx, stackRef);
    if (!stack) throw new Error(`stack ${req.stackName} disappeared while it was being followed`);
    const status = stack.StackStatus ?? '';

    let changed = fresh > 0;
    if (state.newGroupName && !live && isInProgress(status)) changed = (await pollGroup(ctx, req, state)) || changed;

    if (live && ctx.interrupt?.aborted) {
      // Already live: an interrupt during --wait-cleanup only stops waiting for the cleanup.
      ctx.reporter.emit({ type: 'info', message: 'stopped waiting for the cleanup; CloudFormation deletes the old group by itself' });
      return done(stack);
    }
    if (!live && isSuccessfulLive(status)) {
      live = true;
      await pollEvents(ctx, req, state);
      req.onLive?.(stack);
      if (!req.waitCleanup || status !== 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') return done(stack);
    }
    if (isTerminal(status)) {
      await pollEvents(ctx, req, state);
      return done(stack);
    }

    if (!cancelled && !live) {
      const reason = ctx.interrupt?.aborted ? 'interrupt' : req.deadline && ctx.clock.now() >= req.deadline ? 'timeout' : undefined;
      if (reason && status === 'UPDATE_IN_PROGRESS') {
        cancelled = reason;
        cancellation = reason === 'interrupt' ? { by: 'signal', signal: signalName(ctx.interrupt) } : { by: 'timeout', timeoutSeconds: Math.round((req.deadline!.getTime() - req.startedAt.getTime()) / 1000) };
        ctx.reporter.emit({
          type: 'operation.cancelling',
          reason: reason === 'interrupt' ? 'interrupted' : 'the new group was not live within the --timeout',
          cancellation,
        });
        try {
          await aws(ctx, () => ctx.clients.cloudFormation.cancelUpdateStack({ StackName: stackRef }));
        } catch (err) {
          // The update left UPDATE_IN_PROGRESS between our look and the cancel (it went live or
          // is already rolling back): nothing to cancel any more, so follow it to its end.
          if (!(err instanceof Error && err.name === 'ValidationError')) throw err;
          cancelled = undefined;
          cancellation = undefined;
          cancelNoticeGiven = true;
          ctx.reporter.emit({ type: 'warning', message: `the update could no longer be cancelled (${err.message}); following it to the end` });
        }
        interval = timing.minMs;
        continue;
      }
      if (reason && !cancelNoticeGiven) {
        cancelNoticeGiven = true;
        ctx.reporter.emit({
          type: 'warning',
          message: `${status} cannot be cancelled; following it to the end (Ctrl-C again to leave it to finish alone)`,
        });
      }
    }

    interval = changed ? timing.minMs : Math.min(timing.maxMs, Math.round(interval * 1.5));
    // Wake early on Ctrl-C; once the cancel is sent, only a second Ctrl-C should wake us.
    const wake = cancelled || cancelNoticeGiven ? ctx.detach : anySignal(ctx.interrupt, ctx.detach);
    await ctx.clock.sleep(interval, wake);
  }
}

async function pollEvents(ctx: DeployContext, req: FollowRequest, state: RolloutState): Promise<number> {
  const events = await req.poller.poll();
  state.addEvents(events);
  for (const e of events) {
    const timestamp = e.Timestamp ?? ctx.clock.now();
    ctx.reporter.emit({
      type: 'stack.event',
      eventId: e.EventId ?? '',
      timestamp,
      elapsedSeconds: Math.max(0, Math.round((timestamp.getTime() - req.startedAt.getTime()) / 1000)),
      logicalId: e.LogicalResourceId ?? '',
      resourceType: e.ResourceType ?? '',
      status: e.ResourceStatus ?? '',
      reason: e.ResourceStatusReason,
      isStack: e.ResourceType === 'AWS::CloudFormation::Stack' && e.LogicalResourceId === req.stackName,
    });
  }
  return events.length;
}

/** The new group's instances and failed scaling activities; true when anything changed. */
async function pollGroup(ctx: DeployContext, req: FollowRequest, state: RolloutState): Promise<boolean> {
  const groupName = state.newGroupName!;
  const group = await describeGroup(ctx, groupName);
  state.updateGroup(group);
  // Scaling activities explain launches that fail; once every instance is in service they can
  // only repeat what we know, so read them then only now and again.
  const launching = state.instances.filter((i) => i.lifecycleState === 'InService').length < req.expectedSignals;
  if (launching || state.groupPolls++ % 4 === 0) {
    const activities = await aws(ctx, () => ctx.clients.autoScaling.describeScalingActivities({ AutoScalingGroupName: groupName, MaxRecords: 20 }));
    for (const activity of state.addActivities(activities.Activities ?? [])) {
      ctx.reporter.emit({ type: 'group.activity-failed', groupName, activity });
    }
  }
  const signals = state.signals;
  if (!state.progressChanged(signals.success)) return false;
  ctx.reporter.emit({
    type: 'group.progress',
    groupName,
    instances: state.instances,
    signalsReceived: signals.success,
    signalsExpected: req.expectedSignals,
    elapsedSeconds: elapsedSeconds(ctx, req.startedAt),
  });
  return true;
}

/** The interrupt's reason is the signal that caused it (see cli/interrupts.ts); Ctrl-C by default. */
function signalName(interrupt: AbortSignal | undefined): string {
  const reason: unknown = interrupt?.reason;
  return typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason) ? reason : 'SIGINT';
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
