/**
 * Pure time formatting shared by every renderer. Durations are short and fixed-shape
 * (`59s`, `3m26s`, `1h02m`) so they line up in columns and read at a glance.
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

/** `HH:MM:SS` of a moment, in UTC or in the machine's local time zone. */
export function formatClock(at: Date, utc: boolean): string {
  const [h, m, s] = utc
    ? [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()]
    : [at.getHours(), at.getMinutes(), at.getSeconds()];
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
