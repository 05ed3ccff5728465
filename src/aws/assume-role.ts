/**
 * Cross-account deploys: an environment's `roleArn` is assumed through STS with the caller's
 * own credentials before any other call, and every client then works with the role's
 * temporary credentials (renewed before they expire, for deploys longer than the session).
 */
import type { AssumeRoleCommandInput, AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { userInfo } from 'node:os';
import { AwsCallError } from '../errors.js';

export interface AssumeRoleApi {
  assumeRole(input: AssumeRoleCommandInput): Promise<Omit<AssumeRoleCommandOutput, '$metadata'>>;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** One hour, AssumeRole's default and the longest a role chained from another role may have. */
const SESSION_SECONDS = 3600;
/** Renew this long before expiry so no call is signed with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

/**
 * Who deploys, as the role session's name (it appears in CloudTrail and in the assumed role's
 * ARN): the Buildkite pipeline and build when run there, else the local user.
 */
export function deploySessionName(env: NodeJS.ProcessEnv, localUser: () => string = () => userInfo().username): string {
  const pipeline = env.BUILDKITE_PIPELINE_SLUG;
  const build = env.BUILDKITE_BUILD_NUMBER;
  const raw = pipeline && build ? `buildkite-${pipeline}-${build}` : `shipper-${safeUser(localUser)}`;
  // STS allows [\w+=,.@-], 2 to 64 characters (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
  const name = raw.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : 'shipper';
}

function safeUser(localUser: () => string): string {
  try {
    return localUser() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Assumes the role now (so a role that cannot be assumed fails before anything else is read),
 * and returns a credential provider for the SDK clients that renews the session when needed.
 */
export async function assumeRoleCredentials(
  sts: AssumeRoleApi,
  roleArn: string,
  sessionName: string,
  now: () => Date = () => new Date(),
): Promise<() => Promise<TemporaryCredentials>> {
  let current = await assume(sts, roleArn, sessionName);
  let renewing: Promise<TemporaryCredentials> | undefined;
  return async () => {
    if (current.expiration.getTime() - now().getTime() > RENEW_BEFORE_MS) return current;
    renewing ??= assume(sts, roleArn, sessionName).finally(() => (renewing = undefined));
    current = await renewing;
    return current;
  };
}

async function assume(sts: AssumeRoleApi, roleArn: string, sessionName: string): Promise<TemporaryCredentials> {
  let out: Omit<AssumeRoleCommandOutput, '$metadata'>;
  try {
    out = await sts.assumeRole({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: SESSION_SECONDS });
  } catch (err) {
    throw roleNotAssumable(roleArn, err);
  }
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw roleNotAssumable(roleArn, new Error('STS returned no credentials'));
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration ?? new Date(Date.now() + SESSION_SECONDS * 1000) };
}

/** Exit 7, naming the role and what usually has to change for it to work. */
export function roleNotAssumable(roleArn: string, err: unknown): AwsCallError {
  if (err instanceof AwsCallError) return err;
  if (err instanceof Error && err.name === 'CredentialsProviderError') {
    return new AwsCallError(`no AWS credentials to assume role ${roleArn} (roleArn of this environment) with: ${err.message}`, {
      hint: 'give shipper the identity that may assume the role: --profile, AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role',
      cause: err,
    });
  }
  const reason = err instanceof Error ? `${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}` : String(err);
  return new AwsCallError(`could not assume role ${roleArn} (roleArn of this environment): ${reason}`, {
    hint:
      "the role's trust policy must name the identity you deploy with (see README \"Cross-account deploys\"), and that identity needs sts:AssumeRole on the role;\n" +
      'check which identity that is with: aws sts get-caller-identity',
    cause: err,
  });
}
