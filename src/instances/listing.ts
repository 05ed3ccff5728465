/**
 * `shipper list`: the environment's main stack and every instance, each with its live release
 * (read from its own history), age, owner, branch and expiry. Read-only.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { verifyAccount } from '../deploy/account.js';
import type { DeployContext } from '../deploy/context.js';
import { liveImage } from '../deploy/stack-state.js';
import { historyParameterNames, ReleaseStore } from '../releases/store.js';
import { liveRelease } from '../releases/select.js';
import { isExpired } from './expiry.js';
import { findEnvironmentStacks, mapBounded, type ServiceStack } from './find.js';

export interface ListedStack {
  /** `main` for the environment's own stack, else the instance's name. */
  name: string;
  instance?: string;
  stackName: string;
  status: string;
  createdAt?: Date;
  updatedAt?: Date;
  live?: { tag?: string; digest?: string; release?: number };
  owner?: string;
  branch?: string;
  expiresAt?: Date;
  expiresAtTag?: string;
  expired: boolean;
}

export interface EnvironmentListing {
  service: string;
  env: string;
  /** The main stack's name, whether or not it exists. */
  stackName: string;
  stacks: ListedStack[];
  /** Stacks named like the service's whose tags say otherwise: listed so nobody wonders, never touched. */
  foreign: Array<{ stackName: string; reason: string }>;
  warnings: string[];
}

export async function listEnvironment(ctx: DeployContext, target: ServiceEnvironment): Promise<EnvironmentListing> {
  await verifyAccount(ctx, target);
  const found = await findEnvironmentStacks(ctx, target);
  const now = ctx.clock.now();
  const all = [...(found.main ? [found.main] : []), ...found.instances];
  const warnings: string[] = [];
  const stacks = await mapBounded(all, 4, async (s) => listed(ctx, target, s, now, warnings));
  return { service: target.service.service, env: target.env, stackName: target.stackName, stacks, foreign: found.foreign, warnings };
}

async function listed(ctx: DeployContext, target: ServiceEnvironment, s: ServiceStack, now: Date, warnings: string[]): Promise<ListedStack> {
  const image = liveImage(s.stack);
  const service = target.service.service;
  const names = historyParameterNames(service, target.env, s.instance);
  let release: number | undefined;
  try {
    const history = await new ReleaseStore(ctx.clients.ssm, ctx.clock, service, target.env, s.instance).history();
    release = liveRelease(history.releases, image.digest)?.number;
  } catch (err) {
    // The release number is a nicety here: the stack itself still says what runs.
    warnings.push(`could not read the release history of ${s.stackName} (${names.releases}): ${(err as Error).message}`);
  }
  return {
    name: s.instance ?? 'main',
    ...(s.instance !== undefined ? { instance: s.instance } : {}),
    stackName: s.stackName,
    status: s.status,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    ...(image.tag || image.digest ? { live: { tag: image.tag, digest: image.digest, ...(release !== undefined ? { release } : {}) } } : {}),
    owner: s.owner,
    branch: s.branch,
    expiresAt: s.expiresAt,
    expiresAtTag: s.expiresAtTag,
    expired: isExpired(s, now),
  };
}
