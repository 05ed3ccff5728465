import { describe, expect, it } from '@jest/globals';
import type { Release } from '../../src/releases/record.js';
import { formatReleasesTable } from '../../src/report/releases-table.js';
import { formatStatus } from '../../src/report/status-view.js';
import { ansiStyle, noStyle } from '../../src/report/style.js';
import type { StatusView } from '../../src/status/gather.js';

const now = new Date('2026-11-23T12:00:00Z');
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const base = { shipper: 1 as const, kind: 'deploy' as const, service: 'hello', env: 'test', stackName: 'hello-test', by: 'alice@laptop', shipperVersion: '0.1.0' };
const releases: Release[] = [
  { ...base, number: 3, imageTag: 'v3', imageDigest: digest('c'), startedAt: '2026-11-23T11:50:00.000Z', endedAt: '2026-11-23T11:56:10.000Z', outcome: 'rolled-back', rootCause: 'AutoScalingGroup: Received 1 FAILURE signal(s) out of 2', commit: '0123456789abcdef' },
  { ...base, number: 2, imageTag: 'v2', imageDigest: digest('b'), startedAt: '2026-11-23T09:00:00.000Z', endedAt: '2026-11-23T09:04:00.000Z', outcome: 'live', by: 'buildkite (bob)', buildUrl: 'https://buildkite.com/acme/hello/builds/42' },
  { ...base, number: 1, imageTag: 'v1', imageDigest: digest('a'), startedAt: '2026-11-20T09:00:00.000Z', endedAt: '2026-11-20T09:05:30.000Z', outcome: 'live' },
];

describe('shipper releases table', () => {
  const lines = formatReleasesTable(releases, releases[1], now, noStyle);

  it('lists newest first with number, tag, short digest, commit, who, when, duration and outcome', () => {
    expect(lines[0]).toMatch(/^\s+#\s+TAG\s+DIGEST\s+COMMIT\s+BY\s+WHEN\s+TOOK\s+OUTCOME$/);
    expect(lines[1]).toMatch(/^\s+3\s+v3\s+cccccccccccc\s+01234567\s+alice@laptop\s+10 minutes ago \(2026-11-23 11:50:00 UTC\)\s+6m10s\s+rolled back: AutoScalingGroup: Received 1 FAILURE/);
    expect(lines[2]).toMatch(/^▶\s+2\s+v2 .*buildkite \(bob\) https:\/\/buildkite\.com\/acme\/hello\/builds\/42 .*3 hours ago .*4m00s\s+LIVE$/);
    expect(lines[3]).toMatch(/1\s+v1 .*3 days ago .*5m30s\s+was live$/);
  });

  it('aligns its columns', () => {
    const column = (line: string) => line.indexOf('DIGEST') >= 0 ? line.indexOf('DIGEST') : line.search(/[abc]{12}/);
    expect(new Set(lines.map(column)).size).toBe(1);
  });

  it('is plain text without colour, and coloured for a terminal', () => {
    expect(lines.join('\n')).not.toMatch(/\u001b/);
    expect(formatReleasesTable(releases, releases[1], now, ansiStyle).join('\n')).toMatch(/\u001b\[32mLIVE/);
  });

  it('says how the history starts when it is empty', () => {
    expect(formatReleasesTable([], undefined, now, noStyle)).toEqual(['No releases recorded yet. The first `shipper deploy` starts the history.']);
  });
});

describe('shipper status view', () => {
  const view: StatusView = {
    stackName: 'hello-test',
    env: 'test',
    exists: true,
    stackStatus: 'UPDATE_IN_PROGRESS',
    lastUpdated: new Date('2026-11-23T11:58:00Z'),
    inProgress: { status: 'UPDATE_IN_PROGRESS', attach: 'shipper watch --env test' },
    image: { tag: 'v2', digest: digest('b') },
    live: releases[1],
    group: {
      name: 'hello-test-AutoScalingGroup-ABC',
      desired: 2,
      min: 1,
      max: 4,
      launchTemplateVersion: '7',
      instances: [
        { instanceId: 'i-0aaa', lifecycleState: 'InService', healthStatus: 'Healthy', launchTemplateVersion: '7', availabilityZone: 'eu-west-1a', targetHealth: 'healthy' },
        { instanceId: 'i-0bbb', lifecycleState: 'Pending', healthStatus: 'Healthy', launchTemplateVersion: '7', availabilityZone: 'eu-west-1b', targetHealth: 'initial' },
      ],
    },
    leftovers: [{ logicalId: 'AutoScalingGroup', physicalId: 'hello-test-AutoScalingGroup-OLD', reason: 'Resource handler returned message: "timed out"' }],
    warnings: ['/shipper/hello/test/releases version 4 is not a shipper release record; ignored'],
  };

  it('shows the operation in progress and how to attach, the live release, the instances and leftovers', () => {
    const text = formatStatus(view, now, noStyle).join('\n');
    expect(text).toMatch(/^hello-test {2}UPDATE_IN_PROGRESS \(updated 2 minutes ago, 2026-11-23 11:58:00 UTC\)/);
    expect(text).toMatch(/Follow it with: shipper watch --env test/);
    expect(text).toMatch(/Live release: #2 v2 bbbbbbbbbbbb, deployed 3 hours ago \(2026-11-23 09:00:00 UTC\) by buildkite \(bob\)/);
    expect(text).toMatch(/desired 2 \(min 1, max 4\), launch template v7/);
    expect(text).toMatch(/i-0aaa\s+InService\s+Healthy\s+launch template v7\s+eu-west-1a\s+target healthy/);
    expect(text).toMatch(/i-0bbb\s+Pending\s+Healthy\s+launch template v7\s+eu-west-1b\s+target initial/);
    expect(text).toMatch(/Cleanup left 1 resource\(s\) behind[\s\S]*hello-test-AutoScalingGroup-OLD/);
    expect(text).toMatch(/warning: .*version 4 is not a shipper release record/);
    expect(text).not.toMatch(/\u001b/);
  });

  it('tells how to deploy a service that does not exist yet', () => {
    expect(formatStatus({ stackName: 'hello-test', env: 'test', exists: false, leftovers: [], warnings: [] }, now, noStyle)).toEqual([
      'hello-test: not deployed yet.',
      'Deploy it with: shipper deploy --env test --image-tag TAG',
    ]);
  });
});
