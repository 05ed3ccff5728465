/**
 * The image every enabled sidecar runs, as the descriptor (or the sidecar's defaults.yml)
 * names it, before preflight resolves it to a digest; with the secret a private registry needs.
 */
import type { ResolvedService, SecretRef } from '../../descriptor/schema.js';
import { DEFAULT_SIDECARS_DIR, loadSidecarDefaults, type BuiltInSidecarName } from './files.js';

export interface DeclaredImage {
  /** The container's name: `log-router`, `reverse-proxy`, `metrics-collector` or a custom one. */
  sidecar: string;
  /** As written: `REPO:TAG`, `REPO@DIGEST` or `REPO:TAG@DIGEST`. */
  image: string;
  /** Where it is set, for messages. */
  path: string;
  registryCredentials?: SecretRef;
}

const BUILT_IN: BuiltInSidecarName[] = ['log-router', 'reverse-proxy', 'metrics-collector'];

export function declaredSidecarImages(service: ResolvedService, sidecarsDir: string = DEFAULT_SIDECARS_DIR): DeclaredImage[] {
  const images: DeclaredImage[] = [];
  for (const name of BUILT_IN) {
    const settings = service.sidecars[name];
    if (!settings.enabled) continue;
    images.push({
      sidecar: name,
      image: settings.image ?? loadSidecarDefaults(sidecarsDir, name).image,
      path: settings.image ? `sidecars.${name}.image` : `sidecars/${name}/defaults.yml image`,
      ...(settings.registryCredentials ? { registryCredentials: settings.registryCredentials } : {}),
    });
  }
  service.sidecars.custom.forEach((custom, index) => {
    images.push({
      sidecar: custom.name,
      image: custom.image,
      path: `sidecars.custom.${index}.image`,
      ...(custom.registryCredentials ? { registryCredentials: custom.registryCredentials } : {}),
    });
  });
  return images;
}
