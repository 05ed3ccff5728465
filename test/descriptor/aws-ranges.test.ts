/**
 * Values AWS would reject, refused offline with the file, line, key path, the documented range
 * and a hint: health checks (ELBv2), target group attributes, scheduled actions (Auto Scaling),
 * the creation policy timeout (CloudFormation) and container memory (docker).
 */
import { describe, expect, it } from '@jest/globals';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';
import { MINIMAL_DESCRIPTOR, descriptorProblems, tempService } from '../helpers/temp-service.js';

const LB = `  loadBalancer:
    listenerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/alb/1/2
    rule: {priority: 10}
`;
const WITH_LB = MINIMAL_DESCRIPTOR.replace('  subnets: [subnet-0a1b2c3d]\n', `  subnets: [subnet-0a1b2c3d]\n${LB}`);

const problems = descriptorProblems;

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('health check values the target group accepts', () => {
  it('refuses a timeout that is not shorter than the interval, at its line, with the range', () => {
    const d = `${WITH_LB}healthCheck:\n  intervalSeconds: 5\n  timeoutSeconds: 5\n`;
    const [p] = problems(d);
    expect(p).toMatchObject({ path: 'healthCheck.timeoutSeconds', expected: '2 to 4' });
    expect(p!.location!.line).toBe(lineOf(d, 'timeoutSeconds'));
    expect(p!.message).toMatch(/not shorter than the 5s interval/);
  });

  it('derives a timeout shorter than a 5 s interval, which passed validate and failed in AWS before', () => {
    const { file } = tempService(`${WITH_LB}healthCheck:\n  intervalSeconds: 5\n`);
    expect(() => loadServiceEnvironment({ file, env: 'test' })).not.toThrow();
  });

  it.each([
    ['healthyThreshold: 1', 'healthCheck.healthyThreshold', 'at least 2'],
    ['unhealthyThreshold: 11', 'healthCheck.unhealthyThreshold', 'at most 10'],
    ['timeoutSeconds: 1', 'healthCheck.timeoutSeconds', 'at least 2'],
    ['intervalSeconds: 301', 'healthCheck.intervalSeconds', 'at most 300'],
  ])('refuses %s', (line, path, expected) => {
    expect(problems(`${WITH_LB}healthCheck:\n  ${line}\n`)[0]).toMatchObject({ path, expected });
  });
});

describe('target group attributes', () => {
  it('refuses a slow start outside 30-900 (0 turns it off) and a deregistration delay over 3600', () => {
    const d = WITH_LB.replace('    rule: {priority: 10}\n', '    rule: {priority: 10}\n    slowStartSeconds: 10\n    deregistrationDelaySeconds: 4000\n');
    const byPath = Object.fromEntries(problems(d).map((p) => [p.path, p]));
    expect(byPath['network.loadBalancer.slowStartSeconds']).toBeDefined();
    expect(byPath['network.loadBalancer.deregistrationDelaySeconds']!.expected).toBe('at most 3600');
    const off = tempService(d.replace('slowStartSeconds: 10', 'slowStartSeconds: 0').replace('4000', '120'));
    expect(loadServiceEnvironment({ file: off.file, env: 'test' }).service.network.loadBalancer!.slowStartSeconds).toBe(0);
  });

  it('refuses a deregistration delay shorter than the proxy read timeout, so a rollback never cuts requests in flight', () => {
    const d = WITH_LB.replace('    rule: {priority: 10}\n', '    rule: {priority: 10}\n    deregistrationDelaySeconds: 30\n');
    const [p] = problems(d);
    expect(p).toMatchObject({ path: 'network.loadBalancer.deregistrationDelaySeconds', expected: '60 to 3600' });
    expect(p!.hint).toMatch(/default 70/);
  });

  it('refuses target group attributes for a target group shipper does not own', () => {
    const d = MINIMAL_DESCRIPTOR.replace(
      '  subnets: [subnet-0a1b2c3d]\n',
      '  subnets: [subnet-0a1b2c3d]\n  loadBalancer:\n    targetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/1\n    slowStartSeconds: 120\n',
    );
    expect(problems(d)[0]).toMatchObject({ path: 'network.loadBalancer.slowStartSeconds' });
  });
});

