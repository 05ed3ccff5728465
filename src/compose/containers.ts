import type { SecretRef } from '../descriptor/schema.js';

/**
 * What every container on an instance needs, as data. Sidecars produce these; the boot script
 * renderer turns them into `docker run` calls and the stack composer collects their IAM needs.
 */

export interface HostFile {
  /** Absolute path on the instance, under /etc/shipper/<container>/. */
  hostPath: string;
  content: string;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  /** Docker container name, also its DNS name on the shared network (e.g. `app`, `reverse-proxy`). */
  name: string;
  /** Image pinned by digest: `REPO@sha256:…`. The app's digest is filled in at boot from the template. */
  image: string;
  files: HostFile[];
  mounts: Mount[];
  /** Ports published on the host: [hostPort, containerPort]. */
  publish: Array<[number, number]>;
  environment: Record<string, string>;
  /**
   * Environment variables whose values are secrets: only the reference is in the template; the
   * boot script reads each value from SSM or Secrets Manager at start and passes it to `docker run`.
   */
  secretEnvironment?: Record<string, SecretRef>;
  command?: string[];
  /** Extra `docker run` flags a sidecar needs (e.g. `--pid=host` for host metrics). */
  extraArgs?: string[];
  /** Memory limit and reservation (`docker run --memory` / `--memory-reservation`); none for the app. */
  memory?: ContainerMemory;
  /** Whether its stdout/stderr go through the log router (false only for the log router itself). */
  logsToRouter: boolean;
}

export interface ContainerMemory {
  limitMiB: number;
  reservationMiB?: number;
}

/** An IAM policy statement, as it goes into the template. */
export interface IamStatement {
  Sid?: string;
  Effect: 'Allow';
  Action: string[];
  Resource: unknown;
  /** IAM condition block, e.g. `{ StringEquals: { 'cloudwatch:namespace': 'Shipper/hello' } }`. */
  Condition?: Record<string, Record<string, unknown>>;
}

/** What one sidecar adds to an instance and to the stack. */
export interface SidecarContribution {
  container: ContainerSpec;
  iamStatements: IamStatement[];
  /** Extra CloudFormation resources (e.g. a log group), keyed by logical id. */
  resources: Record<string, unknown>;
}
