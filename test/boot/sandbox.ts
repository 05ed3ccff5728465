/**
 * Runs a rendered boot script for real, with bash, in a temporary directory whose PATH puts the
 * stub `docker`, `aws`, `curl` and `cfn-signal` of ./stubs first. The stubs record every call
 * and act out the scenario; the script's own files land under the directory (SHIPPER_ROOT).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STUBS = fileURLToPath(new URL('./stubs', import.meta.url));

export interface Scenario {
  /** Health checks that fail before the app answers; `never` for an app that never does. */
  healthFails?: number | 'never';
  /** Health checks alternate between failing and passing. */
  healthFlaps?: boolean;
  /** Pulling an image whose reference contains this text fails. */
  pullFails?: string;
  /** `docker run` of this container fails. */
  runFails?: string;
  /** The app container is running for this many inspections, then has exited. */
  appCrashesAfter?: number;
  /** The app container reports restarts (its restart policy hides a crash). */
  appRestarts?: number;
  /** Target health polls that say `initial` before `healthy`; `never` for an instance that never is. */
  targetHealthyAfter?: number | 'never';
  ecrLoginFails?: boolean;
  imdsFails?: boolean;
  /** Each `docker pull` takes this many seconds of real time. */
  pullSeconds?: number;
  /** The first N pulls fail (each retry costs the boot its back-off). */
  pullFailsFirst?: number;
  /** The first N cfn-signal calls fail. */
  signalFails?: number;
  /** The Auto Scaling group DescribeAutoScalingInstances names for this instance. */
  group?: string;
  /** The stack resource's current physical id (default: the instance's own group). */
  stackGroup?: string;
  groupLookupFails?: boolean;
  hookFails?: boolean;
  iptablesFails?: boolean;
  logsFail?: boolean;
  /** Send CloudWatch Logs calls to the real AWS CLI at this endpoint (moto). */
  logsEndpoint?: string;
  /** Seconds the watchdog waits after the budget (default 30, so it stays out of the way). */
  watchdogGrace?: number;
  /** Secret values the stub `aws` returns, keyed by SSM name or Secrets Manager ARN. */
  secrets?: Record<string, string>;
}

/** One recorded call: the tool, then its arguments. */
export type Call = string[];

export interface BootRun {
  status: number | null;
  /** What bash wrote to the console (stderr): the step lines. */
  stderr: string;
  calls: Call[];
  /** The boot log file, /var/log/shipper-boot.log under the sandbox root. */
  log: string;
  dir: string;
  root: string;
  /** Every cfn-signal call. */
  signals: Call[];
  /** The events the boot script handed to put-log-events, as it wrote them. */
  bootLogEvents(): Array<{ timestamp: number; message: string }>;
  /** The environment `docker run` handed to a container, resolved as docker resolves it. */
  received(container: string): Record<string, string>;
  /** The octal mode of the env file the container was started with. */
  envFileMode(container: string): string;
  /** All the files the script wrote under the sandbox root, with their content. */
  writtenFiles(): Record<string, string>;
}

export function runBoot(userData: string, scenario: Scenario = {}): BootRun {
  const dir = mkdtempSync(join(tmpdir(), 'shipper-boot-'));
  const root = join(dir, 'root');
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  for (const [name, value] of Object.entries(scenario.secrets ?? {})) {
    writeFileSync(join(dir, 'secrets', name.replace(/[^A-Za-z0-9._-]/g, '_')), value);
  }
  const scriptPath = join(dir, 'user-data.sh');
  writeFileSync(scriptPath, userData);

  const stub = (value: string | number | boolean | undefined) => (value === undefined || value === false ? '' : String(value));
  const result = spawnSync('bash', [scriptPath], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 50_000, // generous: the machine may be busy; a boot normally takes a second or two
    env: {
      PATH: `${STUBS}:/usr/local/bin:/usr/bin:/bin`,
      HOME: dir,
      SANDBOX: dir,
      SHIPPER_ROOT: root,
      SHIPPER_SLEEP: join(STUBS, 'fast-sleep'),
      SHIPPER_IMDS_URL: 'http://imds.stub/latest',
      STUB_HEALTH_FAILS: stub(scenario.healthFails),
      STUB_HEALTH_FLAP: stub(scenario.healthFlaps),
      STUB_PULL_FAIL: stub(scenario.pullFails),
      STUB_RUN_FAIL: stub(scenario.runFails),
      STUB_APP_CRASH_AFTER: stub(scenario.appCrashesAfter),
      STUB_APP_RESTARTS: stub(scenario.appRestarts),
      STUB_TARGET_HEALTHY_AFTER: stub(scenario.targetHealthyAfter),
      STUB_ECR_FAIL: stub(scenario.ecrLoginFails),
      STUB_IMDS_FAIL: stub(scenario.imdsFails),
      STUB_PULL_SECONDS: stub(scenario.pullSeconds),
      STUB_PULL_FAILS_FIRST: stub(scenario.pullFailsFirst),
      STUB_SIGNAL_FAILS: stub(scenario.signalFails),
      STUB_GROUP: stub(scenario.group),
      STUB_STACK_GROUP: stub(scenario.stackGroup),
      STUB_GROUP_LOOKUP_FAIL: stub(scenario.groupLookupFails),
      STUB_HOOK_FAIL: stub(scenario.hookFails),
      STUB_IPTABLES_FAIL: stub(scenario.iptablesFails),
      STUB_LOGS_FAIL: stub(scenario.logsFail),
      STUB_LOGS_ENDPOINT: stub(scenario.logsEndpoint),
      SHIPPER_WATCHDOG_GRACE: String(scenario.watchdogGrace ?? 30),
      ...(scenario.logsEndpoint
        ? { STUB_REAL_PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'eu-west-1' }
        : {}),
    },
  });
  if (result.error) throw result.error;

  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  const calls = read(join(dir, 'calls.log'))
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\x1f').map(unescape));
  return {
    status: result.status,
    stderr: result.stderr,
    calls,
    log: read(join(root, 'var/log/shipper-boot.log')),
    dir,
    root,
    signals: calls.filter((c) => c[0] === 'cfn-signal'),
    received(container) {
      const path = join(dir, 'received', `${container}.env`);
      if (!existsSync(path)) throw new Error(`${container} was never started`);
      const entries = read(path).split('\0').filter(Boolean);
      return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    },
    bootLogEvents: () => JSON.parse(read(join(dir, 'boot-log-events.json')) || '[]'),
    envFileMode: (container) => read(join(dir, 'received', `${container}.mode`)).trim(),
    writtenFiles: () => readTree(root),
  };
}

/** Reverses the stubs' escaping of `\` and line breaks. */
function unescape(arg: string): string {
  return arg.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

function readTree(base: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  if (!existsSync(join(base, prefix))) return files;
  for (const entry of readdirSync(join(base, prefix), { withFileTypes: true })) {
    const rel = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, readTree(base, rel));
    else files[rel] = readFileSync(join(base, rel), 'utf8');
  }
  return files;
}

/** The value following `option` in a call. */
export function optionOf(call: Call, option: string): string | undefined {
  const i = call.indexOf(option);
  return i >= 0 ? call[i + 1] : undefined;
}

/** Index of the first call matching, or -1. */
export function indexOfCall(calls: Call[], match: (c: Call) => boolean): number {
  return calls.findIndex(match);
}
