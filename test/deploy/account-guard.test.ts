/**
 * Every command that reads an environment checks the caller's account first, as deploy does:
 * with credentials for another account, status must not say "not deployed yet".
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { world } from './harness.js';

// The simulated credentials are for 123456789012; the example's prod deploys to 210987654321.
const REFUSAL = 'error: these credentials are for account 123456789012, but environment "prod" deploys to account 210987654321\n  use credentials for 210987654321 (e.g. --profile, AWS_PROFILE); nothing was changed\n';

describe('the account guard', () => {
  it.each(['deploy --image-tag v2 --yes', 'status', 'status --json', 'releases', 'watch', 'rollback --yes', 'rollback --to v1 --yes'])(
    'shipper %s --env prod refuses the wrong account with exit 3 before reading anything', async (command) => {
    const w = world({ live: true });
    const run = await w.run([...command.split(' '), '--env', 'prod']);
    expect(run.stderr).toBe(REFUSAL);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stdout).not.toMatch(/not deployed|No releases|nothing in progress/i);
    // The identity check is the only call made.
    expect(w.cloud.calls.snapshot()).toEqual({ 'sts.getCallerIdentity': 1 });
  },
  );

  it('the right account passes the guard', async () => {
    const w = world({ live: true });
    const run = await w.run(['status', '--env', 'test']);
    expect(run.code).toBe(ExitCode.ok);
    expect(w.cloud.calls.count('getCallerIdentity')).toBe(1);
  });
});
