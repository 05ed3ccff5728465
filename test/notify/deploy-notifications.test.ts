/**
 * Notifications are sent by a real deploy (simulated cloud) to real HTTP receivers on loopback.
 * Whatever a receiver does (4xx, 5xx, slow, hanging, closing the connection), the deploy's exit
 * code and outcome are those of the deploy alone, and each notification is one line.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { editedExample } from '../helpers/temp-service.js';
import { exampleDir } from '../helpers/paths.js';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V1, world, type World } from '../deploy/harness.js';
import { threeReleases } from '../releases/history-world.js';
import { startReceiver, type Behaviour, type Receiver } from './receiver.js';

const ENTITY = 'MXxBUE18QVBQTElDQVRJT058MTIz';
const API_KEY = 'NRAK-TESTKEY0000000000000000000';
const receivers: Receiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(behaviour?: Behaviour): Promise<Receiver> {
  const r = await startReceiver(behaviour);
  receivers.push(r);
  return r;
}

/** The example with `yaml` (indented as a top-level key's body) as its notifications. */
function withNotifications(yaml: string): string {
  return editedExample(exampleDir, (t) => t.replace('environments:\n', `notifications:\n${yaml}environments:\n`));
}

function deploy(w: World, cwd: string, opts: { args?: string[]; env?: NodeJS.ProcessEnv; boundMs?: number } = {}) {
  return w.run(['deploy', '--env', 'test', '--image-tag', 'v2', ...(opts.args ?? [])], {
    cwd,
    env: { PATH: process.env.PATH, USER: 'alice', ...opts.env },
    deps: { notifyBoundMs: opts.boundMs ?? 2000 },
  });
}

