import { describe, it, expect } from '@jest/globals';
import { FakeClock } from './clock.js';
import { SimCloud } from './cloud.js';

describe('FakeClock', () => {
  it('moves only when slept, and runs due steps in timestamp order during the sleep', async () => {
    const clock = new FakeClock('2024-01-01T00:00:00Z');
    const seen: string[] = [];
    clock.schedule(3000, () => seen.push(`b@${clock.now().toISOString()}`));
    clock.schedule(1000, () => {
      seen.push(`a@${clock.now().toISOString()}`);
      clock.schedule(1000, () => seen.push(`a2@${clock.now().toISOString()}`));
    });
    clock.schedule(9000, () => seen.push('late'));
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:00.000Z');
    await clock.sleep(5000);
    expect(seen).toEqual(['a@2024-01-01T00:00:01.000Z', 'a2@2024-01-01T00:00:02.000Z', 'b@2024-01-01T00:00:03.000Z']);
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:05.000Z');
    expect(clock.pending()).toBe(1);
  });

  it('stops a sleep early when a step aborts it', async () => {
    const clock = new FakeClock('2024-01-01T00:00:00Z');
    const controller = new AbortController();
    clock.schedule(2000, () => controller.abort());
    await clock.sleep(60_000, controller.signal);
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:02.000Z');
  });
});

describe('ECR', () => {
  const cloud = new SimCloud({ account: '123456789012' });
  cloud.ecr.addImage('hello', 'v1', 'sha256:aaa').addImage('hello', 'v2', 'sha256:bbb');
  const ecr = cloud.clients().ecr;

  it('resolves a tag to its digest', async () => {
    const out = await ecr.describeImages({ repositoryName: 'hello', imageIds: [{ imageTag: 'v2' }] });
    expect(out.imageDetails![0]).toMatchObject({ imageDigest: 'sha256:bbb', imageTags: ['v2'], registryId: '123456789012' });
  });

  it('answers an unknown tag and an unknown repository with ECR\'s errors', async () => {
    await expect(ecr.describeImages({ repositoryName: 'hello', imageIds: [{ imageTag: 'x' }] })).rejects.toMatchObject({
      name: 'ImageNotFoundException',
      message: "The image with imageId {imageDigest:'null', imageTag:'x'} does not exist within the repository with name 'hello' in the registry with id '123456789012'",
    });
    await expect(ecr.describeImages({ repositoryName: 'nope', imageIds: [{ imageTag: 'v1' }] })).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: "The repository with name 'nope' does not exist in the registry with id '123456789012'",
    });
  });

  it('moves a re-pushed tag to the new image', async () => {
    cloud.ecr.addImage('hello', 'v1', 'sha256:ccc');
    const out = await ecr.describeImages({ repositoryName: 'hello', imageIds: [{ imageTag: 'v1' }] });
    expect(out.imageDetails![0]!.imageDigest).toBe('sha256:ccc');
  });
});

describe('STS and SSM', () => {
  it('reports the configured account', async () => {
    const cloud = new SimCloud({ account: '210987654321' });
    expect((await cloud.clients().sts.getCallerIdentity({})).Account).toBe('210987654321');
  });

  it('versions parameters, refuses silent overwrites, and pages history oldest first', async () => {
    const cloud = new SimCloud();
    cloud.ssm.maxHistoryPage = 2;
    const ssm = cloud.clients().ssm;
    await expect(ssm.getParameter({ Name: '/shipper/hello/test/release' })).rejects.toMatchObject({ name: 'ParameterNotFound' });
    expect((await ssm.putParameter({ Name: '/shipper/hello/test/release', Value: 'r1', Type: 'String' })).Version).toBe(1);
    await expect(ssm.putParameter({ Name: '/shipper/hello/test/release', Value: 'r2', Type: 'String' })).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
    for (const v of ['r2', 'r3']) await ssm.putParameter({ Name: '/shipper/hello/test/release', Value: v, Overwrite: true });
    expect((await ssm.getParameter({ Name: '/shipper/hello/test/release' })).Parameter).toMatchObject({ Value: 'r3', Version: 3 });
    const first = await ssm.getParameterHistory({ Name: '/shipper/hello/test/release' });
    expect(first.Parameters!.map((p) => p.Value)).toEqual(['r1', 'r2']);
    const second = await ssm.getParameterHistory({ Name: '/shipper/hello/test/release', NextToken: first.NextToken });
    expect(second.Parameters!.map((p) => p.Value)).toEqual(['r3']);
    expect(second.NextToken).toBeUndefined();
  });

  it('never returns a SecureString in clear text without decryption', async () => {
    const cloud = new SimCloud();
    const ssm = cloud.clients().ssm;
    await ssm.putParameter({ Name: '/hello/db', Value: 'hunter2', Type: 'SecureString' });
    expect((await ssm.getParameter({ Name: '/hello/db' })).Parameter!.Value).not.toContain('hunter2');
    expect((await ssm.getParameter({ Name: '/hello/db', WithDecryption: true })).Parameter!.Value).toBe('hunter2');
  });
});

describe('clients', () => {
  it('count every call and return copies that cannot alter the simulated world', async () => {
    const cloud = new SimCloud();
    cloud.ecr.addImage('hello', 'v1', 'sha256:aaa');
    const ecr = cloud.clients().ecr;
    const out = await ecr.describeImages({ repositoryName: 'hello' });
    out.imageDetails![0]!.imageDigest = 'tampered';
    expect((await ecr.describeImages({ repositoryName: 'hello' })).imageDetails![0]!.imageDigest).toBe('sha256:aaa');
    expect(cloud.calls.count('ecr.describeImages')).toBe(2);
    expect(cloud.calls.snapshot()).toEqual({ 'ecr.describeImages': 2 });
  });

  it('throttle on the injected schedule with AWS\'s error', async () => {
    const cloud = new SimCloud();
    cloud.faults.throttleEvery(2, 'getCallerIdentity');
    const sts = cloud.clients().sts;
    await sts.getCallerIdentity({});
    await expect(sts.getCallerIdentity({})).rejects.toMatchObject({ name: 'Throttling', message: 'Rate exceeded' });
    await sts.getCallerIdentity({});
    expect(cloud.calls.count('getCallerIdentity')).toBe(3);
  });
});
