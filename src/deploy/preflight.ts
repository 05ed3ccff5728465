/**
 * Preflight: read-only checks that must all pass before anything changes. The caller's
 * account, the image, the stack's state (waiting out another operation), and the live
 * group's size, which the new group inherits so a deploy never shrinks a busy service.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { NeedsAttentionError, PreflightError } from '../errors.js';
import { appImageLocation, shortDigest } from '../compose/image.js';
import { isInProgress, mustBeDeletedFirst, needsAttention, changeSetTypeFor } from '../stack-events/status.js';
import { verifyAccount } from './account.js';
import { assertTagIsDigest } from './image-tag-check.js';
import { aws, elapsedSeconds, type DeployContext } from './context.js';
import { currentGroupName, describeGroup, describeStack, liveImage } from './stack-state.js';
import { resolveSidecarImages, type SidecarImages } from './sidecar-images.js';
import { targetFlags } from '../instances/flags.js';

export interface ImageRequest {
  /** Deploy what this tag points at now. */
  tag?: string;
  /** Or deploy exactly this digest (rollback); `tag` is then only recorded. */
  digest?: string;
  /** Rollback: the sidecar images the release recorded (verified, not re-resolved from tags). */
  sidecarImages?: SidecarImages;
  /** Both given by the user: the tag must point at the digest (a rollback's tag is only a label, and may have moved). */
  verifyTag?: boolean;
}

export interface PreflightOptions {
  /** Fail instead of waiting when another operation is in progress. */
  noWaitBusy?: boolean;
  /** How often to look at a busy stack. */
  busyPollMs?: number;
}

export interface PreflightFacts {
  accountId: string;
  /** Who is deploying, as STS sees it. */
  callerArn?: string;
  imageTag?: string;
  imageDigest: string;
  /** The stack as it is now; undefined for a first deploy (or after deleting a failed first create). */
  stack?: Stack;
  changeSetType: 'CREATE' | 'UPDATE';
  /** A first create that failed left a ROLLBACK_COMPLETE stack, which must be deleted before recreating. */
  deleteFailedCreate: boolean;
  liveGroup?: { name: string; desired: number; min: number; max: number; inService: number };
  /** The capacity the new group starts at. */
  desiredCapacity: number;
  previous?: { tag?: string; digest?: string };
  /** Every sidecar's image pinned by digest: the launch template runs these and the release records them. */
  sidecarImages: SidecarImages;
}

export async function preflight(ctx: DeployContext, target: ServiceEnvironment, image: ImageRequest, options: PreflightOptions = {}): Promise<PreflightFacts> {
  const { service, stackName } = target;
  ctx.reporter.emit({ type: 'phase', phase: 'preflight', title: `Preflight checks for ${stackName}` });

  const identity = await verifyAccount(ctx, target);
  const accountId = identity.Account ?? '';
  ctx.reporter.emit({ type: 'preflight.check', name: 'account', ok: true, detail: `${accountId} (${identity.Arn ?? 'caller'})` });

  const { digest, tag } = await resolveImage(ctx, target, image);
  if (image.verifyTag && tag) assertTagIsDigest(tag, (await resolveImage(ctx, target, { tag })).digest, digest, appImageLocation(service).repositoryName);
  ctx.reporter.emit({ type: 'preflight.check', name: 'image', ok: true, detail: `${tag ?? 'digest'} → ${digest}` });
  const sidecarImages = await resolveSidecarImages(ctx, target, image.sidecarImages);

  let stack = await waitUntilSettled(ctx, target, options);
  let deleteFailedCreate = false;
  if (stack && needsAttention(stack.StackStatus ?? '') && !mustBeDeletedFirst(stack.StackStatus ?? '')) {
    throw stuckStack(stackName, stack, target.service.region);
  }
  if (stack && mustBeDeletedFirst(stack.StackStatus ?? '')) {
    if (stack.StackStatus === 'ROLLBACK_FAILED') throw stuckStack(stackName, stack, target.service.region);
    // A first create that rolled back can only be deleted; it never served traffic.
    deleteFailedCreate = true;
    ctx.reporter.emit({ type: 'preflight.check', name: 'stack', ok: true, detail: `${stackName} is ROLLBACK_COMPLETE from a failed first deploy; it will be deleted and created again` });
    stack = undefined;
  }
  const changeSetType = changeSetTypeFor(stack?.StackStatus);
  if (!changeSetType) {
    throw new PreflightError(`stack ${stackName} is ${stack?.StackStatus} and cannot be updated`, { hint: 'see `shipper status` and the CloudFormation console' });
  }
  if (!deleteFailedCreate) {
    ctx.reporter.emit({ type: 'preflight.check', name: 'stack', ok: true, detail: stack ? `${stackName} ${stack.StackStatus}` : `${stackName} does not exist yet: it will be created` });
  }

  const facts: PreflightFacts = { accountId, callerArn: identity.Arn, imageTag: tag, imageDigest: digest, stack, changeSetType, deleteFailedCreate, desiredCapacity: service.capacity.desired, sidecarImages };
  if (stack && changeSetType === 'UPDATE') {
    facts.previous = liveImage(stack);
    const groupName = await currentGroupName(ctx, stackName);
    const group = groupName ? await describeGroup(ctx, groupName) : undefined;
    if (group && groupName) {
      facts.liveGroup = {
        name: groupName,
        desired: group.DesiredCapacity ?? 0,
        min: group.MinSize ?? 0,
        max: group.MaxSize ?? 0,
        inService: (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length,
      };
      if (facts.liveGroup.desired > service.capacity.desired) {
        facts.desiredCapacity = Math.min(facts.liveGroup.desired, service.capacity.max);
      }
      ctx.reporter.emit({
        type: 'preflight.check',
        name: 'capacity',
        ok: true,
        detail:
          facts.desiredCapacity !== service.capacity.desired
            ? `live group ${groupName} runs ${facts.liveGroup.desired}; the new group starts at ${facts.desiredCapacity} (descriptor says ${service.capacity.desired})`
            : `live group ${groupName} runs ${facts.liveGroup.desired}; the new group starts at ${facts.desiredCapacity}`,
      });
    }
  }
  return facts;
}

async function resolveImage(ctx: DeployContext, target: ServiceEnvironment, image: ImageRequest): Promise<{ digest: string; tag?: string }> {
  const location = appImageLocation(target.service);
  const imageId = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag };
  try {
    const out = await aws(ctx, () =>
      ctx.clients.ecr.describeImages({ repositoryName: location.repositoryName, registryId: location.registryAccount, imageIds: [imageId] }),
    );
    const found = out.imageDetails?.[0];
    if (!found?.imageDigest) throw Object.assign(new Error('not found'), { name: 'ImageNotFoundException' });
    return { digest: found.imageDigest, tag: image.tag };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'ImageNotFoundException') {
      const recent = await recentTags(ctx, location.repositoryName, location.registryAccount);
      throw new PreflightError(
        image.digest
          ? `image ${shortDigest(image.digest)} is no longer in ${location.repositoryName} (ECR lifecycle rules may have expired it)`
          : `image tag "${image.tag}" does not exist in ECR repository ${location.repositoryName}`,
        { hint: recent.length ? `recent tags: ${recent.join(', ')}` : 'push the image first (nothing was changed)' },
      );
    }
    if (name === 'RepositoryNotFoundException') {
      throw new PreflightError(`ECR repository ${location.repositoryName} does not exist in account ${location.registryAccount} (${location.registryRegion})`, {
        hint: 'check image.repository in shipper.yml, or create the repository and push the image',
      });
    }
    throw err;
  }
}

