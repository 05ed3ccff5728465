/**
 * Reads the `sidecars/<name>/` directory that ships with shipper: each sidecar's defaults and
 * config templates. Synchronous on purpose: composition is a pure, offline, fast step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { isImageReference, parseImageReference } from '../../registry/reference.js';

export type BuiltInSidecarName = 'reverse-proxy' | 'log-router' | 'metrics-collector';

/**
 * The repository's `sidecars/` directory. This module sits three levels below the package root
 * both as source (src/compose/sidecars/) and compiled (dist/compose/sidecars/).
 */
export const DEFAULT_SIDECARS_DIR = fileURLToPath(new URL('../../../sidecars/', import.meta.url));

export function readSidecarFile(sidecarsDir: string, sidecar: BuiltInSidecarName, file: string): string {
  const path = join(sidecarsDir, sidecar, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new Error(`sidecar file ${path} could not be read; the shipper installation is incomplete`, { cause });
  }
}

/**
 * A sidecar's `defaults.yml`: its image (by tag; deploys resolve and pin it) plus string/number settings the sidecar's code
 * names. Every key the code asks for must be present, so a renamed key fails here, not at boot.
 */
export interface SidecarDefaults {
  image: string;
  string(key: string): string;
  number(key: string): number;
}

export function loadSidecarDefaults(sidecarsDir: string, sidecar: BuiltInSidecarName): SidecarDefaults {
  const file = join(sidecarsDir, sidecar, 'defaults.yml');
  const data: unknown = parseYaml(readSidecarFile(sidecarsDir, sidecar, 'defaults.yml'));
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${file}: expected a mapping`);
  const values = data as Record<string, unknown>;
  const image = values['image'];
  const parsed = typeof image === 'string' ? parseImageReference(image) : undefined;
  // A tag only: a digest written here was never checked against the registry; preflight pins one.
  if (typeof image !== 'string' || !parsed || !isImageReference(parsed) || parsed.tag === undefined || parsed.digest !== undefined) {
    throw new Error(`${file}: image must name a tag (REPOSITORY:TAG); deploys resolve it to a digest`);
  }
  const get = <T extends 'string' | 'number'>(key: string, type: T): T extends 'string' ? string : number => {
    const value = values[key];
    if (typeof value !== type) throw new Error(`${file}: ${key} must be a ${type}`);
    return value as T extends 'string' ? string : number;
  };
  return { image, string: (key) => get(key, 'string'), number: (key) => get(key, 'number') };
}
