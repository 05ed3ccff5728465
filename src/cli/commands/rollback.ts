import { ExitCode, type ExitCodeValue, BadInputError } from '../../errors.js';
import { runRollback } from '../../releases/rollback.js';
import { parseDuration } from '../duration.js';
import { releaseStore, whoIsDeploying } from '../history.js';
import type { CliIo } from '../io.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';

export interface RollbackOptions extends SessionOptions {
  to?: string;
  release?: string;
  yes?: boolean;
  waitCleanup?: boolean;
  timeout?: string;
  waitBusy?: boolean;
  allowSharedChange?: boolean;
  /** false with --no-bake. */
  bake?: boolean;
}

export async function rollbackCommand(options: RollbackOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  if (options.to !== undefined && options.release !== undefined) {
    throw new BadInputError({ path: '--to/--release', message: 'pass either --to TAG or --release N, not both' });
  }
  const release = options.release === undefined ? undefined : Number(options.release.replace(/^#/, ''));
  if (release !== undefined && !(Number.isInteger(release) && release > 0)) {
    throw new BadInputError({ path: '--release', message: `"${options.release}" is not a release number`, expected: 'a number from `shipper releases`' });
  }
  const timeoutMs = options.timeout ? parseDuration(options.timeout, '--timeout') : undefined;
  const who = whoIsDeploying(io, {});
  // A rollback is a deploy of an earlier release: it notifies like one. Its commit is the
  // release's own (recorded in the history), not the checkout's, so none is claimed here.
  const { by, buildUrl } = who();
  const session = await openSession(options, io, deps, { by, buildUrl });
  return session.run(async () => {
    await runRollback(session.ctx, {
      target: session.target,
      want: { to: options.to, release },
      store: releaseStore(session),
      who,
      yes: options.yes,
      waitCleanup: options.waitCleanup,
      timeoutMs,
      noWaitBusy: options.waitBusy === false,
      allowSharedChange: options.allowSharedChange,
      noBake: options.bake === false,
    });
    return ExitCode.ok;
  });
}
