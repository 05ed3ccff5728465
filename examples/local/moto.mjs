/**
 * Starts moto_server (through moto_server.py, whose change sets behave as CloudFormation's) on
 * a free loopback port, waits until it answers, and stops it again. Shared by the integration
 * tests and the benchmarks; demo.sh does the same in bash.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LAUNCHER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'moto_server.py');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** Returns `{ endpoint, stop() }`; throws with moto's own output when it does not come up. */
export async function startMotoServer() {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(motoPython(), [LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk.toString()).slice(-4000)));
  try {
    await waitUntilAnswering(endpoint, child, () => log);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { endpoint, stop: () => stopChild(child) };
}

/** Forgets every resource, so the next user starts from an empty account. */
export async function resetMoto(endpoint) {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

/** The Python that moto_server runs with (pipx and virtualenvs have their own), else python3. */
function motoPython() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const script = path.join(dir, 'moto_server');
    if (!existsSync(script)) continue;
    const interpreter = /^#!(\/\S*python[\d.]*)\s*$/.exec(readFileSync(script, 'utf8').split('\n', 1)[0] ?? '')?.[1];
    return interpreter && existsSync(interpreter) ? interpreter : 'python3';
  }
  return 'python3';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(endpoint, child, log) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000}s:\n${log()}`);
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
