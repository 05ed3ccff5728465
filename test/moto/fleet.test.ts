/**
 * Two services deployed by one `shipper deploy` over HTTP against moto_server, with the real SDK
 * clients: both stacks are created with their own image and outputs, each service has its own
 * release history, and `status` over both shows each.
 */
import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LOCAL_ENV } from '../../examples/local/seed.mjs';
import { useLocalAws } from './local-aws.js';

const local = useLocalAws();

/** The seeded example as a second service, `hola`: own stack, listener rule and host name; the same image repository. */
function secondService(): string {
  const dir = path.join(path.dirname(local.descriptor), '..', `${path.basename(path.dirname(local.descriptor))}-hola`);
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(local.descriptor, 'utf8')
    .replace(/^service: hello$/m, 'service: hola')
    .replace(/priority: 120/g, 'priority: 121')
    .replace(/hello\.local\.example\.com/g, 'hola.local.example.com');
  writeFileSync(path.join(dir, 'shipper.yml'), text);
  copyFileSync(path.join(path.dirname(local.descriptor), 'cloudformation.yml'), path.join(dir, 'cloudformation.yml'));
  return path.join(dir, 'shipper.yml');
}

async function stackOutputs(name: string): Promise<Record<string, string>> {
  const stack = (await local.cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
  expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
  return Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

describe('many services against moto_server', () => {
  it('deploys two services in one command, each with its own stack, outputs and release history', async () => {
    const hola = secondService();

    const run = await local.shipper(['deploy', '--env', LOCAL_ENV, '--image-tag', 'v1', '-f', local.descriptor, '-f', hola]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 services in local: 2 live/);
    expect(run.stdout).toMatch(/hello\s+#1\s+live/);
    expect(run.stdout).toMatch(/hola\s+#1\s+live/);
    expect(await stackOutputs(`hello-${LOCAL_ENV}`)).toMatchObject({ ImageTag: 'v1', ImageDigest: local.seeded.images.v1 });
    expect(await stackOutputs(`hola-${LOCAL_ENV}`)).toMatchObject({ ImageTag: 'v1', ImageDigest: local.seeded.images.v1, Route53Name: expect.stringContaining('hola.') });

    const releases = await local.shipper(['releases', '--env', LOCAL_ENV, '-f', local.descriptor, '-f', hola, '--json']);
    expect(releases.code).toBe(0);
    const [first, second] = releases.stdout.trim().split('\n').map((l) => JSON.parse(l) as { service: string; stackName: string; live: number; releases: Array<{ service: string; imageTag: string }> });
    expect([first!.service, first!.stackName, first!.live, first!.releases.map((r) => r.service)]).toEqual(['hello', `hello-${LOCAL_ENV}`, 1, ['hello']]);
    expect([second!.service, second!.stackName, second!.live, second!.releases.map((r) => r.service)]).toEqual(['hola', `hola-${LOCAL_ENV}`, 1, ['hola']]);

    const status = await local.shipper(['status', '--env', LOCAL_ENV, '-f', local.descriptor, '-f', hola]);
    expect(status.code).toBe(0);
    expect(status.stdout.indexOf('==> hello\n')).toBeLessThan(status.stdout.indexOf('==> hola\n'));
  });
});
