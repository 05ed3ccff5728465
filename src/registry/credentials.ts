/**
 * A private registry's user name and password, read (read-only) from the secret the descriptor
 * names: an SSM SecureString, or a Secrets Manager secret read through Parameter Store's
 * documented `/aws/reference/secretsmanager/<secret-id>` reference, so one SSM client serves
 * both. https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html
 * The value is `username:password`; it never leaves this module except as credentials.
 */
import type { SsmApi } from '../aws/api.js';
import type { SecretRef } from '../descriptor/schema.js';
import type { RegistryCredentials } from './registry.js';

export class CredentialsError extends Error {}

export function secretRefLabel(ref: SecretRef): string {
  return 'ssm' in ref ? `SSM parameter ${ref.ssm}` : `Secrets Manager secret ${ref.secretsManager}`;
}

/** A secret's value, read with decryption; errors name the secret, never its value. */
export async function readSecretValue(ssm: SsmApi, ref: SecretRef, call: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn()): Promise<string | undefined> {
  const name = 'ssm' in ref ? ref.ssm : `/aws/reference/secretsmanager/${ref.secretsManager}`;
  try {
    const out = await call(() => ssm.getParameter({ Name: name, WithDecryption: true }));
    return out.Parameter?.Value;
  } catch (err) {
    // The AWS error names the parameter, never its value.
    throw new CredentialsError(`cannot read ${secretRefLabel(ref)}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

export async function readRegistryCredentials(ssm: SsmApi, ref: SecretRef, call: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn()): Promise<RegistryCredentials> {
  const value = await readSecretValue(ssm, ref, call);
  const colon = value?.indexOf(':') ?? -1;
  if (value === undefined || colon <= 0) {
    throw new CredentialsError(`${secretRefLabel(ref)} must hold username:password`);
  }
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}
