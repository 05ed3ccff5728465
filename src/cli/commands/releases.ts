import { verifyAccount } from '../../deploy/account.js';
import { describeStack, liveImage } from '../../deploy/stack-state.js';
import { ExitCode, type ExitCodeValue } from '../../errors.js';
import { liveRelease } from '../../releases/select.js';
import { formatReleasesTable } from '../../report/releases-table.js';
import { releaseStore } from '../history.js';
import type { CliIo } from '../io.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';
import { outputStyle } from '../style.js';

export async function releasesCommand(options: SessionOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const session = await openSession(options, io, deps);
  try {
    await verifyAccount(session.ctx, session.target);
    const [history, stack] = await Promise.all([releaseStore(session).history(), describeStack(session.ctx, session.target.stackName)]);
    const live = liveRelease(history.releases, liveImage(stack).digest);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ stackName: session.target.stackName, live: live?.number ?? null, releases: history.releases, unreadable: history.unreadable })}\n`);
      return ExitCode.ok;
    }
    const style = outputStyle(io);
    for (const line of formatReleasesTable(history.releases, live, session.ctx.clock.now(), style)) io.stdout.write(`${line}\n`);
    for (const problem of history.unreadable) io.stderr.write(`warning: ${problem}\n`);
    return ExitCode.ok;
  } finally {
    session.close();
  }
}
