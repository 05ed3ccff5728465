/**
 * `shipper deploy`, `releases`, `status` and `rollback` end to end over HTTP: the CLI in-process
 * with the real SDK clients, against moto_server seeded with the example's network, load
 * balancer, zone, images and secret.
 * moto completes stacks at once, so these check what a deploy changes and reports; waiting for
 * signals, rollbacks and cancels are covered by the simulated cloud.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseDocument } from 'yaml';
import { DescribeStacksCommand, ListChangeSetsCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { LOCAL_ENV } from '../../examples/local/seed.mjs';
import { OTHER_ACCOUNT, OTHER_ACCOUNT_ENV, useLocalAws, type LocalAws } from './local-aws.js';

const STACK = `hello-${LOCAL_ENV}`;
const local = useLocalAws();

const deploy = (tag: string, ...flags: string[]) => local.shipper(['deploy', '--env', LOCAL_ENV, '-f', local.descriptor, '--image-tag', tag, ...flags]);

async function describeStack(aws: LocalAws, name = STACK): Promise<Stack | undefined> {
  try {
    return (await aws.cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
  } catch (err) {
    if (err instanceof Error && /does not exist/.test(err.message)) return undefined;
    throw err;
  }
}

function outputs(stack: Stack | undefined): Record<string, string> {
  return Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

async function changeSetIds(aws: LocalAws): Promise<string[]> {
  const out = await aws.cloudFormation.send(new ListChangeSetsCommand({ StackName: STACK }));
  return (out.Summaries ?? []).map((s) => s.ChangeSetId ?? '');
}

/** The user data of the launch template's newest version, decoded (and unzipped: cloud-init takes gzip). */
async function latestUserData(aws: LocalAws): Promise<string> {
  const templates = await aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
  const [template] = templates.LaunchTemplates ?? [];
  const versions = await aws.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template?.LaunchTemplateId, Versions: ['$Latest'] }));
  const data = versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.UserData ?? '';
  const bytes = Buffer.from(data, 'base64');
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

