/**
 * The rendered nginx.conf, run by Debian's real nginx in front of a small local app: the same
 * template as in the container, with only the paths and addresses switched to local ones.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { composeSidecars, nginxTemplateValues, renderNginxConf } from '../../src/compose/sidecars/index.js';
import { input, service } from './fixtures.js';

const NGINX = '/usr/sbin/nginx';
const BODY_LIMIT = '1k';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = exited();
    if (problem) throw new Error(problem);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function request(port: number, path: string, options: { method?: string; body?: Buffer; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, timeout: 5000, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('reverse proxy config under a real nginx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipper-nginx-'));
  const confPath = join(dir, 'nginx.conf');
  const accessLog = join(dir, 'access.log');
  const seen: Seen[] = [];
  let app: http.Server;
  let nginx: ChildProcess | undefined;
  let nginxStderr = '';
  let proxyPort = 0;

  beforeAll(async () => {
    app = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      req.resume();
      req.on('end', () => {
        if (req.url === '/health') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('healthy');
        } else if (req.url?.startsWith('/missing')) {
          res.writeHead(404).end('no such thing');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url }));
        }
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const appPort = (app.address() as net.AddressInfo).port;
    proxyPort = await freePort();

    const svc = service({ sidecars: { 'reverse-proxy': { clientMaxBodySize: BODY_LIMIT, proxyReadTimeoutSeconds: 5 } } });
    const values = {
      ...nginxTemplateValues(input(svc)),
      user: userInfo().username,
      pid_path: join(dir, 'nginx.pid'),
      error_log: 'stderr',
      access_log: accessLog,
      temp_dir: dir,
      resolver: '127.0.0.1',
      listen_address: '127.0.0.1',
      listen_port: String(proxyPort),
      upstream_host: '127.0.0.1',
      upstream_port: String(appPort),
    };
    writeFileSync(confPath, renderNginxConf(values));
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([exited.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), 5000)))]);
      clearTimeout(timer);
      if (!stopped) nginx.kill('SIGKILL');
    }
    await new Promise((resolve) => app.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes nginx -t', () => {
    const result = spawnSync(NGINX, ['-t', '-e', 'stderr', '-p', dir, '-c', confPath], { encoding: 'utf8', timeout: 10000 });
    expect(result.stderr).toContain('syntax is ok');
    expect(result.stderr).toContain('test is successful');
    expect(result.status).toBe(0);
  });

  it('starts and serves requests through to the app', async () => {
    nginx = spawn(NGINX, ['-e', 'stderr', '-p', dir, '-c', confPath, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr!.on('data', (c: Buffer) => (nginxStderr += c.toString()));
    await waitForPort(proxyPort, 10000, () => (nginx!.exitCode !== null ? `nginx exited with ${nginx!.exitCode}: ${nginxStderr}` : undefined));

    const health = await request(proxyPort, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toBe('healthy');
    expect(seen.at(-1)!.url).toBe('/health');
    expect(health.headers['server']).toBe('nginx');
  });

  it('passes the path and query unchanged and returns the app status', async () => {
    const missing = await request(proxyPort, '/missing/a%20b?x=1&y=%2F');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('no such thing');
    expect(seen.at(-1)!.url).toBe('/missing/a%20b?x=1&y=%2F');
  });

  it('sets the forwarding and request id headers', async () => {
    await request(proxyPort, '/headers', { headers: { 'X-Forwarded-For': '203.0.113.7', Host: 'hello.example.com' } });
    const headers = seen.at(-1)!.headers;
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('hello.example.com');
    expect(headers['host']).toBe('hello.example.com');
    expect(headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);

    const kept = await request(proxyPort, '/headers', { headers: { 'X-Request-Id': 'req-from-caller-1', 'X-Forwarded-Proto': 'https' } });
    expect(seen.at(-1)!.headers['x-request-id']).toBe('req-from-caller-1');
    expect(seen.at(-1)!.headers['x-forwarded-proto']).toBe('https');
    expect(kept.headers['x-request-id']).toBe('req-from-caller-1');
  });

  it('refuses a body over clientMaxBodySize with 413 before it reaches the app', async () => {
    const before = seen.length;
    const big = await request(proxyPort, '/upload', { method: 'POST', body: Buffer.alloc(4096, 'x'), headers: { 'content-type': 'text/plain' } });
    expect(big.status).toBe(413);
    expect(seen.length).toBe(before);

    const small = await request(proxyPort, '/upload', { method: 'POST', body: Buffer.alloc(512, 'x'), headers: { 'content-type': 'text/plain' } });
    expect(small.status).toBe(200);
  });

  it('writes one JSON access log line per request, with path and status', () => {
    const lines = readFileSync(accessLog, 'utf8').trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((e) => e['path'] === '/health')).toMatchObject({ method: 'GET', status: 200, upstream_status: '200' });
    expect(entries.find((e) => e['path'] === '/missing/a%20b?x=1&y=%2F')).toMatchObject({ status: 404 });
    expect(entries.find((e) => e['status'] === 413)).toMatchObject({ method: 'POST', path: '/upload' });
    expect(entries.find((e) => e['request_id'] === 'req-from-caller-1')).toBeDefined();
    for (const e of entries) expect(typeof e['request_time']).toBe('number');
  });

  it('is the same config the sidecar contributes, apart from the local values', () => {
    const svc = service({ sidecars: { 'reverse-proxy': { clientMaxBodySize: BODY_LIMIT, proxyReadTimeoutSeconds: 5 } } });
    const proxy = composeSidecars(input(svc)).find((c) => c.container.name === 'reverse-proxy')!;
    const inContainer = proxy.container.files[0]!.content;
    expect(inContainer).toContain('proxy_pass http://$shipper_upstream;');
    expect(inContainer).toContain('set $shipper_upstream app:8080;');
    expect(inContainer).toContain('listen 0.0.0.0:80 default_server;');
    expect(inContainer).toContain('client_max_body_size 1k;');
    expect(inContainer).toContain('proxy_read_timeout 5s;');
    expect(inContainer).toContain('server_tokens off;');
    expect(inContainer).toContain('resolver 127.0.0.11');
    expect(inContainer).toContain('access_log /dev/stdout shipper_json;');
    expect(proxy.container.mounts).toEqual([{ hostPath: proxy.container.files[0]!.hostPath, containerPath: '/etc/nginx/nginx.conf', readOnly: true }]);
  });
});
