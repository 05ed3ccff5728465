/** The process's streams and environment, injected so the CLI runs in-process in tests. */
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
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdinIsTTY: Boolean(process.stdin.isTTY),
  };
}
