/** A command's target when it addresses a short-lived instance of an environment (`--instance`). */
export interface InstanceTarget {
  /** e.g. pr-123 */
  name: string;
  /** The environment's main stack, e.g. hello-test. */
  mainStackName: string;
  /** How long the instance lives from this deploy on (--ttl, else the descriptor's instances.ttl). */
  ttlMs: number;
  /** The instance's host name (DNS record and listener rule), when the service has one. */
  hostName?: string;
  /** Whether the main listener rule matches on a host header: decides where the instance's priority is looked for. */
  mainHasHostHeader: boolean;
}
