/** A yes/no question on the terminal; anything but "y"/"yes" is a no, and Ctrl-C is an interrupt. */
import { createInterface } from 'node:readline/promises';
import { InterruptedError } from '../errors.js';

export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether `input` is a terminal (readline then reads keys, Ctrl-C included). */
  terminal?: boolean;
}

export async function confirmOnTerminal(question: string, streams: PromptStreams = { input: process.stdin, output: process.stderr }): Promise<boolean> {
  const rl = createInterface({ input: streams.input, output: streams.output, terminal: streams.terminal });
  // readline takes Ctrl-C from the terminal while it reads (no SIGINT reaches the process), so
  // it is turned into the same interrupt as anywhere else: exit 130, nothing changed.
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: cancel.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (err) {
    if ((err as Error).name === 'AbortError') {
      streams.output.write('\n');
      throw new InterruptedError('interrupted (Ctrl-C) at the prompt: stopped before any change was made');
    }
    throw err;
  } finally {
    rl.close();
  }
}
