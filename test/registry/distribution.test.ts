/**
 * The registry client against a real CNCF Distribution registry (Debian's docker-registry) on
 * loopback: tags resolve to the digest the registry computed, digests are verified, and every
 * refusal carries the registry's own answer. Basic auth (htpasswd) and the bearer token flow
 * (a token server on loopback whose signing certificate the registry trusts) are both real.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import type { SsmApi } from '../../src/aws/api.js';
import { awsError } from '../../src/aws/api.js';
import { CredentialsError } from '../../src/registry/credentials.js';
import { RegistryAnswerError } from '../../src/registry/registry.js';
import { resolveImage, type RegistryAccess } from '../../src/registry/resolver.js';
import { startRegistry, type LocalRegistry } from '../helpers/docker-registry.js';
import { startTokenServer, type TokenServer } from '../helpers/token-server.js';

const USER = { username: 'deployer', password: 'pa:ss w0rd' };

/** SSM as the secret reference sees it: one SecureString holding username:password. */
function ssmHolding(values: Record<string, string>): SsmApi {
  return {
    getParameter: async ({ Name, WithDecryption }) => {
      if (!WithDecryption) throw new Error('secrets must be read with decryption');
      const value = values[Name!];
      if (value === undefined) throw awsError('ParameterNotFound', '');
      return { Parameter: { Name, Value: value } };
    },
    putParameter: async () => {
      throw new Error('preflight is read-only');
    },
    getParameterHistory: async () => ({}),
    deleteParameters: async () => {
      throw new Error('preflight is read-only');
    },
  } as SsmApi;
}

const access = (extra: Partial<RegistryAccess> = {}): RegistryAccess => ({
  ecr: { describeImages: async () => { throw new Error('not an ECR image'); } },
  ssm: ssmHolding({ '/svc/registry': `${USER.username}:${USER.password}` }),
  ...extra,
});

async function answer(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(err instanceof RegistryAnswerError || err instanceof CredentialsError).toBe(true);
  return (err as Error).message;
}

describe('an open registry', () => {
  let registry: LocalRegistry;
  let digest: string;
  beforeAll(async () => {
    registry = await startRegistry();
    digest = await registry.push('tools/log-router', '1.0');
  });
  afterAll(() => registry?.stop());

  it('resolves a tag to the digest the registry computed', async () => {
    const image = `${registry.host}/tools/log-router:1.0`;
    expect(await resolveImage(access(), image)).toEqual({ digest, pinned: `${registry.host}/tools/log-router@${digest}` });
  });

  it('verifies REPO@DIGEST exists, and refuses a digest it does not have', async () => {
    expect((await resolveImage(access(), `${registry.host}/tools/log-router@${digest}`)).digest).toBe(digest);
    const missing = `sha256:${'0'.repeat(64)}`;
    expect(await answer(resolveImage(access(), `${registry.host}/tools/log-router@${missing}`))).toMatch(/^MANIFEST_UNKNOWN: manifest unknown.*\(HTTP 404\)$/);
  });

  it('accepts REPO:TAG@DIGEST when they agree and refuses it once the tag names another digest', async () => {
    expect((await resolveImage(access(), `${registry.host}/tools/log-router:1.0@${digest}`)).pinned).toBe(`${registry.host}/tools/log-router@${digest}`);
    const moved = await registry.push('tools/log-router', '1.0', 'a rebuilt 1.0');
    expect(moved).not.toBe(digest);
    expect(await answer(resolveImage(access(), `${registry.host}/tools/log-router:1.0@${digest}`))).toBe(
      `tag 1.0 names ${moved}, not the digest ${digest} given with it`,
    );
    digest = moved;
  });

  it('refuses a missing tag and an unknown repository with the registry answer', async () => {
    expect(await answer(resolveImage(access(), `${registry.host}/tools/log-router:2.0`))).toMatch(/^MANIFEST_UNKNOWN: manifest unknown.*\(HTTP 404\)$/);
    // Distribution answers a manifest request for a repository it has never seen as it answers an unknown tag.
    expect(await answer(resolveImage(access(), `${registry.host}/tools/nothing-here:1.0`))).toMatch(/^MANIFEST_UNKNOWN: manifest unknown.*\(HTTP 404\)$/);
  });
});

