/**
 * Why EC2 refuses to launch an instance, in the words Auto Scaling puts in its scaling
 * activities. A group whose launches fail has no instances, so nothing signals and the
 * creation policy times out: the deploy must show these messages, not just "timeout".
 */

export const LAUNCH_FAILURE_REASONS = {
  vcpuLimit:
    'You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.',
  invalidAmi: (imageId = 'ami-0123456789abcdef0') => `The image id '[${imageId}]' does not exist.`,
  notAuthorized: 'You are not authorized to perform this operation.',
  notAuthorizedLaunchTemplate: (launchTemplateId = 'lt-0123456789abcdef0') =>
    `You are not authorized to use launch template: ${launchTemplateId}. You are not authorized to perform this operation.`,
  insufficientCapacity:
    'We currently do not have sufficient t3.small capacity in the Availability Zone you requested (eu-west-1a). Our system will be working on provisioning additional capacity. You can currently get t3.small capacity by not specifying an Availability Zone in your request or choosing eu-west-1b, eu-west-1c.',
} as const;

/** The activity's StatusMessage: EC2's reason followed by Auto Scaling's verdict. */
export function launchFailureStatusMessage(reason: string): string {
  return `${reason} Launching EC2 instance failed.`;
}

/** The activity's Description, with the double space Auto Scaling really writes. */
export function launchFailureDescription(reason: string): string {
  return `Launching a new EC2 instance.  Status Reason: ${launchFailureStatusMessage(reason)}`;
}
