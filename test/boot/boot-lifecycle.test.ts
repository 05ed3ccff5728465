/**
 * The boot script and the group around it: the boot budget counted from the script's own start,
 * the watchdog for a step that hangs, the launch lifecycle hook, the retried SUCCESS signal, and
 * the guard against signalling for a group the stack is not waiting on.
 */
import { describe, it, expect } from '@jest/globals';
import { bootWith, isCall } from './boot-run.js';
import { optionOf } from './sandbox.js';

const isHealthCheck = isCall('curl', '-fsS', '--max-time', '5', '-o', '/dev/null');
const isHookCompletion = isCall('aws', 'autoscaling', 'complete-lifecycle-action');
const isTargetHealth = isCall('aws', 'elbv2', 'describe-target-health');

describe('boot budget', () => {
  it('counts from the script start: time lost to a slow registry leaves less for the app', () => {
    // The first two pulls fail: the retries' back-off takes 15 of the 20 seconds. The app then
    // needs two failed checks (14 s) before it passes. Counted from the start of the containers,
    // as it used to be, that fitted in 20 s; counted from the start of the boot, it does not.
    const run = bootWith({ pullFailsFirst: 2, healthFails: 2 }, { bootBudgetSeconds: 20 });
    expect(run.signals).toHaveLength(1);
    expect(optionOf(run.signals[0], '-e')).toBe('1');
    expect(optionOf(run.signals[0], '--reason')).toBe('health: app not healthy at http://127.0.0.1:80/health within 20s of boot');
  });

  it('the same boot succeeds with a budget that covers it', () => {
    const run = bootWith({ pullFailsFirst: 2, healthFails: 2 }, { bootBudgetSeconds: 60 });
    expect(run.status).toBe(0);
    expect(optionOf(run.signals[0], '-e')).toBe('0');
  });

  it('stops between steps once the budget is spent', () => {
    const run = bootWith({ pullFailsFirst: 2 }, { bootBudgetSeconds: 15 });
    expect(optionOf(run.signals[0], '--reason')).toBe('pull: not done within 15s of boot');
    expect(run.calls.some(isCall('docker', 'run'))).toBe(false);
  });

  it('a step that hangs is cut short by the watchdog, which signals FAILURE naming that step', () => {
    const run = bootWith({ pullSeconds: 60, watchdogGrace: 0 }, { bootBudgetSeconds: 4 });
    expect(run.signals).toHaveLength(1);
    expect(optionOf(run.signals[0], '-e')).toBe('1');
    expect(optionOf(run.signals[0], '--reason')).toBe('pull: not done within 4s of boot');
    expect(optionOf(run.signals[0], '--id')).toBe('i-0123456789abcdef0');
    expect(run.log).toMatch(/\[pull\] FAILED pull: not done within 4s of boot/);
    expect(run.calls.filter(isHookCompletion).map((c) => optionOf(c, '--lifecycle-action-result'))).toEqual(['ABANDON']);
    expect(run.calls.some(isCall('docker', 'run'))).toBe(false);
  });
});

describe('launch lifecycle hook', () => {
  it('finds its group, and completes the hook with CONTINUE once the app is healthy, before waiting for the target group', () => {
    const run = bootWith({ healthFails: 1, targetHealthyAfter: 1 });
    expect(run.status).toBe(0);
    const lookup = run.calls.find(isCall('aws', 'autoscaling', 'describe-auto-scaling-instances'))!;
    expect(optionOf(lookup, '--instance-ids')).toBe('i-0123456789abcdef0');
    const hooks = run.calls.filter(isHookCompletion);
    expect(hooks).toHaveLength(1);
    expect(optionOf(hooks[0], '--lifecycle-hook-name')).toBe('shipper-boot');
    expect(optionOf(hooks[0], '--auto-scaling-group-name')).toBe('hello-test-AutoScalingGroup-NEW');
    expect(optionOf(hooks[0], '--instance-id')).toBe('i-0123456789abcdef0');
    expect(optionOf(hooks[0], '--lifecycle-action-result')).toBe('CONTINUE');
    expect(optionOf(hooks[0], '--region')).toBe('eu-west-1');
    const hookAt = run.calls.indexOf(hooks[0]);
    expect(run.calls.map(isHealthCheck).lastIndexOf(true)).toBeLessThan(hookAt);
    expect(run.calls.findIndex(isTargetHealth)).toBeGreaterThan(hookAt);
    expect(run.calls.indexOf(run.signals[0])).toBeGreaterThan(run.calls.map(isTargetHealth).lastIndexOf(true));
  });

  it('a failed boot abandons the hook after signalling, so the rollback does not wait for it', () => {
    const run = bootWith({ runFails: 'app' });
    const hooks = run.calls.filter(isHookCompletion);
    expect(hooks.map((c) => optionOf(c, '--lifecycle-action-result'))).toEqual(['ABANDON']);
    expect(run.calls.indexOf(hooks[0])).toBeGreaterThan(run.calls.indexOf(run.signals[0]));
  });

  it('fails at once, naming the step, when the hook cannot be completed', () => {
    const run = bootWith({ hookFails: true });
    expect(optionOf(run.signals[0], '--reason')).toBe('launch-hook: cannot complete the launch lifecycle hook shipper-boot of hello-test-AutoScalingGroup-NEW');
    expect(run.calls.some(isTargetHealth)).toBe(false);
  });

  it('fails at once when its group cannot be found', () => {
    const run = bootWith({ groupLookupFails: true });
    expect(optionOf(run.signals[0], '--reason')).toBe('metadata: cannot find the Auto Scaling group of i-0123456789abcdef0');
    expect(run.calls.some(isCall('docker', 'pull'))).toBe(false);
  });
});

