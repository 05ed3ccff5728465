/**
 * The OCI distribution API (what Docker Hub, public.ecr.aws, GHCR, Quay and the CNCF
 * Distribution registry speak): `HEAD /v2/<name>/manifests/<reference>` answers with the
 * manifest digest in `Docker-Content-Digest`. A 401 names how to authenticate in
 * `WWW-Authenticate`: Bearer (get a token from the realm, anonymously or with basic
 * credentials, for `repository:<name>:pull`) or Basic (send the credentials).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry
 * https://distribution.github.io/distribution/spec/auth/token/
 */
import { createHash } from 'node:crypto';
import type { ImageReference } from './reference.js';
import { SHA256_DIGEST } from './reference.js';
import { RegistryAnswerError, type ManifestLookup, type RegistryCredentials } from './registry.js';
import { readText, registryBaseUrl, send, type Transport } from './transport.js';

/** Every manifest kind a multi-arch or single image may be served as. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export class OciRegistry implements ManifestLookup {
  constructor(
    private readonly transport: Transport,
    private readonly credentials?: RegistryCredentials,
  ) {}

  async manifestDigest(ref: ImageReference, reference: string): Promise<string> {
    const url = `${registryBaseUrl(ref.registry)}/v2/${ref.repository}/manifests/${reference}`;
    const headers: Record<string, string> = { Accept: MANIFEST_TYPES };
    let response = await send(this.transport, url, { method: 'HEAD', headers });
    if (response.status === 401) {
      headers.Authorization = await this.authorization(ref, response.headers.get('www-authenticate'));
      response = await send(this.transport, url, { method: 'HEAD', headers });
    }
    if (!response.ok) throw new RegistryAnswerError(await this.explain(url, headers, response));
    const digest = response.headers.get('docker-content-digest') ?? (await this.digestOfBody(url, headers));
    if (!SHA256_DIGEST.test(digest)) throw new RegistryAnswerError(`digest "${digest}", not a sha256 digest`);
    if (SHA256_DIGEST.test(reference) && digest !== reference) {
      throw new RegistryAnswerError(`served ${digest} for ${reference}`);
    }
    return digest;
  }

  /** The Authorization header the challenge asks for. */
  private async authorization(ref: ImageReference, challenge: string | null): Promise<string> {
    const parsed = parseChallenge(challenge ?? '');
    if (parsed?.scheme === 'basic') {
      if (!this.credentials) throw new RegistryAnswerError('a user name and password are required (HTTP 401, Basic); set registryCredentials for this image');
      return basic(this.credentials);
    }
    if (parsed?.scheme !== 'bearer' || !parsed.params.realm) {
      throw new RegistryAnswerError(`HTTP 401 without a usable WWW-Authenticate challenge (${challenge ?? 'none'})`);
    }
    const tokenUrl = new URL(parsed.params.realm);
    if (parsed.params.service) tokenUrl.searchParams.set('service', parsed.params.service);
    tokenUrl.searchParams.set('scope', parsed.params.scope ?? `repository:${ref.repository}:pull`);
    const tokenResponse = await send(this.transport, tokenUrl.toString(), {
      method: 'GET',
      headers: this.credentials ? { Authorization: basic(this.credentials) } : {},
    });
    const body = await readText(tokenResponse);
    if (!tokenResponse.ok) {
      throw new RegistryAnswerError(`the token service ${tokenUrl.host} refused a pull token: ${errorText(body) ?? `HTTP ${tokenResponse.status}`}`);
    }
    let token: unknown;
    try {
      const json = JSON.parse(body) as { token?: unknown; access_token?: unknown };
      token = json.token ?? json.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') throw new RegistryAnswerError(`the token service ${tokenUrl.host} answered without a token`);
    return `Bearer ${token}`;
  }

  /** A HEAD answer has no body: GET the same URL for the registry's own error code and message. */
  private async explain(url: string, headers: Record<string, string>, head: Response): Promise<string> {
    let detail: string | undefined;
    try {
      const response = await send(this.transport, url, { method: 'GET', headers });
      detail = errorText(await readText(response));
    } catch {
      detail = undefined;
    }
    return `${detail ?? head.statusText ?? 'error'} (HTTP ${head.status})`;
  }

  /** Registries that omit Docker-Content-Digest on HEAD: the digest is the sha256 of the manifest bytes. */
  private async digestOfBody(url: string, headers: Record<string, string>): Promise<string> {
    const response = await send(this.transport, url, { method: 'GET', headers });
    if (!response.ok) throw new RegistryAnswerError(`HTTP ${response.status} reading the manifest`);
    const bytes = Buffer.from(await response.arrayBuffer());
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  }
}

function basic(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** `Bearer realm="https://…",service="…",scope="…"` → scheme and parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[key!.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/** The distribution API's error body `{"errors":[{"code","message"}]}` as one line. */
function errorText(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { errors?: Array<{ code?: string; message?: string }>; details?: string };
    const errors = (json.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).filter(Boolean);
    return errors.length ? errors.join('; ') : undefined;
  } catch {
    const text = body.trim().split('\n')[0]?.slice(0, 200);
    return text || undefined;
  }
}
