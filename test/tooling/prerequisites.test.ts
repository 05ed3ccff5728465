/**
 * `npm test` starts with test/prerequisites.mjs: a machine without the system tools the suites
 * use is told which are missing and how to install them, before any suite runs.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/paths.js';

const script = path.join(repoRoot, 'test/prerequisites.mjs');

function check(pathDirs: string[]) {
  const run = spawnSync(process.execPath, [script], { env: { PATH: pathDirs.join(path.delimiter) }, encoding: 'utf8' });
  return { code: run.status, stderr: run.stderr };
}

/** A directory of stand-ins that exit 0 (python3 included, so `import moto.server` "works"). */
function stubs(names: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipper-prereq-'));
  for (const name of names) {
    writeFileSync(path.join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

describe('test prerequisites', () => {
  it('name what is missing with the command that installs it, and fail', () => {
    const { code, stderr } = check([mkdtempSync(path.join(tmpdir(), 'shipper-empty-'))]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^npm test needs these tools, which are missing:/);
    expect(stderr).toMatch(/shellcheck +apt-get install -y shellcheck/);
    expect(stderr).toMatch(/htpasswd +apt-get install -y apache2-utils/);
    expect(stderr).toMatch(/cfn-lint +pip install cfn-lint/);
    expect(stderr).toMatch(/moto_server .* +pip install 'moto\[server\]'/);
    expect(stderr).toMatch(/pip install cfn-lint 'moto\[server\]'/);
    expect(stderr).toMatch(/No suite was run\./);
  });

  it('pass quietly when every tool is there', () => {
    const { code, stderr } = check([stubs(['nginx', 'shellcheck', 'docker-registry', 'htpasswd', 'openssl', 'cmark-gfm', 'cfn-lint', 'python3', 'sh'])]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('run before any suite in npm test', () => {
    const scripts = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts.test).toMatch(/^node test\/prerequisites\.mjs && /);
  });
});
