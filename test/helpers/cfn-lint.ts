/** Runs the real cfn-lint on a template and returns its error-level findings. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function cfnLintErrors(template: unknown, region = 'eu-west-1'): Promise<string> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'shipper-lint-')), 'template.json');
  writeFileSync(file, JSON.stringify(template));
  try {
    await run('cfn-lint', ['--non-zero-exit-code', 'error', '--regions', region, '--', file]);
    return '';
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
}
