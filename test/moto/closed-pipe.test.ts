/**
 * The CLI as a process whose stdout reader goes away, as in `shipper releases | head -1`: the
 * command ends quietly (no EPIPE stack trace), and a deploy is neither cancelled nor abandoned
 * (src/cli/closed-pipe.ts). Also the time rule as a user sees it: a process in a non-UTC zone
 * still prints UTC. Real SDK clients against moto_server.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LOCAL_ENV, LOCAL_REGION } from '../../examples/local/seed.mjs';
import { repoRoot } from '../helpers/paths.js';
import { useLocalAws } from './local-aws.js';

const local = useLocalAws();
const SHIPPER = path.join(repoRoot, 'bin/shipper');
const STACK_TRACE = /EPIPE|Unhandled 'error' event|\n\s+at /;

function processEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, AWS_ENDPOINT_URL: local.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: LOCAL_REGION, ...extra };
}

const args = (...command: string[]) => [...command, '--env', LOCAL_ENV, '-f', local.descriptor];

/**
 * Runs the built CLI with stdout read by a reader that stops reading and closes its end: at once
 * (`'start'`, so every write the command makes meets a closed pipe) or after the first line.
 */
function withClosingReader(argv: string[], closeAt: 'start' | 'first-line', alsoStderr = false): Promise<{ code: number | null; firstLine: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SHIPPER, ...argv], { env: processEnv(), cwd: path.dirname(local.descriptor), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    if (alsoStderr) child.stderr.destroy();
    if (closeAt === 'start') child.stdout.destroy();
    else {
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        stdout += s;
        if (stdout.includes('\n')) child.stdout.destroy();
      });
    }
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, firstLine: stdout.split('\n')[0] ?? '', stderr }));
  });
}

async function stackParameter(key: string): Promise<string | undefined> {
  const { Stacks } = await local.cloudFormation.send(new DescribeStacksCommand({ StackName: `hello-${LOCAL_ENV}` }));
  return Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
}

describe('a closed stdout pipe', () => {
  it('`releases` and `status` end quietly with exit 0 when nobody reads their output', async () => {
    expect((await local.shipper(args('deploy', '--image-tag', 'v1'))).code).toBe(0);
    for (const command of ['releases', 'status']) {
      const run = await withClosingReader(args(command), 'start');
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
  });

  it('`shipper releases | head -1` in a shell prints the header and nothing else', async () => {
    expect((await local.shipper(args('deploy', '--image-tag', 'v1'))).code).toBe(0);
    const quoted = [process.execPath, SHIPPER, ...args('releases')].map((a) => `'${a}'`).join(' ');
    const run = spawnSync('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', `${quoted} | head -1`], { env: processEnv(), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\s+#\s+TAG\s+DIGEST/);
    expect(run.stdout.split('\n')).toHaveLength(2);
  });

  it('a deploy whose reader leaves after the first line goes on to live, records its outcome, and exits 0', async () => {
    expect((await local.shipper(args('deploy', '--image-tag', 'v1'))).code).toBe(0);

    const run = await withClosingReader(args('deploy', '--image-tag', 'v2'), 'first-line');

    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await stackParameter('ImageDigest')).toBe(local.seeded.images.v2);
    const history = JSON.parse((await local.shipper(args('releases', '--json'))).stdout) as { live: number; releases: Array<{ number: number; outcome?: string }> };
    expect(history.live).toBe(2);
    expect(history.releases[0]).toMatchObject({ number: 2, outcome: 'live' });
  });

  it('a failing command still says why on stderr, with its own exit code', async () => {
    const run = await withClosingReader(args('deploy', '--image-tag', 'v404'), 'start');
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).toMatch(/^error: image tag "v404" does not exist/);
    // `2>&1 | head -1` closes both: the exit code still tells.
    expect((await withClosingReader(args('deploy', '--image-tag', 'v404'), 'start', true)).code).toBe(3);
  });
});

describe('times, as a process in a non-UTC zone', () => {
  it('`releases` and `status` show UTC whatever TZ says', async () => {
    expect((await local.shipper(args('deploy', '--image-tag', 'v1'))).code).toBe(0);
    const history = JSON.parse((await local.shipper(args('releases', '--json'))).stdout) as { releases: Array<{ startedAt: string }> };
    const startedAt = history.releases[0]!.startedAt;
    expect(startedAt).toMatch(/Z$/);
    const utc = `${startedAt.slice(0, 10)} ${startedAt.slice(11, 19)} UTC`;
    const env = processEnv({ TZ: 'Asia/Kolkata' });
    const releases = spawnSync(process.execPath, [SHIPPER, ...args('releases')], { env, encoding: 'utf8' });
    expect(releases.stdout).toContain(utc);
    const status = spawnSync(process.execPath, [SHIPPER, ...args('status')], { env, encoding: 'utf8' });
    expect(status.stdout).toContain(`(${utc})`);
    const local530 = new Date(new Date(startedAt).getTime() + 5.5 * 3600_000).toISOString().slice(11, 19);
    expect(`${releases.stdout}${status.stdout}`).not.toContain(local530);
  });
});
