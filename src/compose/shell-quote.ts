import { BadInputError } from '../errors.js';

/**
 * POSIX shell single quoting. Inside single quotes nothing is special except the quote itself,
 * which is closed, emitted escaped and reopened: `it's` becomes `'it'\''s'`. So any string,
 * including `$(...)`, backticks, `\` and newlines, reaches the script exactly as written.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) {
    // bash strings cannot hold NUL: refuse rather than let the value arrive truncated
    throw new BadInputError({ message: 'a value passed to the instance cannot contain a NUL character' });
  }
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
