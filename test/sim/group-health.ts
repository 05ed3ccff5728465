/**
 * What a group does with a new instance between launch and "healthy", as Amazon EC2 Auto Scaling
 * documents it:
 *
 * - A launch lifecycle hook holds the instance in Pending:Wait until CompleteLifecycleAction, or
 *   until HeartbeatTimeout runs out and DefaultResult applies. ABANDON terminates the instance
 *   and its launch activity ends Cancelled with "Instance failed to complete user's Lifecycle
 *   Action: Lifecycle Action with token … was abandoned: Lifecycle Action Completed with ABANDON
 *   Result"; the group then launches another.
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/tutorial-lifecycle-hook-instance-metadata.html
 * - The instance is registered with the target group when the hook completes, just before it
 *   enters InService; the health check grace period starts at InService.
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html
 * - With HealthCheckType ELB, an InService instance the load balancer does not call healthy once
 *   the grace period is over is taken out of service and replaced: the termination's cause is
 *   "At … an instance was taken out of service in response to an ELB system health check
 *   failure.", the replacement's "At … an instance was launched in response to an unhealthy
 *   instance needing to be replaced."
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-healthchecks.html
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/replace-unhealthy-instance.html
 *
 * Simplification: the group looks at the target group's verdict once, when the grace period
 * ends; the app of a scripted instance is healthy from `healthyAfterSeconds` after launch on.
 */

export interface LaunchHookSpec {
  name: string;
  heartbeatTimeoutSeconds: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
}

export interface GroupHealthSpec {
  type: 'EC2' | 'ELB';
  gracePeriodSeconds: number;
  launchHook?: LaunchHookSpec;
}

/** Reads HealthCheckType, HealthCheckGracePeriod and a launch hook from a group's resolved properties. */
export function groupHealthSpec(props: Record<string, any>): GroupHealthSpec {
  const hooks = Array.isArray(props.LifecycleHookSpecificationList) ? props.LifecycleHookSpecificationList : [];
  const launch = hooks.find((h: any) => h?.LifecycleTransition === 'autoscaling:EC2_INSTANCE_LAUNCHING');
  return {
    type: props.HealthCheckType === 'ELB' ? 'ELB' : 'EC2',
    // AWS's default through the API is 0 seconds (the console's is 300)
    gracePeriodSeconds: Number(props.HealthCheckGracePeriod ?? 0),
    ...(launch
      ? {
          launchHook: {
            name: String(launch.LifecycleHookName),
            heartbeatTimeoutSeconds: Number(launch.HeartbeatTimeout ?? 3600),
            defaultResult: launch.DefaultResult === 'CONTINUE' ? 'CONTINUE' : 'ABANDON',
          },
        }
      : {}),
  };
}

export function elbHealthCheckFailureCause(at: string): string {
  return `At ${at} an instance was taken out of service in response to an ELB system health check failure.`;
}

export function unhealthyReplacementCause(at: string): string {
  return `At ${at} an instance was launched in response to an unhealthy instance needing to be replaced.`;
}

export function abandonedLaunchStatus(token: string): string {
  return `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${token} was abandoned: Lifecycle Action Completed with ABANDON Result`;
}
