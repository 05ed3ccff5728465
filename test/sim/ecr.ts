/** ECR DescribeImages over simulated repositories (tag -> digest), with ECR's own errors. */
import type * as ecr from '@aws-sdk/client-ecr';
import { awsError, type EcrApi } from '../../src/aws/api.js';
import type { FakeClock } from './clock.js';

interface SimImage {
  digest: string;
  tags: string[];
  pushedAt: Date;
}

export class SimEcr implements EcrApi {
  private readonly repositories = new Map<string, SimImage[]>();

  constructor(
    private readonly clock: FakeClock,
    private readonly account: string,
  ) {}

  createRepository(name: string): this {
    if (!this.repositories.has(name)) this.repositories.set(name, []);
    return this;
  }

  /** Pushes `digest` under `tag`; a tag moves to the newest image carrying it, as in ECR. */
  addImage(repository: string, tag: string, digest: string): this {
    const images = this.createRepository(repository).repositories.get(repository)!;
    for (const image of images) image.tags = image.tags.filter((t) => t !== tag);
    const existing = images.find((i) => i.digest === digest);
    if (existing) existing.tags.push(tag);
    else images.push({ digest, tags: [tag], pushedAt: this.clock.now() });
    return this;
  }

  async describeImages(input: ecr.DescribeImagesCommandInput): Promise<ecr.DescribeImagesCommandOutput> {
    const registry = input.registryId ?? this.account;
    const name = input.repositoryName ?? '';
    const images = this.repositories.get(name);
    if (!images || registry !== this.account) {
      throw awsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registry}'`);
    }
    const wanted: ecr.ImageIdentifier[] = input.imageIds ?? images.map((i) => ({ imageDigest: i.digest }));
    const details: ecr.ImageDetail[] = [];
    for (const id of wanted) {
      const image = images.find((i) => (id.imageDigest ? i.digest === id.imageDigest : true) && (id.imageTag ? i.tags.includes(id.imageTag) : true));
      if (!image) {
        throw awsError(
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${name}' in the registry with id '${registry}'`,
        );
      }
      details.push({
        registryId: registry,
        repositoryName: name,
        imageDigest: image.digest,
        imageTags: [...image.tags],
        imagePushedAt: image.pushedAt,
        imageSizeInBytes: 52_428_800,
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        artifactMediaType: 'application/vnd.docker.container.image.v1+json',
      });
    }
    return { imageDetails: details } as ecr.DescribeImagesCommandOutput;
  }
}
