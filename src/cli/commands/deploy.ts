import { runDeploy } from '../../deploy/deploy.js';
import { BadInputError, ExitCode, type ExitCodeValue } from '../../errors.js';
import { parseDuration } from '../duration.js';
import type { CliIo } from '../io.js';
import { releaseJournal } from '../../releases/journal.js';
import { releaseStore, whoIsDeploying } from '../history.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';
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

export async function deployCommand(options: DeployOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  if (!options.imageTag && !options.imageDigest) {
    throw new BadInputError({ path: '--image-tag', message: 'which image should be deployed?', hint: 'pass --image-tag TAG (or --image-digest sha256:…)' });
  }
  checkDigestFlag(options.imageDigest);
  const timeoutMs = options.timeout ? parseDuration(options.timeout, '--timeout') : undefined;
  const who = whoIsDeploying(io, options);
  const { by, commit, buildUrl, branch } = who();
  const session = await openSession(options, io, deps, { by, commit, buildUrl });
  return session.run(async () => {
    await runDeploy(session.ctx, {
      target: session.target,
      image: { tag: options.imageTag, digest: options.imageDigest, verifyTag: Boolean(options.imageTag && options.imageDigest) },
      yes: options.yes,
      waitCleanup: options.waitCleanup,
      timeoutMs,
      noWaitBusy: options.waitBusy === false,
      allowSharedChange: options.allowSharedChange,
      noBake: options.bake === false,
      journal: releaseJournal(releaseStore(session), session.target, who, session.reporter),
      deployedBy: { by, ...(branch ? { branch } : {}) },
    });
    // Anything but live or "no changes" is thrown as a typed error with its own exit code.
    return ExitCode.ok;
  });
}
