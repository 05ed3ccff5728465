/**
 * `deploy --image-tag v1 --image-digest sha256:…`: the release is recorded and shown as v1, so
 * v1 must be that image. A tag that points elsewhere is refused before anything changes, or a
 * release labelled v1 would run some other build.
 */
import { shortDigest } from '../compose/image.js';
import { PreflightError } from '../errors.js';

export function assertTagIsDigest(tag: string, tagDigest: string, givenDigest: string, repository: string): void {
  if (tagDigest === givenDigest) return;
  throw new PreflightError(`image tag "${tag}" in ${repository} is ${shortDigest(tagDigest)}, not the --image-digest given (${shortDigest(givenDigest)})`, {
    hint: `pass only --image-tag ${tag} to deploy what the tag is now, or only --image-digest to deploy exactly that image; nothing was changed`,
  });
}
