/**
 * The flags that select many services (`-f` repeated, `--all`, `--workspace`, `--concurrency`),
 * added to deploy, plan, status and releases, and the switch between the one-service command
 * (unchanged) and its many-services form. Light: `--help` loads nothing more for it.
 */
import type { Command } from 'commander';
import type { ExitCodeValue } from '../errors.js';
import { selectsFleet, singleFile, type SelectionFlags } from '../fleet/flags.js';

export function manyServices(command: Command): Command {
  const file = command.options.find((o) => o.long === '--file');
  if (file) {
    file.description = 'service descriptor; repeat it to act on several services in one command';
    file.argParser((value: string, previous: unknown) => (Array.isArray(previous) ? [...previous, value] : [value]));
  }
  return command
    .option('--all', 'every service listed in the workspace file (shipper.workspace.yml, here or in a parent directory)')
    .option('--workspace <file>', 'the workspace file to read (implies --all)')
    .option('--concurrency <n>', 'with several services: how many run at a time (default 4)');
}

/** Runs the one-service form with its single `-f`, or the many-services form. */
export function oneOrMany<O extends SelectionFlags>(
  opts: O,
  one: (opts: O & { file?: string }) => Promise<ExitCodeValue>,
  many: (opts: O) => Promise<ExitCodeValue>,
): Promise<ExitCodeValue> {
  return selectsFleet(opts) ? many(opts) : one({ ...opts, file: singleFile(opts) });
}
