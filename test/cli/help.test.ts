import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const documented = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => Number(m[1])).sort((a, b) => a - b);
const allCodes = Object.values(ExitCode).map(Number).sort((a, b) => a - b);

describe('every exit code is documented', () => {
  it('in --help', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(ExitCode.ok);
    const section = run.stdout.slice(run.stdout.indexOf('Exit codes:'));
    expect(documented(section, /^ {2}(\d+) +\S/gm)).toEqual(allCodes);
    expect(section).toMatch(/^ {2}1 +a bug in shipper \(SHIPPER_DEBUG=1 shows the stack trace\)$/m);
  });

  it("in the README's exit-code table", () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 1));
    expect(documented(table, /^\| (\d+) \|/gm)).toEqual(allCodes);
  });
});
