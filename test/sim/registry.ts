/**
 * The public registries the default sidecars come from, simulated for deploys in the simulated
 * cloud: a `fetch` that answers the OCI distribution API as public.ecr.aws does. A manifest
 * HEAD without a token gets 401 and the anonymous bearer challenge
 * (`Bearer realm="https://public.ecr.aws/token/",service="public.ecr.aws",scope="aws"`), the
 * realm hands out a token to anyone, and with it a known tag answers 200 with its
 * Docker-Content-Digest; an unknown one 404 with the distribution API's MANIFEST_UNKNOWN body.
 * https://docs.aws.amazon.com/AmazonECR/latest/public/public-registry-auth.html
 * The registry client itself is tested against the real CNCF Distribution registry
 * (test/registry); this only keeps simulated deploys off the network.
 */
import { createHash } from 'node:crypto';
import { declaredSidecarImages } from '../../src/compose/sidecars/images.js';
import { imageReference } from '../../src/registry/reference.js';
import type { ResolvedService } from '../../src/descriptor/schema.js';

const TOKEN = 'sim-public-ecr-token';

export class SimPublicRegistry {
  /** `host/repository:tag` → digest */
  private readonly tags = new Map<string, string>();
  readonly requests: string[] = [];

  /** Every tag the service's sidecars name, at a digest derived from the tag. */
  static serving(...services: ResolvedService[]): SimPublicRegistry {
    return SimPublicRegistry.servingImages(services.flatMap((service) => declaredSidecarImages(service)));
  }

  /** The same from a list of declared images (the benchmarks pass the compiled shipper's). */
  static servingImages(declared: Array<{ image: string }>): SimPublicRegistry {
    const registry = new SimPublicRegistry();
    for (const d of declared) registry.tag(d.image);
    return registry;
  }

  /** Each sidecar's image pinned as a deploy would have pinned it (container name → NAME@digest). */
  pinnedFor(service: ResolvedService): Record<string, string> {
    return this.pinnedOf(declaredSidecarImages(service));
  }

  pinnedOf(declared: Array<{ sidecar: string; image: string }>): Record<string, string> {
    return Object.fromEntries(declared.map((d) => [d.sidecar, `${imageReference(d.image).name}@${this.tag(d.image)}`]));
  }

  /** Makes `image` (REPO:TAG) name `digest` (default: one derived from the name). */
  tag(image: string, digest?: string): string {
    const ref = imageReference(image);
    const value = digest ?? `sha256:${createHash('sha256').update(image).digest('hex')}`;
    this.tags.set(`${ref.registry}/${ref.repository}:${ref.tag}`, value);
    return value;
  }

  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    this.requests.push(`${method} ${url.href}`);
    if (url.pathname === '/token/') return Response.json({ token: TOKEN });
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (!match) return new Response('not found', { status: 404 });
    const auth = new Headers(init?.headers).get('authorization');
    if (auth !== `Bearer ${TOKEN}`) {
      return new Response(null, {
        status: 401,
        headers: { 'WWW-Authenticate': `Bearer realm="https://${url.host}/token/",service="${url.host}",scope="aws"` },
      });
    }
    const [, repository, reference] = match as unknown as [string, string, string];
    const digest = reference.startsWith('sha256:')
      ? [...this.tags.values()].find((d) => d === reference)
      : this.tags.get(`${url.host}/${repository}:${reference}`);
    if (!digest) {
      const body = method === 'HEAD' ? null : JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
      return new Response(body, { status: 404, headers: { 'Content-Type': 'application/json' } });
    }
    return new Response(null, { status: 200, headers: { 'Docker-Content-Digest': digest, 'Content-Type': 'application/vnd.oci.image.index.v1+json' } });
  };
}
