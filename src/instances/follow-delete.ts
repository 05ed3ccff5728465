/**
 * Follows one DeleteStack to its end: its events (this operation only, via the stack-event
 * poller) and the stack status by id, which keeps answering once the stack is DELETE_COMPLETE.
 * A delete cannot be cancelled: the first Ctrl-C says so and keeps following; the second leaves
 * CloudFormation to finish alone.
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { isStackMissing } from '../aws/api.js';
import { DetachedError } from '../errors.js';
import { DEFAULT_POLL, type PollTiming } from '../deploy/follow.js';
import type { DeployContext } from '../deploy/context.js';
import { describeStack } from '../deploy/stack-state.js';
import type { StackEventPoller } from '../stack-events/poller.js';
import { stackEventReport } from '../stack-events/event-report.js';
import { isInProgress } from '../stack-events/status.js';

export interface DeleteFollow {
  stackName: string;
  stackId: string;
  poller: StackEventPoller;
  startedAt: Date;
  poll?: PollTiming;
  /** Several deletes at once: each event becomes a line naming its stack, instead of a stack-event row. */
  label?: string;
  /** How to follow it again after leaving, e.g. `shipper list --env test`. */
  attachHint: string;
}

export interface DeleteFollowed {
  finalStatus: string;
  statusReason?: string;
  events: StackEvent[];
}

export async function followDelete(ctx: DeployContext, req: DeleteFollow): Promise<DeleteFollowed> {
  const timing = req.poll ?? DEFAULT_POLL;
  const events: StackEvent[] = [];
  let interval = timing.minMs;
  let warned = false;
  for (;;) {
    if (ctx.detach?.aborted) {
      throw new DetachedError(`stopped following the deletion of ${req.stackName}; CloudFormation carries on by itself`, { hint: `see where it is with: ${req.attachHint}` });
    }
    const fresh = await pollEvents(ctx, req, events);
    const stack = await describeStack(ctx, req.stackId);
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (!isInProgress(status)) {
      await pollEvents(ctx, req, events);
      return { finalStatus: status, statusReason: stack?.StackStatusReason, events };
    }
    if (ctx.interrupt?.aborted && !warned) {
      warned = true;
      ctx.reporter.emit({ type: 'warning', message: `a deletion cannot be cancelled; following ${req.stackName} to the end (Ctrl-C again to leave it to finish alone)` });
    }
    interval = fresh > 0 ? timing.minMs : Math.min(timing.maxMs, Math.round(interval * 1.5));
    await ctx.clock.sleep(interval, warned ? ctx.detach : (ctx.interrupt ?? ctx.detach));
  }
}

async function pollEvents(ctx: DeployContext, req: DeleteFollow, all: StackEvent[]): Promise<number> {
  // CloudFormation keeps answering for a deleted stack by its id; an endpoint that forgets it
  // at once (moto) has no more events to give.
  const fresh = await req.poller.poll().catch((err: unknown) => {
    if (isStackMissing(err)) return [];
    throw err;
  });
  all.push(...fresh);
  for (const e of fresh) {
    const isStack = e.ResourceType === 'AWS::CloudFormation::Stack' && e.LogicalResourceId === req.stackName;
    if (req.label !== undefined) {
      // Interleaved deletes: only what matters, each line saying whose it is.
      if (isStack || (e.ResourceStatus ?? '').endsWith('_FAILED')) {
        const what = isStack ? '' : ` ${e.LogicalResourceId}`;
        ctx.reporter.emit({ type: 'info', message: `${req.label}:${what} ${e.ResourceStatus}${e.ResourceStatusReason && e.ResourceStatusReason !== 'User Initiated' ? `: ${e.ResourceStatusReason}` : ''}` });
      }
      continue;
    }
    ctx.reporter.emit(stackEventReport(e, req.startedAt, isStack, ctx.clock.now()));
  }
  return fresh.length;
}