describe('a deploy that goes live', () => {
  it("an instance's deploy is announced as the instance's, never as the environment's", async () => {
    const slack = await receiver();
    const cwd = editedExample(exampleDir, (t) =>
      t.replace('environments:\n', `notifications:\n  webhooks:\n    - url: ${slack.url}\nenvironments:\n`).replace('    region: eu-west-1\n', '    region: eu-west-1\n    instances: {ttl: 1d}\n'),
    );
    const run = await deploy(world({ live: true, descriptor: `${cwd}/shipper.yml` }), cwd, { args: ['--instance', 'pr-5'] });
    expect(run.code).toBe(ExitCode.ok);
    expect(slack.requests.map((r) => (r.body as { text: string }).text)).toEqual([
      'Deploying hello v2 to test/pr-5 (hello-test-pr-5)',
      'hello v2 is live in test/pr-5 (hello-test-pr-5)',
    ]);
  });

  it('tells a Slack webhook it started and is live, a plain JSON receiver the same, and New Relic once, with its API key', async () => {
    const slack = await receiver();
    const plain = await receiver();
    const newRelic = await receiver({ answer: 200, body: JSON.stringify({ data: { changeTrackingCreateDeployment: { deploymentId: 'd-1', entityGuid: ENTITY } } }) });
    const cwd = withNotifications(
      `  webhooks:\n    - url: ${slack.url}\n    - url: ${plain.url}\n      format: json\n  newRelic:\n    entityGuid: ${ENTITY}\n`,
    );
    const run = await deploy(world({ live: true }), cwd, { env: { NEW_RELIC_API_KEY: API_KEY, SHIPPER_NEW_RELIC_ENDPOINT: newRelic.url } });

    expect(run.code).toBe(ExitCode.ok);
    expect(slack.requests.map((r) => (r.body as { text: string }).text)).toEqual([
      'Deploying hello v2 to test (hello-test)',
      'hello v2 is live in test (hello-test)',
    ]);
    expect(slack.requests[1]!.headers['content-type']).toBe('application/json');
    expect(slack.requests[1]!.body).toMatchObject({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hello v2 is live in test (hello-test)*' } }, { type: 'context' }] });
    expect(plain.requests.map((r) => r.body)).toEqual([
      expect.objectContaining({ event: 'deploy.started', service: 'hello', environment: 'test', stackName: 'hello-test', by: expect.stringMatching(/^alice/) }),
      expect.objectContaining({ event: 'deploy.live', image: { tag: 'v2', digest: `sha256:${'2'.repeat(64)}` }, at: expect.stringMatching(/^2026-11-23T/) }),
    ]);

    expect(newRelic.requests).toHaveLength(1);
    const [nr] = newRelic.requests;
    expect(nr!.headers['api-key']).toBe(API_KEY);
    expect(nr!.headers['content-type']).toBe('application/json');
    const body = nr!.body as { query: string; variables: { deployment: Record<string, unknown> } };
    expect(body.query).toMatch(/changeTrackingCreateDeployment\(deployment: \$deployment\)/);
    expect(body.variables.deployment).toMatchObject({ entityGuid: ENTITY, version: 'v2', user: expect.stringMatching(/^alice/) });

    const port = new URL(slack.url).host;
    expect(run.stdout).toContain('Notified New Relic about hello deployment\n');
    expect(run.stdout).toContain(`Notified webhook ${port} (started)\n`);
    expect(run.stdout).toContain(`Notified webhook ${port} (live)\n`);
    // A Slack webhook URL's path is its credential; the API key is one too.
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/s3cr3tpath|NRAK-/);
  });

  it.each<[string, Behaviour, RegExp]>([
    ['a 4xx', { answer: 404, body: 'no_service' }, /: HTTP 404 Not Found: no_service$/m],
    ['a 5xx', { answer: 503 }, /: HTTP 503 Service Unavailable$/m],
    ['a hang', { hang: true }, /: no answer within 300 ms$/m],
    ['an answer slower than the bound', { slowMs: 60_000 }, /: no answer within 300 ms$/m],
    ['a closed connection', { destroy: true }, /: other side closed|socket hang up|ECONNRESET/m],
  ])('%s from the receiver: the deploy is still live with exit 0 and one warning line per notification', async (_name, behaviour, reason) => {
    const bad = await receiver(behaviour);
    const good = await receiver();
    const cwd = withNotifications(`  webhooks:\n    - url: ${bad.url}\n      on: [live]\n    - url: ${good.url}\n      on: [live]\n`);
    const w = world({ live: true });
    const run = await deploy(w, cwd, { boundMs: 300 });

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/hello-test is live|is live/);
    expect(bad.requests).toHaveLength(1);
    expect(good.requests).toHaveLength(1);
    const lines = run.stdout.split('\n').filter((l) => /notify|Notified/i.test(l));
    expect(lines).toEqual([expect.stringMatching(/^Warning: Could not notify webhook 127\.0\.0\.1:\d+ \(live\): /), `Notified webhook ${new URL(good.url).host} (live)`]);
    expect(lines[0]).toMatch(reason);
    expect(run.stderr).toBe('');
  });

  it('New Relic refusing the mutation (200 with errors) or a missing API key is a warning, not a failure', async () => {
    const newRelic = await receiver({ answer: 200, body: JSON.stringify({ errors: [{ message: 'Entity not found' }] }) });
    const cwd = withNotifications(`  newRelic:\n    entityGuid: ${ENTITY}\n    region: EU\n`);
    const refused = await deploy(world({ live: true }), cwd, { env: { NEW_RELIC_API_KEY: API_KEY, SHIPPER_NEW_RELIC_ENDPOINT: newRelic.url } });
    expect(refused.code).toBe(ExitCode.ok);
    expect(refused.stdout).toContain('Warning: Could not notify New Relic (live): NerdGraph refused the deployment: Entity not found\n');

    const keyless = await deploy(world({ live: true }), cwd, { env: { SHIPPER_NEW_RELIC_ENDPOINT: newRelic.url } });
    expect(keyless.code).toBe(ExitCode.ok);
    expect(keyless.stdout).toContain('Warning: Could not notify New Relic (live): no API key: set NEW_RELIC_API_KEY or newRelic.apiKey\n');
    expect(newRelic.requests).toHaveLength(1);
  });

  it('reads a webhook URL and the New Relic API key from SSM when it sends, and prints neither', async () => {
    const hook = await receiver();
    const newRelic = await receiver({ answer: 200, body: '{"data":{}}' });
    const w = world({ live: true });
    await w.cloud.clients().ssm.putParameter({ Name: '/hello/slack-webhook', Value: hook.url, Type: 'SecureString' });
    await w.cloud.clients().ssm.putParameter({ Name: '/hello/new-relic-key', Value: API_KEY, Type: 'SecureString' });
    const cwd = withNotifications(
      `  webhooks:\n    - url: {ssm: /hello/slack-webhook}\n      on: [live]\n  newRelic:\n    entityGuid: ${ENTITY}\n    apiKey: {ssm: /hello/new-relic-key}\n`,
    );
    const run = await deploy(w, cwd, { env: { SHIPPER_NEW_RELIC_ENDPOINT: newRelic.url } });
    expect(run.code).toBe(ExitCode.ok);
    expect(hook.requests).toHaveLength(1);
    expect(newRelic.requests[0]!.headers['api-key']).toBe(API_KEY);
    expect(run.stdout).toContain('Notified webhook from SSM parameter /hello/slack-webhook (live)\n');
    expect(run.stdout).not.toMatch(/127\.0\.0\.1|s3cr3tpath|NRAK-/);
  });

  it('--json reports each notification as a notify.result event', async () => {
    const hook = await receiver({ answer: 500 });
    const cwd = withNotifications(`  webhooks:\n    - url: ${hook.url}\n      on: [live]\n`);
    const run = await deploy(world({ live: true }), cwd, { args: ['--json'] });
    expect(run.code).toBe(ExitCode.ok);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(events.filter((e) => e.type === 'notify.result')).toEqual([
      { type: 'notify.result', channel: `webhook ${new URL(hook.url).host}`, ok: false, detail: expect.stringMatching(/HTTP 500/) },
    ]);
  });
});

