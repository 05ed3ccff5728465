/**
 * The one interface every notification channel implements. A channel turns a deploy moment
 * (started, live, failed, cancelled) into one request; it never decides the deploy's outcome.
 */
import type { Notifications, SecretRef } from '../descriptor/schema.js';

/** `baking`: the new group serves and CloudFormation keeps the update open (old group kept) while alarms guard it. */
export type NoteKind = 'started' | 'baking' | 'live' | 'failed' | 'cancelled';

/** What a receiver is told about one moment of one deploy. */
export interface DeployNote {
  kind: NoteKind;
  service: string;
  environment: string;
  stackName: string;
  at: Date;
  image?: { tag?: string; digest?: string };
  by?: string;
  commit?: string;
  buildUrl?: string;
  /** failed/cancelled: the first resource failure, e.g. "autoScalingGroup: Received 1 FAILURE signal(s)...". */
  rootCause?: string;
  /** failed/cancelled: the release serving after the rollback, when shipper proved it is. */
  stillServing?: { number?: number; tag?: string; digest?: string };
  /** cancelled: what cancelled it, e.g. "Ctrl-C" or "--timeout 30m". */
  cancelledBy?: string;
  /** baking: how long, until when, and the alarms that guard it. */
  bake?: { minutes: number; endsAt: Date; alarms: string[] };
}

export interface NotificationChannel {
  /** Names the receiver in output without its secret parts, e.g. "webhook hooks.slack.com". */
  readonly label: string;
  wants(kind: NoteKind): boolean;
  /** Resolves when the receiver accepted the note; rejects with a one-line reason otherwise. */
  send(note: DeployNote, signal: AbortSignal): Promise<void>;
  /** The line printed when the note was accepted (default: "Notified <label> (<kind>)"). */
  sentLine?(note: DeployNote): string;
}

/** What channels may use, injected so tests point them at loopback servers. */
export interface ChannelEnvironment {
  /** Reads a secret (SSM or Secrets Manager) at the time of sending. */
  readSecret(ref: SecretRef): Promise<string>;
  env: NodeJS.ProcessEnv;
  fetch: typeof globalThis.fetch;
}

/** Builds the channels one kind of setting declares (none when the descriptor does not use it). */
export type ChannelFactory = (settings: Notifications, environment: ChannelEnvironment) => NotificationChannel[];
