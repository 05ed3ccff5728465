/**
 * What a user sees the moment the new group is live: how long it took, the stack outputs they
 * usually came for (URLs, names), and whether the old group is still being removed. Pure.
 */
import type { ShipperEvent } from './events.js';
import { type Style, noStyle } from './style.js';
import { formatElapsed } from './time.js';

type DeployLive = Extract<ShipperEvent, { type: 'deploy.live' }>;
type CleanupComplete = Extract<ShipperEvent, { type: 'cleanup.complete' }>;

/** The headline alone; the tty reporter puts it after its ✔ symbol. */
export function liveHeadline(event: DeployLive): string {
  return `${event.stackName} is live after ${formatElapsed(event.elapsedSeconds)}.`;
}

/** Lines after the headline: outputs as an aligned key/value list, then the cleanup note. */
export function formatLiveDetails(event: DeployLive, style: Style = noStyle): string[] {
  const lines = formatOutputs(event.outputs, style);
  if (event.cleanup === 'background') {
    lines.push(
      'The old group drains and is deleted in the background; CloudFormation finishes that on its own.',
      style.dim(
        event.env
          ? `Follow it with: shipper watch --env ${event.env}${event.instance ? ` --instance ${event.instance}` : ''} --wait-cleanup`
          : `Follow it with: aws cloudformation describe-stack-events --stack-name ${event.stackName}`,
      ),
    );
  } else if (event.cleanup === 'waiting') {
    lines.push('Waiting for the old group to drain and be deleted...');
  }
  return lines;
}

export function formatLive(event: DeployLive, style: Style = noStyle): string[] {
  return [style.ok(style.bold(liveHeadline(event))), ...formatLiveDetails(event, style)];
}

/** Keys in their natural order so the same stack always prints the same way. */
export function formatOutputs(outputs: Record<string, string>, style: Style = noStyle): string[] {
  const keys = Object.keys(outputs).sort((a, b) => a.localeCompare(b));
  if (keys.length === 0) return [];
  const width = Math.max(...keys.map((k) => k.length));
  return [style.bold('Outputs'), ...keys.map((k) => `  ${style.dim(k.padEnd(width))}  ${outputs[k]}`)];
}

export function formatCleanupComplete(event: CleanupComplete, style: Style = noStyle): string[] {
  const lines = [style.ok(`The old group is gone; cleanup finished after ${formatElapsed(event.elapsedSeconds)}.`)];
  if (event.leftovers.length > 0) {
    lines.push(style.pending(`CloudFormation could not delete ${event.leftovers.length} old resource(s); remove them by hand:`));
    for (const l of event.leftovers) {
      const physical = l.physicalId ? ` (${l.physicalId})` : '';
      lines.push(`  ${l.logicalId}${physical}${l.reason ? `: ${l.reason}` : ''}`);
    }
  }
  return lines;
}
