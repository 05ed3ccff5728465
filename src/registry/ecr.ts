/**
 * Private ECR registries (`<account>.dkr.ecr.<region>.amazonaws.com`, including pull-through
 * cache repositories) are asked through ECR's own API with the deploying credentials:
 * DescribeImages by tag or digest, read-only.
 */
import type { EcrApi } from '../aws/api.js';
import { ecrRegistry, SHA256_DIGEST, type ImageReference } from './reference.js';
import { RegistryAnswerError, type ManifestLookup } from './registry.js';

export class EcrRegistry implements ManifestLookup {
  constructor(
    private readonly ecr: EcrApi,
    /** Every ECR call goes through the deploy's throttling retry. */
    private readonly call: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
  ) {}

  async manifestDigest(ref: ImageReference, reference: string): Promise<string> {
    const registry = ecrRegistry(ref);
    if (!registry) throw new Error(`${ref.registry} is not an ECR registry`);
    const imageId = SHA256_DIGEST.test(reference) ? { imageDigest: reference } : { imageTag: reference };
    try {
      const out = await this.call(() => this.ecr.describeImages({ repositoryName: ref.repository, registryId: registry.account, imageIds: [imageId] }));
      const digest = out.imageDetails?.[0]?.imageDigest;
      if (!digest) throw new RegistryAnswerError(`ECR found no image ${reference} in ${ref.repository}`);
      return digest;
    } catch (err) {
      if (err instanceof Error && (err.name === 'ImageNotFoundException' || err.name === 'RepositoryNotFoundException')) {
        throw new RegistryAnswerError(`${err.name}: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }
}
