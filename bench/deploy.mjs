#!/usr/bin/env node
// `shipper deploy` against moto_server, in three measurements (build first: npm run bench:deploy):
// 1. wall clock of a fresh create and an update, shipper vs `aws cloudformation deploy` of the
//    same rendered template and parameters, both as child processes, interleaved, medians;
// 2. the AWS API calls one shipper deploy makes, counted at its clients (in-process);
// 3. how long after the stack settles shipper returns: a parallel poller timestamps the first
//    DescribeStacks that shows the operation complete, against the moment shipper returns.
// moto completes stacks at once, so this measures shipper's own overhead, not a rollout.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { resetMoto, startMotoServer } from '../examples/local/moto.mjs';
import { LOCAL_ENV, LOCAL_REGION, seedLocalAws, writeLocalDescriptor } from '../examples/local/seed.mjs';
import { suppressSdkNodeVersionWarning } from '../dist/cli/warnings.js';
import { runCli } from '../dist/cli/program.js';
import { createAwsClients } from '../dist/aws/sdk-factory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shipperBin = path.join(root, 'bin/shipper');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const STACK = `hello-${LOCAL_ENV}`;
const PHASES = ['create', 'update'];
const TAG = { create: 'v1', update: 'v2' };

suppressSdkNodeVersionWarning();
const moto = await startMotoServer();
for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: LOCAL_REGION });
const cfn = new CloudFormationClient({ region: LOCAL_REGION });

try {
  const wall = { shipper: { create: [], update: [] }, aws: { create: [], update: [] } };
  for (let i = 0; i <= runs; i++) {
    const warmUp = i === 0;
    const s = await freshAccount();
    for (const phase of PHASES) record(wall.shipper[phase], warmUp, timed(() => child(process.execPath, [shipperBin, 'deploy', '--env', LOCAL_ENV, '-f', s.descriptor, '--image-tag', TAG[phase]])));
    const a = await freshAccount();
    for (const phase of PHASES) {
      const { file, overrides } = renderTemplate(a, TAG[phase]);
      record(wall.aws[phase], warmUp, timed(() => child('aws', ['--endpoint-url', moto.endpoint, '--region', LOCAL_REGION, 'cloudformation', 'deploy', '--template-file', file, '--stack-name', STACK, '--capabilities', 'CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', '--parameter-overrides', ...overrides])));
    }
  }

  const calls = {};
  const notice = { create: [], update: [] };
  for (let i = 0; i < runs; i++) {
    const s = await freshAccount();
    for (const phase of PHASES) {
      const counts = new Map();
      const settled = firstSettled(phase);
      const code = await runCli(['deploy', '--env', LOCAL_ENV, '-f', s.descriptor, '--image-tag', TAG[phase], '--json'], silentIo(s.dir), { clients: countingClients(counts) });
      const returnedAt = performance.now();
      if (code !== 0) throw new Error(`shipper deploy (${phase}) exited ${code}`);
      notice[phase].push(returnedAt - (await settled));
      calls[phase] = Object.fromEntries(counts);
    }
  }

  report(wall, calls, notice);
} finally {
  cfn.destroy();
  await moto.stop();
}

async function freshAccount() {
  await resetMoto(moto.endpoint);
  const seeded = await seedLocalAws({ endpoint: moto.endpoint });
  const dir = mkdtempSync(path.join(tmpdir(), 'shipper-bench-'));
  return { dir, seeded, descriptor: writeLocalDescriptor(dir, seeded) };
}

/**
 * The template shipper deploys for this tag, compact (as shipper sends it), and the parameters
 * as `aws cloudformation deploy --parameter-overrides` takes them. Every parameter is given its
 * value: the CLI sends UsePreviousValue for the others, which moto resolves wrongly for the
 * SSM-typed AmiId (it looks the previous AMI id up as a parameter name and fails).
 */
function renderTemplate(account, tag) {
  const file = path.join(account.dir, `template-${tag}.json`);
  child(process.execPath, [shipperBin, 'render', '--env', LOCAL_ENV, '-f', account.descriptor, '--image-tag', tag, '--image-digest', account.seeded.images[tag], '--format', 'json', '-o', file]);
  const template = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify(template));
  const values = { ...Object.fromEntries(Object.entries(template.Parameters).map(([k, p]) => [k, p.Default])), DesiredCapacity: 2 };
  return { file, overrides: Object.entries(values).map(([k, v]) => `${k}=${v}`) };
}

function child(command, args) {
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${r.status}: ${r.stderr}`);
}

function timed(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function record(list, warmUp, ms) {
  if (!warmUp) list.push(ms);
}

/** Resolves with the time DescribeStacks first shows this phase's operation complete. */
async function firstSettled(phase) {
  const done = phase === 'create' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    try {
      const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: STACK }));
      if (Stacks?.[0]?.StackStatus === done) return performance.now();
    } catch {
      // the stack does not exist yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${STACK} did not reach ${done} within 30s`);
}

/** The real clients, with every call counted as `service.method`. */
function countingClients(counts) {
  return async (region, profile) => {
    const clients = await createAwsClients({ region, profile });
    return Object.fromEntries(
      Object.entries(clients).map(([service, api]) => [
        service,
        Object.fromEntries(
          Object.entries(api).map(([method, call]) => [
            method,
            (input) => {
              counts.set(`${service}.${method}`, (counts.get(`${service}.${method}`) ?? 0) + 1);
              return call(input);
            },
          ]),
        ),
      ]),
    );
  };
}

function silentIo(cwd) {
  const sink = { write: () => true, isTTY: false };
  return { stdout: sink, stderr: sink, env: process.env, cwd, stdinIsTTY: false };
}

function report(wall, calls, notice) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (x) => x.toFixed(0).padStart(10);
  console.log(`moto_server ${moto.endpoint}; ${runs} runs after one warm-up, medians`);
  console.log('\nwall clock          shipper ms    aws ms  shipper/aws');
  for (const phase of PHASES) {
    const s = median(wall.shipper[phase]);
    const a = median(wall.aws[phase]);
    console.log(`${phase.padEnd(16)} ${ms(s)} ${ms(a)}  ${(s / a).toFixed(2).padStart(10)}x`);
  }
  console.log('\nAWS API calls per shipper deploy');
  for (const phase of PHASES) {
    const byService = {};
    for (const [name, n] of Object.entries(calls[phase])) byService[name.split('.')[0]] = (byService[name.split('.')[0]] ?? 0) + n;
    const total = Object.values(byService).reduce((a, b) => a + b, 0);
    console.log(`${phase.padEnd(16)} ${total} calls: ${Object.entries(byService).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`${''.padEnd(16)} cloudFormation: ${Object.entries(calls[phase]).filter(([k]) => k.startsWith('cloudFormation.')).map(([k, v]) => `${k.slice('cloudFormation.'.length)} ${v}`).join(', ')}`);
  }
  console.log('\nstack settled → shipper returned (parallel DescribeStacks poller, 5 ms interval)');
  for (const phase of PHASES) {
    const worst = Math.max(...notice[phase]);
    console.log(`${phase.padEnd(16)} median ${median(notice[phase]).toFixed(0)} ms, worst ${worst.toFixed(0)} ms: ${worst < 1000 ? 'within 1 s' : 'OVER 1 s'}`);
  }
}
