import { describe, expect, it } from '@jest/globals';
import type { ShipperEvent } from '../../src/report/events.js';
import { formatCleanupComplete, formatLive, formatOutputs } from '../../src/report/live.js';

type DeployLive = Extract<ShipperEvent, { type: 'deploy.live' }>;

const live = (cleanup: DeployLive['cleanup']): DeployLive => ({
  type: 'deploy.live',
  stackName: 'hello-test',
  elapsedSeconds: 206,
  outputs: { ServiceUrl: 'https://hello.example.com', Dns: 'lb-1.elb.amazonaws.com' },
  cleanup,
});

describe('formatLive', () => {
  it('says live with the elapsed time, then the outputs aligned as key/value pairs', () => {
    const lines = formatLive(live('none'));
    expect(lines).toEqual(['hello-test is live after 3m26s.', 'Outputs', '  Dns         lb-1.elb.amazonaws.com', '  ServiceUrl  https://hello.example.com']);
  });

  it('says the old group drains in the background and how to follow it', () => {
    const text = formatLive(live('background')).join('\n');
    expect(text).toContain('The old group drains and is deleted in the background');
    expect(text).toContain('aws cloudformation describe-stack-events --stack-name hello-test');
  });

  it('says it is waiting when shipper follows the cleanup', () => {
    expect(formatLive(live('waiting')).at(-1)).toBe('Waiting for the old group to drain and be deleted...');
  });

  it('prints nothing for a stack without outputs', () => {
    expect(formatOutputs({})).toEqual([]);
  });
});

describe('formatCleanupComplete', () => {
  it('lists resources CloudFormation could not delete', () => {
    const lines = formatCleanupComplete({
      type: 'cleanup.complete',
      elapsedSeconds: 120,
      leftovers: [{ logicalId: 'autoScalingGroup', physicalId: 'old-asg', reason: 'Access denied' }],
    });
    expect(lines[0]).toBe('The old group is gone; cleanup finished after 2m00s.');
    expect(lines).toContain('  autoScalingGroup (old-asg): Access denied');
  });
});
