/**
 * The account guard: every command that reads or changes an environment first checks that
 * the caller's credentials belong to the environment's account. Wrong credentials would
 * otherwise read another account's (absent) stack and report "not deployed yet".
 */
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { PreflightError } from '../errors.js';
import { aws, type DeployContext } from './context.js';

/** Who is calling, as STS sees it; refused (exit 3) when it is not the environment's account. */
export async function verifyAccount(ctx: DeployContext, target: ServiceEnvironment): Promise<Omit<GetCallerIdentityCommandOutput, '$metadata'>> {
  const identity = await aws(ctx, () => ctx.clients.sts.getCallerIdentity({}));
  const accountId = identity.Account ?? '';
  const expected = target.service.account;
  if (accountId !== expected) {
    throw new PreflightError(`these credentials are for account ${accountId}, but environment "${target.env}" deploys to account ${expected}`, {
      hint: roleAccount(target.service.roleArn) === accountId
        ? `the assumed roleArn ${target.service.roleArn} is in account ${accountId}: name a role in ${expected}; nothing was changed`
        : `use credentials for ${expected} (e.g. --profile, AWS_PROFILE); nothing was changed`,
    });
  }
  return identity;
}

/** arn:aws:iam::ACCOUNT:role/NAME → ACCOUNT. */
function roleAccount(roleArn: string | undefined): string | undefined {
  return roleArn?.split(':')[4];
}
