/**
 * The last line of a `--json` run that failed: `{"type":"error","exitCode":3,...}`. Written by
 * the CLI's one error handler, not by core, because failures before any reporter exists (a bad
 * descriptor, bad flags) must end the stream the same way as a failed deploy.
 */
import type { ExitCodeValue, InputProblem } from '../errors.js';

export type ErrorKind = 'internal' | 'bad-input' | 'preflight-refused' | 'deploy-rolled-back' | 'needs-attention' | 'not-confirmed' | 'aws' | 'interrupted' | 'services-failed';

export interface ErrorEvent {
  type: 'error';
  exitCode: ExitCodeValue;
  /** The exit code's meaning in a word (README "Exit codes"). */
  kind: ErrorKind;
  message: string;
  /** What to do next, or null. */
  hint: string | null;
  /** Bad input only: each problem with its file, line, key path and what was expected. */
  problems?: InputProblem[];
}

const KINDS: Record<number, ErrorKind> = {
  1: 'internal',
  2: 'bad-input',
  3: 'preflight-refused',
  4: 'deploy-rolled-back',
  5: 'needs-attention',
  6: 'not-confirmed',
  7: 'aws',
  8: 'services-failed',
  130: 'interrupted',
};

export function errorEvent(failure: { exitCode: ExitCodeValue; message: string; hint?: string; problems?: InputProblem[] }): ErrorEvent {
  return {
    type: 'error',
    exitCode: failure.exitCode,
    kind: KINDS[failure.exitCode] ?? 'internal',
    message: failure.message,
    hint: failure.hint ?? null,
    ...(failure.problems ? { problems: failure.problems } : {}),
  };
}

/** One line of NDJSON, like every other event. */
export function errorEventLine(failure: Parameters<typeof errorEvent>[0]): string {
  return JSON.stringify(errorEvent(failure));
}