describe('SUCCESS signal', () => {
  it('is retried with back-off and reported sent only once cfn-signal succeeded', () => {
    const run = bootWith({ signalFails: 2 });
    expect(run.status).toBe(0);
    expect(run.signals).toHaveLength(3);
    for (const s of run.signals) expect(optionOf(s, '-e')).toBe('0');
    const sleeps = run.calls.slice(run.calls.indexOf(run.signals[0])).filter((c) => c[0] === 'sleep').map((c) => c[1]);
    expect(sleeps).toEqual(['5', '10']);
    expect(run.log.match(/signalled SUCCESS/g)).toHaveLength(1);
    expect(run.log.indexOf('attempt 2 of 3 failed: cfn-signal')).toBeLessThan(run.log.indexOf('signalled SUCCESS'));
  });

  it('when every attempt fails, says so and never claims success or sends FAILURE', () => {
    const run = bootWith({ signalFails: 9 });
    expect(run.status).toBe(1);
    expect(run.signals).toHaveLength(3);
    expect(run.signals.every((s) => optionOf(s, '-e') === '0')).toBe(true);
    expect(run.log).not.toContain('signalled SUCCESS');
    expect(run.log).toContain('cfn-signal SUCCESS failed; the stack will wait for its timeout');
  });
});

describe('signal guard: only the group the stack is creating signals', () => {
  it('asks CloudFormation which group the resource is now, and signals when it is its own', () => {
    const run = bootWith();
    const ask = run.calls.find(isCall('aws', 'cloudformation', 'describe-stack-resource'))!;
    expect(optionOf(ask, '--stack-name')).toBe('hello-test');
    expect(optionOf(ask, '--logical-resource-id')).toBe('AutoScalingGroup');
    expect(optionOf(ask, '--query')).toBe('StackResourceDetail.PhysicalResourceId');
    expect(run.calls.indexOf(ask)).toBeLessThan(run.calls.indexOf(run.signals[0]));
    expect(run.signals).toHaveLength(1);
  });

  it('an instance of the old group launched mid-deploy serves but does not signal SUCCESS', () => {
    const run = bootWith({ group: 'hello-test-AutoScalingGroup-OLD', stackGroup: 'hello-test-AutoScalingGroup-NEW' });
    expect(run.status).toBe(0);
    expect(run.signals).toHaveLength(0);
    expect(run.calls.filter(isHookCompletion).map((c) => optionOf(c, '--lifecycle-action-result'))).toEqual(['CONTINUE']);
    expect(run.log).toContain('not signalling: hello-test-AutoScalingGroup-OLD is not the stack\'s AutoScalingGroup (hello-test-AutoScalingGroup-NEW)');
  });

  it('nor FAILURE, which would roll back the new group', () => {
    const run = bootWith({ group: 'hello-test-AutoScalingGroup-OLD', stackGroup: 'hello-test-AutoScalingGroup-NEW', runFails: 'app' });
    expect(run.status).toBe(1);
    expect(run.signals).toHaveLength(0);
    expect(run.log).toContain('FAILED start: docker run failed for app');
  });
});
