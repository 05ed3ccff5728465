/**
 * The one-screen failure summary. When a deploy does not go live, the user wants four answers
 * without scrolling: is production OK, what broke, what did the instances say, what now.
 * Pure: the same lines go to a terminal, a CI log and a notification.
 */
import type { BootLog, Cancellation, FailedActivity, FailureReport, PreviousRelease } from './events.js';
import { normaliseReason } from './stack-line.js';
import { type Style, noStyle } from './style.js';
import { formatElapsed, formatTimestamp } from './time.js';
import { formatBreachRootCause } from './bake.js';

export const MAX_ACTIVITIES = 5;
export const MAX_INSTANCES = 3;
export const MAX_NEXT_STEPS = 4;
/** Boot log lines shown for all failed instances together. */
export const MAX_BOOT_LOG_LINES = 10;
/** Scaling-activity messages can run to several hundred characters; the gist is at the start. */
const MAX_MESSAGE = 220;

export type FailureKind = 'rolled-back' | 'create-rolled-back' | 'needs-attention';

/**
 * A failed rollback (or any *_FAILED end state) needs a human; so does a rollback after which we
 * could not prove the old group is serving. A failed first deploy leaves ROLLBACK_COMPLETE and
 * nothing was live before it.
 */
export function failureKind(report: FailureReport): FailureKind {
  if (report.finalStatus.endsWith('_FAILED')) return 'needs-attention';
  if (report.previousReleaseLive) return 'rolled-back';
  if (report.finalStatus === 'ROLLBACK_COMPLETE') return 'create-rolled-back';
  return 'needs-attention';
}

export function failureHeadline(report: FailureReport): string {
  const what = report.cancelled ? `Deploy cancelled (by ${describeCancellation(report.cancelled)})` : 'Deploy failed';
  switch (failureKind(report)) {
    case 'rolled-back':
      return `${what} and was rolled back. The previous release is still live.`;
    case 'create-rolled-back':
      return `${what} and the new stack was rolled back. Nothing was live before it, so nothing is live now.`;
    case 'needs-attention':
      return report.finalStatus.endsWith('_FAILED')
        ? `${what} and the stack needs attention: it is stuck in ${report.finalStatus}.`
        : `${what} and needs attention: shipper could not confirm that the previous release is still serving.`;
  }
}

/** `Ctrl-C`, `SIGTERM`, `--timeout 20m`. */
export function describeCancellation(c: Cancellation): string {
  if (c.by === 'timeout') return `--timeout ${formatTimeout(c.timeoutSeconds)}`;
  return c.signal === 'SIGINT' ? 'Ctrl-C' : c.signal;
}

/** Says the timeout the way it is written on the command line: 20m, 90s, 1h30m. */
function formatTimeout(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || seconds === 0 ? `${s}s` : ''}`;
}

/**
 * `Release #7 still serves: v1 (111111111111), deployed 2026-11-23 06:25 UTC by alice@laptop, from group G.`
 * Without a history, the image the stack runs again is all that is known.
 */
export function previousReleaseLine(r: PreviousRelease | undefined, groupName: string | undefined): string {
  const who = r?.number !== undefined ? `Release #${r.number}` : 'The previous release';
  const image = [r?.tag, r?.digest ? `(${shortDigestOf(r.digest)})` : undefined].filter(Boolean).join(' ');
  const when = r?.deployedAt ? `deployed ${formatTimestamp(r.deployedAt)}` : '';
  const by = r?.by ? `${when ? '' : 'deployed '}by ${r.by}` : '';
  const details = [image, [when, by].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const group = groupName ? `from group ${groupName}` : 'from the previous group';
  return `${who} still serves${details ? `: ${details},` : ''} ${group}.`;
}

function shortDigestOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1).slice(0, 12);
}

