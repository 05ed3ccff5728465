/**
 * `shipper logs` against moto's CloudWatch Logs, with shipper's own SDK clients. The events are
 * put where an instance puts them: the log router's Fluent Bit `cloudwatch_logs` output writes
 * each container's JSON records to `<stack>/container.<name>` (log_stream_prefix `<stack>/` plus
 * the tag), the boot script writes plain lines to `boot/<instance-id>`.
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LOCAL_ENV, LOCAL_REGION } from '../../examples/local/seed.mjs';
import type { Clock } from '../../src/aws/api.js';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';
import { OTHER_ACCOUNT_ENV, useLocalAws } from './local-aws.js';

const STACK = `hello-${LOCAL_ENV}`;
const LOG_GROUP = `/shipper/hello/${LOCAL_ENV}`;
const A = 'i-0aaaaaaaaaaaaaaa1';
const B = 'i-0bbbbbbbbbbbbbbb2';
const local = useLocalAws();
const logs = () => new CloudWatchLogsClient({ region: LOCAL_REGION, endpoint: local.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

/** What Fluent Bit sends for one line a container wrote: Docker's fluentd record plus the aws and record_modifier filters' keys. */
function routed(container: string, instance: string, log: string): string {
  return JSON.stringify({ container_id: 'c0ffee', container_name: `/${container}`, source: 'stdout', log, ec2_instance_id: instance, az: 'eu-west-1a', service: 'hello', env: LOCAL_ENV });
}

async function put(stream: string, events: { at: number; message: string }[]): Promise<void> {
  const client = logs();
  await client.send(new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: stream })).catch((err: Error) => {
    if (err.name !== 'ResourceAlreadyExistsException') throw err;
  });
  await client.send(new PutLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: stream, logEvents: events.map((e) => ({ timestamp: e.at, message: e.message })) }));
  client.destroy();
}

/** Two instances' app and proxy lines and a boot log, the last five minutes, plus one line from 40 minutes ago. */
async function seedLogs(now: number): Promise<void> {
  await logs().send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  await put(`boot/${B}`, [
    { at: now - 300_000, message: '[shipper-boot] pulling hello@sha256:2222' },
    { at: now - 290_000, message: '[shipper-boot] healthy; signalling SUCCESS' },
  ]);
  await put(`${STACK}/container.app`, [
    { at: now - 40 * 60_000, message: routed('app', A, 'an old line\n') },
    { at: now - 200_000, message: routed('app', A, 'listening on 8080\n') },
    { at: now - 150_000, message: routed('app', B, 'listening on 8080\n') },
    { at: now - 60_000, message: routed('app', B, 'GET /orders 500\n') },
  ]);
  await put(`${STACK}/container.reverse-proxy`, [{ at: now - 100_000, message: routed('reverse-proxy', A, '10.0.0.5 - "GET /health" 200\n') }]);
}

const stamp = (at: number) => new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const shipper = (...argv: string[]) => local.shipper(['logs', '--env', LOCAL_ENV, '-f', local.descriptor, ...argv]);

