/**
 * Sidecar images as the launch template runs them: the digests preflight resolved replace the
 * tags the descriptor names, and a deploy cannot compose a sidecar whose image it did not resolve.
 */
import { imageReference, loginHost } from '../../registry/reference.js';
import type { ResolvedService, SecretRef } from '../../descriptor/schema.js';
import type { SidecarContribution } from '../containers.js';
import { declaredSidecarImages } from './images.js';

export function pinSidecarImages(sidecars: SidecarContribution[], resolved: Record<string, string> | undefined): SidecarContribution[] {
  if (!resolved) return sidecars;
  return sidecars.map((s) => {
    const image = resolved[s.container.name];
    if (!image) throw new Error(`sidecar ${s.container.name} has no resolved image; preflight resolves every sidecar image`);
    return { ...s, container: { ...s.container, image } };
  });
}

/** The private registries the instance logs in to, from each sidecar's registryCredentials. */
export function registryLogins(service: ResolvedService): Array<{ host: string; secret: SecretRef }> {
  return declaredSidecarImages(service).flatMap((d) =>
    d.registryCredentials ? [{ host: loginHost(imageReference(d.image)), secret: d.registryCredentials }] : [],
  );
}
