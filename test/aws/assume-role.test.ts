/**
 * Assuming an environment's roleArn. moto's STS accepts any AssumeRole, so the refusal is an
 * STS stub throwing what AWS answers a caller the role's trust policy does not name: AccessDenied,
 * "User: ... is not authorized to perform: sts:AssumeRole on resource: ..."
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html#troubleshoot_roles_cant-assume-role).
 */
import { describe, expect, it } from '@jest/globals';
import { awsError } from '../../src/aws/api.js';
import { assumeRoleCredentials, deploySessionName, type AssumeRoleApi } from '../../src/aws/assume-role.js';
import { AwsCallError, ExitCode } from '../../src/errors.js';

const ROLE = 'arn:aws:iam::999988887777:role/shipper-deployer';

function stsIssuing(expirations: Date[]): AssumeRoleApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    assumeRole: async (input) => {
      calls.push(input.RoleSessionName ?? '');
      const n = calls.length;
      return { Credentials: { AccessKeyId: `AKID${n}`, SecretAccessKey: 'secret', SessionToken: `token${n}`, Expiration: expirations[n - 1] } };
    },
  };
}

describe('deploySessionName', () => {
  it('names the Buildkite pipeline and build when run there', () => {
    expect(deploySessionName({ BUILDKITE_PIPELINE_SLUG: 'charge-central', BUILDKITE_BUILD_NUMBER: '1234' }, () => 'buildkite-agent')).toBe('buildkite-charge-central-1234');
  });

  it('names the local user otherwise, in the characters STS allows and at most 64 of them', () => {
    expect(deploySessionName({}, () => 'jane doe/ä')).toBe('shipper-jane-doe--');
    expect(deploySessionName({ BUILDKITE_PIPELINE_SLUG: 'p'.repeat(80), BUILDKITE_BUILD_NUMBER: '7' }, () => 'x')).toHaveLength(64);
    expect(deploySessionName({}, () => { throw new Error('no passwd entry'); })).toBe('shipper-unknown');
  });
});

describe('assumeRoleCredentials', () => {
  it('assumes the role at once and renews the session shortly before it expires', async () => {
    let now = new Date('2026-12-01T10:00:00Z');
    const sts = stsIssuing([new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T12:00:00Z')]);

    const credentials = await assumeRoleCredentials(sts, ROLE, 'buildkite-hello-42', () => now);

    expect(sts.calls).toEqual(['buildkite-hello-42']);
    expect((await credentials()).accessKeyId).toBe('AKID1');
    now = new Date('2026-12-01T10:56:00Z');
    expect((await credentials()).accessKeyId).toBe('AKID2');
    expect(sts.calls).toHaveLength(2);
  });

  it('fails with exit 7 naming the role and what to check when STS refuses', async () => {
    const sts: AssumeRoleApi = {
      assumeRole: async () => {
        throw awsError('AccessDenied', `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`, 403);
      },
    };

    const err = await assumeRoleCredentials(sts, ROLE, 'shipper-jane').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AwsCallError);
    expect((err as AwsCallError).exitCode).toBe(ExitCode.aws);
    expect((err as AwsCallError).message).toBe(
      `could not assume role ${ROLE} (roleArn of this environment): AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
    );
    expect((err as AwsCallError).hint).toContain("trust policy");
    expect((err as AwsCallError).hint).toContain('sts:AssumeRole');
  });
});
