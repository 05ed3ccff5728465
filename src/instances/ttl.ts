/**
 * How long an instance lives before `shipper destroy --expired` may remove it: `3d`, `12h`,
 * `1d12h`, `90m` (days, hours, minutes). Bounded so a typo cannot keep a copy running for years.
 */
export const MAX_TTL_DAYS = 90;

/** Milliseconds, or a sentence saying what is wrong. */
export function parseTtl(text: string): { ms: number } | { problem: string } {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(text.trim());
  if (!m || text.trim() === '') return { problem: `"${text}" is not a time to live` };
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  if (minutes <= 0) return { problem: 'a time to live must be longer than zero' };
  if (minutes > MAX_TTL_DAYS * 1440) return { problem: `a time to live of at most ${MAX_TTL_DAYS}d` };
  return { ms: minutes * 60_000 };
}

export const TTL_EXAMPLES = 'e.g. 3d, 12h, 1d12h or 90m';
