/**
 * Many services in a CI log or a pipe: each service's output is kept apart while it runs and
 * printed in one piece, as its own group, never interleaved line by line with another's. On
 * Buildkite each service is a `--- :rocket: NAME` log group (`+++`, expanded, when it did not
 * succeed), and each start is a one-line group of its own, so a long fleet shows it is moving.
 *
 * `order: 'as-they-end'` (deploy) prints a service the moment it ends; `'selection'` (plan,
 * status, releases) prints the services in the order they were selected, each as soon as it
 * and every one before it have ended.
 */
import type { FleetEvent, FleetReporter, ServiceResult } from '../fleet/events.js';
import { SUCCESSFUL_OUTCOMES } from '../fleet/events.js';
import type { Reporter } from './events.js';
import { formatFleetSummary, outcomeLabel, servicesCount, styleOutcome } from './fleet-summary.js';
import { PlainReporter, type TextSink } from './plain.js';
import { type Style, ansiStyle, noStyle } from './style.js';
import { formatElapsed } from './time.js';

export interface PlainFleetOptions {
  buildkite: boolean;
  color: boolean;
  order: 'as-they-end' | 'selection';
  /** What the fleet does, for the first line: "Deploying", "Planning", ... */
  verb: string;
  /** Print a line as each service starts (deploy); plan, status and releases only show results. */
  progress?: boolean;
  now?: () => Date;
}

interface Lane {
  service: string;
  lines: string[];
  reporter: Reporter;
  result?: ServiceResult;
  printed: boolean;
}

export class PlainFleetReporter implements FleetReporter {
  private readonly style: Style;
  private readonly lanes: Lane[] = [];

  constructor(
    private readonly out: TextSink,
    private readonly opts: PlainFleetOptions,
  ) {
    this.style = opts.color ? ansiStyle : noStyle;
  }

  lane(service: string): Reporter {
    const lines: string[] = [];
    const sink: TextSink = { write: (text: string) => void lines.push(text) };
    // Plain headings inside the service's group: a Buildkite header here would split the group.
    const reporter = new PlainReporter(sink, { buildkite: false, color: this.opts.color, now: this.opts.now });
    const lane = this.laneOf(service);
    lane.lines = lines;
    lane.reporter = reporter;
    return reporter;
  }

  emit(event: FleetEvent): void {
    const s = this.style;
    switch (event.type) {
      case 'fleet.started':
        for (const service of event.services) this.laneOf(service);
        this.header('---', `${this.opts.verb} ${servicesCount(event.services.length)} in ${event.env}, ${event.concurrency} at a time: ${event.services.join(', ')}`);
        return;
      case 'fleet.service-started':
        if (!this.opts.progress) return;
        if (this.opts.buildkite) this.write(`--- ${event.service} started (${event.running} running, ${event.waiting} waiting)`);
        else this.write(`${s.dim('-->')} ${event.service} started (${event.running} running, ${event.waiting} waiting)`);
        return;
      case 'fleet.service-ended': {
        const lane = this.laneOf(event.result.service);
        lane.result = event.result;
        lane.reporter.close();
        if (this.opts.order === 'as-they-end') this.print(lane);
        else this.printReadyInOrder();
        return;
      }
      case 'fleet.summary':
        for (const lane of this.lanes) if (!lane.printed && lane.result) this.print(lane);
        this.header(event.exitCode === 0 ? '---' : '+++', 'Summary');
        for (const line of formatFleetSummary(event.results, event.env, s)) this.write(line);
        return;
    }
  }

  close(): void {}

  private printReadyInOrder(): void {
    for (const lane of this.lanes) {
      if (lane.printed) continue;
      if (!lane.result) return;
      this.print(lane);
    }
  }

  private print(lane: Lane): void {
    lane.printed = true;
    const r = lane.result!;
    const ok = SUCCESSFUL_OUTCOMES.has(r.outcome);
    // status and releases only show: their header is the service alone.
    const how = r.outcome === 'shown' ? [] : [styleOutcome(r.outcome, this.style, outcomeLabel(r.outcome))];
    if (r.elapsedSeconds !== undefined && r.outcome !== 'shown') how.push(formatElapsed(r.elapsedSeconds));
    if (r.release !== undefined) how.push(`release #${r.release}`);
    this.header(ok ? '---' : '+++', `:rocket: ${r.service}${how.length ? `: ${how.join(', ')}` : ''}`);
    this.out.write(lane.lines.join(''));
    if (!ok) {
      for (const line of (r.message ?? '').split('\n')) if (line) this.write(this.style.bad(`error: ${line}`));
      for (const line of (r.hint ?? '').split('\n')) if (line) this.write(`  ${line}`);
    }
  }

  /** A Buildkite group header, or a plain heading (the emoji is Buildkite's, so it goes too). */
  private header(marker: '---' | '+++', title: string): void {
    if (this.opts.buildkite) this.write(`${marker} ${title}`);
    else this.write(`\n${this.style.bold(`==> ${title.replace(/^:rocket: /, '')}`)}`);
  }

  private laneOf(service: string): Lane {
    let lane = this.lanes.find((l) => l.service === service);
    if (!lane) {
      lane = { service, lines: [], reporter: { emit: () => undefined, close: () => undefined }, printed: false };
      this.lanes.push(lane);
    }
    return lane;
  }

  private write(line: string): void {
    this.out.write(`${line}\n`);
  }
}
