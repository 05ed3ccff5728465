/**
 * The launch template's user data: `#!/bin/bash`, a block of configuration assignments, then
 * the body of templates/boot.sh (gzipped, sourced). Values are single-quoted literals; CloudFormation intrinsics
 * (the image digest, the target group) stay objects joined in between literal quotes, so a new
 * digest is a new launch template version and therefore a group replacement.
 */
import { readFileSync } from 'node:fs';
import { BadInputError } from '../errors.js';
import type { SecretRef } from '../descriptor/schema.js';
import { APP_CONTAINER_NAME, deterministicGzipBase64, encodeContainerSpec, secretLocator, startOrder, type BootContainerSpec } from './boot-containers.js';
import type { ContainerSpec } from './containers.js';
import { shellQuote } from './shell-quote.js';
import { REVERSE_PROXY_NAME } from './sidecars/reverse-proxy.js';

export type CfnValue = string | { Ref: string } | { 'Fn::GetAtt': [string, string] } | { 'Fn::Sub': string } | Record<string, unknown>;

export interface BootPlan {
  stackName: string;
  region: string;
  /** The Auto Scaling group's logical id, e.g. `AutoScalingGroup`. */
  resourceLogicalId: string;
  app: {
    /** Full registry URI, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello. */
    repository: string;
    /** Usually `{ Ref: 'ImageDigest' }`, which is `sha256:…` at deploy time. */
    digest: CfnValue;
    port: number;
    /** Plain values; any character but NUL. */
    environment: Record<string, string>;
    secrets: Record<string, SecretRef>;
  };
  /** In start order; the one named `log-router` starts first, before the app. */
  sidecars: ContainerSpec[];
  health: { path: string; proxyPort: number; intervalSeconds: number; healthyThreshold: number };
  /** Seconds from the boot script's start until it gives up and signals FAILURE (boot-budget.ts). */
  bootBudgetSeconds: number;
  /** The group's launch lifecycle hook, completed once the app is healthy. */
  launchHookName: string;
  /** The app log group, where a failing boot leaves its last lines (boot-log.ts). */
  logGroupName: string;
  /** Set when the service is behind a target group: a literal ARN or e.g. `{ Ref: 'TargetGroup' }`. */
  targetGroupArn?: CfnValue;
  /** Private registries the instance logs in to before pulling: the secret holds `username:password`. */
  registryLogins?: Array<{ host: string; secret: SecretRef }>;
  /**
   * Offline rendering only: sidecar images that preflight has not resolved yet keep their tag.
   * A deploy never sets it, and the boot script refuses to pull an image without a digest.
   */
  allowUnresolvedImages?: boolean;
}