async function recentTags(ctx: DeployContext, repositoryName: string, registryId: string): Promise<string[]> {
  try {
    const out = await aws(ctx, () => ctx.clients.ecr.describeImages({ repositoryName, registryId, filter: { tagStatus: 'TAGGED' }, maxResults: 100 }));
    return (out.imageDetails ?? [])
      .sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0))
      .flatMap((d) => d.imageTags ?? [])
      .slice(0, 5);
  } catch {
    return [];
  }
}

/** Another operation is running: wait for it (saying so), unless told not to. */
async function waitUntilSettled(ctx: DeployContext, target: ServiceEnvironment, options: PreflightOptions): Promise<Stack | undefined> {
  const { stackName } = target;
  const started = ctx.clock.now();
  let stack = await describeStack(ctx, stackName);
  while (stack && isInProgress(stack.StackStatus ?? '')) {
    if (options.noWaitBusy) {
      throw new PreflightError(`stack ${stackName} is busy (${stack.StackStatus})`, {
        hint: `follow it with: shipper watch ${targetFlags(target)}; or deploy again without --no-wait-busy to wait for it`,
      });
    }
    ctx.reporter.emit({ type: 'stack.busy', stackName, status: stack.StackStatus ?? '', waitedSeconds: elapsedSeconds(ctx, started) });
    if (ctx.interrupt?.aborted) throw new PreflightError(`stopped waiting for ${stackName} (${stack.StackStatus}); nothing was changed`);
    await ctx.clock.sleep(options.busyPollMs ?? 10_000, ctx.interrupt);
    stack = await describeStack(ctx, stackName);
  }
  return stack;
}

function stuckStack(stackName: string, stack: Stack, region: string): NeedsAttentionError {
  const status = stack.StackStatus ?? '';
  const reason = stack.StackStatusReason ? ` (${stack.StackStatusReason})` : '';
  const hints: Record<string, string> = {
    UPDATE_ROLLBACK_FAILED: `CloudFormation could not roll back a resource. Fix it (or decide to skip it), then run:\n  aws cloudformation continue-update-rollback --stack-name ${stackName} --region ${region} [--resources-to-skip LogicalId]\nthen deploy again.`,
    ROLLBACK_FAILED: `the failed first create could not be cleaned up. Delete the stack:\n  aws cloudformation delete-stack --stack-name ${stackName} --region ${region}\nthen deploy again.`,
    DELETE_FAILED: `a delete left resources behind. Retry the delete (retaining what cannot be deleted):\n  aws cloudformation delete-stack --stack-name ${stackName} --region ${region} [--retain-resources LogicalId]`,
  };
  return new NeedsAttentionError(`stack ${stackName} is ${status}${reason} and cannot be deployed to`, {
    hint: hints[status] ?? 'see the stack events in the CloudFormation console',
  });
}
