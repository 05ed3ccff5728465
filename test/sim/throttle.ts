/**
 * API throttling as AWS applies it: a token bucket per API (or per shared bucket) per account
 * and Region, refilled continuously (see throttle-rates.ts for the sizes and where they come
 * from). A call that finds its bucket empty fails the way the SDK reports it: an error named
 * `Throttling` with the message "Rate exceeded", HTTP 400, as CloudFormation and Auto Scaling
 * answer ("An error occurred (Throttling) when calling the DescribeStacks operation: Rate
 * exceeded", https://github.com/aws/aws-cli/pull/3186; "Throttling: Rate exceeded status code:
 * 400 ... autoscaling/DescribeAutoScalingGroups", https://github.com/keikoproj/upgrade-manager/issues/142).
 *
 * One ApiThrottle can serve several simulated accounts or Regions: each has its own buckets.
 */
import { throttlingError } from './faults.js';
import type { ThrottleRate } from './throttle-rates.js';

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly size: number,
    readonly refillPerSecond: number,
    nowMs: number,
  ) {
    this.tokens = size;
    this.lastMs = nowMs;
  }

  /** Takes one token if there is one; false means the call is throttled. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.lastMs) / 1000;
    this.tokens = Math.min(this.size, this.tokens + elapsed * this.refillPerSecond);
    this.lastMs = Math.max(this.lastMs, nowMs);
  }
}

export class ApiThrottle {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly throttledByCall = new Map<string, number>();
  /** Calls refused with "Rate exceeded". */
  throttled = 0;

  constructor(
    private readonly now: () => number,
    private readonly rates: Readonly<Record<string, ThrottleRate>>,
  ) {}

  /** Throws Throttling when `call`'s bucket for this account and Region is empty. */
  check(call: string, account: string, region: string): void {
    const rate = this.rates[call];
    if (!rate) return;
    const key = `${account}/${region}/${rate.bucket}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(rate.size, rate.refillPerSecond, this.now())));
    if (bucket.take(this.now())) return;
    this.throttled++;
    this.throttledByCall.set(call, (this.throttledByCall.get(call) ?? 0) + 1);
    throw throttlingError();
  }

  /** Throttled calls by name, e.g. { 'cloudFormation.describeStackEvents': 12 }. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.throttledByCall].sort(([a], [b]) => a.localeCompare(b)));
  }
}
