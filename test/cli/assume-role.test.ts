/**
 * A role that cannot be assumed, through the real SDK on the wire: a loopback STS answers
 * AssumeRole as AWS does when the role's trust policy does not name the caller (403
 * AccessDenied, https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_Errors).
 * moto's STS accepts every AssumeRole, so it cannot play this part.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cli } from '../helpers/cli.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';

const ROLE = 'arn:aws:iam::999988887777:role/shipper-deployer';
const requests: string[] = [];
let server: Server;
let endpoint: string;
let savedEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(body);
      res.writeHead(403, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
          `<Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${ROLE}</Message></Error>` +
          `<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The SDK reads credentials and endpoint from the process environment: only the stub's here.
  savedEnv = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, awsEnv());
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function awsEnv(): Record<string, string> {
  return { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1' };
}

describe('an environment whose roleArn cannot be assumed', () => {
  it('exits 7 naming the role, before any other AWS call', async () => {
    const { dir } = tempService(MINIMAL_DESCRIPTOR.replace('    region: eu-west-1\n', `    region: eu-west-1\n    roleArn: ${ROLE}\n`));
    const env = { PATH: process.env.PATH, ...awsEnv() };

    const run = await cli(['deploy', '--env', 'test', '--image-tag', 'v1'], { cwd: dir, env });

    expect(run.code).toBe(7);
    expect(run.stderr).toContain(`could not assume role ${ROLE} (roleArn of this environment): AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`);
    expect(run.stderr).toContain('trust policy');
    expect(requests.length).toBeGreaterThan(0);
    for (const body of requests) expect(body).toContain('Action=AssumeRole');
  });
});
