/**
 * Follow one stack operation to its outcome: poll its events, the stack status and the new
 * group, and turn them into progress events. What each poll reads and how long the loop sleeps
 * is poll-pacing.ts's decision, from what the rollout knows. Success comes from DescribeStacks
 * (never from the event stream); events are polled once more at the end so late failures are shown.
 * Interrupts and the --timeout cancel an update, which CloudFormation then rolls back.
 */
import type { Stack, StackEvent } from '@aws-sdk/client-cloudformation';
import { DetachedError } from '../errors.js';
import { LogicalIds } from '../compose/template.js';
import type { StackEventPoller } from '../stack-events/poller.js';
import { stackEventReport } from '../stack-events/event-report.js';
import { isInProgress, isSuccessfulLive, isTerminal } from '../stack-events/status.js';
import { failedInstanceIds } from '../stack-events/root-cause.js';
import type { Cancellation } from '../report/events.js';
import type { BakePlan } from '../bake/plan.js';
import type { BakeBreach } from '../report/events.js';
import { BakeWatch } from './bake-watch.js';
import { BootLogReader } from './boot-logs.js';
import { aws, elapsedSeconds, type DeployContext } from './context.js';
import { DEFAULT_POLL, PollPacer, type PollTiming, type RolloutView } from './poll-pacing.js';
import { RolloutState } from './rollout-state.js';
import { describeGroup, describeStack } from './stack-state.js';

export { DEFAULT_POLL, type PollTiming } from './poll-pacing.js';

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
  poll?: Partial<PollTiming>;
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
  /** The alarm whose breach rolled the update back (or the trigger alarm that was missing). */
  bakeBreach?: BakeBreach;
}

