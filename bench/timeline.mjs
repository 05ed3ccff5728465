#!/usr/bin/env node
// `shipper deploy` of the bundled example in the simulated cloud, on the timeline of the real
// replacing update in test/fixtures (FIXTURE_TIMINGS; each new instance signals SUCCESS
// 206 s after launch). Build first: npm run bench:timeline. It reports, in simulated time from
// the operation's "User Initiated" event:
// 1. when shipper reports the new release live, and when it returns, against the moments the
//    stack reaches UPDATE_COMPLETE_CLEANUP_IN_PROGRESS and UPDATE_COMPLETE (and the real trace's
//    tool, which waited for UPDATE_COMPLETE);
// 2. how long after UPDATE_COMPLETE_CLEANUP_IN_PROGRESS shipper reported live (its polling
//    latency), in-process (calls answer instantly) and over the wire (every call takes 80-250 ms
//    of simulated time, test/sim/latency.ts), over several runs whose signals land at different
//    moments of the poll loop;
// 3. the CloudFormation and Auto Scaling API calls of one deploy, by API;
// 4. how long after an instance's FAILURE signal, and after the rollback starts, shipper shows them.
// Both modes are measured: the default (return once live) and --wait-cleanup.
// `node bench/timeline.mjs --record-baseline` stores this run's numbers in
// bench/timeline-baseline.json; later runs print them as "before" next to their own.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../dist/cli/program.js';
import { loadServiceEnvironment } from '../dist/descriptor/load.js';
import { composeStack } from '../dist/compose/stack.js';
import { declaredSidecarImages } from '../dist/compose/sidecars/images.js';
import { SimCloud } from '../dist-bench/test/sim/cloud.js';
import { SimPublicRegistry } from '../dist-bench/test/sim/registry.js';
import { uniformLatency, WIRE_LATENCY } from '../dist-bench/test/sim/latency.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const exampleDir = path.join(root, 'examples/hello');
const FIXTURE = path.resolve(root, 'test/fixtures/charge-central-deploy-test.events.tsv');
const BASELINE = path.join(root, 'bench/timeline-baseline.json');
const digest = (c) => `sha256:${c.repeat(64)}`;
/** Signals land this much later per run, so the moment the stack goes live falls at a different point of the poll loop each time. */
const SIGNAL_OFFSETS = Array.from({ length: 10 }, (_, k) => Math.round(k * 0.53 * 100) / 100);
/** When the failing instance signals FAILURE (seconds after launch), spread over the boot. */
const FAILURE_AT = Array.from({ length: 16 }, (_, k) => Math.round((60 + k * 8.37) * 100) / 100);
/** cfn-lint takes seconds and changes nothing in simulated time: the repeated runs skip it. */
const lintPasses = async () => ({ available: true, findings: [] });

/** A simulated account with hello-test live on v1, as a previous deploy left it. */
function liveWorld(opts) {
  const cloud = new SimCloud({ start: '2026-11-23T06:25:30Z', apiLatency: opts.wire ? uniformLatency(WIRE_LATENCY, opts.seed ?? 7) : undefined });
  cloud.ecr.addImage('hello', 'v1', digest('1')).addImage('hello', 'v2', digest('2'));
  const target = loadServiceEnvironment({ file: path.join(exampleDir, 'shipper.yml'), env: 'test' });
  // The sidecars' registry (public.ecr.aws), simulated: the deploy resolves their tags there.
  const declared = declaredSidecarImages(target.service);
  const registry = SimPublicRegistry.servingImages(declared);
  cloud.seedStack({
    stackName: target.stackName,
    templateBody: JSON.stringify(composeStack(target, { imageTag: 'v1', imageDigest: digest('1'), sidecarImages: registry.pinnedOf(declared) })),
    parameters: { ImageTag: 'v1', ImageDigest: digest('1'), DesiredCapacity: String(target.service.capacity.desired) },
    status: 'CREATE_COMPLETE',
    idleSecondsAfter: 3600,
  });
  if (opts.signalOffset) cloud.defaultInstanceScript = { signal: 'SUCCESS', afterSeconds: 206 + opts.signalOffset };
  if (opts.failAt !== undefined) cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: opts.failAt }]);
  return { cloud, registry, stackName: target.stackName };
}

