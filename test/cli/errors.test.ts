import { describe, expect, it } from '@jest/globals';
import { reportError } from '../../src/cli/errors-to-exit.js';
import { parseDuration } from '../../src/cli/duration.js';
import { awsError } from '../../src/aws/api.js';
import { BadInputError, DeployRolledBackError, ExitCode, NeedsAttentionError, PreflightError } from '../../src/errors.js';

function report(err: unknown, env: NodeJS.ProcessEnv = {}) {
  let stderr = '';
  const code = reportError(err, { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env, cwd: '/', stdinIsTTY: false });
  return { code, stderr };
}

describe('the one error handler', () => {
  it('gives every kind of failure its own exit code', () => {
    expect(report(new BadInputError({ message: 'x' })).code).toBe(ExitCode.badInput);
    expect(report(new PreflightError('x')).code).toBe(ExitCode.preflightRefused);
    expect(report(new DeployRolledBackError('x')).code).toBe(ExitCode.deployRolledBack);
    expect(report(new NeedsAttentionError('x')).code).toBe(ExitCode.needsAttention);
    expect(report(awsError('AccessDenied', 'User is not authorized')).code).toBe(ExitCode.aws);
    expect(report(new TypeError('boom')).code).toBe(ExitCode.internal);
    expect(new Set(Object.values(ExitCode)).size).toBe(Object.values(ExitCode).length);
  });

  it('prints the hint under the message', () => {
    const { stderr } = report(new NeedsAttentionError('stack is UPDATE_ROLLBACK_FAILED', { hint: 'run continue-update-rollback\nthen deploy again' }));
    expect(stderr).toBe('error: stack is UPDATE_ROLLBACK_FAILED\n  run continue-update-rollback\n  then deploy again\n');
  });

  it('explains AWS errors with a hint for credentials and permissions', () => {
    expect(report(awsError('ExpiredToken', 'The security token included in the request is expired')).stderr).toMatch(/check your AWS credentials/);
    expect(report(awsError('AccessDenied', 'no')).stderr).toMatch(/lack a permission/);
  });

  it('shows a stack trace for bugs only when asked', () => {
    expect(report(new Error('bug')).stderr).not.toMatch(/at /);
    expect(report(new Error('bug'), { SHIPPER_DEBUG: '1' }).stderr).toMatch(/\n\s+at /);
  });
});

describe('durations for --timeout', () => {
  it.each([
    ['20m', 1_200_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['PT20M', 1_200_000],
  ])('%s', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms));

  it.each(['', '0m', 'soon', '20', '-5m'])('rejects %j', (text) => expect(() => parseDuration(text, '--timeout')).toThrow(BadInputError));
});
