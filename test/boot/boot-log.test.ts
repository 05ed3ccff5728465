/**
 * A failing boot leaves the end of its log in the service's app log group, stream
 * boot/<instance-id>, one event per line, oldest first, before it signals FAILURE; the failure
 * report reads it after the rollback has terminated the instance. The boot script runs for real
 * in the sandbox; its CloudWatch Logs calls go through the real AWS CLI to moto_server, and the
 * stream is read back from there.
 */
import { afterAll, beforeAll, beforeEach, describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { startMoto, resetMoto, type MotoServer } from '../moto/server.js';
import { SECRET_VALUE, bootWith, inlineBootScript, isCall, userData } from './boot-run.js';
import { optionOf, runBoot } from './sandbox.js';

const LOG_GROUP = '/shipper/hello/test';
const STREAM = 'boot/i-0123456789abcdef0';
let moto: MotoServer;

function awsCli(...args: string[]): string {
  const result = spawnSync('aws', [...args, '--endpoint-url', moto.endpoint, '--region', 'eu-west-1', '--output', 'json'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
  });
  if (result.status !== 0) throw new Error(`aws ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function streamEvents(): Array<{ timestamp: number; message: string }> {
  return JSON.parse(awsCli('logs', 'get-log-events', '--log-group-name', LOG_GROUP, '--log-stream-name', STREAM, '--start-from-head')).events;
}

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await resetMoto(moto.endpoint);
  awsCli('logs', 'create-log-group', '--log-group-name', LOG_GROUP);
});

describe('boot log on FAILURE', () => {
  it('puts the last lines of the boot log into the app log group, stream boot/<instance-id>, oldest first, before signalling', () => {
    const run = bootWith({ healthFails: 'never', logsEndpoint: moto.endpoint }, { bootBudgetSeconds: 20 });
    expect(run.signals).toHaveLength(1);
    expect(optionOf(run.signals[0], '-e')).toBe('1');

    const events = streamEvents();
    const logLines = run.log.trimEnd().split('\n');
    // everything up to the FAILED line, which is the last one written before the upload
    const failedAt = logLines.findIndex((l) => l.includes('] FAILED '));
    const expected = logLines.slice(0, failedAt + 1).slice(-50);
    expect(events.map((e) => e.message)).toEqual(expected);
    expect(events.at(-1)!.message).toMatch(/\[health\] FAILED health: app not healthy at http:\/\/127\.0\.0\.1:80\/health within 20s of boot$/);
    const times = events.map((e) => e.timestamp);
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const putAt = run.calls.findIndex(isCall('aws', 'logs', 'put-log-events'));
    expect(putAt).toBeGreaterThan(run.calls.findIndex(isCall('aws', 'logs', 'create-log-stream')));
    expect(putAt).toBeLessThan(run.calls.indexOf(run.signals[0]));
  });

  it('keeps at most the last 50 lines, and never a secret value', () => {
    // sixty more lines, then an unexpected error in the network step
    const script = inlineBootScript(userData()).replace('\nSTEP=network\n', '\nfor n in {1..60}; do log "progress $n"; done\nSTEP=network\nfalse\n');
    const run = runBoot(script, { secrets: { '/hello/database-password': SECRET_VALUE }, logsEndpoint: moto.endpoint });
    expect(optionOf(run.signals[0], '--reason')).toMatch(/^network: unexpected error/);
    expect(run.log.trimEnd().split('\n').length).toBeGreaterThan(50);
    const events = streamEvents();
    expect(events).toHaveLength(50);
    const lines = run.log.trimEnd().split('\n');
    expect(events.map((e) => e.message)).toEqual(lines.slice(0, lines.findIndex((l) => l.includes('] FAILED ')) + 1).slice(-50));
    expect(events[0].message).toMatch(/progress \d+$/);
    expect(run.writtenFiles()['/run/shipper/app.env']).toContain(SECRET_VALUE); // the secret was fetched before the failure
    for (const e of events) expect(e.message).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(run.bootLogEvents())).not.toContain('S3cr3t');
  });

  it('carries quotes, backslashes and tabs intact', () => {
    const run = bootWith({ pullFails: 'nginx', logsEndpoint: moto.endpoint });
    expect(optionOf(run.signals[0], '-e')).toBe('1');
    const messages = streamEvents().map((e) => e.message);
    expect(messages).toEqual(run.log.trimEnd().split('\n').slice(0, messages.length));
  });

  it('still signals FAILURE when CloudWatch Logs cannot be reached', () => {
    const run = bootWith({ healthFails: 'never', logsFail: true }, { bootBudgetSeconds: 20 });
    expect(run.signals).toHaveLength(1);
    expect(optionOf(run.signals[0], '-e')).toBe('1');
    expect(run.log).toContain(`cannot leave this log in ${LOG_GROUP}`);
  });

  it('leaves nothing when the boot succeeds', () => {
    const run = bootWith({ logsEndpoint: moto.endpoint });
    expect(run.status).toBe(0);
    expect(run.calls.some(isCall('aws', 'logs'))).toBe(false);
  });
});
