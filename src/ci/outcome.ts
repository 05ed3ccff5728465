/**
 * How a deploy, rollback or watch ended, as a CI integration needs to tell it. Collected from the
 * same event stream the renderers see (a reporter that passes every event on), so the CI's
 * account can never disagree with the log.
 */
import type { FailureReport, Reporter, ShipperEvent } from '../report/events.js';
import type { MarkdownLive } from '../report/live-markdown.js';

/** A release that went live: what the success annotation shows (the same shape its Markdown takes). */
export type LiveRelease = MarkdownLive;

/** The step's failure as the CLI's error handler tells it (message, hint, exit code). */
export interface StepFailure {
  exitCode: number;
  message: string;
  hint?: string;
  /** The one-screen failure summary, when the operation ran and did not go live. */
  report?: FailureReport;
}

export type StepOutcome =
  | { kind: 'live'; live: LiveRelease }
  | { kind: 'failed'; failure: StepFailure }
  /** Nothing to change, or nothing in progress to follow: the build has nothing new to learn. */
  | { kind: 'unchanged' };

export interface StepTarget {
  service: string;
  env: string;
  /** One of several services deployed by one step: meta-data keys name the service (`shipper:<service>:<env>:release`). */
  perService?: boolean;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Passes every event on and remembers what the outcome needs. */
export class OutcomeRecorder implements Reporter {
  private live?: Extract<ShipperEvent, { type: 'deploy.live' }>;
  private failed?: FailureReport;
  private recorded?: Extract<ShipperEvent, { type: 'release.recorded' }>;
  private planned?: Extract<ShipperEvent, { type: 'plan.summary' }>['image'];
  private baked?: Extract<ShipperEvent, { type: 'bake.started' }>;

  constructor(private readonly next: Reporter) {}

  emit(event: ShipperEvent): void {
    if (event.type === 'deploy.live') this.live = event;
    else if (event.type === 'deploy.failed') this.failed = event.report;
    else if (event.type === 'release.recorded') this.recorded = event;
    else if (event.type === 'plan.summary') this.planned = event.image;
    else if (event.type === 'bake.started') this.baked = event;
    this.next.emit(event);
  }

  close(): void {
    this.next.close();
  }

  pause(): void {
    this.next.pause?.();
  }

  /** The outcome once the command has ended; `failure` is what it threw, described. */
  outcome(failure?: Omit<StepFailure, 'report'>): StepOutcome {
    if (failure) return { kind: 'failed', failure: { ...failure, ...(this.failed ? { report: this.failed } : {}) } };
    if (!this.live) return { kind: 'unchanged' };
    const { outputs } = this.live;
    // The stack's outputs name the live image (also for watch, which plans nothing); a deploy by
    // digest alone has the digest as its "tag", which is no tag.
    const tag = [outputs.ImageTag, this.planned?.newTag].find((t) => t && !DIGEST.test(t));
    const digest = outputs.ImageDigest || this.planned?.newDigest;
    return {
      kind: 'live',
      live: {
        stackName: this.live.stackName,
        ...(this.recorded ? { release: this.recorded.number, ...(this.recorded.rollbackOf !== undefined ? { rollbackOf: this.recorded.rollbackOf } : {}) } : {}),
        ...(tag ? { imageTag: tag } : {}),
        ...(digest ? { imageDigest: digest } : {}),
        outputs,
        elapsedSeconds: this.live.elapsedSeconds,
        ...(this.baked ? { bake: { minutes: this.baked.minutes, alarms: this.baked.alarms.map((a) => a.name) } } : {}),
      },
    };
  }
}