describe('shipper deploy against moto_server', () => {
  it('creates the stack on the first deploy and prints the release in its outputs', async () => {
    const run = await deploy('v1');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const stack = await describeStack(local);
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(outputs(stack)).toMatchObject({ ImageTag: 'v1', ImageDigest: local.seeded.images.v1, ShipperVersion: expect.any(String), IamRoleArn: expect.stringMatching(/^arn:aws:iam::/) });
    for (const [key, value] of Object.entries(outputs(stack)).filter(([k]) => ['ImageTag', 'ImageDigest', 'IamRoleArn', 'ShipperVersion'].includes(k))) {
      expect(run.stdout).toMatch(new RegExp(`${key}\\s+${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    expect(await latestUserData(local)).toContain(local.seeded.images.v1);
  });

  it('updates the launch template to the new digest when another tag is deployed', async () => {
    expect((await deploy('v1')).code).toBe(0);

    const run = await deploy('v2');

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('REPLACED');
    const stack = await describeStack(local);
    expect(stack?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(outputs(stack)).toMatchObject({ ImageTag: 'v2', ImageDigest: local.seeded.images.v2 });
    const userData = await latestUserData(local);
    expect(userData).toContain(local.seeded.images.v2);
    expect(userData).not.toContain(local.seeded.images.v1);
  });

  it('gives the stack the environment\'s SNS topics for CloudFormation\'s own events', async () => {
    // CloudFormation (and moto) refuse a topic that does not exist: create it with awscli.
    const topic = execFileSync('aws', ['--endpoint-url', local.endpoint, '--region', local.seeded.region, 'sns', 'create-topic', '--name', 'hello-deploys', '--query', 'TopicArn', '--output', 'text'], {
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    })
      .toString()
      .trim();
    const doc = parseDocument(readFileSync(local.descriptor, 'utf8'));
    doc.setIn(['environments', LOCAL_ENV, 'notifications'], doc.createNode({ snsTopicArns: [topic] }));
    writeFileSync(local.descriptor, doc.toString());
    const first = await deploy('v1');
    expect(first.stderr).toBe('');
    expect((await describeStack(local))?.NotificationARNs).toEqual([topic]);
    // Removing them sends an empty list (test/notify); moto keeps a stack's topics on update regardless.
  });

  it('refuses an unknown tag in preflight, before anything changes', async () => {
    expect((await deploy('v1')).code).toBe(0);
    const before = await describeStack(local);

    const run = await deploy('v404');

    expect(run.code).toBe(3);
    expect(run.stderr).toContain('image tag "v404" does not exist');
    // Both were pushed by the seed within moments: newest first, in either order.
    expect(run.stderr).toMatch(/recent tags: (v1, v2|v2, v1)/);
    const after = await describeStack(local);
    expect(after?.StackStatus).toBe(before?.StackStatus);
    expect(after?.LastUpdatedTime).toEqual(before?.LastUpdatedTime);
    expect(after?.Parameters).toEqual(before?.Parameters);
    expect(await changeSetIds(local)).toEqual([]);
  });

  it('refuses --image-tag with an --image-digest the tag is not, before anything changes', async () => {
    expect((await deploy('v1')).code).toBe(0);
    const before = await describeStack(local);

    const run = await deploy('v1', '--image-digest', local.seeded.images.v2!);

    expect(run.code).toBe(3);
    const short = (digest: string) => digest.slice('sha256:'.length, 'sha256:'.length + 12);
    expect(run.stderr).toContain(`image tag "v1" in hello is ${short(local.seeded.images.v1!)}, not the --image-digest given (${short(local.seeded.images.v2!)})`);
    const after = await describeStack(local);
    expect(after?.LastUpdatedTime).toEqual(before?.LastUpdatedTime);
    expect(after?.Parameters).toEqual(before?.Parameters);
    expect(await changeSetIds(local)).toEqual([]);
    expect((await deploy('v2', '--image-digest', local.seeded.images.v2!)).code).toBe(0);
    expect(outputs(await describeStack(local))).toMatchObject({ ImageTag: 'v2', ImageDigest: local.seeded.images.v2 });
  });

  it('says there is nothing to change when the live tag is deployed again', async () => {
    expect((await deploy('v1')).code).toBe(0);
    const before = await describeStack(local);

    const run = await deploy('v1');

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/no changes/i);
    expect((await describeStack(local))?.LastUpdatedTime).toEqual(before?.LastUpdatedTime);
    expect(await changeSetIds(local)).toEqual([]);
  });

  it('refuses credentials for another account than the environment deploys to', async () => {
    const run = await local.shipper(['deploy', '--env', OTHER_ACCOUNT_ENV, '-f', local.descriptor, '--image-tag', 'v1']);

    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`deploys to account ${OTHER_ACCOUNT}`);
    expect(await describeStack(local, `hello-${OTHER_ACCOUNT_ENV}`)).toBeUndefined();
  });

  it('refuses the other account in every command that reads an environment, not "not deployed yet"', async () => {
    for (const command of [['status'], ['status', '--json'], ['releases'], ['watch'], ['rollback', '--yes']]) {
      const run = await local.shipper([...command, '--env', OTHER_ACCOUNT_ENV, '-f', local.descriptor]);
      expect([command.join(' '), run.code]).toEqual([command.join(' '), 3]);
      expect(run.stderr).toMatch(new RegExp(`^error: these credentials are for account \\d{12}, but environment "${OTHER_ACCOUNT_ENV}" deploys to account ${OTHER_ACCOUNT}\n`));
      // Nothing read from the stack: no text at all, and with --json only the final error event.
      expect(run.stdout).toEqual(command.includes('--json') ? expect.stringMatching(/^\{"type":"error","exitCode":3,/) : '');
    }
  });

  it('prints one JSON event per line with --json', async () => {
    const run = await deploy('v1', '--json');

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as { type: string; outputs?: Record<string, string> });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['phase', 'preflight.check', 'plan.summary', 'operation.started', 'deploy.live']));
    expect(events.find((e) => e.type === 'deploy.live')?.outputs).toMatchObject({ ImageTag: 'v1', ImageDigest: local.seeded.images.v1 });
  });
});

// Several deploys and a rollback against a real server: each follows its stack to the end.
const SEVERAL_DEPLOYS_MS = 180_000;

describe('release history against moto_server', () => {
  const shipper = (...args: string[]) => local.shipper([...args, '--env', LOCAL_ENV, '-f', local.descriptor]);
  const history = async () => JSON.parse((await shipper('releases', '--json')).stdout) as { live: number | null; releases: Array<Record<string, unknown>>; unreadable: string[] };

  it('records each deploy in SSM, shows the live one, and rolls back to the recorded digest', async () => {
    expect((await shipper('releases')).stdout).toMatch(/No releases recorded yet/);
    expect((await deploy('v1', '--commit', 'c0ffee01')).code).toBe(0);
    expect((await deploy('v2', '--commit', 'c0ffee02')).code).toBe(0);

    let h = await history();
    expect(h.live).toBe(2);
    expect(h.releases.map((r) => [r.number, r.imageTag, r.imageDigest, r.outcome, r.commit])).toEqual([
      [2, 'v2', local.seeded.images.v2, 'live', 'c0ffee02'],
      [1, 'v1', local.seeded.images.v1, 'live', 'c0ffee01'],
    ]);
    const table = (await shipper('releases')).stdout;
    expect(table).toMatch(/^▶\s+2\s+v2 /m);
    expect(table).not.toMatch(/\u001b/);

    const rollback = await shipper('rollback');
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(/rolling back to release #1: v1/);
    expect(outputs(await describeStack(local))).toMatchObject({ ImageTag: 'v1', ImageDigest: local.seeded.images.v1 });
    h = await history();
    expect(h.live).toBe(3);
    expect(h.releases[0]).toMatchObject({ number: 3, kind: 'rollback', rollbackOf: 1, imageDigest: local.seeded.images.v1, commit: 'c0ffee01', outcome: 'live' });

    const status = JSON.parse((await shipper('status', '--json')).stdout);
    expect(status).toMatchObject({ stackName: STACK, stackStatus: 'UPDATE_COMPLETE', live: { number: 3 }, image: { tag: 'v1' } });
    expect(status.group.instances.length).toBeGreaterThan(0);
  }, SEVERAL_DEPLOYS_MS);

  it('refuses a rollback target that never went live, listing what can be rolled back to, and changes nothing', async () => {
    expect((await deploy('v1')).code).toBe(0);
    expect((await deploy('v2')).code).toBe(0);
    const refused = await shipper('rollback', '--to', 'v7');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/no release of tag "v7" ever went live[\s\S]*#1 +v1/);
    expect(outputs(await describeStack(local))).toMatchObject({ ImageTag: 'v2' });
    expect((await history()).releases).toHaveLength(2);
  }, SEVERAL_DEPLOYS_MS);
});
