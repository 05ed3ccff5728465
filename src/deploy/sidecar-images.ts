/**
 * Preflight for sidecar images: every enabled sidecar's image is resolved to the digest its
 * registry serves now (or, for a rollback, the digest the release recorded is verified to
 * still exist), read-only, in parallel. An image no registry vouches for refuses the deploy.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { PreflightError } from '../errors.js';
import { declaredSidecarImages, type DeclaredImage } from '../compose/sidecars/images.js';
import { CredentialsError } from '../registry/credentials.js';
import { imageReference } from '../registry/reference.js';
import { RegistryAnswerError } from '../registry/registry.js';
import { resolveImage, type RegistryAccess } from '../registry/resolver.js';
import { aws, type DeployContext } from './context.js';

/** Container name → `NAME@sha256:…`. */
export type SidecarImages = Record<string, string>;

export async function resolveSidecarImages(ctx: DeployContext, target: ServiceEnvironment, recorded?: SidecarImages): Promise<SidecarImages> {
  const access: RegistryAccess = { ecr: ctx.clients.ecr, ssm: ctx.clients.ssm, ...ctx.registry, call: (fn) => aws(ctx, fn) };
  const declared = declaredSidecarImages(target.service);
  const resolved = await Promise.all(declared.map((d) => resolveOne(ctx, access, d, recorded)));
  return Object.fromEntries(resolved);
}

async function resolveOne(ctx: DeployContext, access: RegistryAccess, declared: DeclaredImage, recorded?: SidecarImages): Promise<[string, string]> {
  const { sidecar } = declared;
  const pinnedBefore = recorded?.[sidecar];
  if (recorded && !pinnedBefore) {
    ctx.reporter.emit({ type: 'warning', message: `sidecar ${sidecar} has no recorded image in this release; deploying what ${declared.image} names now` });
  }
  // A rollback runs what the release ran, whatever the tag names today.
  const image = pinnedBefore ?? declared.image;
  try {
    const { digest, pinned } = await resolveImage(access, image, declared.registryCredentials);
    const how = pinnedBefore ? 'as recorded' : imageReference(image).tag ? `${imageReference(image).tag} →` : 'exists:';
    ctx.reporter.emit({ type: 'preflight.check', name: `sidecar ${sidecar}`, ok: true, detail: `${imageReference(image).name} ${how} ${digest}` });
    return [sidecar, pinned];
  } catch (err) {
    if (!(err instanceof RegistryAnswerError || err instanceof CredentialsError)) throw err;
    const answer = err instanceof RegistryAnswerError ? `${imageReference(image).registry} answered: ${err.message}` : err.message;
    ctx.reporter.emit({ type: 'preflight.check', name: `sidecar ${sidecar}`, ok: false, detail: `${image}: ${answer}` });
    throw new PreflightError(`sidecar ${sidecar}: image ${image} cannot be deployed; ${answer}`, {
      hint: pinnedBefore
        ? `the release recorded ${image}; it is no longer in its registry (nothing was changed)`
        : `check ${declared.path} (the image, the registry${declared.registryCredentials ? ', registryCredentials' : ''}); nothing was changed`,
    });
  }
}
