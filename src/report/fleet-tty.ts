/**
 * Many services in a terminal: one compact line per service (what it is doing, signals k/N,
 * elapsed), redrawn in place, so thirty deploys fit on one screen. Each service's full output
 * is kept; at the end the services that did not succeed show theirs (the failure screen with
 * the events that led to it), then the summary table.
 *
 * The block is redrawn by moving the cursor up over it (the same cursor calls ora uses for its
 * one line). A block taller than the terminal cannot be redrawn that way: it then shows the
 * running services and one line counting the rest. A stream that cannot move the cursor gets
 * one line per change instead.
 */
import type { FleetEvent, FleetReporter, ServiceResult } from '../fleet/events.js';
import { SUCCESSFUL_OUTCOMES } from '../fleet/events.js';
import type { Reporter, ShipperEvent } from './events.js';
import { formatFleetSummary, outcomeLabel, servicesCount, styleOutcome, summaryHeadline } from './fleet-summary.js';
import { PlainReporter } from './plain.js';
import type { Style } from './style.js';
import { formatElapsed } from './time.js';
import { canAnimate, chalkStyle, type TtyStream } from './tty.js';

/** The "dots" spinner (as ora draws it). */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 120;

export interface TtyFleetOptions {
  color: boolean;
  verb: string;
  /** Redraw in place (default: when the stream can move the cursor). */
  animate?: boolean;
  now?: () => Date;
}

interface LaneState {
  service: string;
  status: 'waiting' | 'running' | 'ended';
  doing: string;
  signals?: { received: number; expected: number };
  startedAt?: number;
  result?: ServiceResult;
  details: string[];
  /** The last line printed for it (without animation), so an unchanged line is not printed again. */
  printed?: string;
}

export class TtyFleetReporter implements FleetReporter {
  private readonly style: Style;
  private readonly animate: boolean;
  private readonly now: () => Date;
  private readonly lanes: LaneState[] = [];
  private drawn = 0;
  private frame = 0;
  private timer?: NodeJS.Timeout;
  private nameWidth = 0;

  constructor(
    private readonly out: TtyStream & { rows?: number },
    private readonly opts: TtyFleetOptions,
  ) {
    this.style = chalkStyle(opts.color);
    this.animate = (opts.animate ?? true) && canAnimate(out);
    this.now = opts.now ?? (() => new Date());
  }

  lane(service: string): Reporter {
    const state = this.stateOf(service);
    const plain = new PlainReporter({ write: (text: string) => void state.details.push(text) }, { buildkite: false, color: this.opts.color, now: this.opts.now });
    return {
      emit: (event) => {
        plain.emit(event);
        if (this.observe(state, event)) this.changed(state);
      },
      close: () => plain.close(),
    };
  }

  emit(event: FleetEvent): void {
    switch (event.type) {
      case 'fleet.started':
        for (const service of event.services) this.stateOf(service);
        this.nameWidth = Math.max(...event.services.map((s) => s.length));
        this.out.write(`${this.style.bold(`${this.opts.verb} ${servicesCount(event.services.length)} in ${event.env}, ${event.concurrency} at a time`)}\n`);
        if (this.animate) {
          this.draw();
          this.timer = setInterval(() => {
            this.frame = (this.frame + 1) % FRAMES.length;
            this.draw();
          }, FRAME_MS);
          this.timer.unref?.();
        }
        return;
      case 'fleet.service-started': {
        const state = this.stateOf(event.service);
        state.status = 'running';
        state.doing = 'starting';
        state.startedAt = this.now().getTime();
        this.changed(state);
        return;
      }
      case 'fleet.service-ended': {
        const state = this.stateOf(event.result.service);
        state.status = 'ended';
        state.result = event.result;
        this.changed(state);
        return;
      }
      case 'fleet.summary':
        this.stop();
        for (const lane of this.lanes) {
          if (!lane.result || SUCCESSFUL_OUTCOMES.has(lane.result.outcome) || lane.result.outcome === 'not-started') continue;
          this.out.write(`\n${this.style.bold(`── ${lane.service}: ${outcomeLabel(lane.result.outcome)} ──`)}\n`);
          this.out.write(lane.details.join(''));
          for (const line of (lane.result.message ?? '').split('\n')) if (line) this.out.write(`${this.style.bad(`error: ${line}`)}\n`);
          for (const line of (lane.result.hint ?? '').split('\n')) if (line) this.out.write(`  ${line}\n`);
        }
        this.out.write('\n');
        for (const line of formatFleetSummary(event.results, event.env, this.style)) this.out.write(`${line}\n`);
        return;
    }
  }

