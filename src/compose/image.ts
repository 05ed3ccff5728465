/** Where the app image lives: an ECR repository name becomes a full registry URI. */
import type { ResolvedService } from '../descriptor/schema.js';

export interface ImageLocation {
  registry: string;
  repositoryName: string;
  /** `registry/repository`, what `docker pull` takes before `@sha256:…`. */
  uri: string;
  registryAccount: string;
  registryRegion: string;
}

const ECR_URI = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/;

export function appImageLocation(service: ResolvedService): ImageLocation {
  const match = ECR_URI.exec(service.image.repository);
  if (match) {
    const [, account, region, name] = match as unknown as [string, string, string, string];
    return { registry: service.image.repository.slice(0, service.image.repository.length - name.length - 1), repositoryName: name, uri: service.image.repository, registryAccount: account, registryRegion: region };
  }
  // China regions live in their own partition, with their own domain.
  const registry = `${service.account}.dkr.ecr.${service.region}.amazonaws.com${service.region.startsWith('cn-') ? '.cn' : ''}`;
  return { registry, repositoryName: service.image.repository, uri: `${registry}/${service.image.repository}`, registryAccount: service.account, registryRegion: service.region };
}

/**
 * The ECR repository ARN behind an image reference, or undefined for a non-ECR image. It is an
 * `Fn::Sub` string: `${AWS::Partition}` makes it right in China and GovCloud as well.
 */
export function ecrRepositoryArn(imageRef: string): string | undefined {
  const match = ECR_URI.exec(imageRef.split('@')[0]!.replace(/:[^/]+$/, ''));
  if (!match) return undefined;
  const [, account, region, name] = match as unknown as [string, string, string, string];
  return `arn:\${AWS::Partition}:ecr:${region}:${account}:repository/${name}`;
}

/** `sha256:0123456789abcdef…` → `0123456789ab`, the form `docker images` shows. */
export function shortDigest(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1).slice(0, 12);
}
