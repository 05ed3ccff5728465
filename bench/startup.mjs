#!/usr/bin/env node
// Start-up cost of the CLI, as ratios against bare `node -e 0` measured in the same run:
// `shipper --version` (aim: within 2x of bare node) and `shipper render` of the example.
// Runs are interleaved so machine noise hits every command alike. Build first (npm run build).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shipper = path.join(root, 'bin/shipper');
const example = path.join(root, 'examples/hello/shipper.yml');
const runs = Number(process.env.BENCH_RUNS ?? 15);

const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'shipper --version': [process.execPath, [shipper, '--version']],
  'shipper --help': [process.execPath, [shipper, '--help']],
  'shipper render': [process.execPath, [shipper, 'render', '--env', 'test', '-f', example, '--image-tag', 'v1', '--image-digest', `sha256:${'a'.repeat(64)}`]],
};

const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (let i = 0; i < runs + 2; i++) {
  for (const [name, [cmd, args]] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    if (i >= 2) times[name].push(ms); // the first two rounds warm the file cache
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times['node -e 0']);
console.log(`runs: ${runs} each, interleaved; medians and ratios against bare node`);
console.log('command'.padEnd(20), 'median ms'.padStart(10), 'ratio'.padStart(7));
for (const name of Object.keys(commands)) {
  const m = median(times[name]);
  console.log(name.padEnd(20), m.toFixed(1).padStart(10), `${(m / base).toFixed(2)}x`.padStart(7));
}
const versionRatio = median(times['shipper --version']) / base;
console.log(versionRatio <= 2 ? `ok: --version is within 2x of bare node (${versionRatio.toFixed(2)}x)` : `over target: --version is ${versionRatio.toFixed(2)}x bare node (target 2x)`);
