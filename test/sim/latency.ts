/**
 * How long an API call takes over the wire, in simulated time. In-process, the simulated cloud
 * answers instantly; a real call costs a round trip to the regional endpoint plus the service's
 * own work, and a poll loop notices a change only after its call's response travels back.
 *
 * AWS publishes no latency figures for CloudFormation or Auto Scaling. The model is a stated
 * assumption: 80-250 ms per call, uniform, for a CI runner in or near the stack's region (a reused
 * TLS connection, tens of milliseconds of network, the rest the service). For scale, aws-cdk's
 * verbose log in https://github.com/aws/aws-cdk/issues/20257 shows a describeStacks answered in
 * 0.403 s on a busy account; the multi-second answers in that log come with throttling, which the
 * throttling simulation models, not this.
 *
 * Half the latency passes before the service reads its state, half after: a change that happens
 * while a request travels is seen, one that happens while the response travels is not.
 */
import { SimRandom } from './random.js';

export interface LatencyRange {
  minMs: number;
  maxMs: number;
}

export const WIRE_LATENCY: LatencyRange = { minMs: 80, maxMs: 250 };

/** Milliseconds for one call of `call` (e.g. `cloudFormation.describeStacks`). */
export type ApiLatency = (call: string) => number;

/** Uniform in the range, from its own seeded stream so ids elsewhere do not change. */
export function uniformLatency(range: LatencyRange = WIRE_LATENCY, seed = 7): ApiLatency {
  const random = new SimRandom(seed);
  return () => Math.round(range.minMs + random.next() * (range.maxMs - range.minMs));
}
