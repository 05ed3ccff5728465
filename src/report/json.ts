/**
 * NDJSON: one JSON object per event per line, `type` first, the event's own field names,
 * Dates as ISO-8601 strings. Scripts read stdout line by line, so nothing else is written here.
 */
import type { Reporter, ShipperEvent } from './events.js';
import type { TextSink } from './plain.js';

export function eventToJson(event: ShipperEvent): string {
  const { type, ...fields } = event;
  // Date#toJSON yields ISO strings, nested Dates (activity.time) included; JSON.stringify never
  // emits a raw newline, so one event stays one line.
  return JSON.stringify({ type, ...fields });
}

export class JsonReporter implements Reporter {
  constructor(private readonly out: TextSink) {}

  emit(event: ShipperEvent): void {
    this.out.write(`${eventToJson(event)}\n`);
  }

  close(): void {}
}
