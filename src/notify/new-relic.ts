/**
 * New Relic change tracking: NerdGraph's `changeTrackingCreateDeployment` mutation for the
 * service's entity, sent when the release goes live.
 * https://docs.newrelic.com/docs/change-tracking/change-tracking-graphql/
 * The endpoint depends on the account's region; SHIPPER_NEW_RELIC_ENDPOINT overrides it (tests).
 */
import type { ChannelFactory } from './channel.js';
import { DeliveryError, postJson } from './post.js';

export const NEW_RELIC_ENDPOINTS = { US: 'https://api.newrelic.com/graphql', EU: 'https://api.eu.newrelic.com/graphql' } as const;

const MUTATION = `mutation ($deployment: ChangeTrackingDeploymentInput!) {
  changeTrackingCreateDeployment(deployment: $deployment) { deploymentId entityGuid }
}`;

export const newRelicChannels: ChannelFactory = (settings, environment) => {
  const nr = settings.newRelic;
  if (!nr) return [];
  return [
    {
      label: 'New Relic',
      wants: (kind) => kind === 'live',
      sentLine: (note) => `Notified New Relic about ${note.service} deployment`,
      async send(note, signal) {
        const apiKey = nr.apiKey ? await environment.readSecret(nr.apiKey) : environment.env.NEW_RELIC_API_KEY;
        if (!apiKey) throw new DeliveryError('no API key: set NEW_RELIC_API_KEY or newRelic.apiKey');
        const deployment = {
          entityGuid: nr.entityGuid,
          version: note.image?.tag ?? note.image?.digest ?? 'unknown',
          description: `shipper deployed ${note.service} to ${note.environment} (${note.stackName})`,
          ...(note.by ? { user: note.by } : {}),
          ...(note.commit ? { commit: note.commit } : {}),
          ...(note.buildUrl ? { deepLink: note.buildUrl } : {}),
          timestamp: note.at.getTime(),
        };
        const endpoint = environment.env.SHIPPER_NEW_RELIC_ENDPOINT || NEW_RELIC_ENDPOINTS[nr.region];
        const text = await postJson(environment.fetch, endpoint, { query: MUTATION, variables: { deployment } }, signal, { 'API-Key': apiKey });
        // NerdGraph answers 200 with `errors` when the mutation itself was refused.
        const errors = parseErrors(text);
        if (errors) throw new DeliveryError(`NerdGraph refused the deployment: ${errors}`);
      },
    },
  ];
};

function parseErrors(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ message?: string }> };
    return body.errors?.length ? body.errors.map((e) => e.message ?? 'unknown error').join('; ') : undefined;
  } catch {
    return 'the answer was not JSON';
  }
}
