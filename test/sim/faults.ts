/**
 * Fault injection: makes API calls fail the way a busy AWS account does ("Rate exceeded"), so
 * tests prove every caller retries. Rules match calls by name, e.g. `cloudFormation.describeStackEvents`.
 */
import { awsError } from '../../src/aws/api.js';

interface Rule {
  matches: (call: string) => boolean;
  /** Returns the error to throw for this matching call, or undefined to let it through. */
  decide: (matchingCallNumber: number) => Error | undefined;
  seen: number;
}

export function throttlingError(): Error {
  return awsError('Throttling', 'Rate exceeded');
}

function matcher(calls?: string | string[]): (call: string) => boolean {
  if (calls === undefined) return () => true;
  const list = Array.isArray(calls) ? calls : [calls];
  return (call) => list.some((c) => call === c || call.endsWith(`.${c}`));
}

export class FaultInjector {
  private rules: Rule[] = [];
  /** Calls answered with an injected error. */
  injected = 0;

  /** Every `n`th matching call is throttled (the 1st..(n-1)th pass, the nth fails, ...). */
  throttleEvery(n: number, calls?: string | string[]): this {
    this.rules.push({ matches: matcher(calls), seen: 0, decide: (k) => (k % n === 0 ? throttlingError() : undefined) });
    return this;
  }

  /** The next `count` matching calls are throttled, then calls pass again. */
  throttleBurst(count: number, calls?: string | string[]): this {
    this.rules.push({ matches: matcher(calls), seen: 0, decide: (k) => (k <= count ? throttlingError() : undefined) });
    return this;
  }

  /** The next matching call fails with `error`, once. */
  failNext(calls: string | string[], error: Error): this {
    this.rules.push({ matches: matcher(calls), seen: 0, decide: (k) => (k === 1 ? error : undefined) });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** Throws if a rule says this call fails. */
  check(call: string): void {
    for (const rule of this.rules) {
      if (!rule.matches(call)) continue;
      rule.seen++;
      const error = rule.decide(rule.seen);
      if (error) {
        this.injected++;
        throw error;
      }
    }
  }
}
