#!/usr/bin/env node
/**
 * `npm test` runs this first: the suites use real tools (nginx, shellcheck, cfn-lint, moto_server,
 * docker-registry, htpasswd, openssl, cmark-gfm), and a missing one should be named up front with the command that installs
 * it, not discovered as a failure deep inside a suite. Exits 1 when anything is missing.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const env = process.env;

function onPath(command) {
  if (command.includes('/')) return executable(command);
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, command)));
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pythonHas(module) {
  if (!onPath('python3')) return false;
  return spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

const TOOLS = [
  // Debian installs nginx in /usr/sbin, which a normal user's PATH may not include; the tests run it from there.
  { name: 'nginx', found: () => onPath('nginx') || executable('/usr/sbin/nginx'), apt: 'nginx' },
  { name: 'shellcheck', found: () => onPath('shellcheck'), apt: 'shellcheck' },
  { name: 'docker-registry', found: () => onPath('docker-registry') || executable('/usr/bin/docker-registry'), apt: 'docker-registry' },
  // The registry tests write a bcrypt htpasswd file and sign registry tokens with an openssl key.
  { name: 'htpasswd', found: () => onPath('htpasswd'), apt: 'apache2-utils' },
  { name: 'openssl', found: () => onPath('openssl'), apt: 'openssl' },
  // The CI annotations are rendered as GitHub-flavoured Markdown, the dialect Buildkite renders.
  { name: 'cmark-gfm', found: () => onPath('cmark-gfm'), apt: 'cmark-gfm' },
  { name: 'cfn-lint', found: () => onPath(env.SHIPPER_CFN_LINT ?? 'cfn-lint'), pip: 'cfn-lint' },
  // The moto tests start examples/local/moto_server.py (python3 with moto's server), unless CI started one for them.
  { name: 'moto_server (python3 -c "import moto.server")', found: () => Boolean(env.SHIPPER_MOTO_ENDPOINT) || pythonHas('moto.server'), pip: "'moto[server]'" },
];

const missing = TOOLS.filter((tool) => !tool.found());
if (missing.length === 0) process.exit(0);

const width = Math.max(...missing.map((t) => t.name.length));
const lines = ['npm test needs these tools, which are missing:'];
for (const tool of missing) lines.push(`  ${tool.name.padEnd(width)}  ${tool.apt ? `apt-get install -y ${tool.apt}` : `pip install ${tool.pip}`}`);
const apt = missing.filter((t) => t.apt).map((t) => t.apt);
const pip = missing.filter((t) => t.pip).map((t) => t.pip);
lines.push('', 'Install them (Debian or Ubuntu) with:');
if (apt.length) lines.push(`  apt-get install -y ${apt.join(' ')}`);
if (pip.length) lines.push(`  pip install ${pip.join(' ')}`);
lines.push('then run npm test again. No suite was run.');
process.stderr.write(`${lines.join('\n')}\n`);
process.exit(1);
