/**
 * The boot script, run for real with bash against stub docker/aws/curl/cfn-signal: what
 * CloudFormation is told, when, and what the containers receive.
 */
import { gzipSync } from 'node:zlib';
import { describe, it, expect } from '@jest/globals';
import { renderUserData, resolveUserData, type BootPlan } from '../../src/compose/user-data.js';
import { DIGEST, ECR_REGISTRY, NASTY_ENVIRONMENT, TARGET_GROUP_ARN, examplePlan } from './plan-fixture.js';
import { inlineBootScript } from './boot-run.js';
import { runBoot, optionOf, type BootRun, type Call, type Scenario } from './sandbox.js';

const SECRET_VALUE = 'S3cr3t-value-$(whoami)-`id`-\'"';
const PEM_SECRET = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
const SPLUNK_TOKEN = 'splunk-hec-token-0f1e2d3c';
const SPLUNK_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:splunk/hec-AbCdEf';

const fastHealth = { path: '/health', proxyPort: 80, intervalSeconds: 7, healthyThreshold: 2 };
/** A budget three health-check intervals use up (the sandbox's sleeps move the boot clock on). */
const shortBudget: Partial<BootPlan> = { bootBudgetSeconds: 20 };

function boot(scenario: Scenario = {}, plan: Partial<BootPlan> = {}): BootRun {
  const script = resolveUserData(renderUserData(examplePlan({ health: fastHealth, bootBudgetSeconds: 300, ...plan })), {
    ImageDigest: DIGEST,
    TargetGroup: TARGET_GROUP_ARN,
  });
  return runBoot(script, { secrets: { '/hello/database-password': SECRET_VALUE }, ...scenario });
}

const isHealthCheck = (c: Call) => c[0] === 'curl' && c.some((a) => a.startsWith('http://127.0.0.1:80/health'));
const isTargetHealth = (c: Call) => c[0] === 'aws' && c[1] === 'elbv2';
const dockerRuns = (run: BootRun) => run.calls.filter((c) => c[0] === 'docker' && c[1] === 'run');
const runOf = (run: BootRun, name: string) => dockerRuns(run).find((c) => optionOf(c, '--name') === name);
const lastIndex = (calls: Call[], match: (c: Call) => boolean) => calls.map(match).lastIndexOf(true);

function expectSingleFailure(run: BootRun, reason: RegExp): void {
  expect(run.status).not.toBe(0);
  expect(run.signals).toHaveLength(1);
  expect(optionOf(run.signals[0], '-e')).toBe('1');
  expect(optionOf(run.signals[0], '--reason')).toMatch(reason);
}

describe('boot script: success', () => {
  it('signals SUCCESS once, only after the health checks through the proxy and the target group pass', () => {
    const run = boot({ healthFails: 3, targetHealthyAfter: 2 });
    expect(run.stderr).toContain('signalled SUCCESS');
    expect(run.status).toBe(0);
    expect(run.signals).toHaveLength(1);
    expect(optionOf(run.signals[0], '-e')).toBe('0');

    const signalAt = run.calls.indexOf(run.signals[0]);
    const healthChecks = run.calls.filter(isHealthCheck);
    expect(healthChecks).toHaveLength(5); // three failures, then two passes in a row
    expect(healthChecks[4]).toEqual(expect.arrayContaining(['--max-time', '5']));
    expect(lastIndex(run.calls, isHealthCheck)).toBeLessThan(run.calls.findIndex(isTargetHealth));
    expect(run.calls.filter(isTargetHealth)).toHaveLength(3);
    expect(lastIndex(run.calls, isTargetHealth)).toBeLessThan(signalAt);
    expect(signalAt).toBe(run.calls.length - 1);
  });

  it('asks the target group about this instance, in the stack region', () => {
    const run = boot();
    const call = run.calls.find(isTargetHealth)!;
    expect(call.slice(1, 3)).toEqual(['elbv2', 'describe-target-health']);
    expect(optionOf(call, '--target-group-arn')).toBe(TARGET_GROUP_ARN);
    expect(optionOf(call, '--targets')).toBe('Id=i-0123456789abcdef0');
    expect(optionOf(call, '--query')).toBe('TargetHealthDescriptions[0].TargetHealth.State');
    expect(optionOf(call, '--region')).toBe('eu-west-1');
  });

  it('skips the target group when the service has none', () => {
    const run = boot({}, { targetGroupArn: undefined });
    expect(run.status).toBe(0);
    expect(run.calls.some(isTargetHealth)).toBe(false);
    expect(optionOf(run.signals[0], '-e')).toBe('0');
  });

  it('identifies itself to cfn-signal with the stack, resource, region and the IMDSv2 instance id', () => {
    const run = boot();
    const [signal] = run.signals;
    expect(optionOf(signal, '--stack')).toBe('hello-test');
    expect(optionOf(signal, '--resource')).toBe('AutoScalingGroup');
    expect(optionOf(signal, '--region')).toBe('eu-west-1');
    expect(optionOf(signal, '--id')).toBe('i-0123456789abcdef0');
    const [tokenCall, idCall] = run.calls.filter((c) => c[0] === 'curl').slice(0, 2);
    expect(tokenCall).toEqual(expect.arrayContaining(['PUT', 'http://imds.stub/latest/api/token', 'X-aws-ec2-metadata-token-ttl-seconds: 300']));
    expect(idCall).toEqual(expect.arrayContaining(['X-aws-ec2-metadata-token: imds-token', 'http://imds.stub/latest/meta-data/instance-id']));
  });

  it('needs the passes in a row: a flapping app is not healthy', () => {
    const run = boot({ healthFlaps: true }, shortBudget);
    expectSingleFailure(run, /^health: app not healthy at http:\/\/127\.0\.0\.1:80\/health within 20s of boot$/);
  });

  it('waits the configured interval between checks', () => {
    const run = boot({ healthFails: 2 });
    const sleeps = run.calls.filter((c) => c[0] === 'sleep');
    expect(sleeps.length).toBeGreaterThanOrEqual(3);
    expect(sleeps.every((c) => c[1] === '7')).toBe(true);
  });
});

