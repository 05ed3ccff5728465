/**
 * A sidecar from a private registry: the boot script logs in to it before pulling, with the
 * user name and password from the secret the descriptor names, the password through a pipe to
 * `docker login --password-stdin` (never an argument, never in the log).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { renderUserData, resolveUserData, type BootPlan } from '../../src/compose/user-data.js';
import { DIGEST, TARGET_GROUP_ARN, examplePlan, sidecars } from './plan-fixture.js';
import { runBoot, type BootRun, type Scenario } from './sandbox.js';

const HOST = 'registry.example.com:5443';
const PASSWORD = "pa$$ w0rd:with-colon-'\"`id`";
const SM_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/puller-AbCdEf';
const agent = { name: 'agent', image: `${HOST}/team/agent@sha256:${'7'.repeat(64)}`, files: [], mounts: [], publish: [], environment: {}, logsToRouter: true };

function boot(plan: Partial<BootPlan>, scenario: Scenario = {}): BootRun {
  const script = resolveUserData(
    renderUserData(examplePlan({ sidecars: [...sidecars(), agent], health: { path: '/health', proxyPort: 80, intervalSeconds: 7, healthyThreshold: 2 }, bootBudgetSeconds: 300, ...plan })),
    { ImageDigest: DIGEST, TargetGroup: TARGET_GROUP_ARN },
  );
  return runBoot(script, { ...scenario, secrets: { '/hello/database-password': 'db', ...scenario.secrets } });
}

const loginOf = (run: BootRun) => run.calls.find((c) => c[0] === 'docker' && c[1] === 'login' && c.at(-1) === HOST);
const receivedPassword = (run: BootRun) => {
  const file = join(run.dir, 'received', `login-${HOST.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
};
const everythingPrinted = (run: BootRun) => [run.stderr, run.log, ...run.calls.map((c) => c.join(' ')), JSON.stringify(run.writtenFiles())].join('\n');

describe('boot script: private registry login', () => {
  it('logs in with the secret from SSM before pulling, the password on stdin only', () => {
    const run = boot({ registryLogins: [{ host: HOST, secret: { ssm: '/hello/registry' } }] }, { secrets: { '/hello/registry': `puller:${PASSWORD}` } });
    expect(run.status).toBe(0);
    expect(loginOf(run)).toEqual(['docker', 'login', '--username', 'puller', '--password-stdin', HOST]);
    expect(receivedPassword(run)).toBe(PASSWORD);
    const loginAt = run.calls.indexOf(loginOf(run)!);
    const firstPull = run.calls.findIndex((c) => c[0] === 'docker' && c[1] === 'pull');
    expect(loginAt).toBeLessThan(firstPull);
    expect(run.calls.some((c) => c[0] === 'docker' && c[1] === 'pull' && c[2] === agent.image)).toBe(true);
    expect(everythingPrinted(run)).not.toContain(PASSWORD);
    expect(run.log).toContain(`logging in to ${HOST}`);
  });

  it('reads a Secrets Manager secret in its own region', () => {
    const run = boot({ registryLogins: [{ host: HOST, secret: { secretsManager: SM_ARN } }] }, { secrets: { [SM_ARN]: `puller:${PASSWORD}` } });
    expect(run.status).toBe(0);
    const read = run.calls.find((c) => c[0] === 'aws' && c[1] === 'secretsmanager')!;
    expect(read).toEqual(expect.arrayContaining(['--secret-id', SM_ARN, '--region', 'us-east-1']));
    expect(receivedPassword(run)).toBe(PASSWORD);
  });

  it('signals FAILURE in the ecr-login step, pulling nothing, when the secret cannot be read or is not username:password', () => {
    for (const secrets of [{}, { '/hello/registry': 'only-a-token' }] as Array<Record<string, string>>) {
      const run = boot({ registryLogins: [{ host: HOST, secret: { ssm: '/hello/registry' } }] }, { secrets });
      expect(run.status).not.toBe(0);
      expect(run.signals).toHaveLength(1);
      expect(run.signals[0]).toEqual(expect.arrayContaining(['-e', '1', '--reason', `ecr-login: cannot log in to ${HOST}`]));
      expect(run.calls.some((c) => c[0] === 'docker' && c[1] === 'pull')).toBe(false);
      expect(everythingPrinted(run)).not.toContain('only-a-token');
    }
  });

  it('logs in to nothing else when no sidecar needs it', () => {
    const run = boot({});
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c[0] === 'docker' && c[1] === 'login').every((c) => c.at(-1)!.includes('.dkr.ecr.'))).toBe(true);
  });
});
