/**
 * How long an instance has to boot, and how the group waits for it.
 *
 * The group has a launch lifecycle hook: a new instance stays in Pending:Wait until the boot
 * script completes the hook with CONTINUE, which it does once the app answers its health check
 * through the proxy. Only then is the instance registered with the target group and put
 * InService, and only then does the group's health-check grace period start:
 *
 *   "The instance enters the InService state and the health check grace period starts.
 *    However, before the instance reaches the InService state, if the Auto Scaling group is
 *    associated with an Elastic Load Balancing load balancer, the instance is registered with
 *    the load balancer, and the load balancer starts checking its health."
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
 *
 * So however long docker, the pulls and the app's start-up take, the group's ELB health check
 * never sees (and never replaces) a booting instance, and the grace period only has to cover
 * the target group's own healthy threshold. A grace period as long as the whole boot budget
 * would not be enough to prove that: it starts at InService, which may come before the boot
 * script even starts, and it would keep a sick instance in service that long on every later
 * launch. The instance stays registered-then-healthy before SUCCESS, as the boot script waits
 * for target health after CONTINUE.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html
 *
 * The boot script's budget is counted from its own start and ends BOOT_MARGIN_SECONDS before
 * CloudFormation's signal timeout, so an instance that cannot make it says FAILURE (with its
 * log) before CloudFormation stops listening.
 */
import type { CfnResource } from './template.js';

/** Name of the launch lifecycle hook the boot script completes. */
export const LAUNCH_HOOK_NAME = 'shipper-boot';

/**
 * Reserved from the signal timeout for what happens outside the boot script's budget: the
 * instance's launch and the operating system's start before the script runs (typically under
 * a minute on Amazon Linux 2023), the watchdog's grace, and the FAILURE path (boot log upload,
 * bounded to 15 s per call, and the signal with its retries).
 */
export const BOOT_MARGIN_SECONDS = 120;

/** The smallest budget in which docker can be installed, four images pulled and an app started. */
export const MIN_BOOT_BUDGET_SECONDS = 180;

/** PutLifecycleHook accepts a HeartbeatTimeout of 30 to 7200 seconds. */
export const MAX_HOOK_HEARTBEAT_SECONDS = 7200;

/** Seconds the boot script has, from its own start, to become healthy and signal. */
export function bootBudgetSeconds(signalTimeoutSeconds: number): number {
  return signalTimeoutSeconds - BOOT_MARGIN_SECONDS;
}

/**
 * The hook as the group's LifecycleHookSpecificationList entry. It outlives the boot budget by
 * the margin, so the boot script (or its watchdog) always decides first; if the instance dies
 * without a word, ABANDON terminates it rather than putting an unknown instance in service.
 */
export function launchHookSpecification(signalTimeoutSeconds: number): Record<string, unknown> {
  return {
    LifecycleHookName: LAUNCH_HOOK_NAME,
    LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
    HeartbeatTimeout: Math.min(signalTimeoutSeconds, MAX_HOOK_HEARTBEAT_SECONDS),
    DefaultResult: 'ABANDON',
  };
}

/** Problems with a group's signal timeout, the boot budget and its launch hook, for checks.ts. */
export function bootBudgetProblems(group: CfnResource, signalTimeoutSeconds: number): Array<{ path: string; message: string; hint: string }> {
  const problems: Array<{ path: string; message: string; hint: string }> = [];
  const hooks = (group.Properties?.LifecycleHookSpecificationList ?? []) as Array<Record<string, unknown>>;
  const ours = hooks.find((h) => h.LifecycleHookName === LAUNCH_HOOK_NAME);
  if (!ours) return problems;
  const budget = bootBudgetSeconds(signalTimeoutSeconds);
  if (budget < MIN_BOOT_BUDGET_SECONDS) {
    problems.push({
      path: 'CreationPolicy.ResourceSignal.Timeout',
      message: `a signal timeout of ${signalTimeoutSeconds}s leaves instances a boot budget of ${budget}s (the timeout less ${BOOT_MARGIN_SECONDS}s for launch and the FAILURE signal), under the ${MIN_BOOT_BUDGET_SECONDS}s it takes to install docker, pull the images and start the app`,
      hint: `set signalTimeout to at least PT${(MIN_BOOT_BUDGET_SECONDS + BOOT_MARGIN_SECONDS) / 60}M`,
    });
  }
  if (signalTimeoutSeconds > MAX_HOOK_HEARTBEAT_SECONDS) {
    problems.push({
      path: 'CreationPolicy.ResourceSignal.Timeout',
      message: `a signal timeout of ${signalTimeoutSeconds}s is longer than the ${MAX_HOOK_HEARTBEAT_SECONDS}s a launch lifecycle hook can hold an instance, so an instance could be abandoned while it still boots`,
      hint: 'use at most PT2H',
    });
  }
  const heartbeat = Number(ours.HeartbeatTimeout);
  if (Number.isFinite(heartbeat) && heartbeat < Math.min(signalTimeoutSeconds, MAX_HOOK_HEARTBEAT_SECONDS)) {
    problems.push({
      path: `Properties.LifecycleHookSpecificationList[${LAUNCH_HOOK_NAME}].HeartbeatTimeout`,
      message: `${heartbeat}s ends before the boot budget of ${budget}s: the group would abandon instances that are still booting`,
      hint: 'do not override the shipper-boot hook in the fragment',
    });
  }
  return problems;
}
