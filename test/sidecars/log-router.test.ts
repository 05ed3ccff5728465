import { describe, expect, it } from '@jest/globals';
import { BadInputError } from '../../src/errors.js';
import { composeSidecars, renderFluentBitConf, SPLUNK_TOKEN_ENV } from '../../src/compose/sidecars/index.js';
import { parseFluentBitConfig, sectionsOf, tagMatches, tagsOf, value, type FluentSection } from './fluent-bit-config.js';
import { DIGEST_A, input, service } from './fixtures.js';

const REQUIRED_KEYS: Record<string, string[][]> = {
  forward: [['Listen'], ['Port']],
  cloudwatch_logs: [['region'], ['log_group_name'], ['log_stream_prefix', 'log_stream_name']],
  splunk: [['Host'], ['Port'], ['Splunk_Token']],
};

function missingKeys(section: FluentSection): string[] {
  const required = REQUIRED_KEYS[value(section, 'Name') ?? ''] ?? [];
  return required.filter((anyOf) => !anyOf.some((key) => value(section, key))).map((anyOf) => anyOf.join(' or '));
}

/** Names of the containers that log through the router, as Docker's log driver tags them. */
function loggingContainers(svc = service()): string[] {
  return ['app', ...composeSidecars(input(svc)).filter((c) => c.container.logsToRouter).map((c) => c.container.name)];
}

function checkRouting(config: string, senders: string[]): void {
  const sections = parseFluentBitConfig(config);
  const outputs = sectionsOf(sections, 'OUTPUT');
  expect(outputs.length).toBeGreaterThan(0);
  for (const source of sectionsOf(sections, 'INPUT')) {
    for (const tag of tagsOf(source, senders)) {
      const routed = outputs.filter((o) => tagMatches(value(o, 'Match') ?? '', tag));
      expect({ tag, routedTo: routed.map((o) => value(o, 'Name')) }).toEqual({ tag, routedTo: expect.arrayContaining([expect.any(String)]) });
    }
  }
  for (const section of [...sectionsOf(sections, 'INPUT'), ...outputs]) {
    expect({ plugin: value(section, 'Name'), missing: missingKeys(section) }).toEqual({ plugin: value(section, 'Name'), missing: [] });
  }
}

const splunkService = (token: object) =>
  service({ sidecars: { 'log-router': { output: 'splunk', splunk: { host: 'hec.splunk.example.com', token } } } });

describe('the config reader used by these tests', () => {
  it('reads sections, repeated keys and matches wildcards as Fluent Bit does', () => {
    const sections = parseFluentBitConfig('[SERVICE]\n    Flush 1\n[FILTER]\n    Name record_modifier\n    Record a 1\n    Record b 2\n');
    expect(sections.map((s) => s.kind)).toEqual(['SERVICE', 'FILTER']);
    expect(sections[1]!.entries.get('record')).toEqual(['a 1', 'b 2']);
    expect(tagMatches('container.*', 'container.app')).toBe(true);
    expect(tagMatches('container.*', 'other.app')).toBe(false);
    expect(tagMatches('app', 'app')).toBe(true);
    expect(() => parseFluentBitConfig('Name forward\n')).toThrow(/outside of any section/);
  });
});

