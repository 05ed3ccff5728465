import { BadInputError } from '../errors.js';
import { DIGEST_PATTERN } from '../compose/release-facts.js';

/** `--image-digest` must be a full digest: a short or tagged one would pin nothing. */
export function checkDigestFlag(digest: string | undefined): void {
  if (digest !== undefined && !DIGEST_PATTERN.test(digest)) {
    throw new BadInputError({ path: '--image-digest', message: `"${digest}" is not an image digest`, expected: 'sha256: followed by 64 lowercase hex digits' });
  }
}
