/**
 * Debian's `docker-registry` (the CNCF Distribution registry) on a loopback port, for tests:
 * filesystem storage in a temp dir, optionally behind htpasswd (Basic) or token (Bearer) auth.
 * Images are pushed over its HTTP API as a config blob, a layer blob and a manifest, the way
 * `docker push` does it, so no docker is needed:
 * https://distribution.github.io/distribution/spec/api/#pushing-an-image
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export type RegistryAuth =
  | { htpasswd: { username: string; password: string } }
  | { token: { realm: string; service: string; issuer: string; certPath: string; push: { username: string; password: string } } };

export interface LocalRegistry {
  /** `127.0.0.1:<port>`: the registry part of an image reference. */
  host: string;
  /** Pushes a small image and returns the manifest digest the registry computed. */
  push(repository: string, tag: string, seed?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRegistry(auth?: RegistryAuth): Promise<LocalRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipper-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    'http:',
    `  addr: ${host}`,
    ...authConfig(auth, dir),
  ].join('\n');
  writeFileSync(path.join(dir, 'config.yml'), `${config}\n`);
  const child = spawn(REGISTRY_BINARY, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(`http://${host}/v2/`, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  const pushAuth = auth && 'htpasswd' in auth ? auth.htpasswd : auth && 'token' in auth ? auth.token.push : undefined;
  return { host, push: (repository, tag, seed) => pushImage(host, repository, tag, seed ?? `${repository}:${tag}`, pushAuth), stop };
}

function authConfig(auth: RegistryAuth | undefined, dir: string): string[] {
  if (!auth) return [];
  if ('htpasswd' in auth) {
    const line = execFileSync('htpasswd', ['-nbB', auth.htpasswd.username, auth.htpasswd.password], { encoding: 'utf8' }).trim();
    const file = path.join(dir, 'htpasswd');
    writeFileSync(file, `${line}\n`);
    return ['auth:', '  htpasswd:', '    realm: shipper-test', `    path: ${file}`];
  }
  const { realm, service, issuer, certPath } = auth.token;
  return ['auth:', '  token:', `    realm: ${realm}`, `    service: ${service}`, `    issuer: ${issuer}`, `    rootcertbundle: ${certPath}`];
}

async function waitUntilAnswering(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function pushImage(host: string, repository: string, tag: string, seed: string, credentials?: { username: string; password: string }): Promise<string> {
  const authed = authedFetch(credentials);
  const base = `http://${host}/v2/${repository}`;
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { seed } }, rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = Buffer.from(`layer of ${seed}`);
  for (const blob of [config, layer]) {
    const start = await authed(`${base}/blobs/uploads/`, { method: 'POST' });
    if (start.status !== 202) throw new Error(`blob upload to ${repository} not started: HTTP ${start.status} ${await start.text()}`);
    const location = new URL(start.headers.get('location')!, `http://${host}`);
    location.searchParams.set('digest', sha256(blob));
    const put = await authed(location.href, { method: 'PUT', body: blob, headers: { 'Content-Type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`blob upload to ${repository} failed: HTTP ${put.status} ${await put.text()}`);
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha256(config) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: sha256(layer) }],
  });
  const put = await authed(`${base}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' } });
  if (put.status !== 201) throw new Error(`manifest ${repository}:${tag} not pushed: HTTP ${put.status} ${await put.text()}`);
  return put.headers.get('docker-content-digest')!;
}

/** fetch that answers the registry's 401 challenge (Basic, or Bearer through the token realm) with credentials. */
function authedFetch(credentials?: { username: string; password: string }) {
  const basic = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined;
  return async (url: string, init: RequestInit): Promise<Response> => {
    const first = await fetch(url, init);
    if (first.status !== 401 || !basic) return first;
    const challenge = first.headers.get('www-authenticate') ?? '';
    let authorization = basic;
    if (/^bearer/i.test(challenge)) {
      const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k!, v!]));
      const tokenUrl = new URL(params.realm!);
      tokenUrl.searchParams.set('service', params.service!);
      tokenUrl.searchParams.set('scope', params.scope!);
      const token = (await (await fetch(tokenUrl, { headers: { Authorization: basic } })).json()) as { token: string };
      authorization = `Bearer ${token.token}`;
    }
    return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: authorization } });
  };
}
