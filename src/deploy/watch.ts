/**
 * `shipper watch`: attach to the operation in progress on a stack (a deploy whose CLI was
 * killed, or one started elsewhere) and follow it to its outcome, exactly as deploy would.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { PreflightError } from '../errors.js';
import { StackEventPoller } from '../stack-events/poller.js';
import { isInProgress } from '../stack-events/status.js';
import { verifyAccount } from './account.js';
import { announceLive, concludeOperation } from './conclude.js';
import { bootLogGroupOf } from './boot-logs.js';
import { retryOptions, type DeployContext } from './context.js';
import { followOperation, type PollTiming } from './follow.js';
import { describeStack, liveImage } from './stack-state.js';
import type { DeployJournal } from './journal.js';
import { targetFlags } from '../instances/flags.js';
import { bakePlanOfStack } from '../bake/from-stack.js';

export interface WatchRequest {
  target: ServiceEnvironment;
  /** Records the outcome of the release being followed, given the digest the stack deploys. */
  journalFor?: (digest: string | undefined) => DeployJournal;
  waitCleanup?: boolean;
  poll?: PollTiming;
}

/** Returns false when nothing was in progress (after saying so). */
export async function runWatch(deployCtx: DeployContext, req: WatchRequest): Promise<boolean> {
  // watch only attaches: an interrupt stops following, it never cancels someone else's update.
  const leave = [deployCtx.interrupt, deployCtx.detach].filter((s): s is AbortSignal => s !== undefined);
  const ctx: DeployContext = { ...deployCtx, interrupt: undefined, detach: leave.length > 1 ? AbortSignal.any(leave) : leave[0] };
  const { stackName } = req.target;
  await verifyAccount(ctx, req.target);
  const stack = await describeStack(ctx, stackName);
  if (!stack) throw new PreflightError(`stack ${stackName} does not exist`, { hint: `deploy it first: shipper deploy ${targetFlags(req.target)} --image-tag TAG` });
  const status = stack.StackStatus ?? '';
  if (!isInProgress(status) || (status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' && !req.waitCleanup)) {
    ctx.reporter.emit({ type: 'watch.idle', stackName, status });
    return false;
  }
  const deploying = liveImage(stack).digest;
  const poller = await StackEventPoller.attachToCurrentOperation({ cloudFormation: ctx.clients.cloudFormation, stackName, clock: ctx.clock, retry: retryOptions(ctx) });
  // Replay the operation so far, so the view matches what the deploy itself would have shown.
  ctx.reporter.emit({ type: 'phase', phase: 'rollout', title: `Following ${stackName} (${status})` });
  const startedAt = stack.LastUpdatedTime ?? stack.CreationTime ?? ctx.clock.now();
  ctx.reporter.emit({ type: 'operation.started', stackName, operation: status.startsWith('CREATE') ? 'create' : 'update', startedAt });
  const result = await followOperation(ctx, {
    stackName,
    stackId: stack.StackId,
    poller,
    startedAt,
    expectedSignals: Number(stack.Parameters?.find((p) => p.ParameterKey === 'DesiredCapacity')?.ParameterValue ?? req.target.service.capacity.desired),
    waitCleanup: Boolean(req.waitCleanup),
    poll: req.poll,
    attachHint: `shipper watch ${targetFlags(req.target)}`,
    bootLogGroup: bootLogGroupOf(req.target),
    onLive: (live) => announceLive(ctx, req.target, live, startedAt, req.waitCleanup),
    bake: bakePlanOfStack(stack),
  });
  await concludeOperation(ctx, { target: req.target, result, startedAt, waitCleanup: req.waitCleanup, journal: req.journalFor?.(deploying) });
  return true;
}
