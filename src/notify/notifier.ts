/**
 * A reporter decorator that watches the deploy's event stream and sends notifications at its
 * moments (started, live, failed, cancelled). Sends run concurrently in the background; `flush()`
 * waits for them at most `boundMs`, aborts what is left, and reports each as one
 * `notify.result` event. A receiver can delay the command by the bound, never change its outcome.
 */
import type { Reporter, ShipperEvent } from '../report/events.js';
import { describeCancellation } from '../report/failure.js';
import { describeBreach } from '../report/bake.js';
import type { DeployNote, NoteKind, NotificationChannel } from './channel.js';

export const DEFAULT_NOTIFY_BOUND_MS = 5000;

export interface NoteContext {
  service: string;
  environment: string;
  by?: string;
  commit?: string;
  buildUrl?: string;
}

interface Delivery {
  channel: NotificationChannel;
  note: DeployNote;
  settled?: { ok: true } | { ok: false; reason: string };
  done: Promise<void>;
  abort: AbortController;
}

export class NotifyingReporter implements Reporter {
  private readonly deliveries: Delivery[] = [];
  private image?: DeployNote['image'];
  private stackName = '';

  constructor(
    private readonly inner: Reporter,
    private readonly channels: NotificationChannel[],
    private readonly context: NoteContext,
    private readonly options: { boundMs?: number; now?: () => Date } = {},
  ) {}

  emit(event: ShipperEvent): void {
    this.inner.emit(event);
    const kind = this.observe(event);
    if (kind) this.send(this.note(kind, event));
  }

  close(): void {
    this.inner.close();
  }

  pause(): void {
    this.inner.pause?.();
  }

  /** Waits for every send, at most the bound, then reports each one. Never throws. */
  async flush(): Promise<void> {
    if (this.deliveries.length === 0) return;
    const boundMs = this.options.boundMs ?? DEFAULT_NOTIFY_BOUND_MS;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs);
    });
    await Promise.race([Promise.all(this.deliveries.map((d) => d.done)), bound]);
    clearTimeout(timer);
    for (const d of this.deliveries) {
      if (!d.settled) d.abort.abort();
      const settled = d.settled ?? { ok: false as const, reason: `no answer within ${formatBound(boundMs)}` };
      this.inner.emit({
        type: 'notify.result',
        channel: d.channel.label,
        ok: settled.ok,
        detail: settled.ok
          ? (d.channel.sentLine?.(d.note) ?? `Notified ${d.channel.label} (${d.note.kind})`)
          : `Could not notify ${d.channel.label} (${d.note.kind}): ${settled.reason}`,
      });
    }
    this.deliveries.length = 0;
  }

  private observe(event: ShipperEvent): NoteKind | undefined {
    switch (event.type) {
      case 'plan.summary':
        this.image = { tag: event.image.newTag, digest: event.image.newDigest };
        this.stackName = event.stackName;
        return undefined;
      case 'operation.started':
        this.stackName = event.stackName;
        return 'started';
      case 'bake.started':
        return 'baking';
      case 'deploy.live':
        return 'live';
      case 'deploy.failed':
        return event.report.cancelled ? 'cancelled' : 'failed';
      default:
        return undefined;
    }
  }

  private note(kind: NoteKind, event: ShipperEvent): DeployNote {
    const { service, environment, by, commit, buildUrl } = this.context;
    const note: DeployNote = { kind, service, environment, stackName: this.stackName, at: (this.options.now ?? (() => new Date()))(), image: this.image, by, commit, buildUrl };
    if (event.type === 'deploy.live') note.stackName = event.stackName;
    if (event.type === 'bake.started') note.stackName = event.stackName;
    if (event.type === 'bake.started') note.bake = { minutes: event.minutes, endsAt: event.endsAt, alarms: event.alarms.map((a) => a.name) };
    if (event.type === 'deploy.failed') {
      const r = event.report;
      note.stackName = r.stackName;
      if (r.bakeBreach) note.rootCause = describeBreach(r.bakeBreach);
      else if (r.rootCause) note.rootCause = `${r.rootCause.logicalId}: ${r.rootCause.reason}`;
      if (r.previousReleaseLive) note.stillServing = { number: r.previousRelease?.number, tag: r.previousRelease?.tag, digest: r.previousRelease?.digest };
      if (r.cancelled) note.cancelledBy = describeCancellation(r.cancelled);
    }
    return note;
  }

  private send(note: DeployNote): void {
    for (const channel of this.channels) {
      if (!channel.wants(note.kind)) continue;
      const abort = new AbortController();
      const delivery: Delivery = { channel, note, abort, done: Promise.resolve() };
      delivery.done = Promise.resolve()
        .then(() => channel.send(note, abort.signal))
        .then(
          () => void (delivery.settled = { ok: true }),
          (err: unknown) => void (delivery.settled = { ok: false, reason: err instanceof Error ? err.message : String(err) }),
        );
      this.deliveries.push(delivery);
    }
  }
}

function formatBound(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
