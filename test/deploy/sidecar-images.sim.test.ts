/**
 * Sidecar images in a deploy, end to end: the CLI in the simulated cloud, the sidecars in a real
 * CNCF Distribution registry (Debian's docker-registry) on loopback. Preflight resolves each tag,
 * the launch template pins the digests, the release records them, and a rollback deploys the
 * recorded digests even after the tags moved. A tag the registry does not know refuses the
 * deploy (exit 3) before anything changes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { readFileSync, writeFileSync } from 'node:fs';
import { ExitCode } from '../../src/errors.js';
import { startRegistry, type LocalRegistry } from '../helpers/docker-registry.js';
import { exampleDir } from '../helpers/paths.js';
import { releasesJson, writeHistoryVersion } from '../releases/history-world.js';
import { STACK, world, type World } from './harness.js';

const USER = { username: 'puller', password: 's3cret:with-colon' };
const MUTATING = ['createChangeSet', 'executeChangeSet', 'deleteChangeSet', 'cancelUpdateStack', 'deleteStack', 'putParameter'];

let open: LocalRegistry;
let locked: LocalRegistry;
beforeAll(async () => {
  [open, locked] = await Promise.all([startRegistry(), startRegistry({ htpasswd: USER })]);
});
afterAll(async () => {
  await Promise.all([open?.stop(), locked?.stop()]);
});

/** The example service with its sidecars (and optionally a private custom one) from the loopback registries. */
function descriptorWith(sidecars: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipper-sidecar-images-'));
  const doc = parseDocument(readFileSync(path.join(exampleDir, 'shipper.yml'), 'utf8'));
  copyFileSync(path.join(exampleDir, 'cloudformation.yml'), path.join(dir, 'cloudformation.yml'));
  for (const [key, value] of Object.entries(sidecars)) doc.setIn(['sidecars', ...key.split('.')], doc.createNode(value));
  writeFileSync(path.join(dir, 'shipper.yml'), doc.toString());
  return dir;
}

function loopbackSidecars(tag: string) {
  return {
    'log-router.image': `${open.host}/sidecars/log-router:${tag}`,
    'reverse-proxy.image': `${open.host}/sidecars/reverse-proxy:${tag}`,
    'metrics-collector.image': `${open.host}/sidecars/metrics-collector:${tag}`,
  };
}

async function pushAll(tag: string, seed: string): Promise<Record<string, string>> {
  const names = ['log-router', 'reverse-proxy', 'metrics-collector'];
  const digests = await Promise.all(names.map((n) => open.push(`sidecars/${n}`, tag, `${n} ${seed}`)));
  return Object.fromEntries(names.map((n, i) => [n, `${open.host}/sidecars/${n}@${digests[i]}`]));
}

function session(dir: string): World & { deploy(...args: string[]): ReturnType<World['run']> } {
  const w = world({ descriptor: path.join(dir, 'shipper.yml') });
  // The real registries on loopback, through Node's own fetch.
  const run: World['run'] = (args, o = {}) => w.run(args, { cwd: dir, ...o, deps: { registryFetch: globalThis.fetch, ...o.deps } });
  return { ...w, run, deploy: (...args) => run(['deploy', '--env', 'test', ...args]) };
}

const templateBody = (w: World) => w.cloud.cloudFormation.findStack(STACK)!.templateBody;
const mutations = (w: World) => MUTATING.reduce((n, call) => n + w.cloud.calls.count(call), 0);

