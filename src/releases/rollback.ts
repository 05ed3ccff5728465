/**
 * Rollback: deploy an earlier release's recorded digest through the very same immutable
 * replacement and safety checks as any deploy. Tags can move; the digest is what ran.
 */
import { shortDigest } from '../compose/image.js';
import { appImageLocation } from '../compose/image.js';
import { verifyAccount } from '../deploy/account.js';
import { checkBeforeAws } from '../deploy/offline.js';
import { aws, type DeployContext } from '../deploy/context.js';
import { runDeploy, type DeployOutcome, type DeployRequest } from '../deploy/deploy.js';
import { describeStack, liveImage } from '../deploy/stack-state.js';
import { formatTimestamp } from '../report/time.js';
import type { Provenance } from './provenance.js';
import { releaseJournal } from './journal.js';
import { refuseUnconfirmedSkip } from '../bake/skip.js';
import { rollbackTarget, type RollbackTarget } from './select.js';
import type { ReleaseStore } from './store.js';

export interface RollbackRequest extends Omit<DeployRequest, 'image' | 'journal'> {
  want: RollbackTarget;
  store: ReleaseStore;
  who: (callerArn?: string) => Provenance;
}

export async function runRollback(ctx: DeployContext, req: RollbackRequest): Promise<DeployOutcome> {
  const { target } = req;
  refuseUnconfirmedSkip(req);
  await checkBeforeAws(ctx, target);
  await verifyAccount(ctx, target);
  const [history, stack] = await Promise.all([req.store.history(), describeStack(ctx, target.stackName)]);
  for (const problem of history.unreadable) ctx.reporter.emit({ type: 'warning', message: problem });
  const liveDigest = liveImage(stack).digest;
  const release = rollbackTarget(history.releases, liveDigest, req.want);
  ctx.reporter.emit({
    type: 'info',
    message: `rolling back to release #${release.number}: ${release.imageTag ?? '(no tag)'} ${shortDigest(release.imageDigest)}, deployed ${formatTimestamp(release.startedAt)} by ${release.by}`,
  });
  if (release.imageTag) await warnIfTagMoved(ctx, req, release.imageTag, release.imageDigest);
  if (!release.sidecarImages) {
    ctx.reporter.emit({ type: 'warning', message: `release #${release.number} recorded no sidecar images (recorded by an older shipper); the sidecars' tags are resolved now` });
  }
  return runDeploy(ctx, {
    ...req,
    image: { digest: release.imageDigest, tag: release.imageTag, sidecarImages: release.sidecarImages },
    // An instance rolled back is tagged with who did it and the release's branch.
    deployedBy: { by: req.who().by, ...(release.branch ? { branch: release.branch } : {}) },
    // The image was built from the release's commit, not from whatever is checked out now.
    journal: releaseJournal(req.store, target, (arn) => ({ ...req.who(arn), commit: release.commit, branch: release.branch }), ctx.reporter, release.number),
  });
}

async function warnIfTagMoved(ctx: DeployContext, req: RollbackRequest, tag: string, recorded: string): Promise<void> {
  const location = appImageLocation(req.target.service);
  try {
    const out = await aws(ctx, () => ctx.clients.ecr.describeImages({ repositoryName: location.repositoryName, registryId: location.registryAccount, imageIds: [{ imageTag: tag }] }));
    const now = out.imageDetails?.[0]?.imageDigest;
    if (now && now !== recorded) {
      ctx.reporter.emit({ type: 'warning', message: `tag ${tag} now points at ${shortDigest(now)}; deploying the recorded digest ${shortDigest(recorded)} of that release` });
    }
  } catch (err) {
    if (!(err instanceof Error && err.name === 'ImageNotFoundException')) throw err;
    ctx.reporter.emit({ type: 'warning', message: `tag ${tag} no longer exists; deploying the recorded digest ${shortDigest(recorded)}` });
  }
}
