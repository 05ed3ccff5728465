/**
 * Reads a file the user points shipper at (descriptor, fragment) as bad input when it cannot
 * be: missing, a directory, or larger than any sane descriptor. Reading stops at the limit,
 * so `-f /dev/zero` or a multi-gigabyte file is refused instead of exhausting memory.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { BadInputError } from '../errors.js';

/** 1 MiB: the largest real descriptors and fragments are a few dozen KiB. */
export const INPUT_FILE_LIMIT_BYTES = 1024 * 1024;

export interface InputFileKind {
  /** What the file is, for messages: "descriptor", "CloudFormation fragment". */
  what: string;
  /** How to point shipper at the right file, shown when it is missing or a directory. */
  pointAt: string;
}

export function readInputFile(file: string, kind: InputFileKind, limit = INPUT_FILE_LIMIT_BYTES): string {
  let fd: number | undefined;
  try {
    if (statSync(file).isDirectory()) {
      throw new BadInputError({ location: { file }, message: `the ${kind.what} path is a directory, not a file`, hint: kind.pointAt });
    }
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(Math.min(limit + 1, 64 * 1024));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, n)));
      total += n;
      if (total > limit) {
        const size = statSync(file).size;
        throw new BadInputError({
          location: { file },
          message: `the ${kind.what} is ${size > limit ? `${formatBytes(size)}` : `more than ${formatBytes(limit)}`}; shipper reads at most ${formatBytes(limit)}`,
          hint: `is this the right file? ${kind.pointAt}`,
        });
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new BadInputError({
      location: { file },
      message: code === 'ENOENT' ? `${kind.what} not found` : code === 'EACCES' ? `no permission to read the ${kind.what}` : `cannot read the ${kind.what}: ${(err as Error).message}`,
      hint: code === 'ENOENT' ? kind.pointAt : undefined,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
