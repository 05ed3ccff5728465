/**
 * The follow loop over a scripted FilterLogEvents: CloudWatch Logs can make an event readable
 * after later ones (each instance's router flushes on its own), so every read reaches back a
 * little and what was shown is recognised by eventId.
 */
import { describe, expect, it } from '@jest/globals';
import type { FilterLogEventsCommandInput, FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../src/aws/api.js';
import type { DeployContext } from '../../src/deploy/context.js';
import { followLogs } from '../../src/logs/follow.js';
import type { LogLine } from '../../src/logs/read.js';

const T0 = Date.parse('2026-12-01T19:00:00Z');
const event = (id: string, at: number): FilteredLogEvent => ({ eventId: id, timestamp: at, logStreamName: 'boot/i-0aaaaaaaaaaaaaaa1', message: id });

describe('followLogs', () => {
  it('shows an event that became readable late (older than one already shown) exactly once, and stops on the signal', async () => {
    // What the log group holds at each read: e2 is written at T0+5s but readable only from the third read.
    const visible = [[event('e1', T0 + 1000), event('e3', T0 + 9000)], [event('e1', T0 + 1000), event('e3', T0 + 9000)], [event('e1', T0 + 1000), event('e2', T0 + 5000), event('e3', T0 + 9000)]];
    const asked: FilterLogEventsCommandInput[] = [];
    const stop = new AbortController();
    let reads = 0;
    const clock: Clock = { now: () => new Date(T0), sleep: async () => (reads === visible.length ? stop.abort() : undefined) };
    const ctx = {
      clock,
      clients: {
        logs: {
          getLogEvents: async () => ({}),
          filterLogEvents: async (input: FilterLogEventsCommandInput) => {
            asked.push(input);
            const events = visible[Math.min(reads++, visible.length - 1)]!.filter((e) => e.timestamp! >= (input.startTime ?? 0));
            return { events };
          },
        },
      },
    } as unknown as DeployContext;
    const shown: LogLine[][] = [];
    await followLogs(ctx, { logGroupName: '/shipper/hello/test', stackName: 'hello-test', region: 'eu-west-1' }, T0, (lines) => shown.push(lines), { signal: stop.signal, overlapMs: 30_000 });
    expect(shown.map((batch) => batch.map((l) => l.message))).toEqual([['e1', 'e3'], ['e2']]);
    expect(reads).toBe(3);
    // Every read starts from the window's start or a little before the newest event, never after it.
    expect(asked.map((a) => a.startTime)).toEqual([T0, T0, T0]);
  });

  it('reads from the newest event less the overlap once the window start is far enough behind', async () => {
    const asked: number[] = [];
    const stop = new AbortController();
    const clock: Clock = { now: () => new Date(T0), sleep: async () => (asked.length === 2 ? stop.abort() : undefined) };
    const ctx = {
      clock,
      clients: { logs: { getLogEvents: async () => ({}), filterLogEvents: async (input: FilterLogEventsCommandInput) => (asked.push(input.startTime!), { events: [event('e1', T0 + 120_000)] }) } },
    } as unknown as DeployContext;
    const shown: string[] = [];
    await followLogs(ctx, { logGroupName: 'g', stackName: 's', region: 'eu-west-1' }, T0, (lines) => shown.push(...lines.map((l) => l.message)), { signal: stop.signal, overlapMs: 30_000 });
    expect(asked).toEqual([T0, T0 + 90_000]);
    expect(shown).toEqual(['e1']);
  });
});
