/** Connects a deploy to the release history: a record as it starts, an outcome as it ends. */
import type { DeployJournal } from '../deploy/journal.js';
import type { ReleaseLookup } from '../deploy/failure-report.js';
import type { PreviousRelease } from '../report/events.js';
import { liveRelease } from './select.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import type { Reporter } from '../report/events.js';
import { SHIPPER_VERSION } from '../version.js';
import type { Provenance } from './provenance.js';
import type { ReleaseStore } from './store.js';

export function releaseJournal(
  store: ReleaseStore,
  target: ServiceEnvironment,
  who: (callerArn?: string) => Provenance,
  reporter: Reporter,
  rollbackOf?: number,
): DeployJournal & ReleaseLookup & { number(): number | undefined } {
  let number: number | undefined;
  return {
    number: () => number,
    liveRelease: (digest) => namedRelease(store, digest, number),
    async started({ facts, startedAt, bake }) {
      try {
        number = await store.start({
          kind: rollbackOf === undefined ? 'deploy' : 'rollback',
          service: target.service.service,
          env: target.env,
          stackName: target.stackName,
          imageTag: facts.imageTag,
          imageDigest: facts.imageDigest,
          sidecarImages: facts.sidecarImages,
          ...who(facts.callerArn),
          shipperVersion: SHIPPER_VERSION,
          startedAt: startedAt.toISOString(),
          ...(rollbackOf !== undefined ? { rollbackOf } : {}),
          ...(bake ? { bake } : {}),
        });
      } catch (err) {
        // The update is already running: follow it whatever happens to the history.
        reporter.emit({ type: 'warning', message: `could not record this release in the history: ${(err as Error).message}` });
        return;
      }
      reporter.emit({ type: 'release.recorded', number, ...(rollbackOf !== undefined ? { rollbackOf } : {}) });
    },
    async finished({ status, endedAt, rootCause }) {
      if (number === undefined) return;
      try {
        await store.finish(number, status, endedAt, rootCause);
      } catch (err) {
        // The deploy's outcome stands either way; say that the history missed it.
        reporter.emit({ type: 'warning', message: `could not record the outcome of release #${number}: ${(err as Error).message}` });
      }
    },
  };
}

/**
 * For `shipper watch`: the release being followed was recorded by a deploy whose CLI is gone;
 * record its outcome once the operation ends (the newest release of that digest without one).
 */
export function attachedJournal(store: ReleaseStore, digest: string | undefined, reporter: Reporter): DeployJournal & ReleaseLookup {
  return {
    liveRelease: (live) => namedRelease(store, live),
    async started() {},
    async finished({ status, endedAt, rootCause }) {
      try {
        const { releases } = await store.history();
        const release = releases.find((r) => r.outcome === undefined && r.imageDigest === digest);
        if (release) await store.finish(release.number, status, endedAt, rootCause);
      } catch (err) {
        reporter.emit({ type: 'warning', message: `could not record the outcome in the release history: ${(err as Error).message}` });
      }
    },
  };
}

/** The release that went live with this digest (the one serving after a rollback), not the attempt itself. */
async function namedRelease(store: ReleaseStore, digest: string | undefined, attempt?: number): Promise<PreviousRelease | undefined> {
  const { releases } = await store.history();
  const found = liveRelease(releases.filter((r) => r.number !== attempt), digest);
  return found && { number: found.number, tag: found.imageTag, digest: found.imageDigest, deployedAt: found.startedAt, by: found.by };
}