async function deploy(opts) {
  const { cloud, registry, stackName } = liveWorld(opts);
  const lines = [];
  const io = {
    stdout: { write: (s) => { for (const l of s.split('\n').filter(Boolean)) lines.push({ at: cloud.clock.nowMs(), event: JSON.parse(l) }); }, isTTY: false },
    stderr: { write: (s) => (opts.failAt === undefined ? process.stderr.write(s) : undefined) },
    env: { PATH: process.env.PATH, USER: 'bench' },
    cwd: exampleDir,
    stdinIsTTY: false,
  };
  cloud.calls.reset();
  const commandStart = cloud.clock.nowMs();
  const wallStart = performance.now();
  const code = await runCli(['deploy', '--env', 'test', '--image-tag', 'v2', '--json', ...(opts.flags ?? [])], io, {
    clients: async () => cloud.clients(),
    clock: cloud.clock,
    exitNow: () => undefined,
    registryFetch: registry.fetch,
    ...(opts.realLint ? {} : { lint: lintPasses }),
  });
  const wallMs = performance.now() - wallStart;
  const returnedAt = cloud.clock.nowMs();
  if ((code !== 0) !== (opts.failAt !== undefined)) throw new Error(`deploy exited ${code}`);
  const calls = cloud.calls.snapshot();
  cloud.clock.runUntilIdle();
  const events = cloud.cloudFormation.findStack(stackName).events;
  const stackEvents = events.filter((e) => e.LogicalResourceId === stackName);
  const at = (status, reason) => stackEvents.findLast((e) => e.ResourceStatus === status && (reason === undefined || e.ResourceStatusReason === reason))?.Timestamp.getTime();
  return { lines, events, calls, wallMs, returnedAt, commandStart, start: at('UPDATE_IN_PROGRESS', 'User Initiated'), at };
}

/** One successful deploy: the moments that matter, in seconds from "User Initiated". */
async function measureSuccess(opts) {
  const d = await deploy(opts);
  const live = d.lines.find((l) => l.event.type === 'deploy.live');
  const cleanup = d.at('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  return {
    wallMs: d.wallMs,
    cleanupInProgress: (cleanup - d.start) / 1000,
    updateComplete: (d.at('UPDATE_COMPLETE') - d.start) / 1000,
    reportedLive: (live.at - d.start) / 1000,
    returned: (d.returnedAt - d.start) / 1000,
    commandTook: (d.returnedAt - d.commandStart) / 1000,
    noticedAfter: (live.at - cleanup) / 1000,
    calls: d.calls,
  };
}

/** One deploy whose first instance signals FAILURE: how long until shipper shows the signal and the rollback start. */
async function measureFailure(opts) {
  const d = await deploy(opts);
  const shown = (pick) => {
    const event = d.events.find(pick);
    const line = d.lines.find((l) => l.event.type === 'stack.event' && l.event.eventId === event.EventId);
    return (line.at - event.Timestamp.getTime()) / 1000;
  };
  return {
    signal: shown((e) => /Received FAILURE signal/.test(e.ResourceStatusReason ?? '')),
    rollback: shown((e) => e.ResourceType === 'AWS::CloudFormation::Stack' && e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS'),
    calls: d.calls,
  };
}

const spread = (values) => ({ mean: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values), runs: values.length });
const total = (calls) => Object.values(calls).reduce((a, b) => a + b, 0);
const sum = (calls, prefix) => Object.entries(calls).filter(([k]) => k.startsWith(prefix)).reduce((t, [, n]) => t + n, 0);

async function liveSpread(wire) {
  const runs = [];
  for (const [i, signalOffset] of SIGNAL_OFFSETS.entries()) runs.push(await measureSuccess({ wire, signalOffset, seed: 7 + i }));
  return { latency: spread(runs.map((r) => r.noticedAfter)), calls: spread(runs.map((r) => total(r.calls))) };
}

async function failureSpread(wire) {
  const runs = [];
  for (const [i, failAt] of FAILURE_AT.entries()) runs.push(await measureFailure({ wire, failAt, seed: 11 + i }));
  return { signal: spread(runs.map((r) => r.signal)), rollback: spread(runs.map((r) => r.rollback)) };
}

/** The real trace: seconds from "User Initiated" to cleanup and to UPDATE_COMPLETE. */
function traceTimeline() {
  if (!existsSync(FIXTURE)) return undefined;
  const rows = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split('\t'));
  const seconds = (hms) => hms.split(':').map(Number).reduce((t, n) => t * 60 + n, 0);
  const stack = rows.filter((r) => r[1] === rows[0][1]);
  const when = (status) => seconds(stack.find((r) => r[2] === status)[0]) - seconds(rows[0][0]);
  return { cleanupInProgress: when('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'), updateComplete: when('UPDATE_COMPLETE'), toolTook: 5 * 60 + 57 };
}

function currentCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const mmss = (s) => `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
const secs = (s) => `${s.mean.toFixed(2)} s mean, ${s.max.toFixed(2)} s max`;

const trace = traceTimeline();
const modes = {
  default: await measureSuccess({ wire: false, realLint: true }),
  '--wait-cleanup': await measureSuccess({ wire: false, flags: ['--wait-cleanup'] }),
  'over the wire': await measureSuccess({ wire: true }),
  'wire, --wait-cleanup': await measureSuccess({ wire: true, flags: ['--wait-cleanup'] }),
};
const results = {
  commit: currentCommit(),
  wireLatencyMs: WIRE_LATENCY,
  live: { inProcess: await liveSpread(false), wire: await liveSpread(true) },
  failure: { inProcess: await failureSpread(false), wire: await failureSpread(true) },
  calls: Object.fromEntries(Object.entries(modes).map(([mode, m]) => [mode, m.calls])),
};

if (process.argv.includes('--record-baseline')) {
  writeFileSync(BASELINE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`recorded ${path.relative(root, BASELINE)} (commit ${results.commit})\n`);
}
const before = !process.argv.includes('--record-baseline') && existsSync(BASELINE) ? JSON.parse(readFileSync(BASELINE, 'utf8')) : undefined;

console.log('Simulated time from "User Initiated" (example hello, 2 instances, signals at 206 s):');
if (trace) {
  console.log(`  real trace            cleanup starts ${mmss(trace.cleanupInProgress)}  UPDATE_COMPLETE ${mmss(trace.updateComplete)}  its tool took ${mmss(trace.toolTook)}`);
}
for (const [mode, m] of Object.entries(modes)) {
  console.log(
    `  shipper ${mode.padEnd(20)} cleanup starts ${mmss(m.cleanupInProgress)}  UPDATE_COMPLETE ${mmss(m.updateComplete)}  live reported ${mmss(m.reportedLive)} (+${m.noticedAfter.toFixed(2)} s after cleanup started)  returned ${mmss(m.returned)}; the command took ${mmss(m.commandTook)}  (${m.wallMs.toFixed(0)} ms real)`,
  );
}
const d = modes.default;
console.log(`  by default shipper returns ${mmss(d.updateComplete - d.returned)} before UPDATE_COMPLETE${trace ? `; the whole command ${mmss(trace.toolTook - d.commandTook)} sooner than the trace's tool` : ''}`);

const row = (label, now, was, format) => console.log(`  ${label.padEnd(44)} ${format(now).padEnd(34)}${was === undefined ? '' : `  before: ${format(was)}`}`);
console.log(`\nLive latency: UPDATE_COMPLETE_CLEANUP_IN_PROGRESS -> deploy.live (${SIGNAL_OFFSETS.length} runs each; wire = ${WIRE_LATENCY.minMs}-${WIRE_LATENCY.maxMs} ms per call)${before ? `; before = commit ${before.commit}` : ''}`);
row('in-process', results.live.inProcess.latency, before?.live.inProcess.latency, secs);
row('over the wire', results.live.wire.latency, before?.live.wire.latency, secs);

console.log(`\nFailure detection over the wire (${FAILURE_AT.length} runs, FAILURE signal at ${FAILURE_AT[0]}-${FAILURE_AT.at(-1)} s after launch)`);
row('FAILURE signal event -> shown', results.failure.wire.signal, before?.failure.wire.signal, secs);
row('UPDATE_ROLLBACK_IN_PROGRESS -> shown', results.failure.wire.rollback, before?.failure.wire.rollback, secs);
row('in-process: FAILURE signal -> shown', results.failure.inProcess.signal, before?.failure.inProcess.signal, secs);
row('in-process: rollback start -> shown', results.failure.inProcess.rollback, before?.failure.inProcess.rollback, secs);

console.log('\nAPI calls per deploy (CloudFormation / Auto Scaling / all)');
for (const [mode, calls] of Object.entries(results.calls)) {
  const was = before?.calls[mode];
  const line = (c) => `${sum(c, 'cloudFormation.')} / ${sum(c, 'autoScaling.')} / ${total(c)}`;
  console.log(`  ${mode.padEnd(22)} ${line(calls).padEnd(16)}${was ? `  before: ${line(was)}  (${((total(calls) / total(was)) * 100).toFixed(0)}% of before)` : ''}`);
  const apis = [...new Set([...Object.keys(calls), ...Object.keys(was ?? {})])].sort();
  console.log(`    ${apis.map((k) => `${k.replace(/^(cloudFormation|autoScaling)\./, '')} ${calls[k] ?? 0}${was ? ` (was ${was[k] ?? 0})` : ''}`).join(', ')}`);
}
console.log('');
row('all calls per deploy, over the wire live runs', results.live.wire.calls, before?.live.wire.calls, (s) => `${s.mean.toFixed(1)} mean, ${s.max} max`);
