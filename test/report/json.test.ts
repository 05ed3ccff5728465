import { describe, expect, it } from '@jest/globals';
import { JsonReporter, eventToJson } from '../../src/report/json.js';
import { CapturingStream, failedDeploy, successfulDeploy } from './scenarios.js';

describe('JsonReporter', () => {
  for (const [name, events] of [
    ['successful', successfulDeploy()],
    ['failed', failedDeploy()],
  ] as const) {
    it(`writes exactly one parseable object with a type per event (${name} deploy)`, () => {
      const out = new CapturingStream();
      const reporter = new JsonReporter(out);
      for (const e of events) reporter.emit(e);
      reporter.close();
      expect(out.text.endsWith('\n')).toBe(true);
      const lines = out.lines;
      expect(lines).toHaveLength(events.length);
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(parsed.map((p) => p.type)).toEqual(events.map((e) => e.type));
      expect(lines.every((l) => l.startsWith('{"type":'))).toBe(true);
    });
  }

  it('keeps the event field names and writes Dates as ISO strings, nested ones included', () => {
    const events = failedDeploy();
    const stackEvent = JSON.parse(eventToJson(events.find((e) => e.type === 'stack.event')!));
    expect(stackEvent).toMatchObject({
      type: 'stack.event',
      timestamp: '2017-06-14T06:25:38.000Z',
      elapsedSeconds: 0,
      logicalId: 'charge-central-test',
      status: 'UPDATE_IN_PROGRESS',
      reason: 'User Initiated',
      isStack: true,
    });
    const failure = JSON.parse(eventToJson(events.at(-1)!));
    expect(failure.type).toBe('deploy.failed');
    expect(failure.report.rootCause.logicalId).toBe('autoScalingGroup');
    expect(failure.report.groupActivities[0].time).toBe('2017-06-14T06:26:01.000Z');
    expect(failure.report.previousReleaseLive).toBe(true);
  });

  it('keeps multi-line text on one line', () => {
    const line = eventToJson({ type: 'info', message: 'two\nlines' });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ type: 'info', message: 'two\nlines' });
  });
});
