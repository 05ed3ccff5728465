/**
 * Counts API calls by name (`cloudFormation.describeStackEvents`), for benchmarks and assertions,
 * and logs when each one reached the service (simulated time), so a test can read the pacing of
 * a poll loop from the calls themselves.
 */

export interface LoggedCall {
  call: string;
  /** Simulated epoch milliseconds at which the service answered (after the request's half of the latency). */
  atMs: number;
}

export class CallCounter {
  private counts = new Map<string, number>();
  private readonly entries: LoggedCall[] = [];

  record(call: string, atMs?: number): void {
    this.counts.set(call, (this.counts.get(call) ?? 0) + 1);
    if (atMs !== undefined) this.entries.push({ call, atMs });
  }

  /** Calls of one API (`describeStackEvents` or `cloudFormation.describeStackEvents`). */
  count(call: string): number {
    let total = 0;
    for (const [name, n] of this.counts) if (matches(name, call)) total += n;
    return total;
  }

  total(): number {
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Every call in order, or only those of one API, with the simulated time it was answered. */
  log(call?: string): LoggedCall[] {
    return this.entries.filter((e) => call === undefined || matches(e.call, call));
  }

  reset(): void {
    this.counts.clear();
    this.entries.length = 0;
  }
}

function matches(name: string, call: string): boolean {
  return name === call || name.endsWith(`.${call}`);
}
