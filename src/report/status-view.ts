/** `shipper status`: the stack, the live release, the group and its instances, leftovers. */
import { shortDigest } from '../compose/image.js';
import type { StatusView } from '../status/gather.js';
import { styleStatus, type Style } from './style.js';
import { alignColumns } from './table.js';
import { formatRelative, formatTimestamp, formatWhen } from './time.js';
import { formatBakeStatus } from './bake.js';

export function formatStatus(view: StatusView, now: Date, style: Style): string[] {
  const lines: string[] = [];
  if (!view.exists) {
    return [`${view.stackName}: not deployed yet.`, `Deploy it with: shipper deploy --env ${view.env} --image-tag TAG`];
  }
  const updated = view.lastUpdated ? ` (updated ${formatRelative(view.lastUpdated, now)}, ${formatTimestamp(view.lastUpdated)})` : '';
  lines.push(`${style.bold(view.stackName)}  ${styleStatus(view.stackStatus ?? '', style)}${updated}`);
  if (view.stackStatusReason) lines.push(`  ${style.dim(view.stackStatusReason)}`);
  if (view.inProgress) lines.push(style.pending(`  An operation is in progress (${view.inProgress.status}). Follow it with: ${view.inProgress.attach}`));
  if (view.bake) lines.push(...formatBakeStatus(view.bake, style));

  const image = view.image?.digest ? `${view.image.tag ?? '-'} ${shortDigest(view.image.digest)}` : 'unknown';
  if (view.deploying?.digest) lines.push(style.pending(`Deploying: ${view.deploying.tag ?? '-'} ${shortDigest(view.deploying.digest)} (not live yet)`));
  if (view.live) {
    lines.push(`Live release: ${style.ok(`#${view.live.number}`)} ${image}, deployed ${formatWhen(view.live.startedAt, now)} by ${view.live.by}${view.live.commit ? `, commit ${view.live.commit.slice(0, 8)}` : ''}`);
  } else {
    lines.push(`Live image: ${image} ${style.dim('(no matching release in the history)')}`);
  }

  if (view.group) {
    const g = view.group;
    lines.push(`Group: ${g.name}  desired ${g.desired} (min ${g.min}, max ${g.max})${g.launchTemplateVersion ? `, ${launchTemplateLabel(g.launchTemplateVersion)}` : ''}`);
    if (g.instances.length === 0) lines.push(`  ${style.pending('no instances')}`);
    const rows = g.instances.map((i) => [
      `  ${i.instanceId}`,
      i.lifecycleState === 'InService' ? style.ok(i.lifecycleState) : style.pending(i.lifecycleState),
      i.healthStatus === 'Unhealthy' ? style.bad(i.healthStatus) : i.healthStatus ?? '-',
      i.launchTemplateVersion ? launchTemplateLabel(i.launchTemplateVersion) : '-',
      i.availabilityZone ?? '-',
      i.targetHealth ? `target ${i.targetHealth === 'healthy' ? style.ok(i.targetHealth) : style.pending(i.targetHealth)}` : '',
    ]);
    lines.push(...alignColumns(rows));
  } else {
    lines.push(style.pending('Group: none found in the stack'));
  }

  if (view.leftovers.length) {
    lines.push(style.bad(`Cleanup left ${view.leftovers.length} resource(s) behind; delete them by hand:`));
    for (const l of view.leftovers) lines.push(`  ${l.logicalId} ${l.physicalId ?? ''}${l.reason ? `: ${l.reason}` : ''}`);
  }
  for (const w of view.warnings) lines.push(style.pending(`warning: ${w}`));
  return lines;
}

/**
 * A launch template version is a counter of its own, unrelated to release numbers: a bare "v1"
 * beside "Live release: #2 v2" reads as an image tag or a release, so it is always named.
 */
export function launchTemplateLabel(version: string): string {
  return `launch template v${version}`;
}
