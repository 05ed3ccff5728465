/**
 * The notifier on its own: which moments reach which channel, the New Relic endpoint per
 * region, and that flush() reports a channel that never answers at the bound instead of waiting.
 */
import { describe, expect, it } from '@jest/globals';
import { RecordingReporter } from '../../src/report/events.js';
import { NotifyingReporter } from '../../src/notify/notifier.js';
import { newRelicChannels, NEW_RELIC_ENDPOINTS } from '../../src/notify/new-relic.js';
import type { NotificationChannel } from '../../src/notify/channel.js';
import { notificationsSchema } from '../../src/descriptor/schema.js';

const context = { service: 'hello', environment: 'test' };
const started = { type: 'operation.started', stackName: 'hello-test', operation: 'update', startedAt: new Date(0) } as const;

describe('NotifyingReporter', () => {
  it('passes every event on, and reports a channel that never settles as not answering within the bound', async () => {
    const inner = new RecordingReporter();
    const never: NotificationChannel = { label: 'webhook never', wants: () => true, send: () => new Promise(() => undefined) };
    const refuses: NotificationChannel = { label: 'webhook refuses', wants: (k) => k === 'started', send: () => Promise.reject(new Error('HTTP 410 Gone')) };
    const throws: NotificationChannel = { label: 'webhook throws', wants: () => true, send: () => { throw new Error('bad settings'); } };
    const notifier = new NotifyingReporter(inner, [never, refuses, throws], context, { boundMs: 50 });
    notifier.emit(started);
    await notifier.flush();
    expect(inner.events[0]).toBe(started);
    expect(inner.of('notify.result')).toEqual([
      { type: 'notify.result', channel: 'webhook never', ok: false, detail: 'Could not notify webhook never (started): no answer within 50 ms' },
      { type: 'notify.result', channel: 'webhook refuses', ok: false, detail: 'Could not notify webhook refuses (started): HTTP 410 Gone' },
      { type: 'notify.result', channel: 'webhook throws', ok: false, detail: 'Could not notify webhook throws (started): bad settings' },
    ]);
    // Reported once: a second flush has nothing left to say.
    await notifier.flush();
    expect(inner.of('notify.result')).toHaveLength(3);
  });

  it('sends nothing and reports nothing when the deploy never started', async () => {
    const inner = new RecordingReporter();
    const sent: string[] = [];
    const notifier = new NotifyingReporter(inner, [{ label: 'x', wants: () => true, send: async (n) => void sent.push(n.kind) }], context);
    notifier.emit({ type: 'plan.no-changes', stackName: 'hello-test' });
    await notifier.flush();
    expect(sent).toEqual([]);
    expect(inner.of('notify.result')).toEqual([]);
  });
});

describe('New Relic endpoint', () => {
  it.each<['US' | 'EU', string]>([['US', NEW_RELIC_ENDPOINTS.US], ['EU', NEW_RELIC_ENDPOINTS.EU]])('%s accounts are sent to %s', async (region, endpoint) => {
    const urls: string[] = [];
    const fetch = (async (url: string) => (urls.push(url), new Response('{"data":{}}', { status: 200 }))) as unknown as typeof globalThis.fetch;
    const settings = notificationsSchema.parse({ newRelic: { entityGuid: 'GUID', region } });
    const [channel] = newRelicChannels(settings, { env: { NEW_RELIC_API_KEY: 'k' }, fetch, readSecret: async () => 'unused' });
    await channel!.send({ kind: 'live', service: 'hello', environment: 'test', stackName: 'hello-test', at: new Date(0) }, new AbortController().signal);
    expect(urls).toEqual([endpoint]);
    expect(endpoint).toBe(region === 'EU' ? 'https://api.eu.newrelic.com/graphql' : 'https://api.newrelic.com/graphql');
  });
});
