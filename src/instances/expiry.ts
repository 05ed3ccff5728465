/**
 * When an instance expires, as `destroy --expired` decides it and `list` shows it: pure
 * functions over the shipper:expires-at tag (ISO 8601, UTC) and an injected "now".
 */
import { formatTimestamp } from '../report/time.js';
import type { ServiceStack } from './find.js';

/** An instance without a (valid) expiry never expires: `destroy --expired` leaves it alone. */
export function isExpired(stack: ServiceStack, now: Date): boolean {
  return stack.instance !== undefined && stack.expiresAt !== undefined && stack.expiresAt.getTime() <= now.getTime();
}

/** `in 2d 3h`, `expired 2h ago`, `expired 5m ago`; `never` without the tag; an unreadable tag says so. */
export function formatExpiry(stack: Pick<ServiceStack, 'expiresAt' | 'expiresAtTag'>, now: Date): string {
  if (stack.expiresAt === undefined) return stack.expiresAtTag ? `unreadable (${stack.expiresAtTag})` : 'never';
  const seconds = Math.round((stack.expiresAt.getTime() - now.getTime()) / 1000);
  return seconds > 0 ? `in ${formatSpan(seconds)}` : `expired ${formatSpan(-seconds)} ago`;
}

/** The exact moment, for JSON readers and the table's reader who wants it: `2026-12-01 10:00:00 UTC`. */
export function formatExpiryMoment(expiresAt: Date | undefined): string | undefined {
  return expiresAt ? formatTimestamp(expiresAt) : undefined;
}

/** `2d 3h`, `5h 10m`, `12m`, `40s`: the two largest units, as people say it. */
export function formatSpan(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return `${minutes}m`;
  return `${s}s`;
}
