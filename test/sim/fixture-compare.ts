/** Puts simulated events and fixture rows side by side: the same shape, the same timeline. */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { FixtureRow } from './fixture.js';

export interface Row {
  elapsedSeconds: number;
  logicalId: string;
  status: string;
  reason?: string;
}

export function rowsFromEvents(events: StackEvent[]): Row[] {
  const t0 = events[0]!.Timestamp!.getTime();
  return events.map((e) => ({
    elapsedSeconds: (e.Timestamp!.getTime() - t0) / 1000,
    logicalId: e.LogicalResourceId!,
    status: e.ResourceStatus!,
    reason: e.ResourceStatusReason,
  }));
}

/** Reasons compared as patterns: instance ids differ from run to run. */
export function reasonPattern(reason: string | undefined): string {
  return (reason ?? '-').replace(/\bi-[0-9a-f]{8,17}\b/g, 'i-*').replace(/\s+/g, ' ').trim();
}

export function sequenceOf(rows: Row[], logicalId: string): string[] {
  return rows.filter((r) => r.logicalId === logicalId).map((r) => `${r.status} | ${reasonPattern(r.reason)}`);
}

/** Pairs each expected row with the simulated row at the same position in that resource's own sequence. */
export function pairRows(expected: Row[], actual: Row[]): Array<[Row, Row | undefined]> {
  const seen = new Map<string, number>();
  return expected.map((row) => {
    const n = seen.get(row.logicalId) ?? 0;
    seen.set(row.logicalId, n + 1);
    return [row, actual.filter((a) => a.logicalId === row.logicalId)[n]];
  });
}

/** Pairs of expected rows more than `gapSeconds` apart whose simulated counterparts are out of order. */
export function orderViolations(pairs: Array<[Row, Row | undefined]>, gapSeconds: number): string[] {
  const problems: string[] = [];
  for (const [a, simA] of pairs) {
    for (const [b, simB] of pairs) {
      if (b.elapsedSeconds - a.elapsedSeconds <= gapSeconds || !simA || !simB) continue;
      if (simA.elapsedSeconds > simB.elapsedSeconds) {
        problems.push(`${a.logicalId} ${a.status} should precede ${b.logicalId} ${b.status}`);
      }
    }
  }
  return problems;
}

export function mapFixture(rows: FixtureRow[], ids: Record<string, string>): Row[] {
  return rows.map((r) => ({ ...r, logicalId: ids[r.logicalId] ?? r.logicalId }));
}
