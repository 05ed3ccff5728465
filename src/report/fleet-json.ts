/**
 * NDJSON for many services: every event of a service carries `service` and `env` right after
 * `type`, so a script can follow one service with `jq 'select(.service == "billing")'`. The
 * fleet's own events (`fleet.started`, `fleet.service-started`, `fleet.service-ended`,
 * `fleet.summary`) follow the same shape.
 */
import type { FleetEvent, FleetReporter } from '../fleet/events.js';
import type { Reporter, ShipperEvent } from './events.js';
import type { TextSink } from './plain.js';

export function taggedEventJson(event: ShipperEvent, service: string, env: string): string {
  const { type, ...fields } = event;
  return JSON.stringify({ type, service, env, ...fields });
}

export function fleetEventJson(event: FleetEvent): string {
  switch (event.type) {
    case 'fleet.service-ended': {
      const { service, env, ...result } = event.result;
      return JSON.stringify({ type: event.type, service, env, ...result, done: event.done, total: event.total });
    }
    case 'fleet.summary':
      return JSON.stringify({ type: event.type, env: event.env, exitCode: event.exitCode, services: event.results });
    default:
      return JSON.stringify(event);
  }
}

export class JsonFleetReporter implements FleetReporter {
  constructor(private readonly out: TextSink) {}

  lane(service: string, env: string): Reporter {
    return {
      emit: (event) => void this.out.write(`${taggedEventJson(event, service, env)}\n`),
      close: () => undefined,
    };
  }

  emit(event: FleetEvent): void {
    this.out.write(`${fleetEventJson(event)}\n`);
  }

  close(): void {}
}
