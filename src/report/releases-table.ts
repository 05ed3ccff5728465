/** `shipper releases`: the history as a table, newest first, with the live one marked. */
import { shortDigest } from '../compose/image.js';
import type { Release } from '../releases/record.js';
import type { Style } from './style.js';
import { alignColumns } from './table.js';
import { formatElapsed, formatWhen } from './time.js';

export function formatReleasesTable(releases: Release[], live: Release | undefined, now: Date, style: Style): string[] {
  if (releases.length === 0) return ['No releases recorded yet. The first `shipper deploy` starts the history.'];
  // The BAKE column appears once a release has run (or skipped) one, so histories without a bake read as before.
  const baked = releases.some((r) => r.bake !== undefined);
  const header = ['', '#', 'TAG', 'DIGEST', 'COMMIT', 'BY', 'WHEN', 'TOOK', ...(baked ? ['BAKE'] : []), 'OUTCOME'].map((h) => style.dim(h));
  const rows = releases.map((r) => {
    const started = new Date(r.startedAt);
    const took = r.endedAt ? formatElapsed((new Date(r.endedAt).getTime() - started.getTime()) / 1000) : '-';
    const isLive = live?.number === r.number;
    return [
      isLive ? style.ok('▶') : ' ',
      String(r.number),
      r.imageTag ?? '-',
      shortDigest(r.imageDigest),
      r.commit ? r.commit.slice(0, 8) : '-',
      r.buildUrl ? `${r.by} ${r.buildUrl}` : r.by,
      formatWhen(started, now),
      took,
      ...(baked ? [bakeText(r, style)] : []),
      outcomeText(r, isLive, style),
    ];
  });
  return alignColumns([header, ...rows]);
}

function outcomeText(r: Release, isLive: boolean, style: Style): string {
  const kind = r.kind === 'rollback' && r.rollbackOf !== undefined ? ` (rollback to #${r.rollbackOf})` : '';
  if (isLive) return style.ok(`LIVE${kind}`);
  switch (r.outcome) {
    case 'live':
      return `was live${kind}`;
    case 'rolled-back':
      return style.bad(`rolled back${r.rootCause ? `: ${r.rootCause}` : ''}`);
    case 'cancelled':
      return style.pending(`cancelled${r.rootCause ? `: ${r.rootCause}` : ''}`);
    case 'needs-attention':
      return style.bad(`needs attention${r.rootCause ? `: ${r.rootCause}` : ''}`);
    default:
      return style.pending(`no outcome recorded${kind} (in progress, or the deploying CLI was killed)`);
  }
}

/** `10m, 2 alarms`, `skipped` (--no-bake, in the outcome's tone of warning) or `-` for a release without a bake. */
function bakeText(r: Release, style: Style): string {
  if (r.bake === undefined) return '-';
  if (r.bake === 'skipped') return style.pending('skipped');
  return `${r.bake.minutes}m, ${r.bake.alarms.length} alarm${r.bake.alarms.length === 1 ? '' : 's'}`;
}
