/**
 * One small interface for every kind of registry: "which manifest digest does this tag (or
 * digest) name?". oci.ts speaks the OCI distribution API; ecr.ts asks ECR's own API.
 */
import type { ImageReference } from './reference.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface ManifestLookup {
  /** The manifest digest `reference` (a tag or a digest) names in `ref`'s repository. */
  manifestDigest(ref: ImageReference, reference: string): Promise<string>;
}

/** What the registry said when it would not resolve an image: its own words, for the refusal. */
export class RegistryAnswerError extends Error {
  constructor(answer: string, options?: { cause?: unknown }) {
    super(answer, options);
    this.name = 'RegistryAnswerError';
  }
}

/**
 * The digest the reference resolves to: a tag is looked up, a digest is verified to exist, and
 * for `TAG@DIGEST` the tag must still name that digest.
 */
export async function resolveReference(lookup: ManifestLookup, ref: ImageReference): Promise<string> {
  if (ref.tag === undefined) return lookup.manifestDigest(ref, ref.digest!);
  const current = await lookup.manifestDigest(ref, ref.tag);
  if (ref.digest !== undefined && current !== ref.digest) {
    throw new RegistryAnswerError(`tag ${ref.tag} names ${current}, not the digest ${ref.digest} given with it`);
  }
  return current;
}
