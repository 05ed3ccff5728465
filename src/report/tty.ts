/**
 * Interactive terminal output: one live spinner line (phase, elapsed, signals k/N, instances by
 * lifecycle state) with everything that happened printed above it. Lines are printed with the
 * clear / write / render pattern so the spinner never tears a line in half.
 */
import { Chalk } from 'chalk';
import ora, { type Ora } from 'ora';
import type { Reporter, ShipperEvent } from './events.js';
import { formatFailureReport } from './failure.js';
import { formatCleanupComplete, formatLiveDetails, liveHeadline } from './live.js';
import { formatNotice, isNotice } from './notices.js';
import { formatBakeEvent, isBakeEvent, type BakeEvent } from './bake.js';
import { formatPlan } from './plan.js';
import { formatPlanDetail } from './plan-detail.js';
import type { TextSink } from './plain.js';
import { OperationClock, describeProgress, formatActivityLine, formatProgressLine } from './progress.js';
import { StackEventColumns } from './stack-line.js';
import type { Style } from './style.js';
import { formatElapsed } from './time.js';

export interface TtyStream extends TextSink {
  isTTY?: boolean;
  columns?: number;
  /** Cursor control of a real terminal stream (tty.WriteStream); the spinner needs all three. */
  cursorTo?(x: number): unknown;
  moveCursor?(dx: number, dy: number): unknown;
  clearLine?(dir: -1 | 0 | 1): unknown;
}

/** Only a stream that can move the cursor can redraw a live line in place. */
export function canAnimate(stream: TtyStream): boolean {
  return Boolean(stream.isTTY) && [stream.cursorTo, stream.moveCursor, stream.clearLine].every((f) => typeof f === 'function');
}

export interface TtyReporterOptions {
  color: boolean;
  /**
   * Animate the live line (ora's `isEnabled`; also off when the stream cannot move the cursor).
   * Without animation, each progress report is printed as a line instead.
   */
  spinner?: boolean;
  now?: () => Date;
}

type GroupProgress = Extract<ShipperEvent, { type: 'group.progress' }>;

export function chalkStyle(color: boolean): Style {
  const c = new Chalk({ level: color ? 1 : 0 });
  return { ok: c.green, bad: c.red, pending: c.yellow, dim: c.dim, bold: c.bold };
}

export class TtyReporter implements Reporter {
  private readonly style: Style;
  private readonly spinner: Ora;
  private readonly spinnerEnabled: boolean;
  private readonly columns: StackEventColumns;
  private readonly now: () => Date;
  private readonly clock: OperationClock;
  /** The latest elapsed time an event reported, and when (by our clock) we heard it. */
  private elapsedMark?: { seconds: number; at: number };
  private phaseTitle = '';
  private progress?: GroupProgress;
  private lastBusyStatus?: string;
  /** A phase is under way and nothing has ended it: the live line belongs on screen. */
  private phaseActive = false;
  private paused = false;

  constructor(
    private readonly out: TtyStream,
    opts: TtyReporterOptions,
  ) {
    this.style = chalkStyle(opts.color);
    this.now = opts.now ?? (() => new Date());
    this.clock = new OperationClock(this.now);
    this.columns = new StackEventColumns();
    this.spinnerEnabled = (opts.spinner ?? true) && canAnimate(out);
    this.spinner = ora({
      stream: out as unknown as NodeJS.WritableStream,
      isEnabled: this.spinnerEnabled,
      color: opts.color ? 'cyan' : false,
      // ora would put stdin in raw mode; shipper's own Ctrl+C handling and prompts read stdin.
      discardStdin: false,
      suffixText: () => this.liveSuffix(),
    });
  }

  emit(event: ShipperEvent): void {
    this.paused = false;
    this.markElapsed(event);
    this.render(event);
    if (this.phaseActive && !this.paused) this.spin();
  }

  /**
   * Stop animating until the next event, e.g. while the operator answers a question on the same
   * terminal (a spinner redrawing every 80 ms would overwrite the prompt).
   */
  pause(): void {
    this.paused = true;
    if (this.spinner.isSpinning) this.spinner.stop();
  }

