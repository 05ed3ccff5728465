/** The bake's events in each renderer: the same words in a terminal and a CI log, and every field in JSON. */
import { describe, expect, it } from '@jest/globals';
import type { ShipperEvent } from '../../src/report/events.js';
import { eventToJson } from '../../src/report/json.js';
import { PlainReporter } from '../../src/report/plain.js';
import { TtyReporter } from '../../src/report/tty.js';
import { CapturingStream } from './scenarios.js';

const endsAt = new Date('2026-11-23T06:45:00Z');
const since = new Date('2026-11-23T06:38:02Z');
const bake: ShipperEvent[] = [
  { type: 'bake.started', stackName: 'hello-prod', minutes: 10, endsAt, alarms: [{ name: 'hello-prod-5xx', state: 'OK' }, { name: 'hello-prod-unhealthy', state: 'INSUFFICIENT_DATA' }], notYetGuarding: ['hello-prod-latency'] },
  { type: 'bake.progress', newGroupName: 'hello-prod-AutoScalingGroup-NEW', oldGroupName: 'hello-prod-AutoScalingGroup-OLD', alarms: [{ name: 'hello-prod-5xx', state: 'OK' }, { name: 'hello-prod-unhealthy', state: 'OK' }], secondsLeft: 412 },
  { type: 'bake.breach', breach: { kind: 'alarm', alarmName: 'hello-prod-5xx', stateReason: 'Threshold Crossed: 1 datapoint [9.0 (23/11/26 06:37:00)] was greater than the threshold (5.0).', firedAt: since, during: 'bake' } },
];

const BAKE_LINES = [
  'Baking for 10m00s: the new group serves, the old group is kept until 2026-11-23 06:45:00 UTC; an alarm going to ALARM rolls everything back.',
  '  Guarded by: hello-prod-5xx OK, hello-prod-unhealthy INSUFFICIENT_DATA',
  '  Created by this deploy, guarding the next one: hello-prod-latency',
  'Baking: 6m52s left; new group hello-prod-AutoScalingGroup-NEW serves, old group hello-prod-AutoScalingGroup-OLD kept; hello-prod-5xx OK, hello-prod-unhealthy OK',
  'Alarm hello-prod-5xx went to ALARM at 2026-11-23 06:38:02 UTC: Threshold Crossed: 1 datapoint [9.0 (23/11/26 06:37:00)] was greater than the threshold (5.0).',
  'CloudFormation rolls the update back; the old group was never deleted and serves on.',
];

describe('bake events', () => {
  it('read the same in a CI log and on a terminal without animation', () => {
    let plain = '';
    const reporter = new PlainReporter({ write: (t: string) => (plain += t) }, { buildkite: false, color: false });
    for (const e of bake) reporter.emit(e);
    expect(plain.trimEnd().split('\n')).toEqual(BAKE_LINES);

    const out = new CapturingStream({ isTTY: true });
    const tty = new TtyReporter(out, { color: false, spinner: false });
    for (const e of bake) tty.emit(e);
    tty.close();
    expect(out.text.trimEnd().split('\n')).toEqual(BAKE_LINES);
  });

  it('fold into a group of their own on Buildkite', () => {
    let text = '';
    const reporter = new PlainReporter({ write: (t: string) => (text += t) }, { buildkite: true, color: false });
    reporter.emit(bake[0]!);
    expect(text.split('\n')[0]).toBe('--- Baking hello-prod (10 min)');
  });

  it('carry every field in JSON, times in ISO-8601 UTC', () => {
    expect(JSON.parse(eventToJson(bake[2]!))).toEqual({
      type: 'bake.breach',
      breach: { kind: 'alarm', alarmName: 'hello-prod-5xx', stateReason: 'Threshold Crossed: 1 datapoint [9.0 (23/11/26 06:37:00)] was greater than the threshold (5.0).', firedAt: '2026-11-23T06:38:02.000Z', during: 'bake' },
    });
    expect(JSON.parse(eventToJson(bake[0]!))).toMatchObject({ type: 'bake.started', minutes: 10, endsAt: '2026-11-23T06:45:00.000Z' });
  });
});
