/**
 * The one-screen failure summary as Markdown, for a CI annotation. The same FailureReport and the
 * same choices as the terminal's screen (failure.ts): what is shown, how much, in which order.
 */
import type { FailureReport } from './events.js';
import { errorEvent } from './error-event.js';
import type { ExitCodeValue } from '../errors.js';
import {
  MAX_ACTIVITIES,
  MAX_INSTANCES,
  MAX_NEXT_STEPS,
  describeCancellation,
  failureHeadline,
  failureKind,
  previousReleaseLine,
  shownOf,
  summariseActivities,
  tail,
  truncate,
} from './failure.js';
import { code, codeBlock, escapeMarkdown } from './markdown.js';
import { normaliseReason } from './stack-line.js';
import { formatElapsed, formatTimestamp } from './time.js';

export interface MarkdownFailure {
  exitCode: number;
  message: string;
  hint?: string;
  report?: FailureReport;
}

/** `hello` in `test`: the heading, then the summary (or the refusal's message and hint). */
export function failureMarkdown(target: { service: string; env: string }, failure: MarkdownFailure): string {
  const kind = errorEvent({ exitCode: failure.exitCode as ExitCodeValue, message: failure.message }).kind.replace(/-/g, ' ');
  const lines = [`#### shipper: ${escapeMarkdown(target.service)} in ${escapeMarkdown(target.env)}: ${kind} (exit ${failure.exitCode})`, ''];
  if (failure.report) lines.push(...reportMarkdown(failure.report));
  else {
    lines.push(escapeMarkdown(failure.message));
    if (failure.hint) lines.push('', ...failure.hint.split('\n').map((l) => `> ${escapeMarkdown(l.trim())}`));
  }
  return `${lines.join('\n')}\n`;
}

export function reportMarkdown(report: FailureReport): string[] {
  const lines: string[] = [`**${escapeMarkdown(failureHeadline(report))}**`];
  const kind = failureKind(report);
  if (kind === 'rolled-back') lines.push(escapeMarkdown(previousReleaseLine(report.previousRelease, report.previousGroupName)));
  else if (kind === 'needs-attention' && !report.previousReleaseLive) lines.push('Check which Auto Scaling group is serving before deploying again.');
  lines.push('', `Stack ${code(report.stackName)} ended in ${code(report.finalStatus)} after ${formatElapsed(report.elapsedSeconds)}.`);

  lines.push('', '**Root cause**', '');
  if (report.bakeBreach) {
    lines.push(...breachMarkdown(report));
  } else if (report.rootCause) {
    const rc = report.rootCause;
    lines.push(`${code(rc.logicalId)} (${rc.resourceType}) ${code(rc.status)}`, '', ...codeBlock([normaliseReason(rc.reason)]));
  } else if (report.cancelled) {
    lines.push(`Cancelled by ${escapeMarkdown(describeCancellation(report.cancelled))} before the new group was live; CloudFormation rolled the update back.`);
  } else {
    lines.push('No resource reported a failure reason; see the stack events in the log.');
  }

  if (report.rollbackBlocker) {
    const b = report.rollbackBlocker;
    lines.push('', '**What blocked the rollback**', '', `${code(b.logicalId)} (${b.resourceType}) ${code(b.status)}`, '', ...codeBlock([truncate(normaliseReason(b.reason))]));
  }

  const activities = summariseActivities(report.groupActivities);
  if (activities.length > 0) {
    lines.push('', `**What the new Auto Scaling group said${shownOf(MAX_ACTIVITIES, activities.length)}**`, '');
    for (const a of activities.slice(0, MAX_ACTIVITIES)) lines.push(`- ${escapeMarkdown(truncate(a.message))}${a.count > 1 ? ` (${a.count} times)` : ''}`);
  }

  const instances = report.failedInstances;
  if (instances.length > 0) {
    lines.push('', `**Failed instances${shownOf(MAX_INSTANCES, instances.length)}**`, '');
    const shown = instances.slice(0, MAX_INSTANCES);
    const logs = new Map((report.bootLogs ?? []).map((l) => [l.instanceId, l]));
    const withLines = shown.filter((i) => logs.get(i.instanceId)?.lines.length).length;
    for (const i of shown) {
      lines.push(`- ${code(i.instanceId)}: ${escapeMarkdown(truncate(normaliseReason(i.reason)))}`);
      const log = logs.get(i.instanceId);
      if (log?.unreadable) lines.push(`  (boot log ${code(log.stream)} could not be read: ${escapeMarkdown(log.unreadable)})`);
      else if (log?.lines.length) {
        lines.push('', `  Boot log (${code(log.logGroup)} ${code(log.stream)}):`, '', ...codeBlock(tail(log, withLines).map(truncate)).map((l) => `  ${l}`));
      }
    }
  }

  if (report.nextSteps.length > 0) {
    lines.push('', '**Next steps**', '');
    for (const step of report.nextSteps.slice(0, MAX_NEXT_STEPS)) lines.push(`- ${escapeMarkdown(step)}`);
  }
  return lines;
}

/** The alarm whose breach rolled the bake back, with CloudWatch's reason as it gave it. */
function breachMarkdown(report: FailureReport): string[] {
  const b = report.bakeBreach!;
  if (b.kind === 'missing') return [`Rollback trigger alarm ${code(b.alarmName)} does not exist, so CloudFormation failed the whole update.`];
  const when = b.firedAt ? ` at ${formatTimestamp(b.firedAt)}` : '';
  const lines = [`CloudWatch alarm ${code(b.alarmName)} went to ${code('ALARM')}${when}, ${b.during === 'bake' ? 'during the bake' : 'while the new group was being created'}.`];
  if (b.stateReason) lines.push('', ...codeBlock([b.stateReason]));
  if (report.previousReleaseLive) lines.push('', `The old group${report.previousGroupName ? ` ${code(report.previousGroupName)}` : ''} was kept, never deleted, and serves again.`);
  return lines;
}
