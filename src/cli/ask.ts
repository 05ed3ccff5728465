/** Questions with a default on the terminal: Enter takes the default, Ctrl-C is an interrupt. */
import { createInterface } from 'node:readline/promises';
import { InterruptedError } from '../errors.js';
import type { PromptStreams } from './confirm.js';

export type Ask = (question: string, fallback?: string) => Promise<string>;

/** One readline interface for a run of questions, closed by `close()`. */
export function terminalAsker(streams: PromptStreams = { input: process.stdin, output: process.stderr }): { ask: Ask; close(): void } {
  const rl = createInterface({ input: streams.input, output: streams.output, terminal: streams.terminal });
  // readline takes Ctrl-C from the terminal while it reads (no SIGINT reaches the process).
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  const ask: Ask = async (question, fallback) => {
    try {
      const answer = await rl.question(fallback ? `${question} [${fallback}]: ` : `${question}: `, { signal: cancel.signal });
      return answer.trim() || fallback || '';
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        streams.output.write('\n');
        throw new InterruptedError('interrupted (Ctrl-C) at the prompt: no file was written');
      }
      throw err;
    }
  };
  return { ask, close: () => rl.close() };
}
