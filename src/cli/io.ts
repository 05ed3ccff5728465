/** The process's streams and environment, injected so the CLI runs in-process in tests. */
import { dropWritesWhenClosed } from './closed-pipe.js';

export interface TextOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: TextOut;
  stderr: TextOut;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdinIsTTY: boolean;
}

export function processIo(): CliIo {
  dropWritesWhenClosed(process.stdout);
  dropWritesWhenClosed(process.stderr);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdinIsTTY: Boolean(process.stdin.isTTY),
  };
}
