import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, exampleDescriptor } from '../helpers/paths.js';

// The built CLI (npm test builds first), as a user runs it.
function shipper(args: string[]) {
  return spawnSync(process.execPath, ['--import', path.join(repoRoot, 'test/helpers/trace-sdk-imports.mjs'), path.join(repoRoot, 'bin/shipper'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
}

describe('start-up', () => {
  it.each([[['--help']], [['--version']], [['render', '--env', 'test', '-f', exampleDescriptor]], [['deploy', '--help']]])(
    '%j does not load the AWS SDK',
    (args) => {
      const run = shipper(args);
      expect(run.status).toBe(0);
      expect(run.stderr).not.toMatch(/loaded-sdk/);
    },
  );

  it('the trace does see the SDK when a command needs it', () => {
    const run = shipper(['status', '--env', 'test', '-f', exampleDescriptor]);
    expect(run.stderr).toMatch(/loaded-sdk @aws-sdk\/client-cloudformation/);
  });

  it('prints no Node version warning from the SDK', () => {
    const run = shipper(['status', '--env', 'test', '-f', exampleDescriptor]);
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|node >=22/);
  });
});
