/**
 * Retrying AWS calls that were throttled. Every AWS call a deploy makes can meet "Rate exceeded"
 * (CloudFormation's DescribeStackEvents especially, when many pipelines poll one account), and a
 * throttled call must slow the deploy down, never fail it.
 */
import { isThrottling, type Clock } from './api.js';

export interface RetryOptions {
  /** First backoff, before jitter. */
  baseDelayMs?: number;
  /** Upper bound for one backoff. */
  maxDelayMs?: number;
  /** Total attempts including the first; `Infinity` retries for as long as it takes. */
  maxAttempts?: number;
  /** Which errors are worth another try; throttling by default. */
  retryable?: (err: unknown) => boolean;
  /** Source of jitter in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
  /** Told about each retry (e.g. to count them); never required. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Stops waiting: the last error is thrown instead of sleeping again. */
  signal?: AbortSignal;
}

export const DEFAULT_RETRY: Required<Omit<RetryOptions, 'onRetry' | 'signal'>> = {
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxAttempts: 10,
  retryable: isThrottling,
  random: Math.random,
};

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, half random,
 * so concurrent pollers spread out but none retries immediately.
 * `attempt` is 1 for the first retry.
 */
export function backoffDelayMs(attempt: number, opts: RetryOptions = {}): number {
  const base = opts.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = opts.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const random = opts.random ?? DEFAULT_RETRY.random;
  const exponential = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

export async function withThrottleRetry<T>(fn: () => Promise<T>, clock: Clock, opts: RetryOptions = {}): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const retryable = opts.retryable ?? DEFAULT_RETRY.retryable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!retryable(error) || attempt >= maxAttempts || opts.signal?.aborted) throw error;
      const delayMs = backoffDelayMs(attempt, opts);
      opts.onRetry?.({ attempt, delayMs, error });
      await clock.sleep(delayMs, opts.signal);
    }
  }
}