export async function followOperation(ctx: DeployContext, req: FollowRequest): Promise<FollowResult> {
  const pacer = new PollPacer({ ...DEFAULT_POLL, ...req.poll });
  const state = new RolloutState(req.oldGroupName);
  const stackRef = req.stackId ?? req.stackName;
  let stack: Stack | undefined;
  let live = false;
  let cancelled: FollowResult['cancelled'];
  let cancelNoticeGiven = false;
  let cancellation: Cancellation | undefined;
  const bootLogs = new BootLogReader(ctx.clients.logs, ctx.clock, req.bootLogGroup);
  // Shows the bake and explains a breach (bake-watch.ts).
  const bake = req.bake ? new BakeWatch(ctx, req.bake, { stackName: req.stackName, startedAt: req.startedAt, expectedSignals: req.expectedSignals }) : undefined;
  const done = (final: Stack): FollowResult => ({ stack: final, state, live, cancelled, bootLogs, cancellation, ...(bake?.breach ? { bakeBreach: bake.breach } : {}) });
  // The --timeout is for the new group to get in service; a bake's declared length comes on top.
  const timedOut = () => req.deadline !== undefined && ctx.clock.now() >= req.deadline && !bake?.bakingOrDone;
  const readStack = async (): Promise<Stack> => {
    const read = await describeStack(ctx, stackRef);
    if (!read) throw new Error(`stack ${req.stackName} disappeared while it was being followed`);
    return read;
  };

  for (;;) {
    if (ctx.detach?.aborted) {
      throw new DetachedError(`stopped following ${req.stackName}; CloudFormation carries on with the operation by itself`, {
        hint: `re-attach with: ${req.attachHint ?? 'shipper watch --env <env>'}`,
      });
    }
    const cancelDue = !cancelled && !live && (ctx.interrupt?.aborted || timedOut());
    const plan = pacer.plan(rolloutView(req, state, stack, live, Boolean(cancelled), bake), ctx.clock.now().getTime());
    const signalsBefore = signalCount(state);
    // The status is read on every poll unless the plan trusts the events to say when it moved;
    // a cancel about to be sent always wants it fresh.
    const statusWanted = plan.stack === 'always' || !stack || cancelDue;
    if (plan.stackFirst && statusWanted) stack = await readStack();
    const fresh = plan.events ? await pollEvents(ctx, req, state) : [];
    // Read now: a failed first create deletes the log group with the rest of the stack.
    if (fresh.length > 0) await bootLogs.capture(failedInstanceIds(state.events));
    const eventsAfterStatus = plan.stackFirst && plan.events;
    if (!plan.stackFirst && (statusWanted || fresh.some((e) => isStackEvent(req, e)))) stack = await readStack();
    const current = stack!;
    const status = current.StackStatus ?? '';

    let changed = fresh.length > 0;
    if (state.newGroupName && !live && isInProgress(status)) {
      if (plan.group) await pollGroup(ctx, state, req.expectedSignals);
      changed = reportProgress(ctx, req, state) || changed;
    }
    if (bake && !live) changed = (await bake.observe(current, state)) || changed;

    if (live && ctx.interrupt?.aborted) {
      // Already live: an interrupt during --wait-cleanup only stops waiting for the cleanup.
      ctx.reporter.emit({ type: 'info', message: 'stopped waiting for the cleanup; CloudFormation deletes the old group by itself' });
      return done(current);
    }
    if (!live && isSuccessfulLive(status)) {
      live = true;
      // Events read after this status already hold everything up to it.
      if (!eventsAfterStatus) await pollEvents(ctx, req, state);
      req.onLive?.(current);
      if (!req.waitCleanup || status !== 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') return done(current);
    }
    if (isTerminal(status)) {
      await pollEvents(ctx, req, state);
      return done(current);
    }

    if (!cancelled && !live) {
      const reason = ctx.interrupt?.aborted ? 'interrupt' : timedOut() ? 'timeout' : undefined;
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
        pacer.hurry();
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

    const news = { atMs: ctx.clock.now().getTime(), events: fresh.length > 0, any: changed, signalled: signalCount(state) > signalsBefore };
    let interval = pacer.after(plan, news, rolloutView(req, state, current, live, Boolean(cancelled), bake));
    // Never sleep past the --timeout: the cancel is due the moment it passes.
    const untilDeadline = req.deadline && !cancelled && !live ? req.deadline.getTime() - ctx.clock.now().getTime() : 0;
    if (untilDeadline > 0) interval = Math.min(interval, untilDeadline);
    // Wake early on Ctrl-C; once the cancel is sent, only a second Ctrl-C should wake us.
    const wake = cancelled || cancelNoticeGiven ? ctx.detach : anySignal(ctx.interrupt, ctx.detach);
    await ctx.clock.sleep(interval, wake);
  }
}

/** What the pacer needs to know, from what the APIs said so far. */
function rolloutView(req: FollowRequest, state: RolloutState, stack: Stack | undefined, live: boolean, cancelling: boolean, bake?: BakeWatch): RolloutView {
  const signals = state.signals;
  const groupEvents = state.newGroupName ? state.events.filter((e) => e.LogicalResourceId === LogicalIds.autoScalingGroup && e.PhysicalResourceId === state.newGroupName) : [];
  return {
    status: stack?.StackStatus ?? '',
    live,
    cancelling,
    newGroupKnown: state.newGroupName !== undefined,
    signalsExpected: req.expectedSignals,
    signalsSucceeded: signals.success,
    failed: signals.failure > 0 || state.events.some((e) => (e.ResourceStatus ?? '').endsWith('_FAILED')),
    groupComplete: groupEvents.some((e) => e.ResourceStatus === 'CREATE_COMPLETE' || e.ResourceStatus === 'UPDATE_COMPLETE'),
    resourcesInProgress: resourcesInProgress(req, state.events),
    instancesInService: state.instances.filter((i) => i.lifecycleState === 'InService').length,
    ...(bake?.baking ? { bakeEndsAtMs: bake.endsAtMs } : {}),
  };
}

/** Resources whose newest event is *_IN_PROGRESS, the stack itself aside. */
function resourcesInProgress(req: FollowRequest, events: StackEvent[]): number {
  const latest = new Map<string, string>();
  for (const e of events) if (!isStackEvent(req, e)) latest.set(e.LogicalResourceId ?? '', e.ResourceStatus ?? '');
  return [...latest.values()].filter((status) => status.endsWith('_IN_PROGRESS')).length;
}

function signalCount(state: RolloutState): number {
  const { success, failure } = state.signals;
  return success + failure;
}

/** An event of the stack itself: its status moved. */
function isStackEvent(req: FollowRequest, e: StackEvent): boolean {
  return e.ResourceType === 'AWS::CloudFormation::Stack' && e.LogicalResourceId === req.stackName;
}

async function pollEvents(ctx: DeployContext, req: FollowRequest, state: RolloutState): Promise<StackEvent[]> {
  const events = await req.poller.poll();
  state.addEvents(events);
  for (const e of events) {
    ctx.reporter.emit(stackEventReport(e, req.startedAt, isStackEvent(req, e), ctx.clock.now()));
  }
  return events;
}

/** Reads the new group's instances and its failed scaling activities into the state. */
async function pollGroup(ctx: DeployContext, state: RolloutState, expectedSignals: number): Promise<void> {
  const groupName = state.newGroupName!;
  const group = await describeGroup(ctx, groupName);
  state.updateGroup(group);
  // Scaling activities explain launches that fail; once every instance is in service they can
  // only repeat what we know, so read them then only now and again.
  const launching = state.instances.filter((i) => i.lifecycleState === 'InService').length < expectedSignals;
  if (launching || state.groupPolls++ % 4 === 0) {
    const activities = await aws(ctx, () => ctx.clients.autoScaling.describeScalingActivities({ AutoScalingGroupName: groupName, MaxRecords: 20 }));
    for (const activity of state.addActivities(activities.Activities ?? [])) {
      ctx.reporter.emit({ type: 'group.activity-failed', groupName, activity });
    }
  }
}

/** The new group's picture (signals from the events, instances from the last group read), when it changed. */
function reportProgress(ctx: DeployContext, req: FollowRequest, state: RolloutState): boolean {
  const signals = state.signals;
  if (!state.progressChanged(signals.success)) return false;
  ctx.reporter.emit({
    type: 'group.progress',
    groupName: state.newGroupName!,
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
