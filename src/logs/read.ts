/**
 * Reading the service's log group: one FilterLogEvents query (all its pages) from a start time,
 * narrowed to the streams a container/instance filter names, turned into lines oldest first.
 */
import type { FilterLogEventsCommandInput, FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { aws, type DeployContext } from '../deploy/context.js';
import { PreflightError } from '../errors.js';
import { BOOT_CONTAINER, bootStreamName, containerStreamName, eventOrigin } from './origin.js';
import { BOOT_LOG_STREAM_PREFIX } from '../compose/boot-log.js';

export interface LogQuery {
  logGroupName: string;
  stackName: string;
  region: string;
  container?: string;
  instance?: string;
  /** The app's lines go elsewhere (Splunk): read the boot streams only. */
  bootOnly?: boolean;
}

export interface LogLine {
  time: Date;
  instance?: string;
  container: string;
  message: string;
  eventId: string;
}

/** Every event from `startTime` on (milliseconds since the epoch), oldest first. */
export async function readLogs(ctx: DeployContext, query: LogQuery, startTime: number, signal?: AbortSignal): Promise<LogLine[]> {
  const filter = ctx.clients.logs?.filterLogEvents?.bind(ctx.clients.logs);
  if (!filter) throw new Error('no CloudWatch Logs client to read the log group with');
  const lines: LogLine[] = [];
  let nextToken: string | undefined;
  do {
    const input: FilterLogEventsCommandInput = { logGroupName: query.logGroupName, startTime, ...streamSelection(query), ...(nextToken ? { nextToken } : {}) };
    const page = await aws(ctx, () => filter(input, { abortSignal: signal })).catch((err: unknown) => {
      throw explain(err, query);
    });
    for (const event of page.events ?? []) {
      const line = toLine(event, query);
      if (line && matches(line, query)) lines.push(line);
    }
    nextToken = page.nextToken;
  } while (nextToken && !signal?.aborted);
  // Stable: events of one timestamp keep the order CloudWatch gave them.
  return lines.sort((a, b) => a.time.getTime() - b.time.getTime());
}

/**
 * The streams to ask for, always by prefix: FilterLogEvents answers a `logStreamNames` entry that
 * does not exist (an instance without a boot log, a container that never wrote) with
 * ResourceNotFoundException "The specified log stream does not exist", where a prefix matching
 * nothing is simply no events. `matches` then keeps the exact container and instance.
 */
function streamSelection(query: LogQuery): Pick<FilterLogEventsCommandInput, 'logStreamNamePrefix'> {
  const wantsBoot = query.bootOnly || query.container === BOOT_CONTAINER;
  if (wantsBoot) return { logStreamNamePrefix: query.instance ? bootStreamName(query.instance) : BOOT_LOG_STREAM_PREFIX };
  if (query.container) return { logStreamNamePrefix: containerStreamName(query.stackName, query.container) };
  return {};
}

function toLine(event: FilteredLogEvent, query: LogQuery): LogLine | undefined {
  if (event.timestamp === undefined || !event.logStreamName) return undefined;
  const origin = eventOrigin(event.logStreamName, event.message ?? '', query.stackName);
  return {
    time: new Date(event.timestamp),
    ...(origin.instance ? { instance: origin.instance } : {}),
    container: origin.container,
    message: origin.message,
    eventId: event.eventId ?? `${event.logStreamName}/${event.timestamp}/${event.message ?? ''}`,
  };
}

/** The instance of a routed line is in its record, not its stream: filtered here. */
function matches(line: LogLine, query: LogQuery): boolean {
  if (query.instance && line.instance !== query.instance) return false;
  if (query.container && line.container !== query.container) return false;
  return true;
}

function explain(err: unknown, query: LogQuery): unknown {
  if (err instanceof Error && err.name === 'ResourceNotFoundException' && /log group/i.test(err.message)) {
    return new PreflightError(`log group ${query.logGroupName} does not exist in ${query.region}`, {
      hint: `the stack creates it on its first deploy (shipper deploy --env ...); check --env and that the credentials are for the right account`,
      cause: err,
    });
  }
  return err;
}
