/**
 * How a bake reads, the same in a terminal, a CI log and a notification: its start (how long,
 * which alarms), its progress (who serves, each alarm's state, the time left), a breach (which
 * alarm, CloudWatch's reason, when), and its end. Pure. Times are UTC (time.ts).
 */
import type { BakeAlarmView, BakeBreach, FailureReport, ShipperEvent } from './events.js';
import { type Style, noStyle } from './style.js';
import { formatElapsed, formatTimestamp } from './time.js';

export type BakeEvent = Extract<ShipperEvent, { type: 'bake.started' | 'bake.progress' | 'bake.breach' | 'bake.ended' }>;

export function isBakeEvent(event: ShipperEvent): event is BakeEvent {
  return event.type.startsWith('bake.');
}

export function formatBakeEvent(event: BakeEvent, style: Style = noStyle): string[] {
  switch (event.type) {
    case 'bake.started': {
      const lines = [
        style.bold(`Baking for ${formatElapsed(event.minutes * 60)}: the new group serves, the old group is kept until ${formatTimestamp(event.endsAt)}; an alarm going to ALARM rolls everything back.`),
      ];
      lines.push(event.alarms.length ? `  Guarded by: ${alarmList(event.alarms, style)}` : style.pending('  No alarm guards it: CloudFormation only waits before deleting the old group (Ctrl-C cancels and rolls back).'));
      if (event.notYetGuarding.length) lines.push(style.dim(`  Created by this deploy, guarding the next one: ${event.notYetGuarding.join(', ')}`));
      return lines;
    }
    case 'bake.progress': {
      const groups = [event.newGroupName ? `new group ${event.newGroupName} serves` : 'new group serves', event.oldGroupName ? `old group ${event.oldGroupName} kept` : 'old group kept'];
      const alarms = event.alarms.length ? `; ${alarmList(event.alarms, style)}` : '';
      return [`Baking: ${formatElapsed(event.secondsLeft)} left; ${groups.join(', ')}${alarms}`];
    }
    case 'bake.breach':
      return [style.bad(style.bold(sentence(capitalise(describeBreach(event.breach))))), style.pending('CloudFormation rolls the update back; the old group was never deleted and serves on.')];
    case 'bake.ended':
      return [style.ok(`Bake of ${formatElapsed(event.minutes * 60)} ended with no alarm; CloudFormation now deletes the old group.`)];
  }
}

/** `alarm hello-5xx went to ALARM at 2024-05-06 06:40:02 UTC: Threshold Crossed: ...` — one line, for errors and history. */
export function describeBreach(breach: BakeBreach): string {
  if (breach.kind === 'missing') return `rollback trigger alarm ${breach.alarmName} does not exist`;
  const when = breach.firedAt ? ` at ${formatTimestamp(breach.firedAt)}` : '';
  return `alarm ${breach.alarmName} went to ALARM${when}${breach.stateReason ? `: ${breach.stateReason}` : ''}`;
}

/** The root-cause section of the failure screen when a guarding alarm rolled the update back. */
export function formatBreachRootCause(report: FailureReport, style: Style = noStyle): string[] {
  const breach = report.bakeBreach!;
  if (breach.kind === 'missing') {
    return [`  Rollback trigger alarm ${style.bad(breach.alarmName)} does not exist, so CloudFormation failed the whole update.`, ...(breach.alarmArn ? [style.dim(`  ${breach.alarmArn}`)] : [])];
  }
  const lines = [
    `  CloudWatch alarm ${style.bad(breach.alarmName)} went to ALARM ${breach.during === 'bake' ? 'during the bake' : 'while the new group was being created'}${breach.firedAt ? `, at ${formatTimestamp(breach.firedAt)}` : ''}.`,
  ];
  if (breach.stateReason) lines.push(`  ${breach.stateReason}`);
  if (report.previousReleaseLive) {
    lines.push(style.ok(`  The old group${report.previousGroupName ? ` ${report.previousGroupName}` : ''} was kept, never deleted, and serves again.`));
  }
  return lines;
}

/** `shipper status` during a bake. */
export function formatBakeStatus(bake: { minutes: number; endsAt: Date; secondsLeft: number; oldGroupName?: string; alarms: BakeAlarmView[] }, style: Style = noStyle): string[] {
  const lines = [
    style.pending(`Baking: ${formatElapsed(bake.secondsLeft)} left of ${formatElapsed(bake.minutes * 60)} (ends ${formatTimestamp(bake.endsAt)}); the new group serves, old group${bake.oldGroupName ? ` ${bake.oldGroupName}` : ''} kept.`),
  ];
  lines.push(bake.alarms.length ? `  Alarms: ${alarmList(bake.alarms, style)}` : style.dim('  No alarm guards it: CloudFormation only waits before deleting the old group.'));
  return lines;
}

function alarmList(alarms: BakeAlarmView[], style: Style): string {
  return alarms.map((a) => `${a.name} ${stateText(a, style)}`).join(', ');
}

function stateText(alarm: BakeAlarmView, style: Style): string {
  switch (alarm.state) {
    case 'OK':
      return style.ok('OK');
    case 'ALARM':
      return style.bad('ALARM');
    case 'missing':
      return style.bad('(missing)');
    case 'unknown':
      return style.dim('(state unknown)');
    default:
      return style.pending(alarm.state);
  }
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
