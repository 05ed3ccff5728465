/** Image references as Docker reads them, and which scheme a registry is spoken to with. */
import { describe, expect, it } from '@jest/globals';
import { loginHost, parseImageReference, pinnedImage, imageReference } from '../../src/registry/reference.js';
import { OciRegistry } from '../../src/registry/oci.js';
import { isLoopbackRegistry, registryBaseUrl } from '../../src/registry/transport.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('image references', () => {
  it('reads REPO:TAG, REPO@DIGEST and REPO:TAG@DIGEST', () => {
    expect(parseImageReference('public.ecr.aws/nginx/nginx:1.27.5-alpine')).toEqual({ name: 'public.ecr.aws/nginx/nginx', registry: 'public.ecr.aws', repository: 'nginx/nginx', tag: '1.27.5-alpine' });
    expect(parseImageReference(`ghcr.io/acme/agent@${DIGEST}`)).toEqual({ name: 'ghcr.io/acme/agent', registry: 'ghcr.io', repository: 'acme/agent', digest: DIGEST });
    expect(parseImageReference(`127.0.0.1:5000/tools/x:1@${DIGEST}`)).toEqual({ name: '127.0.0.1:5000/tools/x', registry: '127.0.0.1:5000', repository: 'tools/x', tag: '1', digest: DIGEST });
  });

  it('reads Docker Hub short names as docker.io/library/… served by registry-1.docker.io', () => {
    expect(parseImageReference('nginx:1.27')).toMatchObject({ name: 'nginx', registry: 'registry-1.docker.io', repository: 'library/nginx' });
    expect(parseImageReference('grafana/agent:v0.40')).toMatchObject({ registry: 'registry-1.docker.io', repository: 'grafana/agent' });
    expect(parseImageReference('docker.io/library/redis:7')).toMatchObject({ registry: 'registry-1.docker.io', repository: 'library/redis' });
    expect(loginHost(imageReference('nginx:1'))).toBe('docker.io');
    expect(pinnedImage(imageReference('nginx:1'), DIGEST)).toBe(`nginx@${DIGEST}`);
  });

  it('refuses what is not a reference, saying why', () => {
    expect(parseImageReference('nginx')).toEqual({ problem: expect.stringMatching(/must name a tag or a digest/) });
    expect(parseImageReference('nginx@sha256:123')).toEqual({ problem: expect.stringMatching(/digest "sha256:123"/) });
    expect(parseImageReference('Nginx:1')).toEqual({ problem: expect.stringMatching(/lowercase/) });
    expect(parseImageReference('nginx:-bad')).toEqual({ problem: expect.stringMatching(/tag "-bad"/) });
  });
});

describe('which scheme a registry gets', () => {
  it('plain HTTP only on a loopback address, as Docker allows; HTTPS for every other', () => {
    for (const host of ['127.0.0.1:5000', 'localhost:5000', 'localhost', '[::1]:5000', '127.1.2.3']) expect(registryBaseUrl(host)).toBe(`http://${host}`);
    for (const host of ['public.ecr.aws', 'registry.example.com:5000', '10.0.0.5:5000', '127.0.0.1.example.com', 'localhost.example.com']) {
      expect(isLoopbackRegistry(host)).toBe(false);
      expect(registryBaseUrl(host)).toBe(`https://${host}`);
    }
  });

  it('asks a remote registry over HTTPS', async () => {
    const urls: string[] = [];
    const fetch = (async (url: string) => {
      urls.push(String(url));
      return new Response(null, { status: 200, headers: { 'Docker-Content-Digest': DIGEST } });
    }) as typeof globalThis.fetch;
    const registry = new OciRegistry({ fetch, timeoutMs: 1000 });
    expect(await registry.manifestDigest(imageReference('registry.example.com/team/app:1'), '1')).toBe(DIGEST);
    expect(urls).toEqual(['https://registry.example.com/v2/team/app/manifests/1']);
  });
});
