/** Types for seed.mjs, for the TypeScript tests and benchmarks that share it. */

export interface SeededAws {
  account: string;
  region: string;
  vpcId: string;
  subnetIds: string[];
  securityGroupId: string;
  loadBalancerArn: string;
  listenerArn: string;
  dnsName: string;
  canonicalHostedZoneId: string;
  hostedZoneId: string;
  hostedZoneName: string;
  repositoryName: string;
  /** Image digest by tag, one per SEEDED_TAGS entry. */
  images: Record<string, string>;
  /** Each built-in sidecar's image in the local ECR, by tag, as a pull-through cache would hold it. */
  sidecarImages: Record<string, string>;
}

export const EXAMPLE_DIR: string;
export const LOCAL_ENV: string;
export const LOCAL_REGION: string;
export const LOCAL_ZONE: string;
export const SEEDED_TAGS: string[];
export const SIDECAR_CACHE_PREFIX: string;

export function seedLocalAws(options: { endpoint: string; region?: string }): Promise<SeededAws>;

export function writeLocalDescriptor(dir: string, seeded: SeededAws, extraEnvironments?: Record<string, Record<string, unknown>>): string;
