/** What `render` and `validate` say about sidecar images, and render's opt-in resolution. */
import { systemClock } from '../aws/api.js';
import { declaredSidecarImages } from '../compose/sidecars/images.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { resolveSidecarImages, type SidecarImages } from '../deploy/sidecar-images.js';
import { RecordingReporter } from '../report/events.js';
import { imageReference } from '../registry/reference.js';
import type { CliIo } from './io.js';
import type { CliDependencies } from './session.js';

/** One sentence per sidecar image named by tag only: offline, nobody has looked its digest up. */
export function unresolvedImageNotes(target: ServiceEnvironment): string[] {
  return declaredSidecarImages(target.service)
    .filter((d) => imageReference(d.image).digest === undefined)
    .map((d) => `sidecar ${d.sidecar} image ${d.image} is unresolved (tag only): deploy resolves it to a digest and pins it; render --resolve-images does it here`);
}

/** render --resolve-images: the same read-only lookups as deploy's preflight. */
export async function resolveForRender(target: ServiceEnvironment, options: { profile?: string }, io: CliIo, deps: CliDependencies): Promise<SidecarImages> {
  const region = target.service.region;
  const makeClients = deps.clients ?? (async (r: string, p?: string, role?: { roleArn?: string }) => (await import('../aws/sdk-factory.js')).createAwsClients({ region: r, profile: p, env: io.env, roleArn: role?.roleArn }));
  const clients = await makeClients(region, options.profile ?? io.env.AWS_PROFILE, { roleArn: target.service.roleArn });
  const reporter = new RecordingReporter();
  const images = await resolveSidecarImages(
    { clients, clock: deps.clock ?? systemClock, reporter, ...(deps.registryFetch ? { registry: { fetch: deps.registryFetch } } : {}) },
    target,
  );
  for (const check of reporter.of('preflight.check')) io.stderr.write(`resolved ${check.name}: ${check.detail}\n`);
  return images;
}
