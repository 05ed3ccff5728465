#!/usr/bin/env node
// Thirty services deploying at once in one simulated account, against one service alone.
// Build first: npm run bench:fleet. Every service is a copy of examples/hello under its own
// name (and stack), live on v1. One `shipper deploy -f ... -f ... --concurrency N` deploys v2 to
// all of them (the fleet runner, src/fleet), in one process, sharing one set of clients. The
// simulated cloud throttles CloudFormation and Auto Scaling as token buckets
// (test/sim/throttle-rates.ts, each rate with its source) and its clock runs concurrently:
// simulated time is the slowest deploy's, not the sum of everybody's waits.
// Reported, in simulated time only, all in this one run:
// 1. calls AWS throttled (the simulated cloud's count) and deploys that failed because of it (must be 0);
// 2. API calls per deploy, fleet against alone;
// 3. total simulated wall time, fleet against alone, and the ratio;
// 4. per service, from UPDATE_COMPLETE_CLEANUP_IN_PROGRESS to "live" reported (median / max).
// Three ways: one service alone; the fleet with one shared pacer (src/aws/pacer.ts); the fleet
// with no pacing, each call only retried with backoff (what shipper did before the pacer).
// FLEET_SIZE and FLEET_CONCURRENCY change the fleet (default 30, all at once).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../dist/cli/program.js';
import { loadServiceEnvironment } from '../dist/descriptor/load.js';
import { composeStack } from '../dist/compose/stack.js';
import { declaredSidecarImages } from '../dist/compose/sidecars/images.js';
import { AdaptivePacer } from '../dist/aws/pacer.js';
import { SimCloud } from '../dist-bench/test/sim/cloud.js';
import { SimPublicRegistry } from '../dist-bench/test/sim/registry.js';

// Every in-process command listens for Ctrl-C; thirty at once are expected here.
process.setMaxListeners(0);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const exampleDir = path.join(root, 'examples/hello');
const FLEET_SIZE = Number(process.env.FLEET_SIZE ?? 30);
const CONCURRENCY = Number(process.env.FLEET_CONCURRENCY ?? FLEET_SIZE);
const digest = (c) => `sha256:${c.repeat(64)}`;

/** N copies of examples/hello, each its own service (svc-01 ... svc-NN), in a temporary directory. */
function writeServices(dir, n) {
  const descriptor = readFileSync(path.join(exampleDir, 'shipper.yml'), 'utf8');
  return Array.from({ length: n }, (_, i) => {
    const name = `svc-${String(i + 1).padStart(2, '0')}`;
    const serviceDir = path.join(dir, name);
    cpSync(exampleDir, serviceDir, { recursive: true });
    writeFileSync(
      path.join(serviceDir, 'shipper.yml'),
      descriptor
        .replace(/^service: hello$/m, `service: ${name}`)
        .replaceAll('hello.test.example.com', `${name}.test.example.com`)
        .replace(/priority: 120/, `priority: ${200 + i}`),
    );
    return { name, dir: serviceDir };
  });
}

/** One simulated account (throttling on, concurrent clock) with every service live on v1. */
function liveWorld(services) {
  const cloud = new SimCloud({ start: '2026-11-23T06:25:30Z', throttle: true, concurrent: true });
  cloud.ecr.addImage('hello', 'v1', digest('1')).addImage('hello', 'v2', digest('2'));
  let registry;
  for (const service of services) {
    const target = loadServiceEnvironment({ file: path.join(service.dir, 'shipper.yml'), env: 'test' });
    const declared = declaredSidecarImages(target.service);
    registry ??= SimPublicRegistry.servingImages(declared);
    cloud.seedStack({
      stackName: target.stackName,
      templateBody: JSON.stringify(composeStack(target, { imageTag: 'v1', imageDigest: digest('1'), sidecarImages: registry.pinnedOf(declared) })),
      parameters: { ImageTag: 'v1', ImageDigest: digest('1'), DesiredCapacity: String(target.service.capacity.desired) },
      status: 'CREATE_COMPLETE',
      idleSecondsAfter: 3600,
    });
    service.stackName = target.stackName;
  }
  return { cloud, registry };
}

