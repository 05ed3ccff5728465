/**
 * What makes a short-lived copy of a service (an "instance", e.g. pr-123) recognisable in AWS:
 * its stack name and the tags every one of its stacks carries. Deploy writes them; list and
 * destroy read them, so they live in one place.
 */

/** Tags on every stack shipper makes; the instance tags only on an instance's stack. */
export const StackTags = {
  service: 'shipper:service',
  environment: 'shipper:environment',
  managedBy: 'shipper:managed-by',
  /** The instance's name, e.g. pr-123. Absent on the environment's main stack. */
  instance: 'shipper:instance',
  /** Who made the instance (the deployer's user, or the CI build's creator). */
  owner: 'shipper:owner',
  /** The branch the instance was deployed from, when known. */
  branch: 'shipper:branch',
  /** When the instance may be destroyed by `shipper destroy --expired`: ISO 8601 UTC. */
  expiresAt: 'shipper:expires-at',
} as const;

/** Lower-case letters, digits and dashes, starting with a letter: safe in a stack name, a DNS label and an SSM path. */
export const INSTANCE_NAME = /^[a-z][a-z0-9-]{0,29}[a-z0-9]$|^[a-z]$/;

/** The instance's stack: the environment's stack name followed by the instance, e.g. hello-test-pr-123. */
export function instanceStackName(mainStackName: string, instance: string): string {
  return `${mainStackName}-${instance}`;
}
