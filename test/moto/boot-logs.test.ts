/**
 * The failure screen reads failed instances' boot logs from CloudWatch Logs over the wire: the
 * real SDK client (as shipper builds it) against moto's CloudWatch Logs. The deploy itself runs
 * in the simulated cloud (moto does not wait for signals or roll back); its failing instance
 * writes its boot log into moto, stream boot/<instance-id>, as the boot script does, just
 * before it signals FAILURE.
 *
 * This file starts its own moto_server, so no other test file's reset can empty it mid-test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../src/aws/api.js';
import { createAwsClients } from '../../src/aws/sdk-factory.js';
import { ExitCode } from '../../src/errors.js';
import { world } from '../deploy/harness.js';
import { startMotoServer, type MotoServer } from '../../examples/local/moto.mjs';

const REGION = 'eu-west-1';
const LOG_GROUP = '/shipper/hello/test';
const BOOT_LOG = [
  '[shipper-boot] pulling hello@sha256:2222…',
  '[shipper-boot] health check http://127.0.0.1:8080/health: connection refused (attempt 30 of 30)',
  '[shipper-boot] app container exited (code 1): Error: Cannot find module /srv/app/server.js',
  '[shipper-boot] FAILED at step health-check; signalling FAILURE',
];

let moto: MotoServer;
let logs: CloudWatchLogsClient;
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMotoServer();
  // shipper's own client factory reads the endpoint and credentials from the environment.
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: REGION });
  logs = new CloudWatchLogsClient({ region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
});

afterAll(async () => {
  logs?.destroy();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await moto?.stop();
});

describe('boot logs from moto CloudWatch Logs on the failure screen', () => {
  it("shows what the failed instance wrote to boot/<instance-id>, read with shipper's own client", async () => {
    const w = world({ live: true });
    // Calls to moto take real time while the simulated clock stands still: a simulated sleep
    // (the report's time budget included) first lets them finish, as if moto answered at once.
    const inFlight = new Set<Promise<unknown>>();
    const track = <T>(p: Promise<T>): Promise<T> => {
      inFlight.add(p);
      return p.finally(() => inFlight.delete(p));
    };
    const clock: Clock = {
      now: () => w.cloud.clock.now(),
      sleep: async (ms, signal) => {
        await Promise.allSettled([...inFlight]);
        return w.cloud.clock.sleep(ms, signal);
      },
    };
    w.cloud.bootLogSink = (group, instanceId, lines) => {
      const stream = `boot/${instanceId}`;
      void track(
        (async () => {
          await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
          const now = Date.now();
          await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: lines.map((message, n) => ({ timestamp: now + n, message })) }));
        })(),
      );
    };
    const real = await createAwsClients({ region: REGION });
    let reads = 0;
    w.cloud.scriptInstances([{ signal: 'SUCCESS', afterSeconds: 200 }, { signal: 'FAILURE', afterSeconds: 210, bootLog: BOOT_LOG }]);

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], {
      deps: {
        clock,
        clients: async () => ({
          ...w.cloud.clients(),
          logs: {
            // The instance wrote its log before it signalled: let that write land before reading.
            getLogEvents: (input, options) => {
              reads++;
              const writes = Promise.allSettled([...inFlight]);
              return track(writes.then(() => real.logs!.getLogEvents(input, options)));
            },
          },
        }),
      },
    });

    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(reads).toBe(1);
    expect(run.stdout).toMatch(/Failed instances\n  i-[0-9a-f]{17}  signalled FAILURE; its boot log \(\/shipper\/hello\/test boot\/i-[0-9a-f]{17}\):\n/);
    const shown = run.stdout.split('\n').filter((l) => l.startsWith('    | '));
    expect(shown).toEqual(BOOT_LOG.map((l) => `    | ${l}`));
  });

  it('a stream that does not exist in moto: the report says so and still prints', async () => {
    const w = world({ live: true });
    const real = await createAwsClients({ region: REGION });
    const inFlight = new Set<Promise<unknown>>();
    const clock: Clock = {
      now: () => w.cloud.clock.now(),
      sleep: async (ms, signal) => {
        await Promise.allSettled([...inFlight]);
        return w.cloud.clock.sleep(ms, signal);
      },
    };
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 150 }]);
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], {
      deps: {
        clock,
        clients: async () => ({
          ...w.cloud.clients(),
          logs: {
            getLogEvents: (input, options) => {
              const p = real.logs!.getLogEvents(input, options);
              inFlight.add(p);
              return p;
            },
          },
        }),
      },
    });
    expect(run.code).toBe(ExitCode.deployRolledBack);
    // (moto answers a missing stream with the missing-group message; AWS names the stream.)
    expect(run.stdout).toMatch(/signalled FAILURE; boot log boot\/i-[0-9a-f]{17} could not be read: not found: The specified log (group|stream) does not exist\./);
  });
});