/** The options every in-process command of the bench gets: the simulated cloud, shared clients and pacer. */
function benchDeps(cloud, registry, clients, pacer) {
  return {
    clients: async () => clients,
    clock: cloud.clock,
    exitNow: () => undefined,
    registryFetch: registry.fetch,
    // cfn-lint is a real process taking real seconds; the simulated clock must not wait on it.
    lint: async () => ({ available: true, findings: [] }),
    pacer,
  };
}

/** Runs a command in process with --json, keeping every NDJSON event with the simulated time it was printed at. */
async function runJson(cloud, args, cwd, deps) {
  const events = [];
  const stderr = [];
  const io = {
    stdout: { write: (s) => { for (const l of s.split('\n').filter(Boolean)) events.push({ at: cloud.clock.nowMs(), event: JSON.parse(l) }); }, isTTY: false },
    stderr: { write: (s) => stderr.push(s) },
    env: { PATH: process.env.PATH, USER: 'bench' },
    cwd,
    stdinIsTTY: false,
  };
  const code = await runCli([...args, '--json'], io, deps);
  return { code, events, stderr: stderr.join('') };
}

/** One service alone: `shipper deploy --env test --image-tag v2`. */
async function deployAlone(cloud, registry, clients, pacer, service) {
  const run = await runJson(cloud, ['deploy', '--env', 'test', '--image-tag', 'v2'], service.dir, benchDeps(cloud, registry, clients, pacer));
  return [{ service, ...run }];
}

/**
 * The fleet: one `shipper deploy --env test --image-tag v2 -f a/shipper.yml -f b/shipper.yml ...
 * --concurrency N` (src/fleet), split back into each service's events by their `service` field.
 */
async function deployFleet(cloud, registry, clients, pacer, services) {
  const files = services.flatMap((s) => ['-f', path.join(s.dir, 'shipper.yml')]);
  const run = await runJson(cloud, ['deploy', '--env', 'test', '--image-tag', 'v2', '--concurrency', String(CONCURRENCY), ...files], root, benchDeps(cloud, registry, clients, pacer));
  const summary = run.events.find((e) => e.event.type === 'fleet.summary')?.event;
  return services.map((service) => {
    const result = summary?.services.find((r) => r.service === service.name);
    return {
      service,
      code: result ? result.exitCode : run.code,
      events: run.events.filter((e) => e.event.service === service.name && !e.event.type.startsWith('fleet.')),
      stderr: result && result.exitCode !== 0 ? `${result.rootCause ?? ''} ${result.message ?? ''}` : run.code !== 0 && !summary ? run.stderr : '',
    };
  });
}

const NO_PACING = { take: async () => undefined, settle: () => undefined };

