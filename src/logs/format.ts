/** One log line for people (UTC, src/report/time.ts) or for machines (one JSON object per line). */
import { formatTimestamp } from '../report/time.js';
import type { LogLine } from './read.js';

/** Instance ids are 19 characters (`i-` and 17 hex digits): pad to line the columns up. */
const INSTANCE_WIDTH = 19;

export function formatLogLine(line: LogLine, containerWidth: number): string {
  return `${formatTimestamp(line.time)}  ${(line.instance ?? '-').padEnd(INSTANCE_WIDTH)}  ${line.container.padEnd(containerWidth)}  ${line.message}`;
}

export function logLineJson(line: LogLine): string {
  return JSON.stringify({ time: line.time.toISOString(), instance: line.instance ?? null, container: line.container, message: line.message });
}
