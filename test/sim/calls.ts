/** Counts API calls by name (`cloudFormation.describeStackEvents`), for benchmarks and assertions. */

export class CallCounter {
  private counts = new Map<string, number>();

  record(call: string): void {
    this.counts.set(call, (this.counts.get(call) ?? 0) + 1);
  }

  /** Calls of one API (`describeStackEvents` or `cloudFormation.describeStackEvents`). */
  count(call: string): number {
    let total = 0;
    for (const [name, n] of this.counts) if (name === call || name.endsWith(`.${call}`)) total += n;
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

  reset(): void {
    this.counts.clear();
  }
}
