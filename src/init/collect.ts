/**
 * Gathers the answers: flags first; then, in a terminal, a prompt (with its default) for each
 * question no flag answered; without a terminal, defaults, and a missing required flag is bad input.
 */
import { BadInputError, type InputProblem } from '../errors.js';
import { initQuestions, setAnswer, type InitAnswers } from './answers.js';

export interface Terminal {
  ask(question: string, fallback?: string): Promise<string>;
  say(line: string): void;
}

export async function collectAnswers(flags: Readonly<Record<string, unknown>>, defaultRegion: string, terminal?: Terminal): Promise<InitAnswers> {
  const answers: Partial<InitAnswers> = {};
  const problems: InputProblem[] = [];
  const missing: string[] = [];
  for (const q of initQuestions(defaultRegion)) {
    const given = flags[q.key];
    if (typeof given === 'string') {
      if (q.check(given.trim())) setAnswer(answers, q.key, given.trim());
      else problems.push({ path: `--${q.flag}`, message: `"${given}" is not valid`, expected: q.expected });
      continue;
    }
    const fallback = q.fallback?.(answers);
    if (!terminal) {
      if (fallback !== undefined) setAnswer(answers, q.key, fallback);
      // A default that depends on a missing answer (the repository on the service) is not missing itself.
      else if (!q.optional && !q.fallback) missing.push(`--${q.flag}`);
      continue;
    }
    for (;;) {
      const text = (await terminal.ask(q.prompt, fallback)).trim();
      if (!text && q.optional) break;
      if (q.check(text)) {
        setAnswer(answers, q.key, text);
        break;
      }
      terminal.say(text ? `"${text}" is not valid: expected ${q.expected}` : `an answer is needed: ${q.expected}`);
    }
  }
  if (missing.length > 0) {
    problems.unshift({
      message: `missing ${missing.join(', ')} (standard input is not a terminal, so shipper init does not ask)`,
      hint: 'e.g. shipper init --service my-service --repository my-team/my-service',
    });
  }
  if (problems.length > 0) throw new BadInputError(problems);
  return answers as InitAnswers;
}
