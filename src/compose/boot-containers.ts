/**
 * Turns container specs into what templates/boot.sh consumes: per container a name, an image
 * and a spec blob, in start order. The blob is base64 of gzipped NUL-terminated key/value pairs
 * (`arg`, `cmd`, `env`, `secret`, `file`), which bash reads with `read -d ''` without a JSON
 * parser and without any quoting rules, so values may hold any character but NUL.
 * Gzip keeps sidecar configuration files inside EC2's 16 KB user data limit; the compressor
 * is a pinned pure-JS one and the header carries no time stamp, so the same spec always yields
 * the same bytes (a changed blob would replace the Auto Scaling group).
 */
import { gzipSync } from 'fflate';
import { BadInputError } from '../errors.js';
import type { SecretRef } from '../descriptor/schema.js';
import type { ContainerSpec } from './containers.js';
import { APP_CONTAINER_NAME } from './sidecars/input.js';
import { LOG_ROUTER_NAME, logRouterForwardPort } from './sidecars/log-router.js';

/** A container spec that may also take environment variables from secrets, fetched at boot. */
export type BootContainerSpec = ContainerSpec & { secretEnvironment?: Record<string, SecretRef> };

/** Where the log router listens for Docker's fluentd log driver: the port its defaults publish. */
export function logRouterAddress(): string {
  return `127.0.0.1:${logRouterForwardPort({})}`;
}
export { APP_CONTAINER_NAME, LOG_ROUTER_NAME };

const CONTAINER_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `docker run` options derived from the spec; the boot script adds name, network, restart, env file. */
export function dockerRunOptions(spec: BootContainerSpec): string[] {
  const options: string[] = [];
  for (const [hostPort, containerPort] of spec.publish) options.push('--publish', `${hostPort}:${containerPort}`);
  for (const m of spec.mounts) options.push('--volume', `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`);
  if (spec.logsToRouter) {
    options.push(
      '--log-driver', 'fluentd',
      '--log-opt', `fluentd-address=${logRouterAddress()}`,
      '--log-opt', `tag=${spec.name}`,
      // without it, a container cannot start (or restart) while the router is down
      '--log-opt', 'fluentd-async=true',
    );
  } else {
    // the router's own output stays on the instance: bound it so it cannot fill the disk
    options.push('--log-driver', 'json-file', '--log-opt', 'max-size=10m', '--log-opt', 'max-file=3');
  }
  if (spec.memory) {
    options.push('--memory', `${spec.memory.limitMiB}m`);
    if (spec.memory.reservationMiB !== undefined) options.push('--memory-reservation', `${spec.memory.reservationMiB}m`);
  }
  options.push(...(spec.extraArgs ?? []));
  return options;
}

/** The spec blob for one container (see the file comment for the format). */
export function encodeContainerSpec(spec: BootContainerSpec): string {
  validateContainerSpec(spec);
  const pairs: Array<[string, string]> = [
    ...dockerRunOptions(spec).map((v): [string, string] => ['arg', v]),
    ...(spec.command ?? []).map((v): [string, string] => ['cmd', v]),
    ...Object.entries(spec.environment).map(([k, v]): [string, string] => ['env', `${k}=${v}`]),
    ...Object.entries(spec.secretEnvironment ?? {}).map(([k, ref]): [string, string] => ['secret', `${k}=${secretLocator(ref)}`]),
    ...spec.files.map((f): [string, string] => ['file', `${f.hostPath}\n${f.content}`]),
  ];
  return deterministicGzipBase64(Buffer.from(pairs.map(([k, v]) => `${k}\0${v}\0`).join(''), 'utf8'));
}

/** Gzip without a time stamp, base64-encoded: the same input always gives the same text. */
export function deterministicGzipBase64(data: Uint8Array): string {
  const gz = gzipSync(data, { level: 9 });
  // Bytes 4-7 of a gzip member are MTIME (RFC 1952); zero means "no time stamp".
  gz.fill(0, 4, 8);
  return Buffer.from(gz).toString('base64');
}

/** `ssm:<name>` or `secretsmanager:<arn>`: a reference only, never a value. */
export function secretLocator(ref: SecretRef): string {
  return 'ssm' in ref ? `ssm:${ref.ssm}` : `secretsmanager:${ref.secretsManager}`;
}

/** Containers in the order the boot script starts them: log router, app, then the rest. */
export function startOrder<T extends { name: string }>(app: T, sidecars: T[]): T[] {
  const router = sidecars.filter((s) => s.name === LOG_ROUTER_NAME);
  return [...router, app, ...sidecars.filter((s) => s.name !== LOG_ROUTER_NAME)];
}

function validateContainerSpec(spec: BootContainerSpec): void {
  const where = `container ${spec.name}`;
  const problem = (message: string) => new BadInputError({ path: where, message });
  if (!CONTAINER_NAME.test(spec.name)) throw problem('name must be lowercase letters, digits and dashes, starting with a letter');
  const secretNames = Object.keys(spec.secretEnvironment ?? {});
  for (const key of [...Object.keys(spec.environment), ...secretNames]) {
    if (!ENV_NAME.test(key)) throw problem(`${JSON.stringify(key)} is not a valid environment variable name`);
  }
  for (const key of secretNames) {
    if (key in spec.environment) throw problem(`${key} is set both as a plain value and as a secret`);
  }
  for (const [key, ref] of Object.entries(spec.secretEnvironment ?? {})) {
    if (/[\0\n\r]/.test(secretLocator(ref))) throw problem(`the secret reference of ${key} contains a line break`);
  }
  for (const f of spec.files) {
    if (!f.hostPath.startsWith('/') || f.hostPath.endsWith('/') || /[\0\n]|(^|\/)\.\.(\/|$)/.test(f.hostPath)) {
      throw problem(`file path ${JSON.stringify(f.hostPath)} must be an absolute file path without "..", NUL or line breaks`);
    }
  }
  const values = [...Object.values(spec.environment), ...(spec.command ?? []), ...(spec.extraArgs ?? []), ...spec.files.map((f) => f.content)];
  if (values.some((v) => v.includes('\0'))) throw problem('environment values, commands, options and files cannot contain NUL characters');
}
