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

/** A task asleep until `at` (concurrent mode). */
interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
}

export class FakeClock implements Clock {
  private current: number;
  private steps: Step[] = [];
  private seq = 0;
  /** Total simulated milliseconds spent sleeping (what a benchmark wants to know). */
  sleptMs = 0;
  sleeps = 0;
  private concurrent = false;
  private sleepers: Sleeper[] = [];
  private idleCheckArmed = false;

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

  /**
   * Many tasks at once (thirty deploys in one process): a sleep no longer moves time by itself.
   * Each sleeper waits for its wake-up time; once every task is waiting (nothing left to run
   * before the event loop's next turn), time jumps to the earliest wake-up, running the
   * simulated cloud's steps due on the way. Simulated time is then the elapsed time of the
   * slowest task, not the sum of everybody's sleeps. Tasks must not wait on real I/O meanwhile.
   */
  runConcurrently(): this {
    this.concurrent = true;
    return this;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps++;
    if (signal?.aborted) return;
    if (this.concurrent) return this.sleepConcurrently(ms, signal);
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
    // Running concurrently, a call's latency is a wait like any other: others run meanwhile.
    if (this.concurrent) return this.sleepConcurrently(ms, undefined, false);
    this.advance(Math.max(0, ms));
    await Promise.resolve();
  }

  private sleepConcurrently(ms: number, signal?: AbortSignal, counted = true): Promise<void> {
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = { at: this.current + Math.max(0, ms), seq: this.seq++, wake: () => undefined };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      sleeper.wake = () => {
        signal?.removeEventListener('abort', onAbort);
        if (counted) this.sleptMs += Math.max(0, ms);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.armIdleCheck();
    });
  }

  /** After the current turn's promise chains have all run (setImmediate), wake the earliest sleepers. */
  private armIdleCheck(): void {
    if (this.idleCheckArmed) return;
    this.idleCheckArmed = true;
    setImmediate(() => {
      this.idleCheckArmed = false;
      this.wakeEarliest();
      if (this.sleepers.length > 0) this.armIdleCheck();
    });
  }

  private wakeEarliest(): void {
    if (this.sleepers.length === 0) return;
    const at = Math.min(...this.sleepers.map((s) => s.at));
    // The cloud's own steps due before (or at) the wake-up run first, in order.
    for (;;) {
      const next = this.nextDue(at);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.run();
    }
    this.current = Math.max(this.current, at);
    const due = this.sleepers.filter((s) => s.at <= this.current).sort((a, b) => a.seq - b.seq);
    this.sleepers = this.sleepers.filter((s) => s.at > this.current);
    for (const s of due) s.wake();
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
