/**
 * On Buildkite, stdout and stderr land in one log, and shipper's phases are collapsed `--- `
 * groups. A failure must not hide in a collapsed group: after the message, `^^^ +++` re-opens
 * the group it sits in (Buildkite docs, "Managing log output": `^^^ +++` expands the previous
 * group). The log here is captured as Buildkite sees it: both streams, in the order written.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program.js';
import { ExitCode } from '../../src/errors.js';
import { exampleDir } from '../helpers/paths.js';
import { world, type World } from '../deploy/harness.js';

const BUILDKITE = { PATH: process.env.PATH, USER: 'alice', BUILDKITE: 'true', CI: 'true' };

async function buildkiteLog(w: World, args: string[], cwd = exampleDir): Promise<{ code: number; lines: string[] }> {
  let log = '';
  const stream = { write: (s: string) => (log += s), isTTY: false };
  const code = await runCli(args, { stdout: stream, stderr: stream, env: BUILDKITE, cwd, stdinIsTTY: false }, { clients: async () => w.cloud.clients(), clock: w.cloud.clock, exitNow: () => undefined, registryFetch: w.registry.fetch });
  return { code, lines: log.trimEnd().split('\n') };
}

/** The group a line sits in: the nearest header above it. */
function groupOf(lines: string[], index: number): string | undefined {
  for (let i = index; i >= 0; i--) if (/^(---|\+\+\+) /.test(lines[i]!)) return lines[i];
  return undefined;
}

describe('Buildkite expands the group that holds a failure', () => {
  it('a preflight refusal: the message sits in the preflight group, which is re-opened', async () => {
    const { code, lines } = await buildkiteLog(world({ live: true }), ['deploy', '--env', 'test', '--image-tag', 'v9']);
    expect(code).toBe(ExitCode.preflightRefused);
    const error = lines.findIndex((l) => l.startsWith('error: image tag "v9" does not exist'));
    expect(groupOf(lines, error)).toMatch(/^--- Preflight/);
    expect(lines.at(-1)).toBe('^^^ +++');
    expect(lines.slice(error).filter((l) => /^(---|\+\+\+) /.test(l))).toEqual([]);
  });

  it('bad input: the message is followed by ^^^ +++, so a group the pipeline opened before shipper is expanded too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipper-bk-'));
    writeFileSync(path.join(dir, 'shipper.yml'), 'service: hello\nport: eighty\n');
    const { code, lines } = await buildkiteLog(world(), ['deploy', '--env', 'test', '--image-tag', 'v2'], dir);
    expect(code).toBe(ExitCode.badInput);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines.at(-1)).toBe('^^^ +++');
  });

  it('a failed deploy: the rollout group and the summary are open, and the final message too', async () => {
    const w = world({ live: true });
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 120 }]);
    const { code, lines } = await buildkiteLog(w, ['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(code).toBe(ExitCode.deployRolledBack);
    const error = lines.findIndex((l) => l.startsWith('error: '));
    expect(groupOf(lines, error)).toMatch(/^\+\+\+ /);
    expect(lines.at(-1)).toBe('^^^ +++');
  });

  it('a successful deploy expands nothing', async () => {
    const { code, lines } = await buildkiteLog(world({ live: true }), ['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(code).toBe(ExitCode.ok);
    expect(lines.some((l) => l.startsWith('^^^') || l.startsWith('+++'))).toBe(false);
    expect(lines.filter((l) => l.startsWith('--- ')).length).toBeGreaterThan(2);
  });

  it('off Buildkite, a failure writes no group markers', async () => {
    const run = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v9'], { env: { PATH: process.env.PATH, CI: 'true' } });
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\^\^\^|^\+\+\+|^--- /m);
  });
});