describe('sidecar images in a deploy', () => {
  it('pins the digests the registry resolved in the launch template and records them with the release', async () => {
    const pinned = await pushAll('stable', 'first build');
    const w = session(descriptorWith(loopbackSidecars('stable')));
    const run = await w.deploy('--image-tag', 'v1');
    expect(run.code).toBe(ExitCode.ok);
    for (const [sidecar, image] of Object.entries(pinned)) {
      const digest = image.slice(image.indexOf('@') + 1);
      expect(run.stdout).toContain(`sidecar ${sidecar}`);
      expect(run.stdout).toContain(`${open.host}/sidecars/${sidecar} stable → ${digest}`);
      expect(templateBody(w)).toContain(image);
    }
    expect(templateBody(w)).not.toContain(':stable');
    expect((await releasesJson(w)).releases[0]).toMatchObject({ number: 1, imageTag: 'v1', sidecarImages: pinned });
  });

  it('rolls back to the recorded sidecar digests, not to what the tags name after they moved', async () => {
    const first = await pushAll('moving', 'build one');
    const w = session(descriptorWith(loopbackSidecars('moving')));
    expect((await w.deploy('--image-tag', 'v1')).code).toBe(ExitCode.ok);
    const second = await pushAll('moving', 'build two');
    expect(second['log-router']).not.toBe(first['log-router']);
    expect((await w.deploy('--image-tag', 'v2')).code).toBe(ExitCode.ok);
    for (const image of Object.values(second)) expect(templateBody(w)).toContain(image);

    const run = await w.run(['rollback', '--env', 'test', '--yes']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/rolling back to release #1/);
    for (const [sidecar, image] of Object.entries(first)) {
      expect(templateBody(w)).toContain(image);
      expect(run.stdout).toContain(`${open.host}/sidecars/${sidecar} as recorded ${image.slice(image.indexOf('@') + 1)}`);
    }
    for (const image of Object.values(second)) expect(templateBody(w)).not.toContain(image);
    expect((await releasesJson(w)).releases[0]).toMatchObject({ number: 3, kind: 'rollback', rollbackOf: 1, sidecarImages: first });
  });

  it('a release recorded without sidecar images is rolled back with the tags resolved now, and says so', async () => {
    const pinned = await pushAll('old', 'before records');
    const w = session(descriptorWith(loopbackSidecars('old')));
    expect((await w.deploy('--image-tag', 'v1')).code).toBe(ExitCode.ok);
    expect((await w.deploy('--image-tag', 'v2')).code).toBe(ExitCode.ok);
    // Release #1 as an older shipper recorded it: no sidecarImages.
    const { releases } = await releasesJson(w);
    const { sidecarImages: _dropped, number: _n, outcome: _o, endedAt: _e, rootCause: _r, ...older } = releases.find((r) => r.number === 1)!;
    const number = await writeHistoryVersion(w, 'releases', JSON.stringify(older));
    await writeHistoryVersion(w, 'outcomes', JSON.stringify({ shipper: 1, release: number, outcome: 'live', endedAt: new Date(w.cloud.clock.now()).toISOString() }));

    const run = await w.run(['rollback', '--env', 'test', '--yes', '--release', String(number)]);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`release #${number} recorded no sidecar images \\(recorded by an older shipper\\); the sidecars' tags are resolved now`));
    for (const image of Object.values(pinned)) expect(templateBody(w)).toContain(image);
  });

  it('refuses a tag the registry does not know with exit 3, naming the sidecar, the image and the answer; nothing changes', async () => {
    await pushAll('present', 'x');
    const w = session(descriptorWith({ ...loopbackSidecars('present'), 'reverse-proxy.image': `${open.host}/sidecars/reverse-proxy:no-such-tag` }));
    const run = await w.deploy('--image-tag', 'v1');
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toContain(
      `sidecar reverse-proxy: image ${open.host}/sidecars/reverse-proxy:no-such-tag cannot be deployed; ${open.host} answered: MANIFEST_UNKNOWN: manifest unknown`,
    );
    expect(run.stderr).toMatch(/check sidecars\.reverse-proxy\.image/);
    expect(mutations(w)).toBe(0);
    expect(w.cloud.cloudFormation.findStack(STACK)).toBeUndefined();
  });

  it('a custom sidecar from a private registry: resolved with the secret, logged in to on the instance, the secret never in the template', async () => {
    const digest = await locked.push('team/agent', '7');
    await pushAll('with-private', 'y');
    const secret = { ssm: '/hello/registry-login' };
    const w = session(
      descriptorWith({ ...loopbackSidecars('with-private'), custom: [{ name: 'agent', image: `${locked.host}/team/agent:7`, registryCredentials: secret }] }),
    );
    await w.cloud.ssm.putParameter({ Name: secret.ssm, Value: `${USER.username}:${USER.password}`, Type: 'SecureString' });
    const run = await w.deploy('--image-tag', 'v1');
    expect(run.code).toBe(ExitCode.ok);
    const body = templateBody(w);
    expect(body).toContain(`${locked.host}/team/agent@${digest}`);
    expect(body).toContain(`REGISTRY_LOGINS=('${locked.host}=ssm:/hello/registry-login')`);
    expect(body).not.toContain(USER.password);
    expect(run.stdout + run.stderr).not.toContain(USER.password);
    // The instance role may read exactly that parameter.
    expect(body).toContain('parameter/hello/registry-login');
  });

  it('without the secret the private sidecar refuses the deploy with what the registry said', async () => {
    await locked.push('team/agent', '8');
    await pushAll('no-secret', 'z');
    const w = session(descriptorWith({ ...loopbackSidecars('no-secret'), custom: [{ name: 'agent', image: `${locked.host}/team/agent:8` }] }));
    const run = await w.deploy('--image-tag', 'v1');
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toContain(`sidecar agent: image ${locked.host}/team/agent:8 cannot be deployed; ${locked.host} answered: a user name and password are required (HTTP 401, Basic)`);
    expect(mutations(w)).toBe(0);
  });
});
