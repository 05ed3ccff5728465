/**
 * On Buildkite, every deploy, rollback or watch that ends tells the build how: an annotation
 * (`buildkite-agent annotate --style success|error --context shipper-<service>-<env>`, the body
 * on standard input) and, for a release that went live, meta-data later steps read. The agent is
 * a stub on PATH that records its arguments and standard input; whatever it does, the deploy's
 * outcome and exit code stay the deploy's own.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V1, DIGEST_V2, world, type World } from '../deploy/harness.js';
import { threeReleases } from '../releases/history-world.js';

const STUBS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'stubs');

interface AgentCall {
  args: string[];
  stdin: string;
}

function buildkite(options: { stub?: 'ok' | 'fail' | 'hang'; agentOnPath?: boolean } = {}) {
  const calls = mkdtempSync(path.join(tmpdir(), 'shipper-agent-'));
  const env: NodeJS.ProcessEnv = {
    PATH: options.agentOnPath === false ? process.env.PATH : `${STUBS}:${process.env.PATH}`,
    USER: 'alice',
    BUILDKITE: 'true',
    CI: 'true',
    AGENT_CALLS: calls,
    STUB_AGENT: options.stub ?? 'ok',
  };
  return {
    env,
    calls(): AgentCall[] {
      const count = readdirSync(calls).filter((f) => f.endsWith('.args')).length;
      return Array.from({ length: count }, (_, n) => ({
        args: readFileSync(path.join(calls, `${n}.args`), 'utf8').split('\n').slice(0, -1),
        stdin: readFileSync(path.join(calls, `${n}.stdin`), 'utf8'),
      }));
    },
  };
}

function metaData(calls: AgentCall[]): Record<string, string> {
  return Object.fromEntries(calls.filter((c) => c.args[0] === 'meta-data').map((c) => [c.args[2], c.args[3]]));
}

async function failedDeploy(w: World, env: NodeJS.ProcessEnv, deps = {}) {
  w.cloud.scriptInstances([{ signal: 'SUCCESS', afterSeconds: 200 }, { signal: 'FAILURE', afterSeconds: 210 }]);
  return w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { env, deps });
}

describe('Buildkite annotations and meta-data', () => {
  it('a release that goes live: a success annotation with release, image and outputs, and three meta-data keys', async () => {
    const w = world({ live: true });
    const bk = buildkite();
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { env: bk.env });
    expect(run.code).toBe(ExitCode.ok);
    const calls = bk.calls();
    expect(calls[0]!.args).toEqual(['annotate', '--style', 'success', '--context', 'shipper-hello-test']);
    const body = calls[0]!.stdin;
    expect(body).toMatch(/^#### shipper: hello in test: release #1 is live/);
    expect(body).toContain(`Image \`v2\` \`${DIGEST_V2}\``);
    expect(body).toContain('Stack `hello-test`');
    expect(body).toMatch(/^\| ImageDigest \| `sha256:2{64}` \|$/m);
    expect(body).toMatch(/^\| AutoScalingGroupName \| `.+` \|$/m);
    expect(metaData(calls)).toEqual({ 'shipper:test:release': '1', 'shipper:test:image-tag': 'v2', 'shipper:test:image-digest': DIGEST_V2 });
    expect(calls.slice(1).every((c) => c.args.length === 4 && c.args[1] === 'set')).toBe(true);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Buildkite:/);
  });

  it('a failed deploy: an error annotation with the failure summary as Markdown, exit code 4 unchanged', async () => {
    const bk = buildkite();
    const run = await failedDeploy(world({ live: true }), bk.env);
    expect(run.code).toBe(ExitCode.deployRolledBack);
    const calls = bk.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toEqual(['annotate', '--style', 'error', '--context', 'shipper-hello-test']);
    const body = calls[0]!.stdin;
    expect(body).toMatch(/^#### shipper: hello in test: deploy rolled back \(exit 4\)/);
    expect(body).toContain('**Deploy failed and was rolled back. The previous release is still live.**');
    expect(body).toMatch(/\*\*Root cause\*\*\n\n`AutoScalingGroup` \(AWS::AutoScaling::AutoScalingGroup\) `UPDATE_FAILED`\n\n```text\nReceived 1 FAILURE signal\(s\) out of 2/);
    expect(body).toMatch(/\*\*Failed instances\*\*\n\n- `i-[0-9a-f]+`: signalled FAILURE/);
    expect(body).toContain('Stack `hello-test` ended in `UPDATE_ROLLBACK_COMPLETE`');
    // No meta-data: what later steps read still describes the release that went live before.
    expect(metaData(calls)).toEqual({});
  });

  it('a preflight refusal fails the step too: an error annotation with the message and the hint, exit 3', async () => {
    const bk = buildkite();
    const run = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v9'], { env: bk.env });
    expect(run.code).toBe(ExitCode.preflightRefused);
    const [call, ...rest] = bk.calls();
    expect(rest).toEqual([]);
    expect(call!.args).toEqual(['annotate', '--style', 'error', '--context', 'shipper-hello-test']);
    expect(call!.stdin).toMatch(/^#### shipper: hello in test: preflight refused \(exit 3\)\n\nimage tag "v9" does not exist/);
    expect(call!.stdin).toMatch(/\n> \S/);
  });

  it('a rollback that goes live: the annotation says which release it went back to, the meta-data name the new release', async () => {
    const w = await threeReleases();
    const bk = buildkite();
    const run = await w.run(['rollback', '--env', 'test', '--yes'], { env: bk.env });
    expect(run.code).toBe(ExitCode.ok);
    const calls = bk.calls();
    expect(calls[0]!.stdin).toMatch(/^#### shipper: hello in test: release #4 is live \(a rollback to release #1\)/);
    expect(metaData(calls)).toEqual({ 'shipper:test:release': '4', 'shipper:test:image-tag': 'v1', 'shipper:test:image-digest': DIGEST_V1 });
  });

  it('no buildkite-agent on PATH: one warning line, and the exit code is the deploy\'s', async () => {
    const bk = buildkite({ agentOnPath: false });
    const ok = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v2'], { env: bk.env });
    expect(ok.code).toBe(ExitCode.ok);
    const warnings = `${ok.stdout}${ok.stderr}`.split('\n').filter((l) => l.includes('Buildkite:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/buildkite-agent is not on PATH.*the deploy's outcome is unchanged/);

    const failed = await failedDeploy(world({ live: true }), bk.env);
    expect(failed.code).toBe(ExitCode.deployRolledBack);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(/buildkite-agent is not on PATH/);
  });

  it('an agent that fails: one warning with what it said, the deploy still succeeds; a failed deploy keeps exit 4', async () => {
    const bk = buildkite({ stub: 'fail' });
    const ok = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v2'], { env: bk.env });
    expect(ok.code).toBe(ExitCode.ok);
    const warnings = `${ok.stdout}${ok.stderr}`.split('\n').filter((l) => l.includes('Buildkite:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/buildkite-agent annotate failed \(exit status 1\): fatal: failed to annotate build: .*401 Unauthorized; the deploy's outcome is unchanged/);

    const failed = await failedDeploy(world({ live: true }), bk.env);
    expect(failed.code).toBe(ExitCode.deployRolledBack);
  });

  it('a hanging agent is stopped after the time bound: one warning, the exit code is unchanged', async () => {
    const bk = buildkite({ stub: 'hang' });
    const deps = { ci: { timeoutMs: 300 } };
    const failed = await failedDeploy(world({ live: true }), bk.env, deps);
    expect(failed.code).toBe(ExitCode.deployRolledBack);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(/Buildkite: buildkite-agent annotate did not finish within 0\.3s and was stopped/);
    // It was asked once: the meta-data calls are not tried against an agent that hangs.
    expect(bk.calls()).toHaveLength(1);
  });

  it('--json: the warning is a warning event, and stdout stays NDJSON', async () => {
    const bk = buildkite({ agentOnPath: false });
    const run = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v2', '--json'], { env: bk.env });
    expect(run.code).toBe(ExitCode.ok);
    const events = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string });
    expect(events.filter((e) => e.type === 'warning' && /buildkite-agent is not on PATH/.test(e.message ?? ''))).toHaveLength(1);
  });

  it('a deploy with nothing to change tells the build nothing: no annotation, no meta-data', async () => {
    const bk = buildkite();
    const run = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v1'], { env: bk.env });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/no changes/i);
    expect(bk.calls()).toEqual([]);
  });

  it('off Buildkite, the agent is never called', async () => {
    const bk = buildkite();
    const run = await world({ live: true }).run(['deploy', '--env', 'test', '--image-tag', 'v2'], { env: { ...bk.env, BUILDKITE: undefined } });
    expect(run.code).toBe(ExitCode.ok);
    expect(bk.calls()).toEqual([]);
  });
});
