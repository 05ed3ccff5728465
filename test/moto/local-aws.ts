/**
 * Per-file lifecycle for tests against moto: start (or reuse) the server, point the AWS SDK's
 * environment at it for the file's duration, and give every test an empty, freshly seeded
 * account with the example's `local` descriptor written to a temp directory.
 */
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { LOCAL_REGION, seedLocalAws, writeLocalDescriptor, type SeededAws } from '../../examples/local/seed.mjs';
import { cli, type CliRun } from '../helpers/cli.js';
import { resetMoto, startMoto, type MotoServer } from './server.js';

/** An environment in an account the local credentials do not belong to. */
export const OTHER_ACCOUNT_ENV = 'elsewhere';
export const OTHER_ACCOUNT = '111122223333';

export interface LocalAws {
  endpoint: string;
  seeded: SeededAws;
  /** The seeded example's shipper.yml (environments `local` and OTHER_ACCOUNT_ENV). */
  descriptor: string;
  cloudFormation: CloudFormationClient;
  ec2: EC2Client;
  /** Runs the CLI in-process, with real SDK clients talking to moto. */
  shipper(argv: string[]): Promise<CliRun>;
}

/** Registers the hooks; the returned object is filled in before each test runs. */
export function useLocalAws(): LocalAws {
  const local = {} as LocalAws;
  let server: MotoServer | undefined;
  let savedEnv: NodeJS.ProcessEnv | undefined;

  beforeAll(async () => {
    server = await startMoto();
    savedEnv = { ...process.env };
    // The SDK reads credentials, region and endpoint from the process environment; drop any
    // profile or service-specific endpoint so nothing here can reach a real account.
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    Object.assign(process.env, awsEnv(server.endpoint));
    const config = { region: LOCAL_REGION, endpoint: server.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    local.endpoint = server.endpoint;
    local.cloudFormation = new CloudFormationClient(config);
    local.ec2 = new EC2Client(config);
  });

  afterAll(async () => {
    local.cloudFormation?.destroy();
    local.ec2?.destroy();
    if (savedEnv) {
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    }
    await server?.stop();
  });

  beforeEach(async () => {
    await resetMoto(local.endpoint);
    local.seeded = await seedLocalAws({ endpoint: local.endpoint });
    const dir = mkdtempSync(path.join(tmpdir(), 'shipper-moto-'));
    local.descriptor = writeLocalDescriptor(dir, local.seeded, {
      [OTHER_ACCOUNT_ENV]: { account: OTHER_ACCOUNT, region: LOCAL_REGION },
    });
    local.shipper = (argv) => cli(argv, { cwd: dir, env: { PATH: process.env.PATH, ...awsEnv(local.endpoint) } });
  });

  return local;
}

function awsEnv(endpoint: string): Record<string, string> {
  return { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: LOCAL_REGION };
}
