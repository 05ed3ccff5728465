#!/usr/bin/env node
/**
 * Seeds a local AWS endpoint (moto_server) with what the bundled example expects to exist
 * before its first deploy, and writes a descriptor with a `local` environment that points
 * at those resources. Used by the demo (demo.sh), the integration tests and the benchmarks.
 *
 *   node examples/local/seed.mjs http://127.0.0.1:5000 /tmp/hello-local
 *
 * prints the descriptor's path. Only ever talks to the endpoint it is given.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parseDocument } from 'yaml';

export const EXAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../hello');
export const LOCAL_ENV = 'local';
export const LOCAL_REGION = 'eu-west-1';
export const LOCAL_ZONE = 'local.example.com.';
/** The image tags pushed to the local registry, oldest first. */
export const SEEDED_TAGS = ['v1', 'v2'];
/**
 * The sidecar images, as an ECR pull-through cache for public.ecr.aws (prefix `ecr-public`)
 * would hold them: a local endpoint cannot reach public.ecr.aws, and ECR is what it serves.
 */
export const SIDECAR_CACHE_PREFIX = 'ecr-public';
const SIDECAR_NAMES = ['log-router', 'reverse-proxy', 'metrics-collector'];

/**
 * Creates the VPC, subnets, load balancer security group, ALB and HTTP listener, hosted zone,
 * ECR repository with one image per tag in SEEDED_TAGS, and the example's secret parameter.
 * Returns the ids the `local` environment needs.
 */
export async function seedLocalAws({ endpoint, region = LOCAL_REGION }) {
  if (!endpoint) throw new Error('seedLocalAws needs the local endpoint (e.g. http://127.0.0.1:5000)');
  // Fixed dummy credentials: a local endpoint accepts any, and real ones must never be used here.
  const config = { region, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const ec2 = new EC2Client(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const route53 = new Route53Client(config);
  const ecr = new ECRClient(config);
  const ssm = new SSMClient(config);
  const sts = new STSClient(config);
  try {
    const { Account: account } = await sts.send(new GetCallerIdentityCommand({}));

    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const subnetIds = [];
    for (const [i, zone] of ['a', 'b'].entries()) {
      const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: `${region}${zone}` }));
      subnetIds.push(Subnet.SubnetId);
    }
    const { GroupId: securityGroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'shared-alb', Description: 'shared load balancer', VpcId: Vpc.VpcId }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: securityGroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );

    const { LoadBalancers } = await elb.send(
      new CreateLoadBalancerCommand({ Name: 'shared-alb', Subnets: subnetIds, SecurityGroups: [securityGroupId], Scheme: 'internet-facing', Type: 'application' }),
    );
    const alb = LoadBalancers[0];
    const { Listeners } = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: alb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no such service' } }],
      }),
    );

    const zone = await route53.send(new CreateHostedZoneCommand({ Name: LOCAL_ZONE, CallerReference: `shipper-local-${Date.now()}` }));

    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'hello' }));
    const images = {};
    for (const tag of SEEDED_TAGS) {
      const { image } = await ecr.send(new PutImageCommand({ repositoryName: 'hello', imageTag: tag, imageManifest: imageManifest(tag) }));
      images[tag] = image.imageId.imageDigest;
    }

    const sidecarImages = {};
    for (const sidecar of SIDECAR_NAMES) {
      const { repository, tag } = defaultSidecarImage(sidecar);
      const repositoryName = `${SIDECAR_CACHE_PREFIX}/${repository}`;
      await ecr.send(new CreateRepositoryCommand({ repositoryName }));
      await ecr.send(new PutImageCommand({ repositoryName, imageTag: tag, imageManifest: imageManifest(`${sidecar}-${tag}`) }));
      sidecarImages[sidecar] = `${account}.dkr.ecr.${region}.amazonaws.com/${repositoryName}:${tag}`;
    }

    await ssm.send(new PutParameterCommand({ Name: secretParameterName(), Type: 'SecureString', Value: 'local-demo-password', Overwrite: true }));

    return {
      account,
      region,
      vpcId: Vpc.VpcId,
      subnetIds,
      securityGroupId,
      loadBalancerArn: alb.LoadBalancerArn,
      listenerArn: Listeners[0].ListenerArn,
      dnsName: alb.DNSName,
      canonicalHostedZoneId: alb.CanonicalHostedZoneId,
      hostedZoneId: zone.HostedZone.Id.replace(/^\/hostedzone\//, ''),
      hostedZoneName: LOCAL_ZONE,
      repositoryName: 'hello',
      images,
      sidecarImages,
    };
  } finally {
    for (const client of [ec2, elb, route53, ecr, ssm, sts]) client.destroy();
  }
}