describe('shipper logs', () => {
  it('shows app, sidecar and boot lines of every instance, oldest first, one line each with time, instance and container', async () => {
    const now = Date.now();
    await seedLogs(now);
    const run = await shipper();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toBe(
      [
        `${stamp(now - 300_000)}  ${B}  boot           [shipper-boot] pulling hello@sha256:2222`,
        `${stamp(now - 290_000)}  ${B}  boot           [shipper-boot] healthy; signalling SUCCESS`,
        `${stamp(now - 200_000)}  ${A}  app            listening on 8080`,
        `${stamp(now - 150_000)}  ${B}  app            listening on 8080`,
        `${stamp(now - 100_000)}  ${A}  reverse-proxy  10.0.0.5 - "GET /health" 200`,
        `${stamp(now - 60_000)}  ${B}  app            GET /orders 500`,
        '',
      ].join('\n'),
    );
  });

  it('--since reaches further back', async () => {
    const now = Date.now();
    await seedLogs(now);
    const run = await shipper('--since', '1h', '--container', 'app');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout.split('\n')[0]).toBe(`${stamp(now - 40 * 60_000)}  ${A}  app  an old line`);
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('--container shows that container only, of every instance', async () => {
    const now = Date.now();
    await seedLogs(now);
    const run = await shipper('--container', 'app');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toBe(
      [`${stamp(now - 200_000)}  ${A}  app  listening on 8080`, `${stamp(now - 150_000)}  ${B}  app  listening on 8080`, `${stamp(now - 60_000)}  ${B}  app  GET /orders 500`, ''].join('\n'),
    );
  });

  it('--instance shows that instance only: its containers and its boot log', async () => {
    const now = Date.now();
    await seedLogs(now);
    const run = await shipper('--instance', B);
    expect(run.code).toBe(ExitCode.ok);
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines.map((l) => l.split(/ {2,}/).slice(1, 3))).toEqual([
      [B, 'boot'],
      [B, 'boot'],
      [B, 'app'],
      [B, 'app'],
    ]);
    const boot = await shipper('--instance', A, '--container', 'boot');
    expect(boot.stdout).toBe('');
    expect(boot.stderr).toMatch(new RegExp(`^no log lines in /shipper/hello/local since .* UTC for container boot, instance ${A}\n$`));
  });

  it('--json prints one object per line: time, instance, container, message', async () => {
    const now = Date.now();
    await seedLogs(now);
    const run = await shipper('--container', 'reverse-proxy', '--json');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual([
      { time: new Date(now - 100_000).toISOString(), instance: A, container: 'reverse-proxy', message: '10.0.0.5 - "GET /health" 200' },
    ]);
  });

  it('--follow prints new lines as they arrive, each once, and Ctrl-C ends it normally', async () => {
    const now = Date.now();
    await seedLogs(now);
    let sleeps = 0;
    // Real time for the events' timestamps; each poll's sleep is where the world moves on.
    const clock: Clock = {
      now: () => new Date(),
      sleep: async () => {
        sleeps++;
        if (sleeps === 1) await put(`${STACK}/container.app`, [{ at: Date.now(), message: routed('app', A, 'POST /orders 201\n') }]);
        if (sleeps === 3) process.emit('SIGINT', 'SIGINT');
      },
    };
    const run = await cli(['logs', '--env', LOCAL_ENV, '-f', local.descriptor, '--container', 'app', '--follow'], {
      cwd: path.dirname(local.descriptor),
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: local.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: LOCAL_REGION },
      deps: { clock },
    });
    expect(run.code).toBe(ExitCode.ok);
    expect(sleeps).toBe(3);
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines.map((l) => l.split(/ {2,}/).slice(3).join('  '))).toEqual(['listening on 8080', 'listening on 8080', 'GET /orders 500', 'POST /orders 201']);
  });

  it('an empty log group: no lines, and stderr says so', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
    const run = await shipper('--since', '2h');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^no log lines in \/shipper\/hello\/local since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n$/);
  });

  it('a log group that does not exist: exit 3 and a clear message', async () => {
    const run = await shipper();
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/log group \/shipper\/hello\/local does not exist in eu-west-1/);
    expect(run.stderr).toMatch(/first deploy/);
  });

  it('credentials for another account: refused before any log is read', async () => {
    const run = await local.shipper(['logs', '--env', OTHER_ACCOUNT_ENV, '-f', local.descriptor]);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/these credentials are for account 123456789012, but environment "elsewhere" deploys to account 111122223333/);
  });

  it.each([
    // Not an EC2 instance id: a short-lived instance, which this environment does not allow.
    [['--instance', 'web-1'], /--instance: environment "[a-z-]+" does not allow short-lived instances/],
    [['--instance', 'Web_1'], /--instance: "Web_1" is not an instance name/],
    [['--since', 'yesterday'], /--since: "yesterday" is not a duration/],
  ])('bad flags %j: exit 2 before any AWS call', async (flags, message) => {
    const run = await cli(['logs', '--env', LOCAL_ENV, '-f', local.descriptor, ...flags], {
      cwd: path.dirname(local.descriptor),
      env: { PATH: process.env.PATH },
      deps: { clients: () => Promise.reject(new Error('no AWS call expected')) },
    });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(message);
  });
});
