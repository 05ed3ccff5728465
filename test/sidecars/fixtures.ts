/** Resolved services for the sidecar tests, built through the real descriptor schema. */
import { resolvedServiceSchema, type ResolvedService } from '../../src/descriptor/schema.js';
import type { SidecarInput } from '../../src/compose/sidecars/index.js';

export const DIGEST_A = `sha256:${'a1'.repeat(32)}`;
export const DIGEST_B = `sha256:${'b2'.repeat(32)}`;

export function service(overrides: Record<string, unknown> = {}): ResolvedService {
  return resolvedServiceSchema.parse({
    service: 'hello',
    image: { repository: 'hello' },
    port: 8080,
    network: { vpcId: 'vpc-0a1b2c3d', subnets: ['subnet-0a1b2c3d'] },
    account: '123456789012',
    region: 'eu-west-1',
    ...overrides,
  });
}

export function input(svc: ResolvedService = service(), extra: Partial<SidecarInput> = {}): SidecarInput {
  return { service: svc, env: 'test', stackName: 'hello-test', region: 'eu-west-1', accountId: '123456789012', ...extra };
}
