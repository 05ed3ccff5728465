/**
 * `shipper releases` over a history made by real deploys in the simulated cloud: what users
 * read when they ask "what is live, what happened before, and why did the last one fail?".
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V1, DIGEST_V2, DIGEST_V3, world } from '../deploy/harness.js';
import { releasesJson, threeReleases, writeHistoryVersion } from './history-world.js';

describe('shipper releases after v1, v2 and a failed v3', () => {
  it('lists newest first: #3 rolled back with its root cause, #2 live and marked, #1 was live', async () => {
    const w = await threeReleases();
    const run = await w.run(['releases', '--env', 'test']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stderr).toBe('');
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/#\s+TAG\s+DIGEST\s+COMMIT\s+BY\s+WHEN\s+TOOK\s+OUTCOME/);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^\s+3\s+v3\s+3{12}\s.*rolled back: AutoScalingGroup: Received 1 FAILURE signal\(s\) out of 2/);
    expect(rows[1]).toMatch(/^▶\s+2\s+v2\s+2{12}\s.*LIVE$/);
    expect(rows[2]).toMatch(/^\s+1\s+v1\s+1{12}\s.*was live$/);
    expect(rows.every((row) => /alice/.test(row))).toBe(true);
    expect(run.stdout).not.toMatch(/\u001b/);
  });

  it('--json names the live release and gives each record its facts and outcome', async () => {
    const w = await threeReleases();
    const history = await releasesJson(w);
    expect(history.stackName).toBe('hello-test');
    expect(history.live).toBe(2);
    expect(history.unreadable).toEqual([]);
    expect(history.releases.map((r) => [r.number, r.imageTag, r.imageDigest, r.outcome, r.kind])).toEqual([
      [3, 'v3', DIGEST_V3, 'rolled-back', 'deploy'],
      [2, 'v2', DIGEST_V2, 'live', 'deploy'],
      [1, 'v1', DIGEST_V1, 'live', 'deploy'],
    ]);
    for (const r of history.releases) {
      expect(r.by).toMatch(/^alice/);
      expect(Date.parse(r.endedAt!)).toBeGreaterThan(Date.parse(r.startedAt));
      expect(r.stackName).toBe('hello-test');
    }
    expect(history.releases[0]!.rootCause).toMatch(/^AutoScalingGroup: Received 1 FAILURE signal/);
    expect(history.releases[1]!.rootCause).toBeUndefined();
    // Releases follow each other: each started after the one before it ended.
    expect(Date.parse(history.releases[0]!.startedAt)).toBeGreaterThan(Date.parse(history.releases[1]!.endedAt!));
  });
});

describe('shipper releases with nothing recorded', () => {
  it('says the history is empty, for a stack deployed before shipper kept one', async () => {
    const w = world({ live: true });
    const run = await w.run(['releases', '--env', 'test']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/No releases recorded yet/);
    expect(await releasesJson(w)).toEqual({ stackName: 'hello-test', live: null, releases: [], unreadable: [] });
  });
});

describe('a history with records shipper did not write', () => {
  async function corruptedHistory() {
    const w = world();
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'])).code).toBe(ExitCode.ok);
    const garbage = await writeHistoryVersion(w, 'releases', 'v1.4.2 deployed by hand {');
    const foreign = await writeHistoryVersion(w, 'releases', JSON.stringify({ app: 'hello', version: '1.4.2', deployedBy: 'other-tool' }));
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'])).code).toBe(ExitCode.ok);
    const badOutcome = await writeHistoryVersion(w, 'outcomes', JSON.stringify({ shipper: 1, release: 1, outcome: 'exploded', endedAt: 'yesterday' }));
    return { w, garbage, foreign, badOutcome };
  }

  it('releases prints the good records, warns on stderr about each bad one, and exits 0', async () => {
    const { w, garbage, foreign, badOutcome } = await corruptedHistory();
    const run = await w.run(['releases', '--env', 'test']);
    expect(run.code).toBe(ExitCode.ok);
    const rows = run.stdout.trimEnd().split('\n').slice(1);
    expect(rows.map((row) => row.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual(['▶ 4 v2', '1 v1 111111111111']);
    expect(rows[1]).toMatch(/was live$/);
    expect(run.stderr).toContain(`warning: /shipper/hello/test/releases version ${garbage} is not a shipper release record; ignored`);
    expect(run.stderr).toContain(`warning: /shipper/hello/test/releases version ${foreign} is not a shipper release record; ignored`);
    expect(run.stderr).toContain(`warning: /shipper/hello/test/outcomes version ${badOutcome} is not a shipper outcome record; ignored`);
    // The bad outcome names release #1, whose good outcome still stands.
    const history = await releasesJson(w);
    expect(history.live).toBe(4);
    expect(history.releases.map((r) => [r.number, r.outcome])).toEqual([[4, 'live'], [1, 'live']]);
    expect(history.unreadable).toHaveLength(3);
  });

  it('status still shows the live release and carries the warnings', async () => {
    const { w, garbage } = await corruptedHistory();
    const run = await w.run(['status', '--env', 'test']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Live release: #4 v2 2{12}/);
    expect(run.stdout).toContain(`warning: /shipper/hello/test/releases version ${garbage} is not a shipper release record; ignored`);
    const json = await w.run(['status', '--env', 'test', '--json']);
    expect(json.code).toBe(ExitCode.ok);
    expect(JSON.parse(json.stdout)).toMatchObject({ live: { number: 4, imageTag: 'v2' }, warnings: expect.arrayContaining([expect.stringMatching(/version 2 is not a shipper release record/)]) });
  });

  it('rollback still finds the earlier release among the readable ones', async () => {
    const { w } = await corruptedHistory();
    const run = await w.run(['rollback', '--env', 'test', '--yes']);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/rolling back to release #1: v1/);
    expect(run.stdout).toMatch(/Warning: .*version 2 is not a shipper release record/);
  });
});