/** Retry jitter and change-set tokens use Math.random: seeded, so every run of the bench unfolds the same way. */
function seedRandom(seed) {
  let a = seed >>> 0;
  Math.random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function measure(services, pacing) {
  seedRandom(42);
  const { cloud, registry } = liveWorld(services);
  const clients = cloud.clients();
  const pacer = pacing === 'shared' ? new AdaptivePacer(cloud.clock) : NO_PACING;
  cloud.calls.reset();
  const start = cloud.clock.nowMs();
  const wallStart = performance.now();
  const runs = services.length === 1 ? await deployAlone(cloud, registry, clients, pacer, services[0]) : await deployFleet(cloud, registry, clients, pacer, services);
  const end = cloud.clock.nowMs();
  const wallMs = performance.now() - wallStart;
  const calls = cloud.calls.snapshot();
  const latencies = [];
  let throttlingFailures = 0;
  const failures = [];
  for (const run of runs) {
    if (run.code !== 0) {
      const error = run.events.find((e) => e.event.type === 'error')?.event;
      const text = `${JSON.stringify(error ?? {})} ${run.stderr}`;
      if (/Rate exceeded|Throttling/i.test(text)) throttlingFailures++;
      failures.push(`${run.service.name}: exit ${run.code} ${error?.message ?? run.stderr.trim().split('\n')[0] ?? ''}`);
      continue;
    }
    const stackEvents = cloud.cloudFormation.findStack(run.service.stackName).events.filter((e) => e.LogicalResourceId === run.service.stackName);
    const cleanup = stackEvents.findLast((e) => e.ResourceStatus === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')?.Timestamp.getTime();
    const live = run.events.find((e) => e.event.type === 'deploy.live')?.at;
    if (cleanup !== undefined && live !== undefined) latencies.push((live - cleanup) / 1000);
  }
  latencies.sort((a, b) => a - b);
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  return {
    deploys: services.length,
    ok: runs.filter((r) => r.code === 0).length,
    failures,
    throttlingFailures,
    throttled: cloud.throttle.throttled,
    throttledByCall: cloud.throttle.snapshot(),
    callsPerDeploy: total / services.length,
    calls,
    simSeconds: (end - start) / 1000,
    wallMs,
    liveLatency: { median: latencies[Math.floor((latencies.length - 1) / 2)] ?? NaN, max: latencies.at(-1) ?? NaN },
    pacer: pacing === 'shared' ? { throttles: pacer.throttles, waitedSeconds: pacer.waitedMs / 1000 } : undefined,
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'shipper-fleet-'));
try {
  const services = writeServices(dir, FLEET_SIZE);
  const alone = await measure(services.slice(0, 1), 'shared');
  const fleet = await measure(services, 'shared');
  const unpaced = await measure(services, 'none');

  const mmss = (s) => `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  const sum = (calls, prefix) => Object.entries(calls).filter(([k]) => k.startsWith(prefix)).reduce((t, [, n]) => t + n, 0);
  console.log(`Fleet of ${FLEET_SIZE} (examples/hello copies, concurrency ${CONCURRENCY}) deploying v2 at once, against one alone; simulated time, AWS throttling on (test/sim/throttle-rates.ts):\n`);
  const row = (label, m) => {
    console.log(`  ${label}`);
    console.log(`    deploys live ${m.ok}/${m.deploys}; failed on throttling ${m.throttlingFailures}; calls AWS throttled ${m.throttled}${m.throttled ? ` (${Object.entries(m.throttledByCall).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`);
    console.log(`    API calls per deploy ${m.callsPerDeploy.toFixed(1)} (CloudFormation ${(sum(m.calls, 'cloudFormation.') / m.deploys).toFixed(1)}, Auto Scaling ${(sum(m.calls, 'autoScaling.') / m.deploys).toFixed(1)})`);
    console.log(`    total simulated time ${mmss(m.simSeconds)} (${m.simSeconds.toFixed(1)} s); live reported after UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: median ${m.liveLatency.median.toFixed(1)} s, max ${m.liveLatency.max.toFixed(1)} s  (${m.wallMs.toFixed(0)} ms real)`);
    if (m.pacer) console.log(`    pacer: ${m.pacer.throttles} throttles seen, ${m.pacer.waitedSeconds.toFixed(1)} s waited in all`);
    for (const f of m.failures.slice(0, 5)) console.log(`    FAILED ${f}`);
  };
  row('one service alone', alone);
  row(`fleet of ${FLEET_SIZE}, one shared pacer`, fleet);
  row(`fleet of ${FLEET_SIZE}, no pacing (retries only)`, unpaced);
  console.log(`\n  fleet / alone: API calls per deploy ${(fleet.callsPerDeploy / alone.callsPerDeploy).toFixed(2)}x, total time ${(fleet.simSeconds / alone.simSeconds).toFixed(2)}x`);
  console.log(`  without pacing: API calls per deploy ${(unpaced.callsPerDeploy / alone.callsPerDeploy).toFixed(2)}x, total time ${(unpaced.simSeconds / alone.simSeconds).toFixed(2)}x, ${unpaced.throttled} throttled, ${unpaced.deploys - unpaced.ok} failed`);
  if (fleet.throttlingFailures > 0 || fleet.ok !== fleet.deploys) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
