/** Renders the example plan's user data and runs it in the sandbox: shared by the boot tests. */
import { gunzipSync } from 'node:zlib';
import { renderUserData, resolveUserData, type BootPlan } from '../../src/compose/user-data.js';
import { DIGEST, TARGET_GROUP_ARN, examplePlan } from './plan-fixture.js';
import { runBoot, type BootRun, type Call, type Scenario } from './sandbox.js';

export const SECRET_VALUE = 'S3cr3t-value-$(whoami)-`id`-\'"';
export const fastHealth = { path: '/health', proxyPort: 80, intervalSeconds: 7, healthyThreshold: 2 };

export function userData(plan: Partial<BootPlan> = {}): string {
  return resolveUserData(renderUserData(examplePlan({ health: fastHealth, bootBudgetSeconds: 300, ...plan })), {
    ImageDigest: DIGEST,
    TargetGroup: TARGET_GROUP_ARN,
  });
}

export function bootWith(scenario: Scenario = {}, plan: Partial<BootPlan> = {}): BootRun {
  return runBoot(userData(plan), { secrets: { '/hello/database-password': SECRET_VALUE }, ...scenario });
}

export const isCall = (...prefix: string[]) => (c: Call) => prefix.every((p, i) => c[i] === p);

/**
 * The user data with its gzipped boot script written out in place, for tests that edit the
 * script's text (and for shellcheck to follow it).
 */
export function inlineBootScript(script: string): string {
  const line = script.split('\n').find((l) => l.startsWith('BOOT_SCRIPT='));
  if (!line) throw new Error('no BOOT_SCRIPT in the user data');
  const body = gunzipSync(Buffer.from(line.slice("BOOT_SCRIPT='".length, -1), 'base64')).toString('utf8');
  return script.replace(`${line}\nsource <(printf %s "$BOOT_SCRIPT" | base64 -d | gunzip)\n`, () => body);
}
