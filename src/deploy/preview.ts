/**
 * `shipper plan`: everything a deploy does up to the change set (offline checks, preflight,
 * compose, CreateChangeSet), then what CloudFormation says would change, and the change set
 * deleted again. Nothing is executed and no release is recorded. A first deploy's plan also
 * removes the empty stack (REVIEW_IN_PROGRESS) that creating the change set made, so the
 * account is left exactly as it was found.
 */
import { InterruptedError } from '../errors.js';
import type { ImageChange, ParameterChange, ReleasePlan } from '../report/release-plan.js';
import { deleteChangeSet } from './change-set.js';
import { aws, type DeployContext } from './context.js';
import { planRelease, type PlanRequest, type PlannedRelease } from './deploy.js';
import { SharedResourceChangeError, sharedResourceChanges } from './shared-resources.js';
import { checkBeforeAws } from './offline.js';
import type { PreflightFacts } from './preflight.js';
import type { SidecarImages } from './sidecar-images.js';
import { stackParameters } from './stack-state.js';
import { bakeSummary } from '../bake/skip.js';

export type PreviewRequest = Omit<PlanRequest, 'preview' | 'yes'> & {
  /** The sidecar images the live release runs (from the release history), for "old → new"; read-only. */
  liveSidecarImages?: (liveDigest: string | undefined) => Promise<SidecarImages | undefined>;
};

export async function runPlan(ctx: DeployContext, req: PreviewRequest): Promise<ReleasePlan> {
  await checkBeforeAws(ctx, req.target);
  const planned = await planRelease(ctx, { ...req, preview: true });
  try {
    if (ctx.interrupt?.aborted) throw new InterruptedError('interrupted; the change set was deleted and nothing was changed');
    const liveSidecars = await req.liveSidecarImages?.(planned.facts.previous?.digest).catch(() => undefined);
    const plan = releasePlan(req, planned, liveSidecars);
    if (plan.changes) ctx.reporter.emit({ type: 'plan.detail', plan });
    if (plan.sharedResourceChanges.length) {
      // Say now what deploy would refuse after planning, so the block step is not approved for nothing.
      const refusal = new SharedResourceChangeError(plan.sharedResourceChanges);
      ctx.reporter.emit({ type: 'warning', message: `shipper deploy would refuse this plan without --allow-shared-change: ${refusal.message}\n${refusal.hint}` });
    }
    else if (planned.facts.deleteFailedCreate) {
      ctx.reporter.emit({ type: 'info', message: `a deploy first deletes ${req.target.stackName} (ROLLBACK_COMPLETE from a failed first deploy), then creates it with every resource of the template` });
    }
    return plan;
  } finally {
    await removeWhatPlanningMade(ctx, req, planned);
  }
}

async function removeWhatPlanningMade(ctx: DeployContext, req: PreviewRequest, { facts, changeSet }: PlannedRelease): Promise<void> {
  if (!changeSet) return;
  const { stackName } = req.target;
  await deleteChangeSet(ctx, stackName, changeSet.changeSetId);
  // CreateChangeSet of type CREATE made an empty stack in REVIEW_IN_PROGRESS; a preview leaves none.
  if (facts.changeSetType === 'CREATE' && !facts.stack && !facts.deleteFailedCreate) {
    await aws(ctx, () => ctx.clients.cloudFormation.deleteStack({ StackName: changeSet.stackId ?? stackName })).catch(() => undefined);
  }
}

function releasePlan(req: PreviewRequest, { facts, changeSet, bake }: PlannedRelease, liveSidecars: SidecarImages | undefined): ReleasePlan {
  const { target } = req;
  const old = stackParameters(facts.stack);
  const parameters: ParameterChange[] = Object.entries(changeSet?.parameters ?? {}).map(([name, value]) => ({ name, ...(name in old ? { old: old[name] } : {}), new: value }));
  return {
    stackName: target.stackName,
    env: target.env,
    ...(target.instance ? { instance: target.instance.name } : {}),
    operation: facts.changeSetType === 'CREATE' ? 'create' : 'update',
    changes: changeSet !== undefined,
    groupReplaced: changeSet?.groupReplaced ?? false,
    resources: changeSet?.changes ?? [],
    parameters,
    images: imageChanges(facts, liveSidecars),
    capacity: { desired: target.service.capacity.desired, liveDesired: facts.liveGroup?.desired, starts: facts.desiredCapacity },
    sharedResourceChanges: changeSet?.groupReplaced ? sharedResourceChanges(changeSet.resourceChanges) : [],
    ...(bake ? bakeSummary(target, bake, req.noBake) : {}),
  };
}

/** The images every instance runs, old → new: the app, then each sidecar (old as the live release recorded it). */
export function imageChanges(facts: PreflightFacts, liveSidecars: SidecarImages | undefined): ImageChange[] {
  const app: ImageChange = { name: 'app', ...(facts.previous?.digest ? { old: facts.previous } : {}), new: { tag: facts.imageTag, digest: facts.imageDigest } };
  const sidecars = Object.entries(facts.sidecarImages ?? {}).map(([name, pinned]): ImageChange => {
    const old = liveSidecars?.[name];
    return { name, ...(old ? { old: pinnedRef(old) } : {}), new: pinnedRef(pinned) };
  });
  return [app, ...sidecars];
}

/** `NAME@sha256:…` as the image's name (with its tag, if any) and digest. */
function pinnedRef(pinned: string): { tag?: string; digest?: string } {
  const at = pinned.lastIndexOf('@');
  return at < 0 ? { tag: pinned } : { tag: pinned.slice(0, at), digest: pinned.slice(at + 1) };
}
