/**
 * The one place where errors become exit codes and messages. Commands throw; this prints
 * one clear message (with hints) on stderr and returns the documented exit code.
 */
import { BadInputError, ExitCode, ShipperError, type ExitCodeValue } from '../errors.js';
import type { CliIo } from './io.js';

export function reportError(err: unknown, io: CliIo): ExitCodeValue {
  if (err instanceof BadInputError) {
    const count = err.problems.length;
    io.stderr.write(`error: ${count === 1 ? 'invalid input' : `${count} problems in the input`} (nothing was changed)\n`);
    for (const line of err.message.split('\n')) io.stderr.write(`  ${line}\n`);
    if (err.hint) io.stderr.write(`  hint: ${err.hint}\n`);
    return err.exitCode;
  }
  if (err instanceof ShipperError) {
    io.stderr.write(`error: ${err.message}\n`);
    if (err.hint) for (const line of err.hint.split('\n')) io.stderr.write(`  ${line}\n`);
    return err.exitCode;
  }
  if (isAwsError(err)) {
    const e = err as Error;
    io.stderr.write(`error: AWS said ${e.name}: ${e.message}\n`);
    io.stderr.write(`  ${awsHint(e.name)}\n`);
    return ExitCode.aws;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.stderr.write(`error: unexpected failure: ${e.message}\n`);
  if (io.env.SHIPPER_DEBUG) io.stderr.write(`${e.stack ?? ''}\n`);
  else io.stderr.write('  set SHIPPER_DEBUG=1 for the stack trace, and please report it\n');
  return ExitCode.internal;
}

/** SDK service errors carry $metadata; credential problems come from the provider chain. */
function isAwsError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return '$metadata' in err || /^(CredentialsProviderError|ProviderError|TokenProviderError)$/.test(err.name) || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(err.message);
}

function awsHint(name: string): string {
  if (/Credentials|Provider|ExpiredToken|InvalidClientTokenId|UnrecognizedClient/.test(name)) return 'check your AWS credentials (aws sts get-caller-identity; --profile; aws sso login)';
  if (/AccessDenied|Unauthorized/.test(name)) return 'these credentials lack a permission shipper needs (see README "Permissions")';
  return 'check the region, the network and the endpoint (AWS_ENDPOINT_URL)';
}
