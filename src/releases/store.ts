/**
 * Reads and writes release history in SSM Parameter Store (see record.ts for the layout).
 * A record that is not shipper's, or not readable, is reported and skipped, never fatal:
 * the history must stay usable at 3 a.m. even if someone wrote to the parameter by hand.
 */
import type { ParameterHistory } from '@aws-sdk/client-ssm';
import { isThrottling, type Clock, type SsmApi } from '../aws/api.js';
import { withThrottleRetry } from '../aws/retry.js';
import {
  RECORD_FORMAT,
  ROOT_CAUSE_LIMIT,
  releaseOutcomeSchema,
  releaseStartSchema,
  type Outcome,
  type Release,
  type ReleaseStart,
} from './record.js';

export interface ReleaseHistory {
  /** Newest first. */
  releases: Release[];
  /** Versions that could not be read, as plain sentences. */
  unreadable: string[];
}

/** An instance (`--instance pr-123`) keeps its own history under /shipper/<service>/<env>/instances/<instance>/. */
export function historyParameterNames(service: string, env: string, instance?: string): { releases: string; outcomes: string } {
  const base = `/shipper/${service}/${env}${instance ? `/instances/${instance}` : ''}`;
  return { releases: `${base}/releases`, outcomes: `${base}/outcomes` };
}

export class ReleaseStore {
  private readonly names: { releases: string; outcomes: string };

  constructor(
    private readonly ssm: SsmApi,
    private readonly clock: Clock,
    service: string,
    env: string,
    instance?: string,
  ) {
    this.names = historyParameterNames(service, env, instance);
  }

  /** Records an attempt and returns its release number. */
  async start(record: Omit<ReleaseStart, 'shipper'>): Promise<number> {
    const value = JSON.stringify({ shipper: RECORD_FORMAT, ...record });
    const out = await this.call(() =>
      this.ssm.putParameter({ Name: this.names.releases, Value: value, Type: 'String', Overwrite: true, Description: 'shipper release history: one version per deploy' }),
    );
    return out.Version ?? 0;
  }

  async finish(release: number, outcome: Outcome, endedAt: Date, rootCause?: string): Promise<void> {
    const value = JSON.stringify({
      shipper: RECORD_FORMAT,
      release,
      outcome,
      endedAt: endedAt.toISOString(),
      ...(rootCause ? { rootCause: rootCause.slice(0, ROOT_CAUSE_LIMIT) } : {}),
    });
    await this.call(() => this.ssm.putParameter({ Name: this.names.outcomes, Value: value, Type: 'String', Overwrite: true, Description: 'shipper release outcomes' }));
  }

  async history(): Promise<ReleaseHistory> {
    const [starts, outcomes] = await Promise.all([this.versions(this.names.releases), this.versions(this.names.outcomes)]);
    const unreadable: string[] = [];
    const finished = new Map<number, { outcome: Outcome; endedAt: string; rootCause?: string }>();
    for (const version of outcomes) {
      const parsed = releaseOutcomeSchema.safeParse(parseJson(version.Value));
      if (!parsed.success) {
        unreadable.push(`${this.names.outcomes} version ${version.Version} is not a shipper outcome record; ignored`);
        continue;
      }
      finished.set(parsed.data.release, parsed.data);
    }
    const releases: Release[] = [];
    for (const version of starts) {
      const parsed = releaseStartSchema.safeParse(parseJson(version.Value));
      if (!parsed.success || version.Version === undefined) {
        unreadable.push(`${this.names.releases} version ${version.Version} is not a shipper release record; ignored`);
        continue;
      }
      const end = finished.get(version.Version);
      releases.push({ ...parsed.data, number: version.Version, ...(end ? { outcome: end.outcome, endedAt: end.endedAt, rootCause: end.rootCause } : {}) });
    }
    releases.sort((a, b) => b.number - a.number);
    return { releases, unreadable };
  }

  private async versions(name: string): Promise<ParameterHistory[]> {
    const all: ParameterHistory[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.call(() => this.ssm.getParameterHistory({ Name: name, NextToken: token, MaxResults: 50 }));
        all.push(...(page.Parameters ?? []));
        token = page.NextToken;
      } while (token);
    } catch (err) {
      if (err instanceof Error && err.name === 'ParameterNotFound') return [];
      throw err;
    }
    return all;
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    // Concurrent deploys writing one parameter meet TooManyUpdates: wait and write again.
    return withThrottleRetry(fn, this.clock, { retryable: (err) => isThrottling(err) || (err instanceof Error && err.name === 'TooManyUpdates') });
  }
}

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
