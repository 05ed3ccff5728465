/**
 * Runs a helper program (a CI agent) with text on standard input, bounded in time. A CI helper
 * must never hold up or change a deploy: every way it can go wrong is a result, never a throw.
 */
import { spawn } from 'node:child_process';

export type ProgramResult =
  | { kind: 'ok' }
  | { kind: 'missing' }
  | { kind: 'failed'; exitCode: number | null; signal?: string; stderr: string }
  | { kind: 'timed-out'; afterMs: number }
  | { kind: 'error'; message: string };

export interface ProgramCall {
  command: string;
  args: string[];
  stdin?: string;
  /** PATH in here is where the command is looked up. */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export type ProgramRunner = (call: ProgramCall) => Promise<ProgramResult>;

/** Kept so a chatty failure still fits a one-line warning. */
const MAX_STDERR = 4000;
const STDERR_GRACE_MS = 200;

export const runProgram: ProgramRunner = (call) =>
  new Promise((resolve) => {
    let settled = false;
    const done = (result: ProgramResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    let stderr = '';
    // Its own process group, so a hung helper and anything it started can be stopped together.
    const child = spawn(call.command, call.args, { env: call.env, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      stopGroup(child.pid);
      done({ kind: 'timed-out', afterMs: call.timeoutMs });
    }, call.timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', message: err.message }));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8');
    });
    let stderrEnded = false;
    child.stderr?.on('end', () => (stderrEnded = true));
    // 'exit', not 'close': a grandchild that keeps the pipes open must not hold us; the last of
    // standard error gets a moment to arrive.
    child.on('exit', (code, signal) => {
      const finish = () => done(code === 0 ? { kind: 'ok' } : { kind: 'failed', exitCode: code, ...(signal ? { signal } : {}), stderr });
      if (stderrEnded || !child.stderr) return finish();
      child.stderr.on('end', finish);
      setTimeout(finish, STDERR_GRACE_MS).unref();
    });
    // A helper that exits without reading its input closes the pipe: that is its exit status's business.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(call.stdin ?? '');
    child.unref();
  });

function stopGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
