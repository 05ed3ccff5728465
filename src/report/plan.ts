/**
 * The change summary shown before a change set executes. It leads with what matters for an
 * immutable deploy: is the Auto Scaling group replaced, which image goes out, and at what size
 * the new group starts. Pure.
 */
import type { ResourceChange, ShipperEvent } from './events.js';
import { type Style, noStyle } from './style.js';
import { shortDigest } from '../compose/image.js';
import { LogicalIds } from '../compose/template.js';

type PlanSummary = Extract<ShipperEvent, { type: 'plan.summary' }>;

export type PlanAction = 'add' | 'modify' | 'replace' | 'may replace' | 'remove' | 'import' | 'dynamic';

export function planAction(change: ResourceChange): PlanAction {
  switch (change.action) {
    case 'Add':
      return 'add';
    case 'Remove':
      return 'remove';
    case 'Import':
      return 'import';
    case 'Dynamic':
      return 'dynamic';
    case 'Modify':
      if (change.replacement === 'True') return 'replace';
      if (change.replacement === 'Conditional') return 'may replace';
      return 'modify';
  }
}

export { shortDigest };

const GROUP_TYPE = 'AWS::AutoScaling::AutoScalingGroup';

/**
 * Each change with the action people should read. CloudFormation lists the Auto Scaling group
 * as "Modify" when its launch template changes, because the replacement is the update policy's
 * doing (AutoScalingReplacingUpdate), not a property that requires it; shipper knows better, so
 * the group is counted and listed as replaced whenever the plan says it is, and the numbers
 * agree with the sentence below them.
 */
export function plannedActions(event: PlanSummary): Array<{ change: ResourceChange; action: PlanAction }> {
  const actions = event.changes.map((c) => ({ change: c, action: planAction(c) }));
  if (event.create || !event.groupReplaced) return actions;
  const groups = actions.filter((a) => a.change.resourceType === GROUP_TYPE);
  const group = groups.find((a) => a.change.logicalId === LogicalIds.autoScalingGroup) ?? (groups.length === 1 ? groups[0] : undefined);
  if (group) group.action = 'replace';
  else actions.push({ change: { logicalId: LogicalIds.autoScalingGroup, resourceType: GROUP_TYPE, action: 'Modify', replacement: 'True' }, action: 'replace' });
  return actions;
}

/** The size the new group is created at, as core decided it (one signal per instance). */
export function startingCapacity(capacity: PlanSummary['capacity']): number {
  return capacity.signals;
}

export function formatPlan(event: PlanSummary, style: Style = noStyle): string[] {
  const actions = plannedActions(event);
  const count = (...which: PlanAction[]) => actions.filter((a) => which.includes(a.action)).length;
  const lines: string[] = [];

  lines.push(
    style.bold(`${event.create ? 'Create' : 'Update'} stack ${event.stackName}: `) +
      `${count('add')} added, ${count('modify', 'dynamic', 'import')} modified, ` +
      `${count('replace', 'may replace')} replaced, ${count('remove')} removed`,
  );

  const actionWidth = Math.max(0, ...actions.map((a) => a.action.length));
  const idWidth = Math.max(0, ...actions.map((a) => a.change.logicalId.length));
  for (const { change, action } of actions) {
    const word = toneOf(action, style)(action.padEnd(actionWidth));
    lines.push(`  ${word}  ${change.logicalId.padEnd(idWidth)}  ${style.dim(change.resourceType)}`);
  }

  const starts = startingCapacity(event.capacity);
  const signals = `${event.capacity.signals} instance${event.capacity.signals === 1 ? '' : 's'}`;
  if (event.create) {
    lines.push(`The Auto Scaling group is created at ${starts} instance${starts === 1 ? '' : 's'}; the stack completes once ${signals} signal healthy.`);
  } else if (event.groupReplaced) {
    lines.push(
      style.pending('The Auto Scaling group is REPLACED: ') +
        `a new group is created at ${starts} instance${starts === 1 ? '' : 's'}; the old one keeps serving until the new one is healthy ` +
        `(${signals} signal success), then it is deleted.`,
    );
  } else {
    lines.push('The Auto Scaling group is not replaced: running instances keep their current release.');
  }

  lines.push(`Image: ${describeImage(event.image, style)}`);
  if (!event.create && !event.groupReplaced && event.image.oldDigest && event.image.oldDigest !== event.image.newDigest) {
    lines.push(style.bad('The image changes but the group is not replaced: no instance would run the new image.'));
  }

  const capacity = describeCapacity(event.capacity);
  if (capacity) lines.push(capacity);
  if (event.bake) lines.push(...describeBake(event.bake, style));
  return lines;
}

/** How long the bake is, which alarms guard it, and which guard only the next deploy. */
export function describeBake(bake: NonNullable<PlanSummary['bake']>, style: Style = noStyle): string[] {
  if (bake.skipped) return [style.pending('Bake: SKIPPED (--no-bake): ') + 'the old group is deleted as soon as the new one is live; no alarm can roll this deploy back.'];
  const minutes = `${bake.minutes} minute${bake.minutes === 1 ? '' : 's'}`;
  const guards = bake.alarms.map((a) => `${a.name}${a.origin === 'default' ? style.dim(' (default)') : ''}`);
  const lines = [
    bake.minutes > 0
      ? `Bake: ${minutes} once the new group is in service, with the old group kept; ${guards.length ? `an ALARM from ${guards.join(', ')} rolls the deploy back.` : 'no alarm guards it (CloudFormation only waits).'}`
      : `Bake: none after the new group is in service; ${guards.length ? `an ALARM from ${guards.join(', ')} during the update rolls it back.` : 'no alarm guards it.'}`,
  ];
  if (bake.notYetGuarding.length) {
    lines.push(style.pending('Not guarding this deploy: ') + `${bake.notYetGuarding.join(', ')} ${bake.notYetGuarding.length === 1 ? 'is' : 'are'} created by it; CloudFormation may not watch an alarm made by the update it guards, so ${bake.notYetGuarding.length === 1 ? 'it guards' : 'they guard'} the next deploy.`);
  }
  return lines;
}

function describeImage(image: PlanSummary['image'], style: Style): string {
  const show = (tag: string | undefined, digest: string) => `${tag ?? '(untagged)'} (${shortDigest(digest)})`;
  const next = style.bold(show(image.newTag, image.newDigest));
  if (!image.oldDigest) return `${next} (first release)`;
  if (image.oldDigest === image.newDigest) return `${next}, unchanged`;
  return `${show(image.oldTag, image.oldDigest)} → ${next}`;
}

/** The carry-over is easy to miss and costly to get wrong, so say both numbers. */
function describeCapacity(capacity: PlanSummary['capacity']): string | undefined {
  const { desired, liveDesired } = capacity;
  if (liveDesired === undefined) return undefined;
  const starts = startingCapacity(capacity);
  const plural = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;
  if (liveDesired === starts) {
    return starts === desired
      ? `Capacity: the live group runs ${plural(liveDesired)}; the new group starts at the same size.`
      : `Capacity: the live group runs ${plural(liveDesired)}; the new group starts at ${starts}, not the descriptor's ${desired}.`;
  }
  return `Capacity: the live group runs ${plural(liveDesired)}; the new group starts at the descriptor's ${starts}.`;
}

function toneOf(action: PlanAction, style: Style): (text: string) => string {
  if (action === 'add') return style.ok;
  if (action === 'remove' || action === 'replace') return style.bad;
  if (action === 'may replace') return style.pending;
  return (text) => text;
}
