/**
 * HTTP to a registry: plain HTTP only for a registry on a loopback address (as Docker allows
 * without configuration), HTTPS for every other; and every request bounded by a timeout, so a
 * registry that never answers is an error, not a hang.
 */
import { RegistryAnswerError } from './registry.js';

export type Fetch = typeof globalThis.fetch;

/** A few seconds: a registry answers a manifest HEAD in milliseconds. */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 5000;

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

export function isLoopbackRegistry(host: string): boolean {
  return LOOPBACK.test(host);
}

export function registryBaseUrl(host: string): string {
  return `${isLoopbackRegistry(host) ? 'http' : 'https'}://${host}`;
}

export interface Transport {
  fetch: Fetch;
  timeoutMs: number;
}

/** One request with its own deadline; network failures become the registry's "answer". */
export async function send(transport: Transport, url: string, init: RequestInit): Promise<Response> {
  const host = new URL(url).host;
  try {
    return await transport.fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(transport.timeoutMs) });
  } catch (err) {
    const error = err as Error & { cause?: { code?: string; message?: string } };
    if (error.name === 'TimeoutError' || error.name === 'AbortError') {
      throw new RegistryAnswerError(`no answer from ${host} within ${Math.round(transport.timeoutMs / 100) / 10}s`, { cause: err });
    }
    const detail = error.cause?.code ?? error.cause?.message ?? error.message;
    throw new RegistryAnswerError(`cannot reach ${host}: ${detail}`, { cause: err });
  }
}

/** Reads a body within the same kind of deadline (a registry may stall mid-body too). */
export async function readText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}
