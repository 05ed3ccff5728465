/** Every channel shipper can notify; a new channel is one file in this folder and one line here. */
import type { ChannelEnvironment, ChannelFactory, NotificationChannel } from './channel.js';
import type { Notifications } from '../descriptor/schema.js';
import { newRelicChannels } from './new-relic.js';
import { webhookChannels } from './webhook.js';

const FACTORIES: ChannelFactory[] = [webhookChannels, newRelicChannels];

export function channelsFor(settings: Notifications | undefined, environment: ChannelEnvironment): NotificationChannel[] {
  return settings ? FACTORIES.flatMap((make) => make(settings, environment)) : [];
}
