/** What `shipper destroy` did to one stack, and what it left behind: the shape and its text. Pure. */
import type { Style } from './style.js';
import { formatElapsed } from './time.js';

export interface DestroyOutcome {
  stackName: string;
  /** Absent for the environment's main stack. */
  instance?: string;
  /** DELETE_COMPLETE, DELETE_FAILED, or `error` when an AWS call failed along the way. */
  finalStatus: string;
  elapsedSeconds: number;
  /** Resources CloudFormation could not delete, with its reasons. */
  failedResources: Array<{ logicalId: string; resourceType: string; physicalId?: string; reason: string }>;
  /** The stack's log groups (DeletionPolicy: Retain): removed after the stack, or left and how to remove them. */
  logGroups: Array<{ name: string; removed: boolean; detail?: string }>;
  /** The instance's release history parameters. */
  history?: { parameters: string[]; removed: boolean; detail?: string };
  /** The exact commands to run next, when something is left. */
  nextSteps: string[];
  /** Why an AWS call failed, when finalStatus is `error`. */
  error?: string;
}

export function formatDestroyOutcome(o: DestroyOutcome, style: Style): string[] {
  const lines: string[] = [];
  const took = style.dim(`(${formatElapsed(o.elapsedSeconds)})`);
  if (o.finalStatus === 'DELETE_COMPLETE') lines.push(`${style.ok('Deleted')} ${o.stackName} ${took}`);
  else if (o.finalStatus === 'error') lines.push(`${style.bad('Could not delete')} ${o.stackName}: ${o.error ?? 'an AWS call failed'}`);
  else lines.push(`${style.bad(`${o.stackName} is ${o.finalStatus}`)} ${took}`);
  if (o.failedResources.length > 0) {
    lines.push('  Resources CloudFormation could not delete:');
    for (const r of o.failedResources) lines.push(`    ${r.logicalId} (${r.resourceType}${r.physicalId ? ` ${r.physicalId}` : ''}): ${r.reason}`);
  }
  for (const g of o.logGroups) lines.push(`  Log group ${g.name}: ${g.removed ? 'deleted' : `kept${g.detail ? ` (${g.detail})` : ''}`}`);
  if (o.history) {
    const what = o.history.parameters.join(', ');
    lines.push(`  Release history ${what}: ${o.history.removed ? 'deleted' : `kept${o.history.detail ? ` (${o.history.detail})` : ''}`}`);
  }
  if (o.nextSteps.length > 0) {
    lines.push('  Next:');
    for (const step of o.nextSteps) lines.push(`    ${step}`);
  }
  return lines;
}
