/**
 * Picks the renderer for where output is going. The interactive renderer (and with it ora and
 * chalk) is imported only when it is chosen, so `shipper --help` and CI runs never load them.
 */
import type { Reporter } from './events.js';
import type { TtyStream } from './tty.js';

export interface ReporterChoice {
  /** `--json`: NDJSON events, nothing else. */
  json: boolean;
  stream: TtyStream;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  now?: () => Date;
}

/** A variable counts as set unless it is missing, empty, "0" or "false" (`CI=false` exists in the wild). */
export function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function isCi(env: ReporterChoice['env']): boolean {
  return isSet(env.CI) || isSet(env.BUILDKITE);
}

/** no-color.org: any non-empty NO_COLOR disables colour; a dumb terminal cannot show it either. */
export function colorAllowed(env: ReporterChoice['env']): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') && env.TERM !== 'dumb';
}

export function isInteractive(choice: Pick<ReporterChoice, 'isTTY' | 'env'>): boolean {
  return choice.isTTY && !isCi(choice.env) && choice.env.TERM !== 'dumb';
}

export async function createReporter(choice: ReporterChoice): Promise<Reporter> {
  const { stream, env } = choice;
  if (choice.json) {
    const { JsonReporter } = await import('./json.js');
    return new JsonReporter(stream);
  }
  const color = colorAllowed(env);
  if (isInteractive(choice)) {
    const { TtyReporter } = await import('./tty.js');
    return new TtyReporter(stream, { color, now: choice.now });
  }
  const buildkite = isSet(env.BUILDKITE);
  const { PlainReporter } = await import('./plain.js');
  // Buildkite renders ANSI colours in its log view; a plain pipe or file is better without them.
  return new PlainReporter(stream, { buildkite, color: color && (buildkite || choice.isTTY), now: choice.now });
}
