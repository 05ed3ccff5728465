/**
 * `--json` runs end with one `error` event on stdout whatever the failure, so a script reading
 * the stream always learns the exit code, the message and the hint; failures before any
 * reporter exists (bad flags, a bad descriptor) included. The human text stays on stderr.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installInterrupts } from '../../src/cli/interrupts.js';
import type { CliIo } from '../../src/cli/io.js';
import { awsError, type AwsClients } from '../../src/aws/api.js';
import { ExitCode } from '../../src/errors.js';
import type { CliRun } from '../helpers/cli.js';
import { world } from '../deploy/harness.js';

interface ErrorEvent {
  type: 'error';
  exitCode: number;
  kind: string;
  message: string;
  hint: string | null;
  problems?: Array<{ location?: { file: string; line?: number }; path?: string; message: string }>;
}

/** Every stdout line is JSON; the last one is the only error event. */
function finalError(run: CliRun): ErrorEvent {
  const events = run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string });
  expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
  const last = events.at(-1) as ErrorEvent;
  expect(last.type).toBe('error');
  expect(last.exitCode).toBe(run.code);
  return last;
}

const deploy = (...flags: string[]) => ['deploy', '--env', 'test', '--image-tag', 'v2', '--json', ...flags];

describe('--json failures end with an error event', () => {
  it('exit 2, bad flags, before commander has parsed anything', async () => {
    const run = await world().run(deploy('--bogus'));
    expect(run.code).toBe(ExitCode.badInput);
    expect(finalError(run)).toMatchObject({ kind: 'bad-input', message: "unknown option '--bogus'" });
    expect(run.stderr).toContain("unknown option '--bogus'");
  });

  it('exit 2, a bad descriptor, before any reporter exists: the problems with file, line and key path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipper-json-'));
    writeFileSync(path.join(dir, 'shipper.yml'), 'service: hello\nimage:\n  repository: hello\nport: eighty\n');
    const w = world();
    const run = await w.run(deploy(), { cwd: dir });
    expect(run.code).toBe(ExitCode.badInput);
    const error = finalError(run);
    expect(error.kind).toBe('bad-input');
    expect(error.problems?.some((p) => p.path === 'port' && p.location?.line === 4)).toBe(true);
    expect(error.message).toMatch(/shipper\.yml:4:\d+ port: /);
    expect(error.message).not.toContain('hint:');
    // The human text is still on stderr, for a CI log.
    expect(run.stderr).toMatch(/^error: /);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('exit 3, preflight refused, after the preflight events', async () => {
    const run = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v9', '--json']);
    expect(run.code).toBe(ExitCode.preflightRefused);
    const error = finalError(run);
    expect(error).toMatchObject({ kind: 'preflight-refused', message: expect.stringContaining('image tag "v9" does not exist') });
    expect(error.hint).toMatch(/recent tags/);
    expect(run.stdout).toContain('"type":"preflight.check"');
  });

  it('exit 4, the deploy failed and rolled back, after the deploy.failed event', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 120 }]);
    const run = await w.run(deploy());
    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(finalError(run).kind).toBe('deploy-rolled-back');
    expect(run.stdout).toContain('"type":"deploy.failed"');
  });

  it('exit 5, the rollback failed and the stack needs attention', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 120 }]);
    w.cloud.failRollbackOf('LaunchTemplate', 'Resource handler returned message: "Access denied"');
    const run = await w.run(deploy());
    expect(run.code).toBe(ExitCode.needsAttention);
    expect(finalError(run).kind).toBe('needs-attention');
  });

  it('exit 6, a protected environment nobody can confirm', async () => {
    const run = await world().run(['deploy', '--env', 'prod', '--image-tag', 'v2', '--json']);
    expect(run.code).toBe(ExitCode.aborted);
    expect(finalError(run)).toMatchObject({ kind: 'not-confirmed', hint: expect.stringContaining('--yes') });
  });

  it('exit 7, an AWS call failed', async () => {
    const w = world({ live: true });
    w.cloud.faults.failNext('sts.getCallerIdentity', awsError('ExpiredToken', 'The security token included in the request is expired'));
    const run = await w.run(deploy());
    expect(run.code).toBe(ExitCode.aws);
    expect(finalError(run)).toMatchObject({ kind: 'aws', message: 'AWS said ExpiredToken: The security token included in the request is expired', hint: expect.stringContaining('credentials') });
  });

  it('exit 130, a second Ctrl-C during the update leaves', async () => {
    const w = world({ live: true });
    const clients = (): Promise<AwsClients> => {
      const real = w.cloud.clients();
      let executed = false;
      let sent = false;
      const execute = real.cloudFormation.executeChangeSet.bind(real.cloudFormation);
      const events = real.cloudFormation.describeStackEvents.bind(real.cloudFormation);
      real.cloudFormation.executeChangeSet = async (input) => {
        executed = true;
        return execute(input);
      };
      real.cloudFormation.describeStackEvents = async (input) => {
        const out = await events(input);
        if (executed && !sent) {
          sent = true;
          process.emit('SIGINT', 'SIGINT');
          process.emit('SIGINT', 'SIGINT');
        }
        return out;
      };
      return Promise.resolve(real);
    };
    const run = await w.run(deploy(), { deps: { clients } });
    expect(run.code).toBe(ExitCode.detached);
    expect(finalError(run)).toMatchObject({ kind: 'interrupted', hint: expect.stringContaining('shipper watch') });
  });

  it('exit 130, Ctrl-C before anything changed, which leaves at once', () => {
    let stdout = '';
    let code: number | undefined;
    const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: {}, cwd: '/', stdinIsTTY: false };
    const interrupts = installInterrupts(io, (c) => (code = c), { json: true });
    try {
      process.emit('SIGINT', 'SIGINT');
    } finally {
      interrupts.dispose();
    }
    expect(code).toBe(ExitCode.detached);
    expect(JSON.parse(stdout)).toEqual({ type: 'error', exitCode: 130, kind: 'interrupted', message: 'SIGINT: stopped before any change was made', hint: null });
  });

  it('exit 1, a bug in shipper', async () => {
    const run = await world().run(deploy(), { deps: { clients: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'x')")) } });
    expect(run.code).toBe(ExitCode.internal);
    expect(finalError(run)).toMatchObject({ kind: 'internal', message: expect.stringContaining('unexpected failure'), hint: expect.stringContaining('SHIPPER_DEBUG') });
  });

  it('writes no error event without --json, and none when the run succeeds', async () => {
    const refused = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v9']);
    expect(refused.stdout).not.toContain('"type":"error"');
    const ok = await world({ live: true }).run(deploy());
    expect(ok.code).toBe(ExitCode.ok);
    expect(ok.stdout).not.toContain('"type":"error"');
  });
});
