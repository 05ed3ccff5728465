/**
 * Image references as Docker reads them: `REPO:TAG`, `REPO@DIGEST` or `REPO:TAG@DIGEST`, where
 * REPO may start with a registry host (`public.ecr.aws/nginx/nginx`, `127.0.0.1:5000/tools/x`)
 * or be a Docker Hub short name (`nginx` is `docker.io/library/nginx`, served by
 * registry-1.docker.io). Only sha256 digests: the boot script pulls nothing else.
 */

export interface ImageReference {
  /** What `docker pull` takes before `:TAG` or `@DIGEST`, as written (`nginx`, `public.ecr.aws/nginx/nginx`). */
  name: string;
  /** The host the distribution API is asked, with its port (`registry-1.docker.io`, `127.0.0.1:5000`). */
  registry: string;
  /** The repository inside the registry (`library/nginx`, `nginx/nginx`). */
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>`, when the reference pins one. */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';

/** The reference, or why it is not one (a sentence for a descriptor message). */
export function parseImageReference(text: string): ImageReference | { problem: string } {
  if (/\s/.test(text) || text === '') return { problem: 'must not be empty or contain spaces' };
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const beforeDigest = at >= 0 ? text.slice(0, at) : text;
  if (digest !== undefined && !SHA256_DIGEST.test(digest)) return { problem: `digest "${digest}" must be sha256: followed by 64 lowercase hex digits` };
  const lastSlash = beforeDigest.lastIndexOf('/');
  const colon = beforeDigest.indexOf(':', lastSlash + 1);
  const name = colon >= 0 ? beforeDigest.slice(0, colon) : beforeDigest;
  const tag = colon >= 0 ? beforeDigest.slice(colon + 1) : undefined;
  if (tag !== undefined && !TAG.test(tag)) return { problem: `tag "${tag}" is not a valid tag (letters, digits, _ . -, at most 128)` };
  if (tag === undefined && digest === undefined) return { problem: 'must name a tag or a digest (REPO:TAG, REPO@sha256:… or REPO:TAG@sha256:…)' };

  const parts = name.split('/');
  const first = parts[0]!;
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  if (hasHost && !HOST.test(first)) return { problem: `"${first}" is not a registry host` };
  const path = hasHost ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every((p) => COMPONENT.test(p))) {
    return { problem: `repository "${path.join('/')}" must be lowercase path components (letters, digits, separators . _ -)` };
  }
  const host = hasHost ? first : DOCKER_HUB;
  const isHub = host === DOCKER_HUB || host === 'index.docker.io';
  return {
    name,
    registry: isHub ? DOCKER_HUB_API : host,
    repository: isHub && path.length === 1 ? `library/${path[0]}` : path.join('/'),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

export function isImageReference(value: ImageReference | { problem: string }): value is ImageReference {
  return !('problem' in value);
}

/** Parses a reference the descriptor already validated. */
export function imageReference(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if (!isImageReference(parsed)) throw new Error(`${text}: ${parsed.problem}`);
  return parsed;
}

/** `NAME@DIGEST`: what the launch template pins and the instance pulls. */
export function pinnedImage(ref: ImageReference, digest: string): string {
  return `${ref.name}@${digest}`;
}

/** Whether a reference already names a digest (it still has to be verified to exist). */
export function isPinnedReference(text: string): boolean {
  return /@sha256:[a-f0-9]{64}$/.test(text);
}

/** The host `docker login` takes for this reference (Docker Hub's is `docker.io`). */
export function loginHost(ref: ImageReference): string {
  return ref.registry === DOCKER_HUB_API ? DOCKER_HUB : ref.registry;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** The account and region of a private ECR registry host, or undefined for any other registry. */
export function ecrRegistry(ref: ImageReference): { account: string; region: string } | undefined {
  const match = ECR_HOST.exec(ref.registry);
  return match ? { account: match[1]!, region: match[2]! } : undefined;
}
