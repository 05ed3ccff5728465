/**
 * `shipper render --resolve-images`: the one opt-in network use of render asks the sidecars'
 * registry (Debian's docker-registry on loopback) for their digests and pins them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';
import { startRegistry, type LocalRegistry } from '../helpers/docker-registry.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';
import { SimCloud } from '../sim/cloud.js';

let registry: LocalRegistry;
const digests: Record<string, string> = {};
beforeAll(async () => {
  registry = await startRegistry();
  for (const name of ['log-router', 'reverse-proxy', 'metrics-collector']) digests[name] = await registry.push(`sidecars/${name}`, '1');
});
afterAll(() => registry?.stop());

function service(proxyTag = '1'): string {
  const image = (name: string, tag = '1') => `    image: ${registry.host}/sidecars/${name}:${tag}\n`;
  return tempService(
    `${MINIMAL_DESCRIPTOR}sidecars:\n  log-router:\n${image('log-router')}  reverse-proxy:\n${image('reverse-proxy', proxyTag)}  metrics-collector:\n${image('metrics-collector')}`,
  ).dir;
}

const deps = () => ({ clients: async () => new SimCloud().clients(), registryFetch: globalThis.fetch });

describe('shipper render --resolve-images', () => {
  it('pins each sidecar by the digest its registry serves and says what it resolved', async () => {
    const run = await cli(['render', '--env', 'test', '--image-digest', `sha256:${'a'.repeat(64)}`, '--resolve-images'], { cwd: service(), deps: deps() });
    expect(run.code).toBe(ExitCode.ok);
    for (const [name, digest] of Object.entries(digests)) {
      expect(run.stdout).toContain(`${registry.host}/sidecars/${name}@${digest}`);
      expect(run.stderr).toContain(`resolved sidecar ${name}: ${registry.host}/sidecars/${name} 1 → ${digest}`);
    }
    expect(run.stderr).not.toMatch(/unresolved/);
  });

  it('without the flag stays offline: the tags stay, one note per image', async () => {
    const run = await cli(['render', '--env', 'test'], { cwd: service(), deps: { registryFetch: () => Promise.reject(new Error('render went online')) } });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain(`${registry.host}/sidecars/reverse-proxy:1`);
    expect(run.stderr.match(/^note: sidecar \S+ image \S+ is unresolved/gm)).toHaveLength(3);
  });

  it('refuses an unknown tag with exit 3 and prints no template', async () => {
    const run = await cli(['render', '--env', 'test', '--resolve-images'], { cwd: service('missing'), deps: deps() });
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`sidecar reverse-proxy: image ${registry.host}/sidecars/reverse-proxy:missing cannot be deployed; ${registry.host} answered: MANIFEST_UNKNOWN`);
  });
});