/**
 * A Docker image manifest unique to the tag, so every tag has its own digest. The layers are
 * never pulled: the local endpoint only stores the manifest.
 */
function imageManifest(tag) {
  const fakeDigest = (seed) => `sha256:${Buffer.from(seed).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1024, digest: fakeDigest(`config-${tag}`) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 2048, digest: fakeDigest(`layer-${tag}`) }],
  });
}

/** A built-in sidecar's default image (`public.ecr.aws/<repository>:<tag>`) from its defaults.yml. */
function defaultSidecarImage(sidecar) {
  const defaults = parseDocument(readFileSync(path.join(EXAMPLE_DIR, '../../sidecars', sidecar, 'defaults.yml'), 'utf8')).toJS();
  const match = /^public\.ecr\.aws\/(.+):([^:/]+)$/.exec(defaults.image);
  if (!match) throw new Error(`sidecars/${sidecar}/defaults.yml: expected a public.ecr.aws image by tag, got ${defaults.image}`);
  return { repository: match[1], tag: match[2] };
}

/** The SSM parameter the example's DATABASE_PASSWORD secret reads. */
function secretParameterName() {
  const example = parseDocument(readFileSync(path.join(EXAMPLE_DIR, 'shipper.yml'), 'utf8')).toJS();
  return example.secrets.DATABASE_PASSWORD.ssm;
}

/**
 * Writes the bundled example (descriptor and fragment) into `dir`, with an extra `local`
 * environment pointing at the seeded resources. `extraEnvironments` adds more overlays
 * (tests use one in another account). Returns the descriptor's path. instance.ami keeps its
 * default, the Amazon Linux 2023 public SSM parameter, which moto serves like AWS does.
 */
export function writeLocalDescriptor(dir, seeded, extraEnvironments = {}) {
  mkdirSync(dir, { recursive: true });
  const doc = parseDocument(readFileSync(path.join(EXAMPLE_DIR, 'shipper.yml'), 'utf8'));
  const fragment = doc.get('fragment');
  copyFileSync(path.join(EXAMPLE_DIR, fragment), path.join(dir, fragment));
  const local = {
    account: seeded.account,
    region: seeded.region,
    network: {
      vpcId: seeded.vpcId,
      subnets: seeded.subnetIds,
      loadBalancer: {
        listenerArn: seeded.listenerArn,
        rule: { priority: 120, hostHeader: `hello.${seeded.hostedZoneName.replace(/\.$/, '')}` },
        dnsName: seeded.dnsName,
        canonicalHostedZoneId: seeded.canonicalHostedZoneId,
        securityGroupId: seeded.securityGroupId,
      },
      dns: { name: `hello.${seeded.hostedZoneName.replace(/\.$/, '')}`, hostedZoneName: seeded.hostedZoneName },
    },
    // The sidecars from the local ECR's pull-through cache repositories (see seedLocalAws).
    sidecars: Object.fromEntries(Object.entries(seeded.sidecarImages ?? {}).map(([name, image]) => [name, { image }])),
  };
  const environments = doc.get('environments');
  environments.set(LOCAL_ENV, doc.createNode(local));
  for (const [name, overlay] of Object.entries(extraEnvironments)) environments.set(name, doc.createNode(overlay));
  const file = path.join(dir, 'shipper.yml');
  writeFileSync(file, doc.toString());
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [endpoint, dir] = process.argv.slice(2);
  if (!endpoint || !dir) {
    console.error('usage: node examples/local/seed.mjs <endpoint-url> <output-dir>');
    process.exit(2);
  }
  // The same filter as the CLI: the SDK's Node 20 notice is noise in a demo.
  const { suppressSdkNodeVersionWarning } = await import('../../dist/cli/warnings.js');
  suppressSdkNodeVersionWarning();
  const seeded = await seedLocalAws({ endpoint });
  const file = writeLocalDescriptor(dir, seeded);
  writeFileSync(path.join(dir, 'seeded.json'), `${JSON.stringify(seeded, null, 2)}\n`);
  console.log(file);
}
