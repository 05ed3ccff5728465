import { runPlan } from '../../deploy/preview.js';
import { BadInputError, ExitCode, type ExitCodeValue } from '../../errors.js';
import { liveRelease } from '../../releases/select.js';
import { releaseStore, whoIsDeploying } from '../history.js';
import type { CliIo } from '../io.js';
import { checkDigestFlag } from '../flags.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';

export interface PlanOptions extends SessionOptions {
  imageTag?: string;
  imageDigest?: string;
  waitBusy?: boolean;
  /** false with --no-bake. */
  bake?: boolean;
}

export async function planCommand(options: PlanOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  if (!options.imageTag && !options.imageDigest) {
    throw new BadInputError({ path: '--image-tag', message: 'which image should be planned?', hint: 'pass --image-tag TAG (or --image-digest sha256:…)' });
  }
  checkDigestFlag(options.imageDigest);
  // With --json, stdout carries the plan as one object; progress goes to stderr as text.
  const session = await openSession({ ...options, json: false }, options.json ? { ...io, stdout: io.stderr } : io, deps);
  session.cleanUpOnInterrupt();
  try {
    const plan = await runPlan(session.ctx, {
      target: session.target,
      image: { tag: options.imageTag, digest: options.imageDigest, verifyTag: Boolean(options.imageTag && options.imageDigest) },
      noWaitBusy: options.waitBusy === false,
      noBake: options.bake === false,
      ...(session.target.instance ? { deployedBy: whoIsDeploying(io, {})() } : {}),
      liveSidecarImages: async (liveDigest) => liveRelease((await releaseStore(session).history()).releases, liveDigest)?.sidecarImages,
    });
    if (options.json) io.stdout.write(`${JSON.stringify(plan)}\n`);
    return ExitCode.ok;
  } finally {
    session.close();
  }
}