  close(): void {
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.animate) this.draw();
  }

  /** True when the service's line says something new. */
  private observe(state: LaneState, event: ShipperEvent): boolean {
    switch (event.type) {
      case 'phase':
        state.doing = event.title;
        state.signals = undefined;
        return true;
      case 'group.progress':
        state.signals = { received: event.signalsReceived, expected: event.signalsExpected };
        return true;
      case 'stack.event':
        if (event.isStack && /ROLLBACK_IN_PROGRESS$/.test(event.status)) {
          state.doing = 'rolling back to the previous release';
          return true;
        }
        return false;
      case 'stack.busy':
        state.doing = `waiting: ${event.stackName} is ${event.status}`;
        return true;
      case 'operation.cancelling':
        state.doing = 'cancelling; CloudFormation rolls back';
        return true;
      case 'deploy.live':
        state.doing = 'live';
        state.signals = undefined;
        return true;
      default:
        return false;
    }
  }

  private changed(state: LaneState): void {
    if (this.animate) return this.draw();
    const line = this.lineOf(state, false);
    if (line === state.printed) return;
    state.printed = line;
    this.out.write(`${line}\n`);
  }

  private draw(): void {
    const lines = this.blockLines();
    if (this.drawn > 0) {
      this.out.moveCursor?.(0, -this.drawn);
      this.out.cursorTo?.(0);
    }
    for (const line of lines) {
      this.out.clearLine?.(0);
      this.out.write(`${line}\n`);
    }
    // A block that got shorter (it never does today) would leave lines behind: clear them.
    for (let i = lines.length; i < this.drawn; i++) {
      this.out.clearLine?.(0);
      this.out.write('\n');
    }
    this.drawn = Math.max(this.drawn, lines.length);
  }

  private blockLines(): string[] {
    const rows = this.out.rows ?? 24;
    if (this.lanes.length < rows - 1) return this.lanes.map((l) => this.lineOf(l, true));
    // Too tall to redraw in place: the running services, and a count of the rest.
    const running = this.lanes.filter((l) => l.status === 'running').slice(0, rows - 2);
    const ended = this.lanes.filter((l) => l.result).map((l) => l.result!);
    const waiting = this.lanes.filter((l) => l.status === 'waiting').length;
    const counts = ended.length ? summaryHeadline(ended, '').replace(/ in : /, ' ended: ') : 'none ended yet';
    return [...running.map((l) => this.lineOf(l, true)), this.style.dim(`${counts}; ${waiting} waiting`)];
  }

  private lineOf(state: LaneState, live: boolean): string {
    const s = this.style;
    const name = state.service.padEnd(this.nameWidth);
    const columns = Math.max(40, (this.out.columns ?? 100) - 1);
    const room = columns - name.length - 4;
    if (state.status === 'waiting') return `${s.dim('·')} ${name}  ${s.dim('waiting')}`;
    if (state.status === 'ended' && state.result) {
      const r = state.result;
      const ok = SUCCESSFUL_OUTCOMES.has(r.outcome);
      const parts = [outcomeLabel(r.outcome)];
      if (r.release !== undefined) parts.push(`release #${r.release}`);
      if (r.elapsedSeconds !== undefined) parts.push(formatElapsed(r.elapsedSeconds));
      if (!ok && r.rootCause) parts.push(r.rootCause.replace(/\s*\n\s*/g, ' '));
      const symbol = ok ? s.ok('✔') : r.outcome === 'not-started' ? s.pending('○') : s.bad('✖');
      const text = cut(parts.join(' · '), room);
      return `${symbol} ${name}  ${styleOutcome(r.outcome, s, text)}`;
    }
    const parts = [state.doing];
    if (state.signals) parts.push(`signals ${state.signals.received}/${state.signals.expected}`);
    if (live && state.startedAt !== undefined) parts.push(formatElapsed((this.now().getTime() - state.startedAt) / 1000));
    return `${live ? s.pending(FRAMES[this.frame]!) : s.pending('›')} ${name}  ${cut(parts.join(' · '), room)}`;
  }

  private stateOf(service: string): LaneState {
    let state = this.lanes.find((l) => l.service === service);
    if (!state) {
      state = { service, status: 'waiting', doing: '', details: [] };
      this.lanes.push(state);
    }
    return state;
  }
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;
}
