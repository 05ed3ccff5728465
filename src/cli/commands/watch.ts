import { runWatch } from '../../deploy/watch.js';
import { ExitCode, type ExitCodeValue } from '../../errors.js';
import { attachedJournal } from '../../releases/journal.js';
import { releaseStore } from '../history.js';
import type { CliIo } from '../io.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';

export interface WatchOptions extends SessionOptions {
  waitCleanup?: boolean;
}

export async function watchCommand(options: WatchOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const session = await openSession(options, io, deps);
  return session.run(async () => {
    const store = releaseStore(session);
    await runWatch(session.ctx, {
      target: session.target,
      waitCleanup: options.waitCleanup,
      journalFor: (digest) => attachedJournal(store, digest, session.reporter),
    });
    return ExitCode.ok;
  });
}
