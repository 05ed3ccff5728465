/**
 * The descriptor's `bake`, refused offline where CloudFormation or CloudWatch would refuse it:
 * the monitoring time (0 to 180 minutes), alarm names and ARNs, the stack's region, at most five
 * rollback triggers, thresholds; with the file, line, key path and a hint, exit 2, no AWS call.
 */
import { describe, expect, it } from '@jest/globals';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { bakeSettings } from '../../src/descriptor/bake-schema.js';
import { cli } from '../helpers/cli.js';
import { MINIMAL_DESCRIPTOR, descriptorProblems, tempService } from '../helpers/temp-service.js';

const LB = `  loadBalancer:
    listenerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/alb/50dc6c495c0c9188/f2f7dc8efc522ab2
    rule: {priority: 10}
`;
const WITH_LB = MINIMAL_DESCRIPTOR.replace('  subnets: [subnet-0a1b2c3d]\n', `  subnets: [subnet-0a1b2c3d]\n${LB}`);
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const problems = descriptorProblems;

function load(descriptor: string, env = 'test') {
  return loadServiceEnvironment({ file: tempService(descriptor).file, env }).service;
}

describe('bake in the descriptor', () => {
  it('defaults to no bake, and to 10 minutes with the default alarms once declared', () => {
    expect(load(WITH_LB).bake).toBeUndefined();
    expect(load(`${WITH_LB}bake: {}\n`).bake).toEqual({
      minutes: 10,
      alarms: [],
      defaultAlarms: true,
      thresholds: { target5xxPercent: 5, target5xxMinutes: 2, target5xxOutOfMinutes: 3, unhealthyHosts: 0, unhealthyMinutes: 2 },
    });
  });

  it('is overridden per environment, and turned off there by a bake that does nothing', () => {
    const d = `${WITH_LB}bake: {minutes: 10, alarms: [hello-latency]}\n`.replace('environments:\n  test:\n', 'environments:\n  test:\n    bake: {minutes: 30}\n');
    expect(load(d).bake).toMatchObject({ minutes: 30, alarms: ['hello-latency'] });
    const off = load(d.replace('bake: {minutes: 30}', 'bake: {minutes: 0, alarms: [], defaultAlarms: false}'));
    expect(bakeSettings(off)).toBeUndefined();
    expect(bakeSettings(load(d))).toBeDefined();
  });

  it.each([
    ['minutes: 181', 'bake.minutes', /at most 180/],
    ['minutes: -1', 'bake.minutes', /at least 0/],
    ['minutes: 1.5', 'bake.minutes', /an int/],
    ['alarms: ["arn:aws:sns:eu-west-1:123456789012:topic"]', 'bake.alarms[0]', /CloudWatch alarm ARN/],
    ['defaultAlarm: true', 'bake.defaultAlarm', /unknown key "defaultAlarm"/],
    ['thresholds: {target5xxPercent: 0}', 'bake.thresholds.target5xxPercent', /0/],
    ['thresholds: {target5xxMinutes: 4}', 'bake.thresholds.target5xxMinutes', /must not exceed target5xxOutOfMinutes/],
  ])('refuses %s at its line', (line, path, message) => {
    const d = `${WITH_LB}bake:\n  ${line}\n`;
    const [p] = problems(d);
    expect(p!.path).toBe(path);
    expect(`${p!.message} ${p!.expected ?? ''}`).toMatch(message);
    expect(p!.location!.line).toBe(lineOf(d, line.split(':')[0]!));
  });

  it("refuses an alarm in another region than the stack's, with a hint", () => {
    const d = `${WITH_LB}bake:\n  alarms:\n    - arn:aws:cloudwatch:us-east-1:123456789012:alarm:hello-latency\n`;
    const [p] = problems(d);
    expect(p).toMatchObject({ path: 'bake.alarms[0]' });
    expect(p!.message).toMatch(/hello-latency is in us-east-1, but the stack is in eu-west-1/);
    expect(p!.hint).toMatch(/create the alarm in eu-west-1/);
    expect(p!.location!.line).toBe(lineOf(d, 'us-east-1'));
  });

  it('refuses more than five rollback triggers, counting the default alarms', () => {
    const [p] = problems(`${WITH_LB}bake:\n  alarms: [a, b, c, d]\n`);
    expect(p).toMatchObject({ path: 'bake.alarms', expected: 'at most 3 alarms' });
    expect(p!.message).toMatch(/4 alarms plus shipper's 2 default alarms make 6 rollback triggers; CloudFormation takes at most 5/);
    expect(() => load(`${WITH_LB}bake:\n  alarms: [a, b, c, d]\n  defaultAlarms: false\n`)).not.toThrow();
  });

  it('refuses an alarm named twice', () => {
    const [p] = problems(`${WITH_LB}bake:\n  alarms: [a, "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"]\n`);
    expect(p).toMatchObject({ path: 'bake.alarms[1]' });
    expect(p!.message).toMatch(/alarm a is named twice/);
  });

  it('refuses default alarms asked for where shipper cannot make them (an existing target group)', () => {
    const existing = MINIMAL_DESCRIPTOR.replace('  subnets: [subnet-0a1b2c3d]\n', '  subnets: [subnet-0a1b2c3d]\n  loadBalancer:\n    targetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/svc/0123456789abcdef\n');
    const [p] = problems(`${existing}bake:\n  defaultAlarms: true\n`);
    expect(p).toMatchObject({ path: 'bake.defaultAlarms' });
    expect(p!.message).toMatch(/does not say which load balancer/);
    // Left to its default, the bake simply has no default alarms there.
    expect(() => load(`${existing}bake: {alarms: [hello-latency]}\n`)).not.toThrow();
  });

  it('exits 2 from validate with the located message and no AWS call', async () => {
    const { file } = tempService(`${WITH_LB}bake:\n  minutes: 200\n`);
    const run = await cli(['validate', '--env', 'test', '-f', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/shipper\.yml:\d+:\d+ bake\.minutes: .*180/);
  });
});
