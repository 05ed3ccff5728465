/**
 * CloudWatch Logs, as far as failure reports read it: log groups holding streams of events,
 * and GetLogEvents. As the API reference documents it
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html):
 * without startFromHead the newest events are returned (at most `limit`), oldest first, and a
 * missing group or stream is a ResourceNotFoundException. A call can also be made to hang
 * (a stalled connection) until the caller aborts it.
 */
import type * as logs from '@aws-sdk/client-cloudwatch-logs';
import { awsError } from '../../src/aws/api.js';
import type { FakeClock } from './clock.js';

interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export class SimLogs {
  private readonly groups = new Map<string, Map<string, StoredEvent[]>>();
  /** Every GetLogEvents call, as asked. */
  readonly reads: logs.GetLogEventsCommandInput[] = [];
  /** When set, GetLogEvents answers only when aborted (then with an AbortError). */
  stall = false;

  constructor(private readonly clock: FakeClock) {}

  private readonly tags = new Map<string, Record<string, string>>();

  createGroup(name: string, tags?: Record<string, string>): this {
    if (!this.groups.has(name)) this.groups.set(name, new Map());
    if (tags) this.tags.set(name, { ...tags });
    return this;
  }

  deleteGroup(name: string): void {
    this.groups.delete(name);
    this.tags.delete(name);
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** DescribeLogGroups by prefix; `arn` ends in ":*", `logGroupArn` does not (as the API reference documents). */
  async describeLogGroups(input: logs.DescribeLogGroupsCommandInput): Promise<Omit<logs.DescribeLogGroupsCommandOutput, '$metadata'>> {
    const names = [...this.groups.keys()].filter((n) => n.startsWith(input.logGroupNamePrefix ?? '')).sort();
    return { logGroups: names.map((logGroupName) => ({ logGroupName, arn: `${this.arnOf(logGroupName)}:*`, logGroupArn: this.arnOf(logGroupName) })) };
  }

  async listTagsForResource(input: logs.ListTagsForResourceCommandInput): Promise<Omit<logs.ListTagsForResourceCommandOutput, '$metadata'>> {
    const name = [...this.groups.keys()].find((n) => this.arnOf(n) === input.resourceArn);
    if (!name) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return { tags: { ...this.tags.get(name) } };
  }

  async deleteLogGroup(input: logs.DeleteLogGroupCommandInput): Promise<Omit<logs.DeleteLogGroupCommandOutput, '$metadata'>> {
    if (!this.groups.has(input.logGroupName ?? '')) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    this.deleteGroup(input.logGroupName!);
    return {};
  }

  private arnOf(name: string): string {
    return `arn:aws:logs:eu-west-1:123456789012:log-group:${name}`;
  }

  /** What an instance's boot script does on FAILURE: one event per line, oldest first. */
  putLines(group: string, stream: string, lines: string[]): void {
    const streams = this.groups.get(group);
    if (!streams) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    const events = streams.get(stream) ?? [];
    const now = this.clock.nowMs();
    events.push(...lines.map((message) => ({ timestamp: now, message, ingestionTime: now })));
    streams.set(stream, events);
  }

  async getLogEvents(input: logs.GetLogEventsCommandInput, options?: { abortSignal?: AbortSignal }): Promise<Omit<logs.GetLogEventsCommandOutput, '$metadata'>> {
    this.reads.push(input);
    if (this.stall) {
      await new Promise<void>((_, reject) => {
        const fail = () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
        if (options?.abortSignal?.aborted) fail();
        options?.abortSignal?.addEventListener('abort', fail, { once: true });
      });
    }
    const streams = this.groups.get(input.logGroupName ?? '');
    if (!streams) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    const events = streams.get(input.logStreamName ?? '');
    if (!events) throw awsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const limit = Math.min(input.limit ?? 10_000, 10_000);
    const chosen = input.startFromHead ? events.slice(0, limit) : events.slice(-limit);
    return { events: chosen.map((e) => ({ ...e })), nextForwardToken: 'f/sim', nextBackwardToken: 'b/sim' };
  }
}
