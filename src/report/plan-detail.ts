/**
 * `shipper plan`'s detailed view, below the summary a deploy shows too: for each resource what
 * CloudFormation says changes (property, whether it recreates the resource, what causes it,
 * values before → after), then the parameters and the images old → new, and a reminder that
 * nothing was executed. Pure.
 */
import { shortDigest } from '../compose/image.js';
import { planAction } from './plan.js';
import type { ImageRef, PropertyChange, ReleasePlan, ResourceChange } from './release-plan.js';
import { type Style, noStyle } from './style.js';

/** Values longer than this (user data, policies) are cut: the console and --json have them whole. */
const MAX_VALUE_CHARS = 72;

export function formatPlanDetail(plan: ReleasePlan, style: Style = noStyle): string[] {
  const lines: string[] = [];
  const detailed = plan.resources.filter((r) => r.details?.length);
  if (detailed.length) {
    lines.push('', style.bold('What changes'));
    for (const resource of detailed) lines.push(...formatResource(resource, style));
  }

  const changed = plan.parameters.filter((p) => p.old !== p.new);
  const unchanged = plan.parameters.filter((p) => p.old === p.new);
  lines.push('', style.bold('Parameters'));
  const width = Math.max(0, ...changed.map((p) => p.name.length));
  for (const p of changed) lines.push(`  ${p.name.padEnd(width)}  ${p.old === undefined ? style.dim('(new)') : clip(p.old)} → ${style.bold(clip(p.new))}`);
  if (unchanged.length) lines.push(style.dim(`  unchanged: ${unchanged.map((p) => p.name).join(', ')}`));
  if (!plan.parameters.length) lines.push(style.dim('  none'));

  lines.push('', style.bold('Images'));
  const nameWidth = Math.max(0, ...plan.images.map((i) => i.name.length));
  for (const image of plan.images) {
    const next = style.bold(describeImage(image.new));
    const text = !image.old
      ? `${next}${plan.operation === 'create' || image.name === 'app' ? ' (new)' : style.dim(' (what runs now is not in the release history)')}`
      : image.old.digest === image.new.digest
        ? `${next}, unchanged`
        : `${describeImage(image.old)} → ${next}`;
    lines.push(`  ${image.name.padEnd(nameWidth)}  ${text}`);
  }

  lines.push('', `Nothing was executed: the change set was deleted and no release was recorded. To deploy it: ${deployCommand(plan)}`);
  return lines;
}

function formatResource(resource: ResourceChange, style: Style): string[] {
  const action = planAction(resource);
  const lines = [`  ${style.bold(resource.logicalId)} ${style.dim(resource.resourceType)}: ${action}`];
  for (const detail of resource.details ?? []) {
    const head = [detail.path ?? [detail.attribute, detail.name].filter(Boolean).join('.'), detail.changeType && detail.changeType !== 'Modify' ? detail.changeType.toLowerCase() : undefined]
      .filter(Boolean)
      .join(' ');
    const facts = [recreation(detail, style), cause(detail), detail.evaluation === 'Dynamic' ? 'known only during the update' : undefined].filter(Boolean);
    lines.push(`    ${head}${facts.length ? style.dim(` (${facts.join('; ')})`) : ''}`);
    if (detail.before !== undefined || detail.after !== undefined) {
      const [before, after] = clipAroundDifference(detail.before, detail.after);
      lines.push(`      ${before ?? style.dim('(none)')} → ${after ?? style.dim('(none)')}`);
    }
  }
  return lines;
}

function recreation(detail: PropertyChange, style: Style): string | undefined {
  if (detail.requiresRecreation === 'Always') return style.bad('replaces the resource');
  if (detail.requiresRecreation === 'Conditionally') return style.pending('may replace the resource');
  if (detail.requiresRecreation === 'Never') return 'in place';
  return undefined;
}

function cause(detail: PropertyChange): string | undefined {
  switch (detail.changeSource) {
    case 'DirectModification':
      return 'changed in the template';
    case 'ParameterReference':
      return `parameter ${detail.causingEntity ?? ''}`.trim();
    case 'ResourceReference':
      return `follows ${detail.causingEntity ?? 'another resource'}`;
    case 'ResourceAttribute':
      return `follows ${detail.causingEntity ?? 'an attribute of another resource'}`;
    case 'Automatic':
      return 'automatic (nested stack)';
    default:
      return detail.changeSource;
  }
}

function describeImage(image: ImageRef): string {
  const digest = image.digest ? shortDigest(image.digest) : '?';
  return image.tag ? `${image.tag} (${digest})` : digest;
}

function deployCommand(plan: ReleasePlan): string {
  const app = plan.images.find((i) => i.name === 'app')?.new;
  const image = app?.tag ? `--image-tag ${app.tag}` : `--image-digest ${app?.digest ?? ''}`;
  return `shipper deploy --env ${plan.env}${plan.instance ? ` --instance ${plan.instance}` : ''} ${image}`;
}

/**
 * Long values (a launch template's whole data) differ somewhere in the middle: show each from a
 * little before the first difference, so the part that changes is what is on screen.
 */
export function clipAroundDifference(before: string | undefined, after: string | undefined): [string | undefined, string | undefined] {
  if (before === undefined || after === undefined) return [before === undefined ? undefined : clip(before), after === undefined ? undefined : clip(after)];
  const a = before.replace(/\s+/g, ' ');
  const b = after.replace(/\s+/g, ' ');
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const from = Math.max(0, at - 24);
  const window = (s: string) => clip(`${from > 0 ? '…' : ''}${s.slice(from)}`);
  return [window(a), window(b)];
}

function clip(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return oneLine.length > MAX_VALUE_CHARS ? `${oneLine.slice(0, MAX_VALUE_CHARS - 1)}…` : oneLine;
}
