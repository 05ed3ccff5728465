/**
 * Append-only output for CI logs and pipes: no cursor movement, no spinner, one line per thing
 * that happened. On Buildkite each phase opens a collapsible `--- ` group and a failure
 * re-opens the group it happened in (`^^^ +++`), as Buildkite's log-grouping docs describe.
 */
import type { Reporter, ShipperEvent } from './events.js';
import { formatFailureReport } from './failure.js';
import { formatCleanupComplete, formatLive } from './live.js';
import { formatNotice, isNotice } from './notices.js';
import { formatBakeEvent, isBakeEvent } from './bake.js';
import { formatPlan } from './plan.js';
import { formatPlanDetail } from './plan-detail.js';
import { OperationClock, formatActivityLine, formatProgressLine } from './progress.js';
import { StackEventColumns } from './stack-line.js';
import { type Style, ansiStyle, noStyle } from './style.js';

export interface TextSink {
  write(text: string): unknown;
}

export interface PlainReporterOptions {
  /** Emit Buildkite log-group markers. */
  buildkite: boolean;
  /** ANSI colours (Buildkite renders them; a file or pipe usually should not get them). */
  color: boolean;
  /** Clock for progress that arrives before the operation's start time is known. */
  now?: () => Date;
}

export class PlainReporter implements Reporter {
  private readonly style: Style;
  private readonly columns: StackEventColumns;
  private readonly clock: OperationClock;
  private lastBusyStatus?: string;
  /** Buildkite header of a phase that has printed nothing yet (see `emit` for why it waits). */
  private pendingHeader?: string;

  constructor(
    private readonly out: TextSink,
    private readonly opts: PlainReporterOptions,
  ) {
    this.style = opts.color ? ansiStyle : noStyle;
    this.columns = new StackEventColumns();
    this.clock = new OperationClock(opts.now ?? (() => new Date()));
  }

  emit(event: ShipperEvent): void {
    const s = this.style;
    switch (event.type) {
      case 'phase':
        // On Buildkite a header is written with the phase's first line: `^^^ +++` re-opens the
        // group just before it, which must be the one holding the failure, not an empty one.
        if (this.opts.buildkite) {
          this.flushHeader();
          this.pendingHeader = event.title;
        } else {
          this.line(`\n${s.bold(`==> ${event.title}`)}`);
        }
        return;
      case 'plan.summary':
        this.columns.widenFor([event.stackName, ...event.changes.map((c) => c.logicalId)]);
        this.lines(formatPlan(event, s));
        return;
      case 'plan.detail':
        this.lines(formatPlanDetail(event.plan, s));
        return;
      case 'stack.event':
        this.line(this.columns.format(event, s));
        return;
      case 'group.progress':
        this.line(formatProgressLine(event, this.columns, this.clock, s));
        return;
      case 'group.activity-failed':
        this.line(formatActivityLine(event, this.columns, this.clock, s));
        return;
      case 'operation.started':
        this.clock.start(event.startedAt);
        this.line(formatNotice(event, s));
        return;
      case 'stack.busy':
        if (event.status === this.lastBusyStatus) return;
        this.lastBusyStatus = event.status;
        this.line(formatNotice(event, s));
        return;
      case 'deploy.live':
        this.line('');
        this.lines(formatLive(event, s));
        return;
      case 'cleanup.complete':
        this.lines(formatCleanupComplete(event, s));
        return;
      case 'deploy.failed':
        // Expand the group the failure happened in, then show the summary in an open group.
        if (this.opts.buildkite) {
          const title = this.pendingHeader ?? 'Deploy failed';
          this.pendingHeader = undefined;
          this.lines(['^^^ +++', `+++ ${title}`]);
        } else {
          this.line('');
        }
        this.lines(formatFailureReport(event.report, s));
        return;
      default:
        if (isNotice(event)) this.line(formatNotice(event, s));
        else if (isBakeEvent(event)) {
          // On Buildkite the bake is a group of its own: its progress folds away under one header.
          if (this.opts.buildkite && event.type === 'bake.started') {
            this.flushHeader();
            this.pendingHeader = `Baking ${event.stackName} (${event.minutes} min)`;
          }
          this.lines(formatBakeEvent(event, s));
        }
    }
  }

  /** A phase that printed nothing still says how far the run got. */
  close(): void {
    this.flushHeader();
  }

  private line(text: string): void {
    this.flushHeader();
    this.out.write(`${text}\n`);
  }

  private flushHeader(): void {
    if (this.pendingHeader === undefined) return;
    this.out.write(`--- ${this.pendingHeader}\n`);
    this.pendingHeader = undefined;
  }

  private lines(texts: string[]): void {
    for (const t of texts) this.line(t);
  }
}
