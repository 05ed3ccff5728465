/** SSM parameters with versions and history, as PutParameter / GetParameter / GetParameterHistory behave. */
import type * as ssm from '@aws-sdk/client-ssm';
import { awsError, type SsmApi } from '../../src/aws/api.js';
import type { FakeClock } from './clock.js';

interface Version {
  Value: string;
  Type: ssm.ParameterType;
  Version: number;
  LastModifiedDate: Date;
  Description?: string;
}

export class SimSsm implements SsmApi {
  private readonly parameters = new Map<string, Version[]>();
  /** GetParameterHistory's largest page (AWS allows 50). */
  maxHistoryPage = 50;

  constructor(
    private readonly clock: FakeClock,
    private readonly region: string,
    private readonly account: string,
    private readonly callerArn: () => string,
  ) {}

  async putParameter(input: ssm.PutParameterCommandInput): Promise<ssm.PutParameterCommandOutput> {
    const name = input.Name ?? '';
    const versions = this.parameters.get(name) ?? [];
    if (versions.length > 0 && !input.Overwrite) {
      throw awsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    const previous = versions[versions.length - 1];
    versions.push({
      Value: input.Value ?? '',
      Type: (input.Type ?? previous?.Type ?? 'String') as ssm.ParameterType,
      Version: versions.length + 1,
      LastModifiedDate: this.clock.now(),
      Description: input.Description ?? previous?.Description,
    });
    this.parameters.set(name, versions);
    return { Version: versions.length, Tier: 'Standard' } as ssm.PutParameterCommandOutput;
  }

  async getParameter(input: ssm.GetParameterCommandInput): Promise<ssm.GetParameterCommandOutput> {
    const name = input.Name ?? '';
    const latest = this.parameters.get(name)?.at(-1);
    if (!latest) throw awsError('ParameterNotFound', '');
    return {
      Parameter: {
        Name: name,
        Type: latest.Type,
        Value: this.visibleValue(latest, input.WithDecryption),
        Version: latest.Version,
        LastModifiedDate: latest.LastModifiedDate,
        ARN: `arn:aws:ssm:${this.region}:${this.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      },
    } as ssm.GetParameterCommandOutput;
  }

  async getParameterHistory(input: ssm.GetParameterHistoryCommandInput): Promise<ssm.GetParameterHistoryCommandOutput> {
    const name = input.Name ?? '';
    const versions = this.parameters.get(name);
    if (!versions) throw awsError('ParameterNotFound', `Parameter ${name} not found.`);
    const size = Math.min(input.MaxResults ?? this.maxHistoryPage, this.maxHistoryPage);
    const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
    const page = versions.slice(start, start + size);
    return {
      Parameters: page.map((v) => ({
        Name: name,
        Type: v.Type,
        Value: this.visibleValue(v, input.WithDecryption),
        Version: v.Version,
        LastModifiedDate: v.LastModifiedDate,
        LastModifiedUser: this.callerArn(),
        Description: v.Description,
        Labels: [],
        Tier: 'Standard',
        Policies: [],
        DataType: 'text',
      })),
      ...(start + size < versions.length ? { NextToken: Buffer.from(String(start + size)).toString('base64') } : {}),
    } as unknown as ssm.GetParameterHistoryCommandOutput;
  }

  /** Deletes each named parameter with its history; names that do not exist come back as InvalidParameters. */
  async deleteParameters(input: ssm.DeleteParametersCommandInput): Promise<ssm.DeleteParametersCommandOutput> {
    const names = input.Names ?? [];
    const deleted = names.filter((n) => this.parameters.delete(n));
    return { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) } as ssm.DeleteParametersCommandOutput;
  }

  /** Names of every parameter held, for tests. */
  names(): string[] {
    return [...this.parameters.keys()];
  }

  /** A SecureString read without decryption returns ciphertext, never the secret. */
  private visibleValue(v: Version, withDecryption: boolean | undefined): string {
    if (v.Type !== 'SecureString' || withDecryption) return v.Value;
    return `AQICAH${Buffer.from(`sim-ciphertext-v${v.Version}`).toString('base64')}`;
  }
}
