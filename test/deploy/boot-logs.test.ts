/** Reading failed instances' boot logs: bounded in time for the whole report, never throwing. */
import { describe, expect, it } from '@jest/globals';
import { BootLogReader, BOOT_LOG_BUDGET_MS } from '../../src/deploy/boot-logs.js';
import { FakeClock } from '../sim/clock.js';
import { SimLogs } from '../sim/logs.js';

const GROUP = '/shipper/hello/test';

function setup() {
  const clock = new FakeClock('2026-11-23T06:25:30Z');
  const logs = new SimLogs(clock).createGroup(GROUP);
  return { clock, logs, reader: new BootLogReader(logs, clock, GROUP) };
}

describe('BootLogReader', () => {
  it('reads the newest 50 lines of each stream, oldest first, each instance once', async () => {
    const { logs, reader } = setup();
    logs.putLines(GROUP, 'boot/i-0aaa', Array.from({ length: 80 }, (_, n) => `line ${n + 1}`));
    logs.putLines(GROUP, 'boot/i-0bbb', ['one', 'two\nthree']);
    await reader.capture(['i-0aaa', 'i-0bbb']);
    await reader.capture(['i-0aaa', 'i-0bbb']);
    const [a, b] = reader.results();
    expect(a!.lines).toHaveLength(50);
    expect(a!.lines[0]).toBe('line 31');
    expect(a!.lines.at(-1)).toBe('line 80');
    expect(b!.lines).toEqual(['one', 'two', 'three']);
    expect(logs.reads).toHaveLength(2);
  });

  it('stalled calls share one budget: both instances give up together, and nothing is left for later reads', async () => {
    const { clock, logs, reader } = setup();
    logs.stall = true;
    const before = clock.nowMs();
    await reader.capture(['i-0aaa', 'i-0bbb']);
    expect(clock.nowMs() - before).toBe(BOOT_LOG_BUDGET_MS);
    expect(reader.results().map((l) => l.unreadable)).toEqual(['CloudWatch Logs did not answer within 5s', 'CloudWatch Logs did not answer within 5s']);
    logs.stall = false;
    await reader.capture(['i-0ccc']);
    expect(reader.results()[2]).toMatchObject({ instanceId: 'i-0ccc', unreadable: 'no time left to read it (5s for all boot logs)' });
    expect(logs.reads).toHaveLength(2);
  });

  it('says why a log is missing instead of throwing', async () => {
    const { clock, logs } = setup();
    await new BootLogReader(logs, clock, '/shipper/gone/test').capture(['i-0aaa']);
    const reader = new BootLogReader(logs, clock, GROUP);
    await reader.capture(['i-0aaa']);
    expect(reader.results()[0]!.unreadable).toBe('not found: The specified log stream does not exist.');
    const noGroup = new BootLogReader(logs, clock, '/shipper/gone/test');
    await noGroup.capture(['i-0aaa']);
    expect(noGroup.results()[0]!.unreadable).toBe('not found: The specified log group does not exist.');
    const noClient = new BootLogReader(undefined, clock, GROUP);
    await noClient.capture(['i-0aaa']);
    expect(noClient.results()[0]!.unreadable).toBe('no CloudWatch Logs client');
  });

  it('reads nothing when the service has no log group to read', async () => {
    const { clock, logs } = setup();
    const reader = new BootLogReader(logs, clock, undefined);
    await reader.capture(['i-0aaa']);
    expect(reader.results()).toEqual([]);
    expect(logs.reads).toHaveLength(0);
  });
});
