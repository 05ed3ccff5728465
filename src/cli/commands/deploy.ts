import { runDeploy, type DeployRequest } from '../../deploy/deploy.js';
import { BadInputError, ExitCode, type ExitCodeValue } from '../../errors.js';
import { parseDuration } from '../duration.js';
import type { CliIo } from '../io.js';
import { releaseJournal } from '../../releases/journal.js';
import { releaseStore, whoIsDeploying } from '../history.js';
import { openSession, type CliDependencies, type Session, type SessionOptions } from '../session.js';
import { checkDigestFlag } from '../flags.js';

export interface DeployOptions extends SessionOptions {
  imageTag?: string;
  imageDigest?: string;
  yes?: boolean;
  waitCleanup?: boolean;
  timeout?: string;
  waitBusy?: boolean;
  allowSharedChange?: boolean;
  commit?: string;
  branch?: string;
  /** false with --no-bake. */
  bake?: boolean;
}

/** A deploy's own flags, whichever services it selects. */
export type DeployFlags = Omit<DeployOptions, 'file'>;

/** The flags every deploy reads, checked before anything else: the image, the timeout, who deploys. */
export function deployInputs(options: DeployFlags, io: CliIo, imageHint = '') {
  if (!options.imageTag && !options.imageDigest) {
    throw new BadInputError({ path: '--image-tag', message: 'which image should be deployed?', hint: `pass --image-tag TAG (or --image-digest sha256:…)${imageHint}` });
  }
  checkDigestFlag(options.imageDigest);
  const timeoutMs = options.timeout ? parseDuration(options.timeout, '--timeout') : undefined;
  const who = whoIsDeploying(io, options);
  return { timeoutMs, who, ...who() };
}

/** One service's deploy as the flags ask for it; `yes` when a fleet already confirmed it. */
export function deployRequest(options: DeployFlags, session: Session, inputs: ReturnType<typeof deployInputs>, yes = options.yes): DeployRequest {
  const { by, branch, who, timeoutMs } = inputs;
  return {
    target: session.target,
    image: { tag: options.imageTag, digest: options.imageDigest, verifyTag: Boolean(options.imageTag && options.imageDigest) },
    yes,
    waitCleanup: options.waitCleanup,
    timeoutMs,
    noWaitBusy: options.waitBusy === false,
    allowSharedChange: options.allowSharedChange,
    noBake: options.bake === false,
    journal: releaseJournal(releaseStore(session), session.target, who, session.reporter),
    deployedBy: { by, ...(branch ? { branch } : {}) },
  };
}

export async function deployCommand(options: DeployOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const inputs = deployInputs(options, io);
  const { by, commit, buildUrl } = inputs;
  const session = await openSession(options, io, deps, { by, commit, buildUrl });
  return session.run(async () => {
    await runDeploy(session.ctx, deployRequest(options, session, inputs));
    // Anything but live or "no changes" is thrown as a typed error with its own exit code.
    return ExitCode.ok;
  });
}