  private render(event: ShipperEvent): void {
    const s = this.style;
    switch (event.type) {
      case 'phase':
        this.phaseTitle = event.title;
        this.phaseActive = true;
        this.progress = undefined;
        this.print('', s.bold(event.title));
        return;
      case 'operation.started':
        this.clock.start(event.startedAt);
        this.print(formatNotice(event, s));
        return;
      case 'plan.summary':
        this.columns.widenFor([event.stackName, ...event.changes.map((c) => c.logicalId)]);
        this.print(...formatPlan(event, s));
        // The plan is often followed by a confirmation prompt; nothing is running until it is answered.
        this.pause();
        return;
      case 'plan.detail':
        this.settle(s.ok('✔'), s.bold(`Planned ${event.plan.stackName}`));
        this.print(...formatPlanDetail(event.plan, s));
        return;
      case 'stack.event':
        // The live line says what is happening now: a rollout that fails becomes a rollback.
        if (event.isStack && /ROLLBACK_IN_PROGRESS$/.test(event.status)) this.phaseTitle = `Rolling back ${event.logicalId} to the previous release`;
        this.print(this.columns.format(event, s));
        return;
      case 'group.progress': {
        this.progress = event;
        // The animated line already shows it; without one, print the change once.
        if (this.spinner.isSpinning) this.spinner.render();
        else this.print(formatProgressLine(event, this.columns, this.clock, s));
        return;
      }
      case 'group.activity-failed':
        this.print(formatActivityLine(event, this.columns, this.clock, s));
        return;
      case 'operation.cancelling':
        this.phaseTitle = 'Cancelling the update; CloudFormation rolls back to the previous release';
        this.print(formatNotice(event, s));
        return;
      case 'plan.no-changes':
        this.settle(s.ok('✔'), formatNotice(event, s));
        return;
      case 'stack.busy':
        if (event.status === this.lastBusyStatus) return;
        this.lastBusyStatus = event.status;
        this.print(formatNotice(event, s));
        return;
      case 'deploy.live':
        this.settle(s.ok('✔'), s.ok(s.bold(liveHeadline(event))));
        this.print(...formatLiveDetails(event, s));
        return;
      case 'cleanup.complete': {
        const [headline = '', ...rest] = formatCleanupComplete(event, s);
        this.settle(s.ok('✔'), headline);
        this.print(...rest);
        return;
      }
      case 'deploy.failed':
        this.settle(s.bad('✖'), s.bad(event.report.cancelled ? 'Deploy cancelled' : 'Deploy failed'));
        this.print('', ...formatFailureReport(event.report, s));
        return;
      default:
        if (isNotice(event)) this.print(formatNotice(event, s));
        else if (isBakeEvent(event)) this.renderBake(event);
    }
  }

  /** The live line carries the bake's progress; start, breach and end are printed once. */
  private renderBake(event: BakeEvent): void {
    const lines = formatBakeEvent(event, this.style);
    if (event.type === 'bake.progress') {
      this.phaseTitle = lines[0] ?? this.phaseTitle;
      if (this.spinner.isSpinning) this.spinner.text = this.phaseTitle;
      else this.print(...lines);
      return;
    }
    if (event.type === 'bake.started') this.phaseTitle = `Baking ${event.stackName}: the new group serves, the old group is kept`;
    if (event.type === 'bake.breach') this.phaseTitle = `Rolling back: alarm ${event.breach.alarmName} broke the bake`;
    this.print(...lines);
  }

  close(): void {
    if (this.spinner.isSpinning) this.spinner.stop();
  }

  /** Print above the live line: clear it, write, draw it again underneath. */
  private print(...lines: string[]): void {
    if (lines.length === 0) return;
    const spinning = this.spinner.isSpinning;
    if (spinning) this.spinner.clear();
    this.out.write(lines.map((l) => `${l}\n`).join(''));
    if (spinning && this.phaseActive && this.spinner.text !== this.phaseTitle) this.spinner.text = this.phaseTitle;
    if (spinning) this.spinner.render();
  }

  private spin(): void {
    if (!this.spinnerEnabled) return;
    if (this.spinner.text !== this.phaseTitle) this.spinner.text = this.phaseTitle;
    if (!this.spinner.isSpinning) this.spinner.start();
  }

  /** Stop the live line, leaving a final one in its place. */
  private settle(symbol: string, text: string): void {
    this.phaseActive = false;
    if (this.spinner.isSpinning) this.spinner.stopAndPersist({ symbol, text, suffixText: '' });
    else this.print(`${symbol} ${text}`);
  }

  /**
   * Elapsed time comes from the events themselves and ticks on by our own clock in between, so
   * the display agrees with the stack-event lines even if core runs on a different clock.
   */
  private markElapsed(event: ShipperEvent): void {
    const at = this.now().getTime();
    if ('elapsedSeconds' in event && event.type !== 'cleanup.complete') this.elapsedMark = { seconds: event.elapsedSeconds, at };
    else if (event.type === 'operation.started') this.elapsedMark = { seconds: 0, at };
    else this.elapsedMark ??= { seconds: 0, at };
  }

  /** Recomputed on every frame, so elapsed time ticks between events. */
  private liveSuffix(): string {
    const parts: string[] = [];
    if (this.elapsedMark) parts.push(formatElapsed(this.elapsedMark.seconds + (this.now().getTime() - this.elapsedMark.at) / 1000));
    if (this.progress) parts.push(describeProgress(this.progress));
    return parts.length === 0 ? '' : this.style.dim(parts.join(' · '));
  }
}
