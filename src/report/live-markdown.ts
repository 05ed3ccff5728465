/** A release that went live, as Markdown for a CI annotation: the release, its image and the stack's outputs. */
import { code, escapeMarkdown } from './markdown.js';
import { formatElapsed } from './time.js';

export interface MarkdownLive {
  stackName: string;
  release?: number;
  rollbackOf?: number;
  imageTag?: string;
  imageDigest?: string;
  outputs: Record<string, string>;
  elapsedSeconds: number;
  /** The bake it passed before going live: minutes and the alarms that guarded it. */
  bake?: { minutes: number; alarms: string[] };
}

export function liveMarkdown(target: { service: string; env: string }, live: MarkdownLive): string {
  const what = live.release !== undefined ? `release #${live.release}` : 'the release';
  const rollback = live.rollbackOf !== undefined ? ` (a rollback to release #${live.rollbackOf})` : '';
  const image = [live.imageTag ? code(live.imageTag) : undefined, live.imageDigest ? code(live.imageDigest) : undefined].filter(Boolean).join(' ');
  const lines = [
    `#### shipper: ${escapeMarkdown(target.service)} in ${escapeMarkdown(target.env)}: ${what} is live${rollback}`,
    '',
    ...(image ? [`Image ${image}`, ''] : []),
    `Stack ${code(live.stackName)}, live after ${formatElapsed(live.elapsedSeconds)}.`,
  ];
  if (live.bake) {
    const guards = live.bake.alarms.length ? `, guarded by ${live.bake.alarms.map(code).join(', ')}` : '';
    lines.push('', `Baked ${live.bake.minutes} min with the old group kept${guards}: no alarm fired.`);
  }
  const outputs = Object.entries(live.outputs);
  if (outputs.length > 0) {
    lines.push('', '| Output | Value |', '| --- | --- |');
    for (const [key, value] of outputs) lines.push(`| ${escapeMarkdown(key)} | ${value ? code(value.replace(/\|/g, '\\|')) : ''} |`);
  }
  return `${lines.join('\n')}\n`;
}