const BOOT_SCRIPT_URL = new URL('../../templates/boot.sh', import.meta.url);
/** The user data variable that holds templates/boot.sh, gzipped and base64-encoded. */
export const BOOT_SCRIPT_VARIABLE = 'BOOT_SCRIPT';
const IMAGE_BY_DIGEST = /^[^\s'@]+@sha256:[a-f0-9]{64}$/;
const IMAGE_BY_TAG = /^[^\s'@]+:[\w][\w.-]{0,127}(@sha256:[a-f0-9]{64})?$/;
const REGISTRY_HOST = /^[A-Za-z0-9.[\]:-]+$/;
const REPOSITORY = /^[^\s'@]+$/;
const USER_DATA_LIMIT_BYTES = 16 * 1024;
/** A digest is 71 characters and a target group ARN at most about 130: leave room for both. */
const MAX_INTRINSIC_BYTES = 200;

/** User data as parts for `Fn::Join ['', parts]`: literal strings and CloudFormation intrinsics. */
export function renderUserData(plan: BootPlan): CfnValue[] {
  const parts = new PartsBuilder();
  parts.literal('#!/bin/bash\n');
  for (const [name, value] of Object.entries(scalarSettings(plan))) parts.literal(`${name}=${shellQuote(value)}\n`);
  parts.literal('TARGET_GROUP_ARN=');
  parts.quoted([plan.targetGroupArn ?? '']);
  parts.literal('\n');

  const containers = startOrder<BootContainerSpec>(appContainer(plan), plan.sidecars);
  assertUniqueNames(containers);
  parts.literal(`CONTAINER_NAMES=(${containers.map((c) => shellQuote(c.name)).join(' ')})\nCONTAINER_IMAGES=(`);
  containers.forEach((c, i) => {
    if (i > 0) parts.literal(' ');
    parts.quoted(c.name === APP_CONTAINER_NAME ? appImage(plan) : [sidecarImage(c, plan.allowUnresolvedImages)]);
  });
  parts.literal(`)\nREGISTRY_LOGINS=(${registryLogins(plan).map(shellQuote).join(' ')}`);
  parts.literal(`)\nCONTAINER_SPECS=(${containers.map((c) => shellQuote(encodeContainerSpec(c))).join(' ')})\n`);
  // The script itself travels gzipped: EC2 caps user data at 16 KB, and the script is static,
  // so only the settings above change between releases. bash reads a sourced file whole, then
  // runs it in this shell, with the settings and arrays above in scope.
  parts.literal(`${BOOT_SCRIPT_VARIABLE}=${shellQuote(deterministicGzipBase64(Buffer.from(bootScriptBody(), 'utf8')))}\n`);
  parts.literal(`source <(printf %s "$${BOOT_SCRIPT_VARIABLE}" | base64 -d | gunzip)\n`);
  assertFitsUserDataLimit(parts.parts);
  return parts.parts;
}

/** The same, wrapped for a launch template's `UserData`. */
export function userDataProperty(plan: BootPlan): Record<string, unknown> {
  return { 'Fn::Base64': { 'Fn::Join': ['', renderUserData(plan)] } };
}

/**
 * For tests and tools: the literal script, with each intrinsic replaced by a concrete value.
 * `values` is keyed by Ref name (`ImageDigest`), `Resource.Attribute` for Fn::GetAtt, and the
 * `${...}` names an Fn::Sub uses.
 */
export function resolveUserData(parts: CfnValue[], values: Record<string, string>): string {
  const lookup = (key: string): string => {
    const value = values[key];
    if (value === undefined) throw new BadInputError({ message: `no value given for ${key} in the user data` });
    return value;
  };
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const intrinsic = part as Record<string, unknown>;
      if (typeof intrinsic.Ref === 'string') return lookup(intrinsic.Ref);
      const getAtt = intrinsic['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt.length === 2) return lookup(`${getAtt[0]}.${getAtt[1]}`);
      const sub = intrinsic['Fn::Sub'];
      if (typeof sub === 'string') {
        // `${!Name}` is Fn::Sub's escape for a literal `${Name}`
        return sub.replace(/\$\{(!?)([^}]*)\}/g, (_, bang: string, key: string) => (bang ? `\${${key}}` : lookup(key)));
      }
      throw new BadInputError({ message: `cannot resolve ${JSON.stringify(part)} in the user data` });
    })
    .join('');
}

function scalarSettings(plan: BootPlan): Record<string, string> {
  const { health } = plan;
  const positive = (name: string, n: number) => {
    if (!Number.isInteger(n) || n < 1) throw new BadInputError({ path: name, message: `must be a positive integer, got ${n}` });
    return String(n);
  };
  return {
    STACK_NAME: plan.stackName,
    REGION: plan.region,
    RESOURCE_ID: plan.resourceLogicalId,
    HEALTH_PATH: health.path,
    PROXY_PORT: positive('health.proxyPort', health.proxyPort),
    HEALTH_INTERVAL: positive('health.intervalSeconds', health.intervalSeconds),
    HEALTHY_THRESHOLD: positive('health.healthyThreshold', health.healthyThreshold),
    BOOT_BUDGET: positive('bootBudgetSeconds', plan.bootBudgetSeconds),
    LAUNCH_HOOK: plan.launchHookName,
    LOG_GROUP: plan.logGroupName,
  };
}

function appContainer(plan: BootPlan): BootContainerSpec {
  return {
    name: APP_CONTAINER_NAME,
    image: '', // joined from the repository and the digest intrinsic instead
    files: [],
    mounts: [],
    // Behind the reverse proxy the app is reached on the shared network only; without the
    // proxy, the load balancer and the health check reach it on its own port.
    publish: plan.sidecars.some((s) => s.name === REVERSE_PROXY_NAME) ? [] : [[plan.app.port, plan.app.port]],
    environment: plan.app.environment,
    secretEnvironment: plan.app.secrets,
    logsToRouter: true,
  };
}

function appImage(plan: BootPlan): CfnValue[] {
  if (!REPOSITORY.test(plan.app.repository)) {
    throw new BadInputError({ path: 'app.repository', message: `${JSON.stringify(plan.app.repository)} is not a repository URI` });
  }
  return [`${plan.app.repository}@`, plan.app.digest];
}

function sidecarImage(spec: ContainerSpec, allowUnresolved = false): string {
  if (!IMAGE_BY_DIGEST.test(spec.image) && !(allowUnresolved && IMAGE_BY_TAG.test(spec.image))) {
    throw new BadInputError({ path: `container ${spec.name}`, message: `image ${spec.image} must be pinned by digest (REPOSITORY@sha256:…)` });
  }
  return spec.image;
}

/** `host=ssm:<name>` or `host=secretsmanager:<arn>`, one per registry. */
function registryLogins(plan: BootPlan): string[] {
  const bySecret = new Map<string, string>();
  for (const { host, secret } of plan.registryLogins ?? []) {
    if (!REGISTRY_HOST.test(host)) throw new BadInputError({ path: 'registryCredentials', message: `${JSON.stringify(host)} is not a registry host` });
    const locator = secretLocator(secret);
    const earlier = bySecret.get(host);
    if (earlier !== undefined && earlier !== locator) {
      throw new BadInputError({ path: 'registryCredentials', message: `images from ${host} name two different registryCredentials; an instance logs in to a registry once`, hint: 'use one secret for every image of that registry' });
    }
    bySecret.set(host, locator);
  }
  return [...bySecret].map(([host, locator]) => `${host}=${locator}`);
}

function assertUniqueNames(containers: Array<{ name: string }>): void {
  const seen = new Set<string>();
  for (const { name } of containers) {
    if (seen.has(name)) throw new BadInputError({ message: `two containers are named ${name}` });
    seen.add(name);
  }
}

/**
 * boot.sh without comments (whole lines, and the one after a function's opening brace), blank
 * lines and indentation, to keep the user data small. Safe because the script has no heredocs
 * and no string spanning lines.
 */
export function bootScriptBody(): string {
  return readFileSync(BOOT_SCRIPT_URL, 'utf8')
    .split('\n')
    .map((line) => line.trimStart().replace(/^([a-z_]+\(\) \{) #.*$/, '$1'))
    .filter((line) => line !== '' && !line.startsWith('#'))
    .join('\n')
    .concat('\n');
}

/** Refuses user data EC2 would reject, counting each intrinsic at the longest value it may take. */
function assertFitsUserDataLimit(parts: CfnValue[]): void {
  const bytes = parts.reduce<number>((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : MAX_INTRINSIC_BYTES), 0);
  if (bytes > USER_DATA_LIMIT_BYTES) {
    throw new BadInputError({
      message: `the instance user data would be about ${bytes} bytes; EC2 accepts at most ${USER_DATA_LIMIT_BYTES}`,
      hint: 'sidecar configuration files and environment values travel in the user data: make them smaller',
    });
  }
}

/** Collects parts, merging adjacent literals so the template stays small and readable. */
class PartsBuilder {
  readonly parts: CfnValue[] = [];

  literal(text: string): void {
    const last = this.parts.length - 1;
    if (last >= 0 && typeof this.parts[last] === 'string') this.parts[last] += text;
    else this.parts.push(text);
  }

  /** A single-quoted shell word; intrinsics go between the quotes (digests and ARNs hold none). */
  quoted(pieces: CfnValue[]): void {
    this.literal("'");
    for (const piece of pieces) {
      if (typeof piece === 'string') this.literal(piece.replaceAll("'", `'\\''`));
      else this.parts.push(piece);
    }
    this.literal("'");
  }
}
