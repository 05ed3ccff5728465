import { verifyAccount } from '../../deploy/account.js';
import { BadInputError, ExitCode, type ExitCodeValue } from '../../errors.js';
import { followLogs } from '../../logs/follow.js';
import { formatLogLine, logLineJson } from '../../logs/format.js';
import { logSources } from '../../logs/query.js';
import { readLogs, type LogLine } from '../../logs/read.js';
import { formatTimestamp } from '../../report/time.js';
import { parseDuration } from '../duration.js';
import type { CliIo } from '../io.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';

export interface LogsOptions extends SessionOptions {
  since?: string;
  follow?: boolean;
  container?: string;
  instance?: string;
  /** A short-lived instance of the environment (from `--instance` when it is not an EC2 instance id). */
  shipperInstance?: string;
}

const EC2_INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export const DEFAULT_SINCE = '10m';

export async function logsCommand(options: LogsOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const sinceMs = parseDuration(options.since ?? DEFAULT_SINCE, '--since');
  // `--instance i-0abc…` filters by EC2 instance (as it always has); any other name is a short-lived instance of the environment.
  const ec2Instance = options.instance !== undefined && EC2_INSTANCE_ID.test(options.instance);
  options = ec2Instance ? options : { ...options, shipperInstance: options.instance, instance: undefined };
  checkFilters(options);
  const session = await openSession({ ...options, instance: options.shipperInstance }, io, deps);
  try {
    const { query, notes } = logSources(session.target, { container: options.container, instance: options.instance });
    await verifyAccount(session.ctx, session.target);
    for (const note of notes) io.stderr.write(`note: ${note}\n`);
    let containerWidth = 3;
    // Columns line up within a batch; a follow widens them when a longer container name shows up.
    const print = (lines: LogLine[]) => {
      for (const line of lines) containerWidth = Math.max(containerWidth, line.container.length);
      for (const line of lines) io.stdout.write(`${options.json ? logLineJson(line) : formatLogLine(line, containerWidth)}\n`);
    };
    const startTime = session.ctx.clock.now().getTime() - sinceMs;
    if (!options.follow) {
      const lines = await readLogs(session.ctx, query, startTime);
      print(lines);
      if (!lines.length) io.stderr.write(`no log lines in ${query.logGroupName} since ${formatTimestamp(new Date(startTime))}${filterText(options)}\n`);
      return ExitCode.ok;
    }
    // Ctrl-C is how a follow ends: it stops the loop, and the command ends normally.
    session.cleanUpOnInterrupt();
    await followLogs(session.ctx, query, startTime, print, { signal: session.ctx.interrupt });
    return ExitCode.ok;
  } finally {
    session.close();
  }
}

function filterText(options: LogsOptions): string {
  const parts = [options.container ? `container ${options.container}` : '', options.instance ? `instance ${options.instance}` : ''].filter(Boolean);
  return parts.length ? ` for ${parts.join(', ')}` : '';
}

function checkFilters(options: LogsOptions): void {
  if (options.instance !== undefined && !/^i-[0-9a-f]{8,17}$/.test(options.instance)) {
    throw new BadInputError({ path: '--instance', message: `"${options.instance}" is not an EC2 instance id`, expected: 'i- followed by 8 or 17 hex digits, e.g. i-0abc123def4567890' });
  }
  if (options.container !== undefined && !/^[a-z0-9][a-z0-9_.-]*$/.test(options.container)) {
    throw new BadInputError({ path: '--container', message: `"${options.container}" is not a container name`, expected: 'app, log-router, metrics-collector, reverse-proxy, a custom sidecar, or boot' });
  }
}
