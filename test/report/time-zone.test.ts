/**
 * @jest-environment ./test/helpers/non-utc-environment.mjs
 */
/**
 * Every renderer follows one rule for moments: UTC, with the zone written out (src/report/time.ts).
 * This file runs in a zone five and a half hours from UTC, so a renderer that uses the machine's
 * local time shows a different hour and minute here, and fails.
 */
import { describe, expect, it } from '@jest/globals';
import type { Release } from '../../src/releases/record.js';
import type { ShipperEvent } from '../../src/report/events.js';
import { formatFailureReport } from '../../src/report/failure.js';
import { JsonReporter } from '../../src/report/json.js';
import { formatNotice } from '../../src/report/notices.js';
import { PlainReporter } from '../../src/report/plain.js';
import { formatReleasesTable } from '../../src/report/releases-table.js';
import { formatStatus } from '../../src/report/status-view.js';
import { noStyle } from '../../src/report/style.js';
import { TtyReporter } from '../../src/report/tty.js';
import type { StatusView } from '../../src/status/gather.js';
import { CapturingStream, digest, failedDeploy, failureReport, successfulDeploy } from './scenarios.js';

const now = new Date('2026-11-23T12:00:00Z');
const release: Release = {
  shipper: 1,
  kind: 'deploy',
  service: 'hello',
  env: 'test',
  stackName: 'hello-test',
  by: 'alice@laptop',
  shipperVersion: '0.1.0',
  number: 2,
  imageTag: 'v2',
  imageDigest: digest('b'),
  startedAt: '2026-11-23T09:00:00.000Z',
  endedAt: '2026-11-23T09:04:00.000Z',
  outcome: 'live',
};
const status: StatusView = {
  stackName: 'hello-test',
  env: 'test',
  exists: true,
  stackStatus: 'UPDATE_COMPLETE',
  lastUpdated: new Date('2026-11-23T09:04:00Z'),
  image: { tag: 'v2', digest: digest('b') },
  live: release,
  leftovers: [],
  warnings: [],
};

/** Every HH:MM:SS in the text, with what follows it. */
function clockTimes(text: string): Array<{ time: string; zone: string }> {
  return [...text.matchAll(/\b(\d\d:\d\d:\d\d)(Z| UTC)?/g)].map((m) => ({ time: m[1]!, zone: m[2] ?? '' }));
}

/** Local HH:MM:SS of every moment in the events: none of these may appear in the output. */
function localClocks(events: ShipperEvent[]): string[] {
  const dates: Date[] = [];
  const collect = (value: unknown): void => {
    if (value instanceof Date) dates.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(events);
  return dates.map((d) => [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':'));
}

function expectUtcOnly(text: string, events: ShipperEvent[] = []): void {
  const times = clockTimes(text);
  for (const t of times) expect(`${t.time}${t.zone}`).toMatch(/Z$|UTC$/);
  for (const local of localClocks(events)) expect(text).not.toContain(local);
}

function plain(events: ShipperEvent[]): string {
  const out = new CapturingStream();
  const reporter = new PlainReporter(out, { buildkite: false, color: false });
  for (const e of events) reporter.emit(e);
  reporter.close();
  return out.text;
}

function tty(events: ShipperEvent[]): string {
  const out = new CapturingStream({ isTTY: true });
  const reporter = new TtyReporter(out, { color: false, spinner: false });
  for (const e of events) reporter.emit(e);
  reporter.close();
  return out.text;
}

describe('times in a non-UTC zone', () => {
  it('runs in a zone that is not UTC', () => {
    expect(new Date('2026-11-23T12:00:00Z').getTimezoneOffset()).toBe(-330);
  });

  it.each([
    ['plain', plain],
    ['tty', tty],
  ])('%s output shows stack events, progress and the start of the operation in UTC with the zone', (_name, render) => {
    for (const events of [successfulDeploy(), failedDeploy()]) {
      const text = render(events);
      expect(clockTimes(text).length).toBeGreaterThan(10);
      expectUtcOnly(text, events);
    }
    expect(render(successfulDeploy())).toMatch(/^06:25:38Z {6}\+0s {2}charge-central-test /m);
  });

  it('says when an operation started in UTC', () => {
    const started: ShipperEvent = { type: 'operation.started', stackName: 's', operation: 'update', startedAt: new Date('2026-11-23T09:00:05Z') };
    expect(formatNotice(started as Parameters<typeof formatNotice>[0])).toBe('Started update of s at 2026-11-23 09:00:05 UTC.');
  });

  it('the releases table and the status view show UTC', () => {
    const table = formatReleasesTable([release], release, now, noStyle).join('\n');
    expect(table).toContain('3 hours ago (2026-11-23 09:00:00 UTC)');
    expectUtcOnly(table);
    const view = formatStatus(status, now, noStyle).join('\n');
    expect(view).toContain('(updated 2 hours ago, 2026-11-23 09:04:00 UTC)');
    expect(view).toContain('deployed 3 hours ago (2026-11-23 09:00:00 UTC)');
    expectUtcOnly(view);
  });

  it('the failure screen shows no local time', () => {
    const events: ShipperEvent[] = [{ type: 'deploy.failed', report: failureReport() }];
    expectUtcOnly(formatFailureReport(failureReport()).join('\n'), events);
  });

  it('JSON writes every moment as ISO-8601 in UTC (Z)', () => {
    const out = new CapturingStream();
    const reporter = new JsonReporter(out);
    for (const e of failedDeploy()) reporter.emit(e);
    const moments = [...out.text.matchAll(/"(\d{4}-\d\d-\d\dT[^"]*)"/g)].map((m) => m[1]!);
    expect(moments.length).toBeGreaterThan(10);
    for (const m of moments) expect(m).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
