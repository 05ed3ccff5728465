/**
 * Release records as stored in the account. Two SSM parameters per service and environment:
 *
 *   /shipper/<service>/<env>/releases   one version per deploy attempt (written as it starts);
 *                                       the parameter version IS the release number
 *   /shipper/<service>/<env>/outcomes   one version per finished attempt, naming its release
 *
 * Parameter Store versions are assigned atomically by AWS, so concurrent deploys can never
 * get the same number or overwrite each other's record, and the history costs nothing to set
 * up. Parameter Store keeps the newest 100 versions: the newest 100 releases.
 */
import { z } from 'zod';

export const RECORD_FORMAT = 1;

export const releaseStartSchema = z.object({
  shipper: z.literal(RECORD_FORMAT),
  kind: z.enum(['deploy', 'rollback']),
  service: z.string(),
  env: z.string(),
  stackName: z.string(),
  imageTag: z.string().optional(),
  imageDigest: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  commit: z.string().optional(),
  branch: z.string().optional(),
  by: z.string(),
  buildUrl: z.string().optional(),
  step: z.string().optional(),
  shipperVersion: z.string(),
  startedAt: z.iso.datetime(),
  /** Each sidecar's image as the launch template pinned it (`NAME@sha256:…`); absent in older records. */
  sidecarImages: z.record(z.string(), z.string().regex(/^[^\s@]+@sha256:[a-f0-9]{64}$/)).optional(),
  /** For rollbacks: the release whose image is deployed again. */
  rollbackOf: z.number().int().optional(),
  /** The bake this release ran (its minutes and alarm names), or `skipped` (--no-bake) when the descriptor declares one; absent without a bake. */
  bake: z.union([z.literal('skipped'), z.object({ minutes: z.number().int(), alarms: z.array(z.string()) })]).optional(),
});

export const OUTCOMES = ['live', 'rolled-back', 'cancelled', 'needs-attention'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const releaseOutcomeSchema = z.object({
  shipper: z.literal(RECORD_FORMAT),
  release: z.number().int().positive(),
  outcome: z.enum(OUTCOMES),
  endedAt: z.iso.datetime(),
  rootCause: z.string().optional(),
});

export type ReleaseStart = z.infer<typeof releaseStartSchema>;
export type BakeRecord = NonNullable<ReleaseStart['bake']>;
export type ReleaseOutcome = z.infer<typeof releaseOutcomeSchema>;

/** A release as people see it: the attempt plus its outcome, if it has finished. */
export interface Release extends ReleaseStart {
  number: number;
  outcome?: Outcome;
  endedAt?: string;
  rootCause?: string;
}

/** SSM Standard parameters hold 4 KB; long root causes are cut to keep records well inside it. */
export const ROOT_CAUSE_LIMIT = 1000;