describe('a deploy that does not go live', () => {
  it('a failure tells the webhook the root cause and the release still serving, and keeps its exit code when the receiver fails too', async () => {
    const hook = await receiver({ answer: 200 });
    const broken = await receiver({ answer: 500 });
    const cwd = withNotifications(`  webhooks:\n    - url: ${hook.url}\n      format: json\n      on: [failed]\n    - url: ${broken.url}\n`);
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'SUCCESS', afterSeconds: 200 }, { signal: 'FAILURE', afterSeconds: 210 }]);
    const run = await deploy(w, cwd);

    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(hook.requests.map((r) => r.body)).toEqual([
      expect.objectContaining({
        event: 'deploy.failed',
        rootCause: expect.stringMatching(/^AutoScalingGroup: .*FAILURE signal/),
        stillServing: expect.objectContaining({ tag: 'v1' }),
      }),
    ]);
    expect((broken.requests.at(-1)!.body as { text: string }).text).toBe('Deploy of hello v2 to test (hello-test) failed and was rolled back');
    expect(run.stdout).toMatch(/^Warning: Could not notify webhook 127\.0\.0\.1:\d+ \(failed\): HTTP 500/m);
  });

  it('a cancel (--timeout) is sent as cancelled, saying what cancelled it', async () => {
    const hook = await receiver();
    const cwd = withNotifications(`  webhooks:\n    - url: ${hook.url}\n      format: json\n      on: [cancelled]\n`);
    const run = await deploy(world({ live: true }), cwd, { args: ['--timeout', '2m'] });
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(hook.requests.map((r) => r.body)).toEqual([expect.objectContaining({ event: 'deploy.cancelled', cancelledBy: '--timeout 2m', stillServing: expect.objectContaining({ tag: 'v1' }) })]);
  });
});

describe('CloudFormation stack notifications', () => {
  it('the change set carries the environment\'s SNS topics as NotificationARNs (an empty list when there are none, so removed topics go)', async () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:deploys-test';
    const cwd = editedExample(exampleDir, (t) => t.replace('    region: eu-west-1\n', `    region: eu-west-1\n    notifications:\n      snsTopicArns: [${topic}]\n`));
    for (const [dir, expected] of [[cwd, [topic]], [exampleDir, []]] as const) {
      const w = world({ live: true });
      const inputs: unknown[] = [];
      const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], {
        cwd: dir,
        deps: {
          clients: async () => {
            const clients = w.cloud.clients();
            const create = clients.cloudFormation.createChangeSet.bind(clients.cloudFormation);
            clients.cloudFormation.createChangeSet = (input) => (inputs.push(input), create(input));
            return clients;
          },
        },
      });
      expect(run.code).toBe(ExitCode.ok);
      expect(inputs).toEqual([expect.objectContaining({ NotificationARNs: expected })]);
    }
  });

  it('a topic that is not an SNS ARN is bad input, before any AWS call', async () => {
    const cwd = withNotifications('  snsTopicArns: [deploys-test]\n');
    const w = world({ live: true });
    const run = await deploy(w, cwd);
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/shipper\.yml:\d+:\d+ notifications\.snsTopicArns\[0\]: must be an SNS topic ARN/);
    expect(w.cloud.calls.total()).toBe(0);
  });
});

describe('a rollback', () => {
  it('notifies like a deploy: started, then live, with the release it goes back to', async () => {
    const plain = await receiver();
    const cwd = withNotifications(`  webhooks:\n    - url: ${plain.url}\n      format: json\n`);
    const w = await threeReleases();
    const run = await w.run(['rollback', '--env', 'test', '--yes'], { cwd, env: { PATH: process.env.PATH, USER: 'alice' }, deps: { notifyBoundMs: 2000 } });

    expect(run.code).toBe(ExitCode.ok);
    expect(plain.requests.map((r) => r.body)).toEqual([
      expect.objectContaining({ event: 'deploy.started', service: 'hello', environment: 'test', by: expect.stringMatching(/^alice/) }),
      expect.objectContaining({ event: 'deploy.live', image: { tag: 'v1', digest: DIGEST_V1 } }),
    ]);
    expect(run.stdout).toContain(`Notified webhook ${new URL(plain.url).host} (live)\n`);
  });
});
