import { BadInputError } from '../errors.js';
import { isoDurationSeconds } from '../compose/checks.js';

/** `--timeout 20m`, `1h30m`, `90s` or ISO-8601 `PT20M` → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const iso = isoDurationSeconds(text.toUpperCase());
  if (iso !== undefined && iso > 0) return iso * 1000;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i.exec(text.trim());
  if (m && text.trim() !== '') {
    const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    if (seconds > 0) return seconds * 1000;
  }
  throw new BadInputError({ path: flag, message: `"${text}" is not a duration`, expected: 'e.g. 20m, 1h30m, 90s or PT20M' });
}
