/**
 * One-off events rendered the same way by the plain and tty reporters: the reporters differ in
 * mechanics (group headers, a spinner), not in wording. Pure.
 */
import type { ShipperEvent } from './events.js';
import { type Style, noStyle } from './style.js';
import { formatElapsed, formatTimestamp } from './time.js';
import { describeCancellation } from './failure.js';
import { formatDestroyOutcome } from './destroy-outcome.js';

export type NoticeEvent = Extract<
  ShipperEvent,
  {
    type:
      | 'info'
      | 'warning'
      | 'preflight.check'
      | 'stack.busy'
      | 'plan.no-changes'
      | 'operation.started'
      | 'operation.cancelling'
      | 'watch.idle'
      | 'release.recorded'
      | 'notify.result'
      | 'destroy.outcome';
  }
>;

const NOTICE_TYPES = new Set<string>([
  'info',
  'warning',
  'preflight.check',
  'stack.busy',
  'plan.no-changes',
  'operation.started',
  'operation.cancelling',
  'watch.idle',
  'release.recorded',
  'notify.result',
  'destroy.outcome',
]);

export function isNotice(event: ShipperEvent): event is NoticeEvent {
  return NOTICE_TYPES.has(event.type);
}

export function formatNotice(event: NoticeEvent, style: Style = noStyle): string {
  switch (event.type) {
    case 'info':
      return event.message;
    case 'warning':
      return style.pending(`Warning: ${event.message}`);
    case 'preflight.check':
      return `  ${event.ok ? style.ok('ok  ') : style.bad('FAIL')}  ${event.name}: ${event.detail}`;
    case 'stack.busy':
      return style.pending(
        `Stack ${event.stackName} is busy (${event.status}); waiting for it to settle (${formatElapsed(event.waitedSeconds)} so far).`,
      );
    case 'plan.no-changes':
      return `No changes: stack ${event.stackName} already runs this release and configuration.`;
    case 'operation.started': {
      const token = event.token ? style.dim(` (request token ${event.token})`) : '';
      return `Started ${event.operation} of ${event.stackName} at ${formatTimestamp(event.startedAt)}${token}.`;
    }
    case 'operation.cancelling':
      return style.pending(cancellingNotice(event));
    case 'watch.idle':
      return `Stack ${event.stackName} is ${event.status}; nothing is in progress.`;
    case 'release.recorded':
      return `release #${event.number}${event.rollbackOf !== undefined ? ` (rollback to #${event.rollbackOf})` : ''}`;
    case 'notify.result':
      return event.ok ? event.detail : style.pending(`Warning: ${event.detail}`);
    case 'destroy.outcome':
      return formatDestroyOutcome(event.outcome, style).join('\n');
  }
}

function cancellingNotice(event: Extract<ShipperEvent, { type: 'operation.cancelling' }>): string {
  const c = event.cancellation;
  if (!c) return `Cancelling the update (${event.reason}); CloudFormation rolls back to the previous release.`;
  const again = c.by === 'signal' ? ` (${c.signal === 'SIGINT' ? 'Ctrl-C' : c.signal} again to leave it to finish alone)` : '';
  return `Cancelling the update (${describeCancellation(c)}); CloudFormation rolls back to the previous release${again}.`;
}
