/**
 * Pure time formatting shared by every renderer. Durations are short and fixed-shape
 * (`59s`, `3m26s`, `1h02m`) so they line up in columns and read at a glance.
 *
 * One rule for every moment shipper shows: UTC, and the zone is always written out
 * (`2024-03-01 12:00:05 UTC` in sentences and tables, `12:00:05Z` in the narrow clock column of
 * stack events, ISO-8601 with `Z` in JSON). Why UTC rather than the machine's zone: the same
 * deploy is read from a CI log (CI machines run in UTC), from a laptop, and next to what AWS
 * itself shows (CloudFormation events, CloudTrail, CloudWatch all speak UTC); in an incident
 * channel spanning time zones, only a time with one fixed zone can be compared at a glance.
 * Nothing here reads the machine's zone, so TZ never changes a line of output.
 */

/** `0s`, `59s`, `3m05s`, `1h02m`. Fractions are dropped; negatives count as zero. */
export function formatElapsed(seconds: number): string {
  const total = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m${pad2(total % 60)}s`;
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** `just now`, `40 seconds ago`, `5 minutes ago`, `2 hours ago`, `3 days ago`, `in 5 minutes`. */
export function formatRelative(then: Date, now: Date): string {
  const deltaSeconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const size = Math.abs(deltaSeconds);
  if (size < 10) return 'just now';
  const sign = Math.sign(deltaSeconds);
  if (size < 60) return relative.format(sign * size, 'second');
  if (size < 3600) return relative.format(sign * Math.floor(size / 60), 'minute');
  if (size < 86400) return relative.format(sign * Math.floor(size / 3600), 'hour');
  return relative.format(sign * Math.floor(size / 86400), 'day');
}

/** `12:00:05Z`: the time of day in UTC, for the clock column of stack events and progress. */
export function formatClock(at: Date): string {
  return `${timeOfDay(at)}Z`;
}

/** `2024-03-01 12:00:05 UTC`. Accepts the ISO strings the release history stores. */
export function formatTimestamp(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ${timeOfDay(date)} UTC`;
}

/** `5 minutes ago (2024-03-01 12:00:05 UTC)`: how long ago at a glance, and the exact moment. */
export function formatWhen(at: Date | string, now: Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  return `${formatRelative(date, now)} (${formatTimestamp(date)})`;
}

function timeOfDay(at: Date): string {
  return `${pad2(at.getUTCHours())}:${pad2(at.getUTCMinutes())}:${pad2(at.getUTCSeconds())}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
