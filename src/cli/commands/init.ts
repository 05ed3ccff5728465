import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BadInputError, ExitCode, type ExitCodeValue } from '../../errors.js';
import { collectAnswers, type Terminal } from '../../init/collect.js';
import { INIT_FILES, placeholdersLeft, scaffoldFiles } from '../../init/scaffold.js';
import { terminalAsker } from '../ask.js';
import type { CliIo } from '../io.js';

export interface InitDependencies {
  /** The terminal to ask on (default: stdin and stderr when stdin is a terminal). */
  terminal?: Terminal & { close?(): void };
}

export async function initCommand(flags: Record<string, unknown>, io: CliIo, deps: InitDependencies = {}): Promise<ExitCodeValue> {
  // Checked before any question, so nobody answers prompts only to be refused.
  const existing = INIT_FILES.filter((file) => existsSync(path.join(io.cwd, file)));
  if (existing.length > 0) {
    throw new BadInputError(
      { message: `shipper init writes nothing because ${existing.length === 1 ? 'this file exists' : 'these files exist'} in ${io.cwd}: ${existing.join(', ')}` },
      { hint: 'shipper init never overwrites a file: move them aside, or run it in a new directory' },
    );
  }
  const terminal = deps.terminal ?? (io.stdinIsTTY ? defaultTerminal(io) : undefined);
  const region = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || 'us-east-1';
  let answers;
  try {
    answers = await collectAnswers(flags, region, terminal);
  } finally {
    terminal?.close?.();
  }

  const files = scaffoldFiles(answers);
  for (const file of files) {
    const target = path.join(io.cwd, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    // 'wx': a file that appeared since the check above is still never overwritten.
    writeFileSync(target, file.content, { flag: 'wx' });
    io.stdout.write(`wrote ${file.path}\n`);
  }
  const left = placeholdersLeft(answers);
  if (left.length > 0) io.stdout.write(`\nReplace these placeholders in shipper.yml before the first deploy:\n${left.map((p) => `  ${p}\n`).join('')}`);
  io.stdout.write(
    '\nNext:\n' +
      '  shipper validate --env test && shipper validate --env prod\n' +
      '  commit the files and create a Buildkite pipeline that runs: buildkite-agent pipeline upload\n',
  );
  return ExitCode.ok;
}

function defaultTerminal(io: CliIo): Terminal & { close(): void } {
  const { ask, close } = terminalAsker();
  return { ask, close, say: (line) => io.stderr.write(`${line}\n`) };
}