describe('boot script: containers', () => {
  it('logs in to the private ECR registry only, with the password on stdin', () => {
    const run = boot();
    const logins = run.calls.filter((c) => c[0] === 'docker' && c[1] === 'login');
    expect(logins).toEqual([['docker', 'login', '--username', 'AWS', '--password-stdin', ECR_REGISTRY]]);
    const token = run.calls.find((c) => c[0] === 'aws' && c[1] === 'ecr')!;
    expect(token).toEqual(['aws', 'ecr', 'get-login-password', '--region', 'eu-west-1']);
  });

  it('pulls every image by digest before starting anything', () => {
    const run = boot();
    const pulls = run.calls.filter((c) => c[0] === 'docker' && c[1] === 'pull').map((c) => c[2]);
    expect(pulls).toHaveLength(4);
    expect(pulls).toContain(`${ECR_REGISTRY}/hello@${DIGEST}`);
    for (const image of pulls) expect(image).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(lastIndex(run.calls, (c) => c[1] === 'pull')).toBeLessThan(run.calls.findIndex((c) => c[1] === 'run'));
  });

  it('starts the log router first, then the app, then the other sidecars, all on the shipper network', () => {
    const run = boot();
    const runs = dockerRuns(run);
    expect(runs.map((c) => optionOf(c, '--name'))).toEqual(['log-router', 'app', 'reverse-proxy', 'metrics-collector']);
    const networkCreated = run.calls.findIndex((c) => c[0] === 'docker' && c[1] === 'network' && c[2] === 'create');
    expect(run.calls[networkCreated]).toEqual(['docker', 'network', 'create', '--subnet', '192.168.231.0/24', '--ip-range', '192.168.231.128/25', 'shipper']);
    expect(networkCreated).toBeLessThan(run.calls.indexOf(runs[0]));
    for (const call of runs) {
      expect(optionOf(call, '--network')).toBe('shipper');
      expect(optionOf(call, '--restart')).toBe('unless-stopped');
    }
  });

  it('runs the app by digest, logging to the router with the fluentd driver', () => {
    const app = runOf(boot(), 'app')!;
    expect(app).toEqual(expect.arrayContaining(['--log-driver', 'fluentd']));
    expect(app.join(' ')).toContain('--log-opt fluentd-address=127.0.0.1:24224 --log-opt tag=app');
    expect(app[app.length - 1]).toBe(`${ECR_REGISTRY}/hello@${DIGEST}`);
  });

  it('writes sidecar files before starting them and mounts, publishes and passes options as specified', () => {
    const run = boot();
    const files = run.writtenFiles();
    expect(files['/etc/shipper/reverse-proxy/nginx.conf']).toContain('proxy_pass http://app;');
    expect(files['/etc/shipper/metrics-collector/prometheus.yml']).toContain("targets: ['app:8080']");
    expect(files['/etc/shipper/log-router/fluent-bit.conf']).toContain('log_stream_prefix ${HOSTNAME}/');
    const proxy = runOf(run, 'reverse-proxy')!;
    expect(proxy.join(' ')).toContain('--publish 80:80 --volume /etc/shipper/reverse-proxy/nginx.conf:/etc/nginx/nginx.conf:ro');
    const metrics = runOf(run, 'metrics-collector')!;
    expect(metrics).toContain('--pid=host');
    const router = runOf(run, 'log-router')!;
    expect(router).not.toContain('fluentd');
  });

  it('passes a command after the image', () => {
    const plan = examplePlan();
    plan.sidecars.push({ name: 'worker', image: `public.ecr.aws/x/worker@${DIGEST}`, files: [], mounts: [], publish: [], environment: {}, logsToRouter: true, command: ['run', '--queue', 'a b'] });
    const worker = runOf(boot({}, { sidecars: plan.sidecars }), 'worker')!;
    expect(worker.slice(-4)).toEqual([`public.ecr.aws/x/worker@${DIGEST}`, 'run', '--queue', 'a b']);
  });
});

