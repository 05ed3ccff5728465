/**
 * Picks the renderer for many services from where output goes, as factory.ts does for one:
 * NDJSON with `--json`, a live block of one line per service in a terminal (deploy), and
 * per-service groups in CI logs, pipes and files (and for plan, status and releases).
 */
import type { FleetReporter } from '../fleet/events.js';
import { colorAllowed, isInteractive, isSet, type ReporterChoice } from './factory.js';

export interface FleetRendering {
  verb: string;
  /** deploy: as each service ends, with a live block in a terminal; plan, status, releases: in selection order. */
  order: 'as-they-end' | 'selection';
}

export async function createFleetReporter(choice: ReporterChoice, rendering: FleetRendering): Promise<FleetReporter> {
  const { stream, env } = choice;
  if (choice.json) {
    const { JsonFleetReporter } = await import('./fleet-json.js');
    return new JsonFleetReporter(stream);
  }
  const color = colorAllowed(env);
  if (isInteractive(choice) && rendering.order === 'as-they-end') {
    const { TtyFleetReporter } = await import('./fleet-tty.js');
    return new TtyFleetReporter(stream, { color, verb: rendering.verb, now: choice.now });
  }
  const buildkite = isSet(env.BUILDKITE);
  const { PlainFleetReporter } = await import('./fleet-plain.js');
  return new PlainFleetReporter(stream, {
    buildkite,
    color: color && (buildkite || (choice.isTTY && isInteractive(choice))),
    order: rendering.order,
    verb: rendering.verb,
    progress: rendering.order === 'as-they-end',
    now: choice.now,
  });
}
