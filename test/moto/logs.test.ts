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
import { useLocalAws } from './local-aws.js';

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
});
