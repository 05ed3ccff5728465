/**
 * `shipper logs --follow`: read, hand over what is new, sleep, read again from a little before
 * the newest event seen, until the signal stops it. CloudWatch Logs can make an event readable
 * after later ones (each instance's router flushes on its own), so every read overlaps the last
 * one and events already shown are recognised by their eventId.
 */
import type { DeployContext } from '../deploy/context.js';
import { readLogs, type LogLine, type LogQuery } from './read.js';

export interface FollowOptions {
  /** Between two reads (default two seconds). */
  pollMs?: number;
  /** How far back each read reaches before the newest event seen (default 30 seconds). */
  overlapMs?: number;
  /** Stops the follow (Ctrl-C): the loop ends after the read or sleep in progress. */
  signal?: AbortSignal;
}

export const DEFAULT_FOLLOW_POLL_MS = 2000;
const DEFAULT_OVERLAP_MS = 30_000;

export async function followLogs(ctx: DeployContext, query: LogQuery, startTime: number, onLines: (lines: LogLine[]) => void, options: FollowOptions = {}): Promise<void> {
  const pollMs = options.pollMs ?? DEFAULT_FOLLOW_POLL_MS;
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const signal = options.signal;
  const seen = new Map<string, number>();
  let from = startTime;
  let newest = startTime;
  while (!signal?.aborted) {
    let lines: LogLine[];
    try {
      lines = await readLogs(ctx, query, from, signal);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    if (signal?.aborted) return;
    const fresh = lines.filter((line) => !seen.has(line.eventId));
    for (const line of fresh) seen.set(line.eventId, line.time.getTime());
    if (fresh.length) onLines(fresh);
    for (const line of lines) newest = Math.max(newest, line.time.getTime());
    from = Math.max(startTime, newest - overlapMs);
    // Only events inside the overlap can come back: forget the older ones.
    for (const [id, at] of seen) if (at < from) seen.delete(id);
    await ctx.clock.sleep(pollMs, signal);
  }
}