describe('a registry behind basic auth (htpasswd)', () => {
  let registry: LocalRegistry;
  let digest: string;
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: USER });
    digest = await registry.push('team/metrics', '3');
  });
  afterAll(() => registry?.stop());

  it('resolves with the credentials from the secret reference', async () => {
    const resolved = await resolveImage(access(), `${registry.host}/team/metrics:3`, { ssm: '/svc/registry' });
    expect(resolved.digest).toBe(digest);
  });

  it('is refused without credentials, with wrong ones, and with a secret that is not username:password', async () => {
    expect(await answer(resolveImage(access(), `${registry.host}/team/metrics:3`))).toBe('a user name and password are required (HTTP 401, Basic); set registryCredentials for this image');
    const wrong = access({ ssm: ssmHolding({ '/svc/registry': 'deployer:nope' }) });
    expect(await answer(resolveImage(wrong, `${registry.host}/team/metrics:3`, { ssm: '/svc/registry' }))).toMatch(/^UNAUTHORIZED: authentication required.*\(HTTP 401\)$/);
    const malformed = access({ ssm: ssmHolding({ '/svc/registry': 'just-a-token' }) });
    const message = await answer(resolveImage(malformed, `${registry.host}/team/metrics:3`, { ssm: '/svc/registry' }));
    expect(message).toBe('SSM parameter /svc/registry must hold username:password');
    expect(await answer(resolveImage(access(), `${registry.host}/team/metrics:3`, { ssm: '/svc/other' }))).toMatch(/^cannot read SSM parameter \/svc\/other: ParameterNotFound/);
  });

  it('never puts the password in an answer', async () => {
    const wrong = access({ ssm: ssmHolding({ '/svc/registry': `${USER.username}:not-${USER.password}` }) });
    expect(await answer(resolveImage(wrong, `${registry.host}/team/metrics:3`, { ssm: '/svc/registry' }))).not.toContain(USER.password);
  });
});

describe('a registry behind token auth (the bearer flow of public.ecr.aws and Docker Hub)', () => {
  let tokens: TokenServer;
  let registry: LocalRegistry;
  let publicDigest: string;
  let privateDigest: string;
  beforeAll(async () => {
    tokens = await startTokenServer(USER);
    registry = await startRegistry({ token: { ...tokens, push: USER } });
    publicDigest = await registry.push('public/proxy', '1.27');
    privateDigest = await registry.push('private/agent', '7');
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
  });

  it('gets an anonymous pull token from the realm the challenge names', async () => {
    tokens.requests.length = 0;
    expect((await resolveImage(access(), `${registry.host}/public/proxy:1.27`)).digest).toBe(publicDigest);
    expect(tokens.requests).toEqual([{ who: 'anonymous', scope: 'repository:public/proxy:pull' }]);
  });

  it('asks for the token with the credentials when the repository needs them', async () => {
    tokens.requests.length = 0;
    expect((await resolveImage(access(), `${registry.host}/private/agent:7`, { ssm: '/svc/registry' })).digest).toBe(privateDigest);
    expect(tokens.requests).toEqual([{ who: USER.username, scope: 'repository:private/agent:pull' }]);
    expect(await answer(resolveImage(access(), `${registry.host}/private/agent:7`))).toMatch(/refused a pull token: UNAUTHORIZED: authentication required/);
  });
});

describe('a registry that never answers', () => {
  let server: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is an error naming the host and the timeout, not a hang', async () => {
    const { port } = server.address() as { port: number };
    const message = await answer(resolveImage(access({ timeoutMs: 300 }), `127.0.0.1:${port}/tools/x:1`));
    expect(message).toBe(`no answer from 127.0.0.1:${port} within 0.3s`);
    expect(sockets.length).toBeGreaterThan(0);
  });

  it('and a port nobody listens on is an error naming the host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    expect(await answer(resolveImage(access(), `127.0.0.1:${port}/tools/x:1`))).toBe(`cannot reach 127.0.0.1:${port}: ECONNREFUSED`);
  });
});
