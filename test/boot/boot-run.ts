/** Renders the example plan's user data and runs it in the sandbox: shared by the boot tests. */
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
