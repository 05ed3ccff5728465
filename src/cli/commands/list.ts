import { ExitCode, type ExitCodeValue } from '../../errors.js';
import { listEnvironment } from '../../instances/listing.js';
import { formatEnvironmentTable } from '../../report/environment-table.js';
import type { CliIo } from '../io.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';
import { outputStyle } from '../style.js';

/** `shipper list`: the environment's main stack and its instances (read-only). */
export async function listCommand(options: SessionOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const session = await openSession(options, io, deps);
  try {
    const listing = await listEnvironment(session.ctx, session.target);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ ...listing, now: session.ctx.clock.now() })}\n`);
      return ExitCode.ok;
    }
    for (const line of formatEnvironmentTable(listing, session.ctx.clock.now(), outputStyle(io))) io.stdout.write(`${line}\n`);
    return ExitCode.ok;
  } finally {
    session.close();
  }
}
