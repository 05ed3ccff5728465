import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderUserData, resolveUserData } from '../../src/compose/user-data.js';
import { DIGEST, TARGET_GROUP_ARN, examplePlan } from './plan-fixture.js';
import { STUBS } from './sandbox.js';
import { inlineBootScript } from './boot-run.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function shellcheck(...files: string[]): { status: number | null; output: string } {
  const result = spawnSync('/usr/bin/shellcheck', ['--external-sources', ...files], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('shellcheck', () => {
  it('passes templates/boot.sh', () => {
    expect(shellcheck('templates/boot.sh')).toEqual({ status: 0, output: '' });
  });

  it('passes the rendered user data, with and without a target group', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipper-shellcheck-'));
    const values = { ImageDigest: DIGEST, TargetGroup: TARGET_GROUP_ARN };
    const files = [examplePlan(), examplePlan({ targetGroupArn: undefined })].map((plan, i) => {
      const file = join(dir, `user-data-${i}.sh`);
      writeFileSync(file, inlineBootScript(resolveUserData(renderUserData(plan), values)));
      return file;
    });
    expect(shellcheck(...files)).toEqual({ status: 0, output: '' });
  });

  it('passes the sandbox stubs', () => {
    const stubs = readdirSync(STUBS).map((f) => join('test/boot/stubs', f));
    expect(shellcheck(...stubs)).toEqual({ status: 0, output: '' });
  });

  it('does not disable checks wholesale in the boot script', () => {
    const result = spawnSync('grep', ['-c', 'shellcheck disable', 'templates/boot.sh'], { cwd: REPO, encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('0');
  });
});
