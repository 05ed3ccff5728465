/**
 * Which registry client answers for an image: ECR's API for private ECR registries, the OCI
 * distribution API for every other (Docker Hub, public.ecr.aws, a private registry).
 */
import type { EcrApi, SsmApi } from '../aws/api.js';
import type { SecretRef } from '../descriptor/schema.js';
import { readRegistryCredentials } from './credentials.js';
import { EcrRegistry } from './ecr.js';
import { OciRegistry } from './oci.js';
import { ecrRegistry, imageReference, pinnedImage } from './reference.js';
import { resolveReference } from './registry.js';
import { DEFAULT_REGISTRY_TIMEOUT_MS, type Fetch } from './transport.js';

export interface RegistryAccess {
  ecr: EcrApi;
  ssm: SsmApi;
  /** Node's global fetch unless a test injects another. */
  fetch?: Fetch;
  timeoutMs?: number;
  /** Wraps AWS calls (the deploy's throttling retry). */
  call?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface ResolvedImage {
  digest: string;
  /** `NAME@sha256:…`, what the instance pulls. */
  pinned: string;
}

/** Throws RegistryAnswerError or CredentialsError with the registry's (or AWS's) answer. */
export async function resolveImage(access: RegistryAccess, image: string, credentials?: SecretRef): Promise<ResolvedImage> {
  const ref = imageReference(image);
  const call = access.call ?? ((fn) => fn());
  const lookup = ecrRegistry(ref)
    ? new EcrRegistry(access.ecr, call)
    : new OciRegistry(
        { fetch: access.fetch ?? globalThis.fetch, timeoutMs: access.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS },
        credentials ? await readRegistryCredentials(access.ssm, credentials, call) : undefined,
      );
  const digest = await resolveReference(lookup, ref);
  return { digest, pinned: pinnedImage(ref, digest) };
}
