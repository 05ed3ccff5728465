/**
 * One set of retry options per command: the stack-event poller backs off and reports its
 * retries exactly as every other AWS call of the deploy does.
 */
import { describe, expect, it } from '@jest/globals';
import { runDeploy } from '../../src/deploy/deploy.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { RecordingReporter } from '../../src/report/events.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { world } from './harness.js';

describe('retry options of a deploy', () => {
  it('reach the stack-event poller: its throttled calls are retried through the context', async () => {
    const w = world({ live: true });
    const retried: string[] = [];
    w.cloud.faults.throttleBurst(3, 'describeStackEvents');
    const outcome = await runDeploy(
      {
        clients: w.cloud.clients(),
        clock: w.cloud.clock,
        reporter: new RecordingReporter(),
        registry: { fetch: w.registry.fetch },
        retry: { onRetry: ({ error }) => retried.push((error as Error).message) },
      },
      { target: loadServiceEnvironment({ file: exampleDescriptor, env: 'test' }), image: { tag: 'v2' } },
    );
    expect(outcome.kind).toBe('live');
    // Only DescribeStackEvents was throttled, and only the poller calls it.
    expect(w.cloud.faults.injected).toBe(3);
    expect(retried).toEqual(['Rate exceeded', 'Rate exceeded', 'Rate exceeded']);
  });
});
