/**
 * Client-side pacing of AWS calls, shared by every deploy that uses the same clients, so that
 * thirty deploys polling one account slow down together instead of each retrying on its own
 * (a retry storm). It works like the AWS SDK's `adaptive` retry mode (@smithy's
 * DefaultRateLimiter): nothing is paced until an API is throttled; from then on, calls to that
 * API take a token from a bucket whose fill rate drops to 70% of the rate actually sent when
 * "Rate exceeded" comes back, and grows again along a cubic curve while calls succeed (CUBIC,
 * the congestion control TCP uses). One difference: the SDK keeps one rate per client, this
 * keeps one per API action, because AWS throttles CloudFormation per action: a throttled
 * DescribeStackEvents need not slow DescribeStacks down (Auto Scaling, with one bucket for all
 * its actions, gets one pace for all of them).
 *
 * A deploy that is never throttled is never paced: it makes the same calls at the same moments.
 */
import type { Clock } from './api.js';

export interface CallPacer {
  /** Waits until a call to `api` (e.g. `cloudFormation.describeStackEvents`) may be sent. */
  take(api: string, signal?: AbortSignal): Promise<void>;
  /** What the call met: throttling slows `api` down, anything else lets it recover. */
  settle(api: string, throttled: boolean): void;
}

export interface AdaptiveRateOptions {
  /** Share of the measured rate kept after a throttle (the SDK's 0.7). */
  beta?: number;
  /** The lowest rate, calls per second (the SDK's 0.5). */
  minRate?: number;
  /** How fast the rate grows back (the SDK's 0.4). */
  scale?: number;
  /** Weight of the newest measurement of the sending rate (the SDK's 0.8). */
  smooth?: number;
}

/** One API's adaptive token bucket; the arithmetic is the SDK's DefaultRateLimiter, on an injected clock. */
class AdaptiveRate {
  enabled = false;
  private tokens = 0;
  private fillRate: number;
  private capacity = 1;
  private lastRefill = 0;
  private lastMaxRate = 0;
  private lastThrottle: number;
  private timeWindow = 0;
  private measuredRate = 0;
  private requestCount = 0;
  private lastRateBucket: number;

  constructor(
    private readonly opts: Required<AdaptiveRateOptions>,
    now: number,
  ) {
    this.fillRate = opts.minRate;
    this.lastThrottle = now;
    this.lastRateBucket = Math.floor(now);
  }

  /** Takes a token and answers 0, or answers the seconds until one is there (to wait, then ask again). */
  tryTake(now: number): number {
    if (!this.enabled) return 0;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.fillRate;
  }

  update(now: number, throttled: boolean): void {
    this.measure(now);
    let rate: number;
    if (throttled) {
      const rateToUse = this.enabled ? Math.min(this.measuredRate, this.fillRate) : this.measuredRate;
      this.lastMaxRate = rateToUse;
      this.timeWindow = Math.cbrt((this.lastMaxRate * (1 - this.opts.beta)) / this.opts.scale);
      this.lastThrottle = now;
      rate = rateToUse * this.opts.beta;
      this.enabled = true;
    } else {
      this.timeWindow = Math.cbrt((this.lastMaxRate * (1 - this.opts.beta)) / this.opts.scale);
      rate = this.opts.scale * (now - this.lastThrottle - this.timeWindow) ** 3 + this.lastMaxRate;
    }
    const next = Math.min(rate, 2 * this.measuredRate);
    this.refill(now);
    this.fillRate = Math.max(next, this.opts.minRate);
    this.capacity = Math.max(next, 1);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Calls per second currently allowed (for tests and reports). */
  rate(): number {
    return this.enabled ? this.fillRate : Infinity;
  }

  private refill(now: number): void {
    if (!this.lastRefill) {
      this.lastRefill = now;
      return;
    }
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.lastRefill) * this.fillRate);
    this.lastRefill = now;
  }

  /** The rate actually sent, smoothed over half-second buckets. */
  private measure(now: number): void {
    const bucket = Math.floor(now * 2) / 2;
    this.requestCount++;
    if (bucket > this.lastRateBucket) {
      const current = this.requestCount / (bucket - this.lastRateBucket);
      this.measuredRate = current * this.opts.smooth + this.measuredRate * (1 - this.opts.smooth);
      this.requestCount = 0;
      this.lastRateBucket = bucket;
    }
  }
}

/**
 * Which calls share one pace: Auto Scaling draws all its actions from one bucket ("calls to the
 * DescribeAutoScalingGroups and DescribeScheduledActions API operations use tokens from the
 * same bucket", https://docs.aws.amazon.com/autoscaling/ec2/APIReference/Welcome.html), so
 * its actions share one; every other action has its own.
 */
function paceKey(api: string): string {
  return api.startsWith('autoScaling.') ? 'autoScaling' : api;
}

export const SDK_ADAPTIVE_DEFAULTS: Required<AdaptiveRateOptions> = { beta: 0.7, minRate: 0.5, scale: 0.4, smooth: 0.8 };

export class AdaptivePacer implements CallPacer {
  private readonly rates = new Map<string, AdaptiveRate>();
  private readonly opts: Required<AdaptiveRateOptions>;
  /** Throttled calls seen, and milliseconds all callers waited for a token: what pacing cost. */
  throttles = 0;
  waitedMs = 0;

  constructor(
    private readonly clock: Clock,
    opts: AdaptiveRateOptions = {},
  ) {
    this.opts = { ...SDK_ADAPTIVE_DEFAULTS, ...opts };
  }

  async take(api: string, signal?: AbortSignal): Promise<void> {
    const rate = this.rates.get(paceKey(api));
    // As the SDK does: wait until a token is there and ask again, so a rate that grows back
    // while callers wait serves them sooner.
    for (;;) {
      const waitMs = rate ? Math.ceil(rate.tryTake(this.seconds()) * 1000) : 0;
      if (waitMs <= 0 || signal?.aborted) return;
      this.waitedMs += waitMs;
      await this.clock.sleep(waitMs, signal);
    }
  }

  settle(api: string, throttled: boolean): void {
    if (throttled) this.throttles++;
    const key = paceKey(api);
    let rate = this.rates.get(key);
    // Every answer is measured (the rate sent so far is where a throttle cuts from); pacing
    // itself starts with the first throttle.
    if (!rate) this.rates.set(key, (rate = new AdaptiveRate(this.opts, this.seconds())));
    rate.update(this.seconds(), throttled);
  }

  /** Calls per second `api` may send now; Infinity while it has never been throttled. */
  rateOf(api: string): number {
    return this.rates.get(paceKey(api))?.rate() ?? Infinity;
  }

  private seconds(): number {
    return this.clock.now().getTime() / 1000;
  }
}