describe('boot script: environment and secrets', () => {
  it('hands the app every environment value byte for byte, however shell-hostile', () => {
    const run = boot({}, { app: { ...examplePlan().app, environment: NASTY_ENVIRONMENT } });
    expect(run.status).toBe(0);
    expect(run.received('app')).toEqual({ ...NASTY_ENVIRONMENT, DATABASE_PASSWORD: SECRET_VALUE });
  });

  it('fetches secrets at boot into a root-only env file, never into arguments or logs', () => {
    const plan = examplePlan();
    const run = boot({ secrets: { '/hello/database-password': SECRET_VALUE, '/hello/tls-key': PEM_SECRET } }, {
      app: { ...plan.app, secrets: { DATABASE_PASSWORD: { ssm: '/hello/database-password' }, TLS_KEY: { ssm: '/hello/tls-key' } } },
    });
    expect(run.status).toBe(0);
    expect(run.received('app')).toMatchObject({ DATABASE_PASSWORD: SECRET_VALUE, TLS_KEY: PEM_SECRET });
    expect(run.envFileMode('app')).toBe('600');
    const ssm = run.calls.find((c) => c[0] === 'aws' && c[1] === 'ssm')!;
    expect(ssm).toEqual(['aws', 'ssm', 'get-parameter', '--with-decryption', '--name', '/hello/database-password', '--query', 'Parameter.Value', '--output', 'text', '--region', 'eu-west-1']);
    for (const secret of [SECRET_VALUE, PEM_SECRET, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC']) {
      expect(run.calls.flat().join('\n')).not.toContain(secret);
      expect(run.log).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
    const holders = Object.entries(run.writtenFiles()).filter(([, content]) => content.includes(SECRET_VALUE)).map(([path]) => path);
    expect(holders).toEqual(['/run/shipper/app.env']);
  });

  it('gives a sidecar its secret environment from Secrets Manager, asked in the ARN region', () => {
    const [proxy, router, metrics] = examplePlan().sidecars;
    const splunkRouter = { ...router, secretEnvironment: { SPLUNK_TOKEN: { secretsManager: SPLUNK_ARN } } };
    const run = boot({ secrets: { '/hello/database-password': SECRET_VALUE, [SPLUNK_ARN]: SPLUNK_TOKEN } }, { sidecars: [proxy, splunkRouter, metrics] });
    expect(run.status).toBe(0);
    expect(run.received('log-router')).toEqual({ AWS_REGION: 'eu-west-1', SPLUNK_TOKEN });
    expect(run.received('app')).not.toHaveProperty('SPLUNK_TOKEN');
    expect(run.envFileMode('log-router')).toBe('600');
    const call = run.calls.find((c) => c[0] === 'aws' && c[1] === 'secretsmanager')!;
    expect(call).toEqual(['aws', 'secretsmanager', 'get-secret-value', '--secret-id', SPLUNK_ARN, '--query', 'SecretString', '--output', 'text', '--region', 'us-east-1']);
    expect(run.log).not.toContain(SPLUNK_TOKEN);
    expect(run.calls.flat()).not.toContain(SPLUNK_TOKEN);
  });

  it('logs every step with a timestamp', () => {
    const run = boot();
    const steps = ['metadata', 'ecr-login', 'pull', 'secrets', 'start', 'health', 'target-health', 'signal'];
    for (const step of steps) expect(run.log).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4} shipper-boot \\[${step}\\] `, 'm'));
    expect(run.stderr).toContain('[signal] signalled SUCCESS');
  });
});

describe('boot script: failures signal FAILURE once, at once, naming the step', () => {
  const cases: Array<[string, Scenario, Partial<BootPlan>, RegExp]> = [
    ['the instance id cannot be read', { imdsFails: true }, {}, /^metadata: cannot read the instance id/],
    ['ECR login is denied', { ecrLoginFails: true }, {}, /^ecr-login: cannot log in to 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com$/],
    ['an image cannot be pulled', { pullFails: 'nginx' }, {}, /^pull: cannot pull public\.ecr\.aws\/nginx\/nginx@sha256:/],
    ['a secret does not exist', { secrets: {} }, {}, /^secrets: cannot read DATABASE_PASSWORD for app from ssm \/hello\/database-password$/],
    ['a container does not start', { runFails: 'reverse-proxy' }, {}, /^start: docker run failed for reverse-proxy$/],
    ['the app crashes', { healthFails: 'never', appCrashesAfter: 2 }, {}, /^health: app container crashed \(status exited, exit code 1, restarts 0\)$/],
    ['the app restarts in a loop', { healthFails: 'never', appRestarts: 3 }, {}, /^health: app container crashed \(status running, exit code 0, restarts 3\)$/],
    ['the app never becomes healthy', { healthFails: 'never' }, shortBudget, /^health: app not healthy at http:\/\/127\.0\.0\.1:80\/health within 20s of boot$/],
    ['the target group never calls it healthy', { targetHealthyAfter: 'never' }, shortBudget, /^target-health: instance not healthy in the target group \(last state: initial\) within 20s of boot$/],
  ];

  it.each(cases)('when %s', (_, scenario, plan, reason) => {
    const run = boot(scenario, plan);
    expectSingleFailure(run, reason);
    const [signal] = run.signals;
    for (const option of ['--stack', '--resource', '--region', '--id']) expect(optionOf(signal, option)).toBeTruthy();
    // after the signal, only the launch hook is let go (ABANDON), so the rollback need not wait for it
    // (nothing when its group is unknown, the metadata step having failed, or the hook was already completed)
    const after = run.calls.slice(run.calls.indexOf(signal) + 1).map((c) => c.slice(0, 3).join(' '));
    const hookOpen = !run.log.includes('[metadata] FAILED') && !run.calls.some((c) => c.includes('CONTINUE'));
    expect(after).toEqual(hookOpen ? ['aws autoscaling complete-lifecycle-action'] : []);
    expect(run.log).toContain(`FAILED ${optionOf(signal, '--reason')}`);
  });

  it('stops at the failing step: nothing starts after a failed pull', () => {
    const run = boot({ pullFails: 'hello' });
    expect(dockerRuns(run)).toHaveLength(0);
    expect(run.calls.filter((c) => c[1] === 'pull' && c[2].includes('hello'))).toHaveLength(3); // retried
  });

  it('fails fast on a crash instead of waiting out the grace period', () => {
    const run = boot({ healthFails: 'never', appCrashesAfter: 1 }, { bootBudgetSeconds: 3600 });
    expectSingleFailure(run, /crashed/);
    expect(run.calls.filter(isHealthCheck)).toHaveLength(2);
  });

  it('falls back to the host name as signal id when the metadata service is down', () => {
    const run = boot({ imdsFails: true });
    expect(optionOf(run.signals[0], '--id')).toBeTruthy();
    expect(dockerRuns(run)).toHaveLength(0);
  });

  const resolved = () => inlineBootScript(resolveUserData(renderUserData(examplePlan({ health: fastHealth, bootBudgetSeconds: 300 })), { ImageDigest: DIGEST, TargetGroup: TARGET_GROUP_ARN }));
  const secrets = { secrets: { '/hello/database-password': SECRET_VALUE } };

  it('signals FAILURE for an unexpected error, naming the step it happened in', () => {
    const run = runBoot(resolved().replace('\nSTEP=network\n', '\nSTEP=network\nfalse\n'), secrets);
    expectSingleFailure(run, /^network: unexpected error \(exit 1\) at line \d+$/);
    expect(dockerRuns(run)).toHaveLength(0);
  });

  it('signals FAILURE when the script stops without a result (an unset variable, an exit)', () => {
    const unset = runBoot(resolved().replace('\nSTEP=start\n', '\nSTEP=start\n: "$NO_SUCH_SETTING"\n'), secrets);
    expectSingleFailure(unset, /^start: stopped without a result$/);
    const exited = runBoot(resolved().replace('\nSTEP=health\n', '\nSTEP=health\nexit 0\n'), secrets);
    expectSingleFailure(exited, /^health: stopped without a result$/);
  });

  it('signals FAILURE for a malformed container spec', () => {
    const bogus = gzipSync(Buffer.from('bogus\0x\0')).toString('base64');
    const run = runBoot(resolved().replace(/^CONTAINER_SPECS=\('/m, `CONTAINER_SPECS=('${bogus}`), secrets);
    expectSingleFailure(run, /^secrets: log-router: unknown spec entry 'bogus'$/);
  });
});
