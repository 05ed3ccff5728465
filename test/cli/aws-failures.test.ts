/**
 * When AWS cannot be reached or the credentials cannot be loaded, the CLI (run as a process,
 * as a user runs it) says what actually happened: not "AWS said ..." for something AWS never said.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportError } from '../../src/cli/errors-to-exit.js';
import { ExitCode } from '../../src/errors.js';
import { exampleDescriptor, repoRoot } from '../helpers/paths.js';

function shipper(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/shipper'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A HOME whose ~/.aws holds exactly these files, and no credentials anywhere else. */
function awsHome(files: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(tmpdir(), 'shipper-home-'));
  mkdirSync(path.join(home, '.aws'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(home, '.aws', name), text);
  // No instance metadata either: on an EC2 build agent it would supply credentials.
  return { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true' };
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const lines = (text: string) => text.trimEnd().split('\n');

describe('a profile that does not exist', () => {
  it('--profile nosuch says the profile is in neither file, exit 7', async () => {
    const run = await shipper(['status', '--env', 'test', '-f', exampleDescriptor, '--profile', 'nosuch'], awsHome());
    expect(run.code).toBe(ExitCode.aws);
    expect(lines(run.stderr)).toEqual([
      'error: AWS profile "nosuch" is not in ~/.aws/config or ~/.aws/credentials',
      '  no profiles are defined there',
      '  create it (aws configure --profile nosuch, or aws configure sso), or pass another --profile / AWS_PROFILE',
    ]);
  });

  it('AWS_PROFILE=nosuch too, listing the profiles that do exist', async () => {
    const env = { ...awsHome({ config: '[default]\nregion = eu-west-1\n[profile dev]\nregion = eu-west-1\n[sso-session corp]\nsso_region = eu-west-1\n', credentials: '[ci]\naws_access_key_id = x\n' }), AWS_PROFILE: 'nosuch' };
    const run = await shipper(['releases', '--env', 'test', '-f', exampleDescriptor], env);
    expect(run.code).toBe(ExitCode.aws);
    expect(run.stderr).toMatch(/^error: AWS profile "nosuch" is not in ~\/\.aws\/config or ~\/\.aws\/credentials\n {2}profiles there: default, dev, ci\n/);
  });

  it('a profile that exists but holds no usable credentials is a credentials problem, not "AWS said"', async () => {
    const run = await shipper(['status', '--env', 'test', '-f', exampleDescriptor, '--profile', 'dev'], awsHome({ config: '[profile dev]\nregion = eu-west-1\n' }));
    expect(run.code).toBe(ExitCode.aws);
    expect(run.stderr).toMatch(/^error: could not load AWS credentials: /);
    expect(run.stderr).not.toMatch(/AWS said/);
  });
});

describe('an endpoint that cannot be reached', () => {
  it('a refused local connection is reported as such, naming the address, exit 7', async () => {
    const port = await closedLoopbackPort();
    const env = { ...awsHome(), AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const run = await shipper(['status', '--env', 'test', '-f', exampleDescriptor], env);
    expect(run.code).toBe(ExitCode.aws);
    expect(lines(run.stderr)).toEqual([`error: could not connect to 127.0.0.1:${port} (connection refused)`, `  AWS_ENDPOINT_URL is http://127.0.0.1:${port}: is that endpoint running and reachable?`]);
  });

  function report(err: Error, env: NodeJS.ProcessEnv = {}) {
    let stderr = '';
    const code = reportError(err, { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env, cwd: '/', stdinIsTTY: false });
    return { code, stderr };
  }
  /** Shaped as Node's socket errors are, with the $metadata the SDK adds. */
  const socketError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), { $metadata: { attempts: 3 } }, fields);

  it('a host that does not resolve', () => {
    const run = report(socketError('getaddrinfo ENOTFOUND sts.eu-west-9.amazonaws.com', { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'sts.eu-west-9.amazonaws.com' }));
    expect(run.code).toBe(ExitCode.aws);
    expect(run.stderr).toBe('error: could not connect to sts.eu-west-9.amazonaws.com (host name not found)\n  check the network (VPN, proxy, DNS) and the region in the descriptor\n');
  });

  it('a connection that times out, and a dual-stack refusal (AggregateError)', () => {
    expect(report(socketError('connect ETIMEDOUT 10.0.0.1:443', { code: 'ETIMEDOUT', address: '10.0.0.1', port: 443 })).stderr).toMatch(/^error: could not connect to 10\.0\.0\.1:443 \(timed out\)/);
    const aggregate = Object.assign(new AggregateError([socketError('connect ECONNREFUSED ::1:5000', { code: 'ECONNREFUSED', address: '::1', port: 5000 }), socketError('connect ECONNREFUSED 127.0.0.1:5000', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 5000 })], ''), { code: 'ECONNREFUSED', $metadata: {} });
    expect(report(aggregate, { AWS_ENDPOINT_URL: 'http://localhost:5000' }).stderr).toMatch(/^error: could not connect to ::1:5000 \(connection refused\)\n {2}AWS_ENDPOINT_URL is http:\/\/localhost:5000/);
  });
});
