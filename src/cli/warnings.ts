/**
 * The AWS SDK warns on Node 20 that future versions will need Node 22. shipper users can do
 * nothing about it mid-deploy, so that one warning is dropped; every other warning passes.
 */
export function suppressSdkNodeVersionWarning(): void {
  const original = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const name = typeof warning === 'string' ? (typeof rest[0] === 'object' ? (rest[0] as { type?: string })?.type : rest[0]) : warning.name;
    if (name === 'NodeVersionSupportWarning' || text.startsWith('NodeVersionSupportWarning')) return;
    (original as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
