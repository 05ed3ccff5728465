/** Runs the CLI in-process with captured output. */
import { runCli } from '../../src/cli/program.js';
import type { CliDependencies } from '../../src/cli/session.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; deps?: CliDependencies; isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      stdout: { write: (s: string) => (stdout += s), isTTY: options.isTTY ?? false },
      stderr: { write: (s: string) => (stderr += s) },
      env: options.env ?? { PATH: process.env.PATH },
      cwd: options.cwd ?? process.cwd(),
      stdinIsTTY: false,
    },
    options.deps,
  );
  return { code, stdout, stderr };
}
