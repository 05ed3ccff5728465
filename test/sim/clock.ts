/**
 * Simulated time. `now()` moves only when the code under test sleeps; everything the simulated
 * cloud does is a step scheduled at a timestamp, and a sleep runs every step that falls due
 * during it, in timestamp order. A ten-minute deploy therefore takes milliseconds and always
 * unfolds the same way.
 */
import type { Clock } from '../../src/aws/api.js';

interface Step {
  at: number;
  seq: number;
  run: () => void;
}

export class FakeClock implements Clock {
  private current: number;
  private steps: Step[] = [];
  private seq = 0;
  /** Total simulated milliseconds spent sleeping (what a benchmark wants to know). */
  sleptMs = 0;
  sleeps = 0;

  constructor(start: Date | string = '2024-05-06T06:25:30Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  /** Runs `run` when simulated time reaches `delayMs` from now (0 = at the next sleep or advance). */
  schedule(delayMs: number, run: () => void): void {
    this.at(this.current + Math.max(0, delayMs), run);
  }

  at(timeMs: number, run: () => void): void {
    this.steps.push({ at: Math.max(timeMs, this.current), seq: this.seq++, run });
  }

  pending(): number {
    return this.steps.length;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps++;
    if (signal?.aborted) return;
    const start = this.current;
    this.advance(Math.max(0, ms), signal);
    this.sleptMs += this.current - start;
    // Let other promise chains (a parallel watcher, say) observe the new time before we return.
    await Promise.resolve();
  }

  /**
   * Time spent outside the code under test's own sleeps (an API call's latency): moves the clock
   * like a sleep, but is not counted as one.
   */
  async pass(ms: number): Promise<void> {
    this.advance(Math.max(0, ms));
    await Promise.resolve();
  }

  /** Moves time forward, running due steps; stops early if `signal` is aborted by a step. */
  advance(ms: number, signal?: AbortSignal): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.run();
      if (signal?.aborted) return;
    }
    this.current = target;
  }

  /** Runs every scheduled step, however far away (e.g. to let a rollback finish). */
  runUntilIdle(limitMs = 24 * 3600_000): void {
    const deadline = this.current + limitMs;
    while (this.steps.length > 0) {
      const next = this.nextDue(deadline);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.run();
    }
  }

  private nextDue(target: number): Step | undefined {
    let best = -1;
    for (let i = 0; i < this.steps.length; i++) {
      const s = this.steps[i]!;
      if (s.at > target) continue;
      const b = this.steps[best];
      if (!b || s.at < b.at || (s.at === b.at && s.seq < b.seq)) best = i;
    }
    if (best < 0) return undefined;
    return this.steps.splice(best, 1)[0];
  }
}