export function formatFailureReport(report: FailureReport, style: Style = noStyle): string[] {
  const lines: string[] = [];
  const kind = failureKind(report);
  lines.push(style.bad(style.bold(failureHeadline(report))));
  if (kind === 'rolled-back') {
    lines.push(style.ok(previousReleaseLine(report.previousRelease, report.previousGroupName)));
  } else if (kind === 'needs-attention' && !report.previousReleaseLive) {
    lines.push(style.pending('Check which Auto Scaling group is serving before deploying again.'));
  }
  lines.push(style.dim(`Stack ${report.stackName} ended in ${report.finalStatus} after ${formatElapsed(report.elapsedSeconds)}.`));

  lines.push('', style.bold('Root cause'));
  if (report.bakeBreach) {
    lines.push(...formatBreachRootCause(report, style));
  } else if (report.rootCause) {
    const rc = report.rootCause;
    lines.push(`  ${rc.logicalId} (${rc.resourceType}) ${style.bad(rc.status)}`);
    lines.push(`  ${normaliseReason(rc.reason)}`);
  } else if (report.cancelled) {
    lines.push(`  Cancelled by ${describeCancellation(report.cancelled)} before the new group was live; CloudFormation rolled the update back.`);
  } else {
    lines.push('  No resource reported a failure reason; see the stack events above.');
  }

  if (report.rollbackBlocker) {
    const b = report.rollbackBlocker;
    lines.push('', style.bold('What blocked the rollback'));
    lines.push(`  ${b.logicalId} (${b.resourceType}) ${style.bad(b.status)}`);
    lines.push(`  ${truncate(normaliseReason(b.reason))}`);
  }

  const activities = summariseActivities(report.groupActivities);
  if (activities.length > 0) {
    lines.push('', style.bold(`What the new Auto Scaling group said${shownOf(MAX_ACTIVITIES, activities.length)}`));
    for (const a of activities.slice(0, MAX_ACTIVITIES)) {
      lines.push(`  ${truncate(a.message)}${a.count > 1 ? style.dim(` (${a.count} times)`) : ''}`);
    }
  }

  const instances = report.failedInstances;
  if (instances.length > 0) {
    lines.push('', style.bold(`Failed instances${shownOf(MAX_INSTANCES, instances.length)}`));
    const width = Math.max(...instances.map((i) => i.instanceId.length));
    const shown = instances.slice(0, MAX_INSTANCES);
    const logs = new Map((report.bootLogs ?? []).map((l) => [l.instanceId, l]));
    const withLines = shown.filter((i) => logs.get(i.instanceId)?.lines.length).length;
    for (const i of shown) {
      const log = logs.get(i.instanceId);
      lines.push(`  ${i.instanceId.padEnd(width)}  ${truncate(normaliseReason(i.reason))}${log ? style.dim(bootLogHeading(log, withLines)) : ''}`);
      if (log?.lines.length) for (const l of tail(log, withLines)) lines.push(style.dim(`    | ${truncate(l)}`));
    }
  }

  if (report.nextSteps.length > 0) {
    lines.push('', style.bold('Next steps'));
    for (const step of report.nextSteps.slice(0, MAX_NEXT_STEPS)) lines.push(`  - ${step}`);
  }
  return lines;
}

/** The boot log lines are shared out between the instances shown, so the screen stays one screen. */
function linesFor(log: BootLog, instancesWithLines: number): number {
  return Math.max(2, Math.floor(MAX_BOOT_LOG_LINES / Math.max(1, instancesWithLines)));
}

export function tail(log: BootLog, instancesWithLines: number): string[] {
  return log.lines.slice(-linesFor(log, instancesWithLines));
}

function bootLogHeading(log: BootLog, instancesWithLines: number): string {
  if (log.unreadable) return `; boot log ${log.stream} could not be read: ${log.unreadable}`;
  const shown = Math.min(log.lines.length, linesFor(log, instancesWithLines));
  return `; ${shown === log.lines.length ? 'its' : `last ${shown} lines of its`} boot log (${log.logGroup} ${log.stream}):`;
}

export interface ActivitySummary {
  message: string;
  count: number;
}

/**
 * Every failed launch says the same thing with a different instance id; group those so five
 * identical failures take one line. Oldest first, as they happened.
 */
export function summariseActivities(activities: FailedActivity[]): ActivitySummary[] {
  const byKey = new Map<string, ActivitySummary>();
  const ordered = [...activities].sort((a, b) => a.time.getTime() - b.time.getTime());
  for (const a of ordered) {
    const message = activityMessage(a);
    const key = message.replace(/\bi-[0-9a-f]{8,17}\b/g, 'i-*');
    const seen = byKey.get(key);
    if (seen) seen.count += 1;
    else byKey.set(key, { message, count: 1 });
  }
  return [...byKey.values()];
}

/**
 * The status message says what went wrong; the description ("Launching a new EC2 instance:
 * i-0abc...") mostly repeats it, except for naming the instance.
 */
export function activityMessage(a: Pick<FailedActivity, 'description' | 'statusMessage'>): string {
  const status = normaliseReason(a.statusMessage);
  const description = normaliseReason(a.description);
  if (status === '') return description;
  const instance = /\bi-[0-9a-f]{8,17}\b/.exec(description)?.[0];
  return instance && !status.includes(instance) ? `${instance}: ${status}` : status;
}

/** Says how many were left out in the heading itself, so a long list costs no extra line. */
export function shownOf(limit: number, total: number): string {
  return total > limit ? ` (${limit} of ${total})` : '';
}

export function truncate(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 3)}...`;
}
