#!/usr/bin/env node
// `shipper deploy` of the bundled example in the simulated cloud, on the timeline of the real
// replacing update in test/fixtures (FIXTURE_TIMINGS; each new instance signals SUCCESS
// 206 s after launch). Build first: npm run bench:timeline. It reports, in simulated time from
// the operation's "User Initiated" event:
// 1. when shipper reports the new release live, and when it returns, against the moments the
//    stack reaches UPDATE_COMPLETE_CLEANUP_IN_PROGRESS and UPDATE_COMPLETE (and the real trace's
//    tool, which waited for UPDATE_COMPLETE);
// 2. how long after UPDATE_COMPLETE_CLEANUP_IN_PROGRESS shipper noticed (its polling latency);
// 3. the CloudFormation and Auto Scaling API calls of one deploy.
// Both modes are measured: the default (return once live) and --wait-cleanup.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../dist/cli/program.js';
import { loadServiceEnvironment } from '../dist/descriptor/load.js';
import { composeStack } from '../dist/compose/stack.js';
import { declaredSidecarImages } from '../dist/compose/sidecars/images.js';
import { SimCloud } from '../dist-bench/test/sim/cloud.js';
import { SimPublicRegistry } from '../dist-bench/test/sim/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const exampleDir = path.join(root, 'examples/hello');
const FIXTURE = path.resolve(root, 'test/fixtures/charge-central-deploy-test.events.tsv');
const digest = (c) => `sha256:${c.repeat(64)}`;

/** A simulated account with hello-test live on v1, as a previous deploy left it. */
function liveWorld() {
  const cloud = new SimCloud({ start: '2026-11-23T06:25:30Z' });
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
  return { cloud, registry, stackName: target.stackName };
}

async function measure(flags) {
  const { cloud, registry, stackName } = liveWorld();
  const lines = [];
  const io = {
    stdout: { write: (s) => { for (const l of s.split('\n').filter(Boolean)) lines.push({ at: cloud.clock.nowMs(), event: JSON.parse(l) }); }, isTTY: false },
    stderr: { write: (s) => process.stderr.write(s) },
    env: { PATH: process.env.PATH, USER: 'bench' },
    cwd: exampleDir,
    stdinIsTTY: false,
  };
  cloud.calls.reset();
  const commandStart = cloud.clock.nowMs();
  const wallStart = performance.now();
  const code = await runCli(['deploy', '--env', 'test', '--image-tag', 'v2', '--json', ...flags], io, {
    clients: async () => cloud.clients(),
    clock: cloud.clock,
    exitNow: () => undefined,
    registryFetch: registry.fetch,
  });
  const wallMs = performance.now() - wallStart;
  const returnedAt = cloud.clock.nowMs();
  if (code !== 0) throw new Error(`deploy exited ${code}`);
  const calls = cloud.calls.snapshot();
  cloud.clock.runUntilIdle();

  const stackEvents = cloud.cloudFormation.findStack(stackName).events.filter((e) => e.LogicalResourceId === stackName);
  const at = (status, reason) => stackEvents.findLast((e) => e.ResourceStatus === status && (reason === undefined || e.ResourceStatusReason === reason))?.Timestamp.getTime();
  const start = at('UPDATE_IN_PROGRESS', 'User Initiated');
  const live = lines.find((l) => l.event.type === 'deploy.live');
  return {
    wallMs,
    cleanupInProgress: (at('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') - start) / 1000,
    updateComplete: (at('UPDATE_COMPLETE') - start) / 1000,
    reportedLive: (live.at - start) / 1000,
    returned: (returnedAt - start) / 1000,
    commandTook: (returnedAt - commandStart) / 1000,
    noticedAfter: (live.at - at('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')) / 1000,
    calls,
  };
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

const mmss = (s) => `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
const sum = (calls, prefix) => Object.entries(calls).filter(([k]) => k.startsWith(prefix)).reduce((t, [, n]) => t + n, 0);

const trace = traceTimeline();
const modes = { default: await measure([]), '--wait-cleanup': await measure(['--wait-cleanup']) };

console.log('Simulated time from "User Initiated" (example hello, 2 instances, signals at 206 s):');
if (trace) {
  console.log(`  real trace            cleanup starts ${mmss(trace.cleanupInProgress)}  UPDATE_COMPLETE ${mmss(trace.updateComplete)}  its tool took ${mmss(trace.toolTook)}`);
}
for (const [mode, m] of Object.entries(modes)) {
  console.log(
    `  shipper ${mode.padEnd(14)} cleanup starts ${mmss(m.cleanupInProgress)}  UPDATE_COMPLETE ${mmss(m.updateComplete)}  live reported ${mmss(m.reportedLive)} (+${m.noticedAfter.toFixed(1)} s after cleanup started)  returned ${mmss(m.returned)}; the command took ${mmss(m.commandTook)}  (${m.wallMs.toFixed(0)} ms real)`,
  );
}
const d = modes.default;
console.log(`  by default shipper returns ${mmss(d.updateComplete - d.returned)} before UPDATE_COMPLETE${trace ? `; the whole command ${mmss(trace.toolTook - d.commandTook)} sooner than the trace's tool` : ''}`);
console.log('\nAPI calls per deploy (CloudFormation / Auto Scaling / all):');
for (const [mode, m] of Object.entries(modes)) {
  console.log(`  ${mode.padEnd(14)} ${sum(m.calls, 'cloudFormation.')} / ${sum(m.calls, 'autoScaling.')} / ${Object.values(m.calls).reduce((a, b) => a + b, 0)}`);
  console.log(`    ${Object.entries(m.calls).map(([k, n]) => `${k} ${n}`).join(', ')}`);
}
