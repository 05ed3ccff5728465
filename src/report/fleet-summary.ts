/**
 * The end of a command over many services: one row per service (in selection order) with its
 * release, how it ended, how long it took and, when it did not succeed, why. Pure.
 */
import type { FleetOutcome, ServiceResult } from '../fleet/events.js';
import { SUCCESSFUL_OUTCOMES } from '../fleet/events.js';
import { type Style, noStyle } from './style.js';
import { alignColumns } from './table.js';
import { formatElapsed } from './time.js';

const OUTCOME_LABELS: Record<FleetOutcome, string> = {
  live: 'live',
  'no-changes': 'no changes',
  planned: 'changes planned',
  shown: 'shown',
  failed: 'failed',
  cancelled: 'cancelled',
  refused: 'refused',
  'not-started': 'not started',
  detached: 'left to CloudFormation',
};

export function outcomeLabel(outcome: FleetOutcome): string {
  return OUTCOME_LABELS[outcome];
}

export function styleOutcome(outcome: FleetOutcome, style: Style, text = outcomeLabel(outcome)): string {
  if (SUCCESSFUL_OUTCOMES.has(outcome)) return style.ok(text);
  if (outcome === 'not-started' || outcome === 'detached') return style.pending(text);
  return style.bad(text);
}

/** `1 service`, `3 services` */
export function servicesCount(n: number): string {
  return `${n} service${n === 1 ? '' : 's'}`;
}

/** `3 services in test: 2 live, 1 failed` */
export function summaryHeadline(results: ServiceResult[], env: string): string {
  const counts = new Map<FleetOutcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, n]) => `${n} ${outcomeLabel(outcome)}`);
  return `${servicesCount(results.length)} in ${env}: ${parts.join(', ')}`;
}

/** The table (after a headline); a long root cause is cut so each row stays one line. */
export function formatFleetSummary(results: ServiceResult[], env: string, style: Style = noStyle, causeWidth = 120): string[] {
  const rows = [['SERVICE', 'RELEASE', 'OUTCOME', 'TIME', 'ROOT CAUSE'].map((h) => style.bold(h))];
  for (const r of results) {
    rows.push([
      r.service,
      r.release !== undefined ? `#${r.release}` : '-',
      styleOutcome(r.outcome, style),
      r.elapsedSeconds !== undefined ? formatElapsed(r.elapsedSeconds) : '-',
      SUCCESSFUL_OUTCOMES.has(r.outcome) ? '' : cut(oneLine(r.rootCause ?? r.message ?? ''), causeWidth),
    ]);
  }
  return [style.bold(summaryHeadline(results, env)), ...alignColumns(rows).map((line) => `  ${line}`)];
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
