import { ExitCode, type ExitCodeValue } from '../../errors.js';
import { formatStatus } from '../../report/status-view.js';
import { gatherStatus } from '../../status/gather.js';
import { releaseStore } from '../history.js';
import type { CliIo } from '../io.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';
import { outputStyle } from '../style.js';

export async function statusCommand(options: SessionOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const session = await openSession(options, io, deps);
  try {
    const view = await gatherStatus(session.ctx, session.target, releaseStore(session));
    if (options.json) {
      io.stdout.write(`${JSON.stringify(view)}\n`);
      return ExitCode.ok;
    }
    for (const line of formatStatus(view, session.ctx.clock.now(), outputStyle(io))) io.stdout.write(`${line}\n`);
    return ExitCode.ok;
  } finally {
    session.close();
  }
}
