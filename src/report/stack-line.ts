/**
 * Column layout for stack events, shared by the plain and tty renderers. Output is append-only,
 * so widths cannot be measured after the fact: the logical-id column is sized from the plan
 * (which names every resource up front) and only ever grows; the status column has a fixed
 * width that fits every status that usually carries a reason.
 */
import type { ShipperEvent } from './events.js';
import { type Style, styleStatus } from './style.js';
import { formatClock, formatElapsed } from './time.js';

type StackEvent = Extract<ShipperEvent, { type: 'stack.event' }>;

/** Fits UPDATE_ROLLBACK_IN_PROGRESS; longer statuses (the *_CLEANUP_* ones) rarely carry a reason. */
export const STATUS_WIDTH = 27;
const ELAPSED_WIDTH = 7; // "+59m59s"
const MIN_ID_WIDTH = 16;

export class StackEventColumns {
  private idWidth = MIN_ID_WIDTH;

  /** Make room for these logical ids (call with the plan's resources and the stack name). */
  widenFor(ids: Iterable<string>): void {
    for (const id of ids) this.idWidth = Math.max(this.idWidth, id.length);
  }

  /** `HH:MM:SSZ  +ELAPSED  LogicalId  STATUS  reason`, trailing spaces trimmed. */
  format(event: StackEvent, style: Style): string {
    this.widenFor([event.logicalId]);
    const id = event.logicalId.padEnd(this.idWidth);
    const reason = event.reason ? normaliseReason(event.reason) : '';
    const status = reason ? event.status.padEnd(STATUS_WIDTH) : event.status;
    return this.row(event.timestamp, event.elapsedSeconds, event.isStack ? style.bold(id) : id, styleStatus(event.status, style, status), reason, style);
  }

  /** A non-resource line (the new group's progress, its failed activities) in the same columns. */
  formatNote(at: Date, elapsedSeconds: number | undefined, label: string, text: string, style: Style): string {
    this.widenFor([label]);
    return this.row(at, elapsedSeconds, label.padEnd(this.idWidth), text, '', style);
  }

  private row(at: Date, elapsedSeconds: number | undefined, id: string, status: string, reason: string, style: Style): string {
    const clock = style.dim(formatClock(at));
    const elapsed = style.dim((elapsedSeconds === undefined ? '' : `+${formatElapsed(elapsedSeconds)}`).padStart(ELAPSED_WIDTH));
    return [clock, elapsed, id, status, reason].join('  ').trimEnd();
  }
}

/** CloudFormation reasons come with stray double spaces and line breaks; one line reads better. */
export function normaliseReason(reason: string): string {
  return reason.replace(/\s+/g, ' ').trim();
}
