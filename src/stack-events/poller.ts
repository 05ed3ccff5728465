/**
 * Reads the events of ONE stack operation. DescribeStackEvents returns the stack's whole history,
 * newest first, ten-odd events a page; a deploy must show only what its own operation did, once
 * each, in order. The poller keeps a fence (the newest event that belongs to an earlier
 * operation), pages back until it meets the fence or what it has already returned, and hands out
 * the new events oldest first. Throttling slows a poll down but never fails it.
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { Clock, CloudFormationApi } from '../aws/api.js';
import { withThrottleRetry, type RetryOptions } from '../aws/retry.js';
import { OPERATION_START_STATUSES } from './status.js';

export interface StackEventPollerOptions {
  cloudFormation: CloudFormationApi;
  /** Name or stack id. Prefer the id once known: it still answers after the stack is deleted. */
  stackName: string;
  clock: Clock;
  /**
   * EventId of the newest event that is NOT part of this operation; `undefined` means every
   * event is (a first create).
   */
  fenceEventId: string | undefined;
  /**
   * The command's retry options (`retryOptions(ctx)`). Attempts are unlimited unless these set
   * them: a poll that gave up would stop following an update that is still running.
   */
  retry?: RetryOptions;
}

export class StackEventPoller {
  private readonly cfn: CloudFormationApi;
  private readonly stackName: string;
  private readonly clock: Clock;
  private readonly fenceEventId: string | undefined;
  private readonly retry: RetryOptions;
  private readonly seen = new Set<string>();
  /** Newest event already returned: paging can stop there. */
  private highWater: string | undefined;

  constructor(opts: StackEventPollerOptions) {
    this.cfn = opts.cloudFormation;
    this.stackName = opts.stackName;
    this.clock = opts.clock;
    this.fenceEventId = opts.fenceEventId;
    this.retry = { maxAttempts: Infinity, ...opts.retry };
  }

  /**
   * For an operation about to start: fence at the newest event that exists now. A stack that
   * does not exist yet has no history, so everything will be new.
   */
  static async beforeOperation(opts: Omit<StackEventPollerOptions, 'fenceEventId'>): Promise<StackEventPoller> {
    const retry = { maxAttempts: Infinity, ...opts.retry };
    let fenceEventId: string | undefined;
    try {
      const page = await withThrottleRetry(() => opts.cloudFormation.describeStackEvents({ StackName: opts.stackName }), opts.clock, retry);
      fenceEventId = page.StackEvents?.[0]?.EventId;
    } catch (err) {
      if (!(err instanceof Error && err.name === 'ValidationError' && /does not exist/i.test(err.message))) throw err;
    }
    return new StackEventPoller({ ...opts, fenceEventId });
  }

  /**
   * For re-attaching to an operation already running (or just finished): the operation starts
   * at the newest stack-level event that is either a "User Initiated" *_IN_PROGRESS or has a
   * status that opens an operation (CREATE/UPDATE/DELETE/IMPORT_IN_PROGRESS). Its events,
   * including that start, are what the poller returns.
   */
  static async attachToCurrentOperation(opts: Omit<StackEventPollerOptions, 'fenceEventId'>): Promise<StackEventPoller> {
    const retry = { maxAttempts: Infinity, ...opts.retry };
    const walked: StackEvent[] = [];
    let startIndex = -1;
    let token: string | undefined;
    do {
      const page = await withThrottleRetry(
        () => opts.cloudFormation.describeStackEvents({ StackName: opts.stackName, NextToken: token }),
        opts.clock,
        retry,
      );
      walked.push(...(page.StackEvents ?? []));
      if (startIndex < 0) startIndex = walked.findIndex(startsOperation);
      token = page.NextToken;
      // Keep paging until the event just older than the start is known (it is the fence).
    } while (token && (startIndex < 0 || startIndex + 1 >= walked.length));
    const fenceEventId = startIndex < 0 ? undefined : walked[startIndex + 1]?.EventId;
    return new StackEventPoller({ ...opts, fenceEventId });
  }

  /** New events of this operation since the last poll, oldest first. */
  async poll(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    let token: string | undefined;
    let reachedKnown = false;
    do {
      const page = await withThrottleRetry(
        () => this.cfn.describeStackEvents({ StackName: this.stackName, NextToken: token }),
        this.clock,
        this.retry,
      );
      for (const event of page.StackEvents ?? []) {
        const id = event.EventId;
        if (id !== undefined && (id === this.fenceEventId || id === this.highWater)) {
          reachedKnown = true;
          break;
        }
        if (id !== undefined && this.seen.has(id)) continue;
        fresh.push(event);
      }
      token = page.NextToken;
    } while (token && !reachedKnown);
    // Commit only after the whole poll succeeded, so a failed call never loses events.
    fresh.reverse();
    for (const event of fresh) if (event.EventId !== undefined) this.seen.add(event.EventId);
    const newest = fresh[fresh.length - 1]?.EventId;
    if (newest !== undefined) this.highWater = newest;
    return fresh;
  }
}

function isStackLevel(event: StackEvent): boolean {
  return event.ResourceType === 'AWS::CloudFormation::Stack' && event.PhysicalResourceId === event.StackId;
}

function startsOperation(event: StackEvent): boolean {
  if (!isStackLevel(event)) return false;
  const status = event.ResourceStatus ?? '';
  return (status.endsWith('_IN_PROGRESS') && event.ResourceStatusReason === 'User Initiated') || OPERATION_START_STATUSES.has(status);
}
