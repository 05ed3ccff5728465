/**
 * Webhooks: Slack-compatible JSON (`text` plus `blocks`, as Slack's incoming webhooks accept) or
 * shipper's plain JSON shape for other receivers. The URL may itself be a secret reference, and
 * only its host is ever printed: a Slack webhook URL's path is its credential.
 */
import { secretRefLabel } from '../registry/credentials.js';
import type { ChannelFactory, DeployNote, NotificationChannel } from './channel.js';
import { postJson } from './post.js';

export const webhookChannels: ChannelFactory = (settings, environment) =>
  settings.webhooks.map((hook): NotificationChannel => ({
    label: typeof hook.url === 'string' ? `webhook ${new URL(hook.url).host}` : `webhook from ${secretRefLabel(hook.url)}`,
    wants: (kind) => hook.on.includes(kind),
    async send(note, signal) {
      const url = typeof hook.url === 'string' ? hook.url : await environment.readSecret(hook.url);
      await postJson(environment.fetch, url, hook.format === 'slack' ? slackPayload(note) : plainPayload(note), signal);
    },
  }));

/** The plain JSON shape (documented in the README): the note itself, `event` first. */
export function plainPayload(note: DeployNote): Record<string, unknown> {
  const { kind, at, ...rest } = note;
  return { event: `deploy.${kind}`, at: at.toISOString(), ...rest };
}

export function slackPayload(note: DeployNote): { text: string; blocks: unknown[] } {
  const text = headline(note);
  const details = [
    note.rootCause ? `*Root cause:* ${note.rootCause}` : undefined,
    note.kind === 'failed' || note.kind === 'cancelled' ? `*Still serving:* ${serving(note)}` : undefined,
    [note.by && `by ${note.by}`, note.commit && `commit ${note.commit.slice(0, 12)}`, note.buildUrl && `<${note.buildUrl}|build>`].filter(Boolean).join(' · ') || undefined,
  ].filter((d): d is string => Boolean(d));
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } },
      ...(details.length ? [{ type: 'context', elements: details.map((d) => ({ type: 'mrkdwn', text: d })) }] : []),
    ],
  };
}

function headline(note: DeployNote): string {
  const what = `${note.service} ${release(note.image)}`;
  const where = `${note.environment} (${note.stackName})`;
  switch (note.kind) {
    case 'started':
      return `Deploying ${what} to ${where}`;
    case 'baking':
      return `${what} is baking in ${where}${note.bake ? ` for ${note.bake.minutes} min${note.bake.alarms.length ? `, guarded by ${note.bake.alarms.join(', ')}` : ''}` : ''}; the old group is kept until it ends`;
    case 'live':
      return `${what} is live in ${where}`;
    case 'failed':
      return `Deploy of ${what} to ${where} failed and was rolled back`;
    case 'cancelled':
      return `Deploy of ${what} to ${where} was cancelled${note.cancelledBy ? ` (${note.cancelledBy})` : ''} and rolled back`;
  }
}

function release(image: DeployNote['image']): string {
  return image?.tag ?? image?.digest?.slice(0, 19) ?? '';
}

function serving(note: DeployNote): string {
  const s = note.stillServing;
  if (!s) return 'not proven; check `shipper status`';
  return [s.number !== undefined ? `release #${s.number}` : 'the previous release', s.tag ?? s.digest?.slice(0, 19)].filter(Boolean).join(' ');
}