describe('log router config', () => {
  it('receives Docker fluentd driver logs on 24224 and sends every container to CloudWatch Logs by default', () => {
    const config = renderFluentBitConf(input());
    checkRouting(config, loggingContainers());

    const sections = parseFluentBitConfig(config);
    const [forward] = sectionsOf(sections, 'INPUT');
    expect(value(forward!, 'Name')).toBe('forward');
    expect(value(forward!, 'Port')).toBe('24224');
    const [output] = sectionsOf(sections, 'OUTPUT');
    expect(value(output!, 'Name')).toBe('cloudwatch_logs');
    expect(value(output!, 'region')).toBe('eu-west-1');
    expect(value(output!, 'log_group_name')).toBe('/shipper/hello/test');
    expect(value(output!, 'auto_create_group')?.toLowerCase()).toBe('off');
  });

  it('routes a tag nothing matches to nowhere, which the routing check catches', () => {
    const config = renderFluentBitConf(input()).replace(/Match(\s+)container\.\*\n(\s+region)/, 'Match$1metrics.*\n$2');
    expect(config).toContain('metrics.*');
    expect(() => checkRouting(config, ['app'])).toThrow();
  });

  it('uses the descriptor log group', () => {
    const svc = service({ sidecars: { 'log-router': { logGroup: '/teams/payments/hello' } } });
    const [output] = sectionsOf(parseFluentBitConfig(renderFluentBitConf(input(svc))), 'OUTPUT');
    expect(value(output!, 'log_group_name')).toBe('/teams/payments/hello');
  });

  it('sends to Splunk HEC with the token only as an environment reference', () => {
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hello/splunk-hec';
    const svc = splunkService({ secretsManager: secretArn });
    const config = renderFluentBitConf(input(svc));
    checkRouting(config, loggingContainers(svc));

    const outputs = sectionsOf(parseFluentBitConfig(config), 'OUTPUT');
    expect(outputs.map((o) => value(o, 'Name'))).toEqual(['splunk']);
    expect(value(outputs[0]!, 'Host')).toBe('hec.splunk.example.com');
    expect(value(outputs[0]!, 'Port')).toBe('8088');
    expect(value(outputs[0]!, 'TLS')).toBe('On');
    expect(value(outputs[0]!, 'Splunk_Token')).toBe(`\${${SPLUNK_TOKEN_ENV}}`);
    expect(config).not.toContain('secretsmanager');
    expect(config).not.toContain('hello/splunk-hec');

    const router = composeSidecars(input(svc)).find((c) => c.container.name === 'log-router')!;
    expect(router.container.secretEnvironment).toEqual({ [SPLUNK_TOKEN_ENV]: { secretsManager: secretArn } });
    expect(router.container.environment).toEqual({});
    expect(JSON.stringify(router.container.files)).not.toContain('hello/splunk-hec');
    // Only that secret is readable, so the boot script can fetch it.
    expect(router.iamStatements).toEqual([
      { Sid: 'LogRouterReadsSplunkToken', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [secretArn, `${secretArn}-??????`] },
    ]);
    expect(router.resources).toEqual({});
  });

  it('lets the instance read an SSM token parameter and nothing else', () => {
    const router = composeSidecars(input(splunkService({ ssm: '/hello/splunk-token' }))).find((c) => c.container.name === 'log-router')!;
    expect(router.container.secretEnvironment).toEqual({ [SPLUNK_TOKEN_ENV]: { ssm: '/hello/splunk-token' } });
    expect(router.iamStatements).toEqual([
      {
        Sid: 'LogRouterReadsSplunkToken',
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/hello/splunk-token' },
      },
    ]);
  });

  it('refuses splunk output without splunk settings', () => {
    const svc = service({ sidecars: { 'log-router': { output: 'splunk' } } });
    expect(() => renderFluentBitConf(input(svc))).toThrow(BadInputError);
  });

  it('creates the log group with its retention and lets the router write only to it', () => {
    const svc = service({ sidecars: { 'log-router': { retentionDays: 90 } } });
    const router = composeSidecars(input(svc)).find((c) => c.container.name === 'log-router')!;
    expect(router.resources).toEqual({
      AppLogGroup: {
        Type: 'AWS::Logs::LogGroup',
        // Kept through a failed first create's rollback, recognisable by its stack tag.
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { LogGroupName: '/shipper/hello/test', RetentionInDays: 90, Tags: [{ Key: 'shipper:stack', Value: { Ref: 'AWS::StackName' } }] },
      },
    });
    expect(router.iamStatements).toEqual([
      {
        Sid: 'LogRouterWritesAppLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        Resource: { 'Fn::GetAtt': ['AppLogGroup', 'Arn'] },
      },
    ]);
  });

  it('refuses a retention CloudWatch Logs would reject', () => {
    const svc = service({ sidecars: { 'log-router': { retentionDays: 31 } } });
    expect(() => composeSidecars(input(svc))).toThrow(/retentionDays: 31 is not a retention period/);
  });

  it('listens on the host loopback only, mounts its config and does not log through itself', () => {
    const router = composeSidecars(input()).find((c) => c.container.name === 'log-router')!;
    expect(router.container.publish).toEqual([]);
    expect(router.container.extraArgs).toEqual(['--publish', '127.0.0.1:24224:24224']);
    expect(router.container.logsToRouter).toBe(false);
    expect(router.container.mounts).toEqual([
      { hostPath: '/etc/shipper/log-router/fluent-bit.conf', containerPath: '/fluent-bit/etc/fluent-bit.conf', readOnly: true },
    ]);
    expect(router.container.files[0]!.content).toBe(renderFluentBitConf(input()));
  });

  it('uses an image override', () => {
    const image = `registry.example.com/fluent-bit:3.1@${DIGEST_A}`;
    const router = composeSidecars(input(service({ sidecars: { 'log-router': { image } } })))[0]!;
    expect(router.container.image).toBe(image);
  });
});
