/**
 * A token server for the Distribution registry's `auth: token:` mode, on loopback: the registry
 * answers 401 with `Bearer realm=…,service=…,scope=…`, a client asks this realm for a token
 * (anonymously, or with basic credentials), and the registry verifies the token's signature
 * against the certificate it was configured with (`rootcertbundle`, here made by openssl).
 * https://distribution.github.io/distribution/spec/auth/token/ and .../spec/auth/jwt/
 *
 * Pulls from repositories under `private/` and every push need the user's credentials;
 * other pulls are anonymous, as on public.ecr.aws and Docker Hub.
 */
import { execFileSync } from 'node:child_process';
import { createSign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Token requests seen: `anonymous` or the user name, with the scope asked for. */
  requests: Array<{ who: string; scope: string }>;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startTokenServer(user: { username: string; password: string }): Promise<TokenServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipper-token-'));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=shipper-test-token-issuer'], { stdio: 'ignore' });
  const key = readFileSync(keyPath, 'utf8');
  const certDer = new X509Certificate(readFileSync(certPath)).raw;
  const service = 'shipper-test-registry';
  const issuer = 'shipper-test-issuer';
  const requests: TokenServer['requests'] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const scope = url.searchParams.get('scope') ?? '';
    const who = basicUser(req.headers.authorization, user);
    requests.push({ who: who ?? 'anonymous', scope });
    if (who === null) return deny(res, 'invalid credentials');
    const access = scope
      .split(' ')
      .filter(Boolean)
      .map((s) => {
        const [type, name, actions] = s.split(':') as [string, string, string];
        const wanted = actions.split(',');
        const allowed = who ? wanted : wanted.filter((a) => a === 'pull' && !name.startsWith('private/'));
        return { type, name, actions: allowed };
      });
    if (access.some((a) => a.actions.length === 0)) return deny(res, 'authentication required');
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] };
    const claims = { iss: issuer, sub: who ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: `${now}-${requests.length}`, access };
    const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(unsigned).sign(key);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `${unsigned}.${b64url(signature)}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** undefined: no credentials; null: wrong ones; else the user name. */
function basicUser(header: string | undefined, user: { username: string; password: string }): string | undefined | null {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded === `${user.username}:${user.password}` ? user.username : null;
}

function deny(res: ServerResponse, message: string): void {
  res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message }] }));
}
