/** A yes/no question on the terminal; anything but "y"/"yes" (or Ctrl-C) is a no. */
import { createInterface } from 'node:readline/promises';

export async function confirmOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // readline takes Ctrl-C from the terminal while it reads; without this the prompt would hang.
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: cancel.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (err) {
    if ((err as Error).name === 'AbortError') {
      process.stderr.write('\n');
      return false;
    }
    throw err;
  } finally {
    rl.close();
  }
}