describe('scheduled actions, per environment', () => {
  const withActions = (actions: string, capacity = '') =>
    `${MINIMAL_DESCRIPTOR}${capacity ? `    capacity: ${capacity}\n` : ''}    scheduledActions:\n${actions}`;

  it('refuses scheduled actions in the base, with a hint to move them into an environment', () => {
    const d = `${MINIMAL_DESCRIPTOR.replace('environments:', 'scheduledActions:\n  - {name: night, recurrence: "0 20 * * *", desiredCapacity: 1}\nenvironments:')}`;
    const [p] = problems(d);
    expect(p).toMatchObject({ path: 'scheduledActions', message: 'scheduled actions belong to an environment, not the base' });
    expect(p!.location!.line).toBe(lineOf(d, 'scheduledActions:'));
    expect(p!.hint).toMatch(/environments\.test\.scheduledActions/);
  });

  it('refuses a second action with the same name at the second one\'s line', () => {
    const d = withActions('      - {name: night, recurrence: "0 20 * * *", desiredCapacity: 1}\n      - {name: night, recurrence: "0 21 * * *", desiredCapacity: 1}\n');
    const [p] = problems(d);
    expect(p).toMatchObject({ path: 'environments.test.scheduledActions[1].name' });
    expect(p!.location!.line).toBe(lineOf(d, '0 21 * * *'));
  });

  it('refuses sizes outside the environment\'s capacity', () => {
    const d = withActions('      - {name: night, recurrence: "0 20 * * *", minSize: 1, desiredCapacity: 1}\n', '{min: 2, desired: 3, max: 8}');
    const byPath = Object.fromEntries(problems(d).map((p) => [p.path, p]));
    expect(byPath['environments.test.scheduledActions[0].minSize']).toMatchObject({ expected: '2 to 8' });
    expect(byPath['environments.test.scheduledActions[0].desiredCapacity']!.message).toMatch(/outside this environment's capacity 2\.\.8/);
  });

  it('refuses an unknown time zone offline, naming it and suggesting the closest', () => {
    const d = withActions('      - {name: night, recurrence: "0 20 * * *", timeZone: Europe/Dublinn, desiredCapacity: 1}\n');
    const [p] = problems(d);
    expect(p).toMatchObject({ path: 'environments.test.scheduledActions[0].timeZone', message: '"Europe/Dublinn" is not an IANA time zone name', hint: 'did you mean "Europe/Dublin"?' });
    expect(problems(withActions('      - {name: night, recurrence: "0 20 * * *", timeZone: europe/dublin, desiredCapacity: 1}\n'))[0]!.hint).toBe('did you mean "Europe/Dublin"?');
  });

  it('accepts a time zone and passes it to the scheduled action', () => {
    const { file } = tempService(withActions('      - {name: night, recurrence: "0 20 * * *", timeZone: America/New_York, desiredCapacity: 1}\n'));
    expect(loadServiceEnvironment({ file, env: 'test' }).service.scheduledActions[0]!.timeZone).toBe('America/New_York');
  });

  it('keeps prod in the bundled example out of the test environment\'s night-time schedule', () => {
    const prod = loadServiceEnvironment({ file: new URL('../../examples/hello/shipper.yml', import.meta.url).pathname, env: 'prod' });
    const test = loadServiceEnvironment({ file: new URL('../../examples/hello/shipper.yml', import.meta.url).pathname, env: 'test' });
    expect(prod.service.scheduledActions).toEqual([]);
    expect(test.service.scheduledActions.map((a) => a.name)).toEqual(['scale-in-at-night', 'scale-out-in-the-morning']);
  });
});

describe('other documented limits', () => {
  it('refuses a signal timeout over CloudFormation\'s 12 hours at its line', () => {
    const d = `${MINIMAL_DESCRIPTOR}    signalTimeout: PT13H\n`;
    const [p] = problems(d);
    expect(p).toMatchObject({ path: 'environments.test.signalTimeout' });
    expect(p!.message).toMatch(/at most PT12H/);
    expect(p!.location!.line).toBe(lineOf(d, 'PT13H'));
  });

  it('refuses a sidecar memory reservation above its limit', () => {
    const d = `${MINIMAL_DESCRIPTOR}sidecars:\n  log-router:\n    memoryMiB: 64\n    memoryReservationMiB: 128\n`;
    expect(problems(d)[0]).toMatchObject({ path: 'sidecars.log-router.memoryReservationMiB' });
  });

  it('exits 2 from validate with the located message and no AWS call', async () => {
    const { dir } = tempService(`${WITH_LB}healthCheck:\n  intervalSeconds: 5\n  timeoutSeconds: 6\n`);
    const run = await cli(['validate', '--env', 'test'], { cwd: dir });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/shipper\.yml:\d+:\d+ healthCheck\.timeoutSeconds: a 6s timeout is not shorter than the 5s interval/);
  });
});
