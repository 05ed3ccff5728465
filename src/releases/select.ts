/** Which release is live, and which one a rollback goes back to. Pure functions over the history. */
import { PreflightError } from '../errors.js';
import { shortDigest } from '../compose/image.js';
import { formatTimestamp } from '../report/time.js';
import type { Release } from './record.js';

/**
 * The live release: the newest one that went live with the digest the stack runs now. A stack
 * whose digest matches no live record (deployed by hand, or history lost) has no live release.
 */
export function liveRelease(releases: Release[], liveDigest: string | undefined): Release | undefined {
  if (!liveDigest) return undefined;
  return releases.find((r) => r.outcome === 'live' && r.imageDigest === liveDigest);
}

export interface RollbackTarget {
  to?: string;
  release?: number;
}

export function rollbackTarget(releases: Release[], liveDigest: string | undefined, want: RollbackTarget): Release {
  const wentLive = releases.filter((r) => r.outcome === 'live');
  const current = liveRelease(releases, liveDigest);
  let found: Release | undefined;
  if (want.release !== undefined) {
    found = wentLive.find((r) => r.number === want.release);
    if (!found) throw refusal(`release #${want.release} ${releases.some((r) => r.number === want.release) ? 'never went live' : 'is not in the history'}`, wentLive, liveDigest);
  } else if (want.to !== undefined) {
    found = wentLive.find((r) => r.imageTag === want.to);
    if (!found) throw refusal(`no release of tag "${want.to}" ever went live`, wentLive, liveDigest);
  } else {
    // The previous release that went live, with an image other than the one running now.
    const older = current ? wentLive.filter((r) => r.number < current.number) : wentLive;
    found = older.find((r) => r.imageDigest !== liveDigest);
    if (!found) throw refusal('there is no earlier release that went live to roll back to', wentLive, liveDigest);
  }
  if (found.imageDigest === liveDigest) {
    throw new PreflightError(`release #${found.number} (${found.imageTag ?? shortDigest(found.imageDigest)}) is already live; nothing to roll back`);
  }
  return found;
}

function refusal(message: string, wentLive: Release[], liveDigest: string | undefined): PreflightError {
  const candidates = wentLive.filter((r) => r.imageDigest !== liveDigest).slice(0, 10);
  return new PreflightError(`${message}; nothing was changed`, {
    hint: candidates.length
      ? `releases you can roll back to:\n${candidates.map((r) => `  #${r.number}  ${r.imageTag ?? '-'}  ${shortDigest(r.imageDigest)}  ${formatTimestamp(r.startedAt)}`).join('\n')}`
      : 'the history has no other release that went live',
  });
}
