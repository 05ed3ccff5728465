/**
 * Sidecar images in ECR (as an ECR pull-through cache holds them) against moto_server with the
 * real SDK: preflight resolves them with DescribeImages, the launch template pins the digests,
 * and a tag ECR does not have refuses the deploy with ECR's answer before anything changes.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { parseDocument } from 'yaml';
import { LOCAL_ENV, LOCAL_REGION } from '../../examples/local/seed.mjs';
import { ExitCode } from '../../src/errors.js';
import { useLocalAws, type LocalAws } from './local-aws.js';

const local = useLocalAws();
const deploy = () => local.shipper(['deploy', '--env', LOCAL_ENV, '-f', local.descriptor, '--image-tag', 'v1']);

async function latestUserData(aws: LocalAws): Promise<string> {
  const templates = await aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
  const versions = await aws.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templates.LaunchTemplates?.[0]?.LaunchTemplateId, Versions: ['$Latest'] }));
  const bytes = Buffer.from(versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.UserData ?? '', 'base64');
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** What ECR says each seeded sidecar tag names: `URI@digest`. */
async function ecrDigests(aws: LocalAws): Promise<string[]> {
  const ecr = new ECRClient({ region: LOCAL_REGION, endpoint: aws.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    return await Promise.all(
      Object.values(aws.seeded.sidecarImages).map(async (image) => {
        const [uri, tag] = [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)];
        const repositoryName = uri.slice(uri.indexOf('/') + 1);
        const out = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }));
        return `${uri}@${out.imageDetails![0]!.imageDigest}`;
      }),
    );
  } finally {
    ecr.destroy();
  }
}

describe('sidecar images from ECR against moto_server', () => {
  it('resolves them with DescribeImages and pins the digests in the launch template', async () => {
    const run = await deploy();
    expect(run.code).toBe(ExitCode.ok);
    const userData = await latestUserData(local);
    for (const pinned of await ecrDigests(local)) expect(userData).toContain(pinned);
    expect(userData).not.toMatch(/ecr-public\/[^'@]+:[\w.-]+'/);
  });

  it('refuses a sidecar tag ECR does not have, with ECR answer, and creates nothing', async () => {
    const doc = parseDocument(readFileSync(local.descriptor, 'utf8'));
    const image = `${local.seeded.sidecarImages['reverse-proxy']!.replace(/:[^:/]+$/, '')}:9.9.9`;
    doc.setIn(['environments', LOCAL_ENV, 'sidecars', 'reverse-proxy', 'image'], image);
    writeFileSync(local.descriptor, doc.toString());
    const run = await deploy();
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(new RegExp(`sidecar reverse-proxy: image ${image.replace(/[.]/g, '\\.')} cannot be deployed; \\d{12}\\.dkr\\.ecr\\.${LOCAL_REGION}\\.amazonaws\\.com answered: ImageNotFoundException`));
    await expect(local.cloudFormation.send(new DescribeStacksCommand({ StackName: `hello-${LOCAL_ENV}` }))).rejects.toThrow(/does not exist/);
  });
});
