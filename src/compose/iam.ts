/**
 * The instance role: exactly what the boot script and the sidecars need, scoped to this
 * service's repositories, this stack, and the secrets the descriptor declares.
 */
import type { ResolvedService, SecretRef } from '../descriptor/schema.js';
import type { IamStatement } from './containers.js';
import type { CfnResource } from './template.js';
import { LogicalIds } from './template.js';

export interface RoleInput {
  service: ResolvedService;
  /** ECR repository ARNs the instance pulls from, as `Fn::Sub` strings (`arn:${AWS::Partition}:ecr:…`). */
  repositoryArns: string[];
  /** The app's secret references (sidecars grant their own). */
  secrets: SecretRef[];
  /** The boot script waits for target health when the service is behind a target group. */
  readsTargetHealth: boolean;
  sidecarStatements: IamStatement[];
  /** The boot script's launch hook, signal guard and boot log (boot-iam.ts). */
  bootStatements?: IamStatement[];
}

export function instanceRoleResources(input: RoleInput): Record<string, CfnResource> {
  const statements: IamStatement[] = [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
    { Sid: 'EcrLogin', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
  ];
  if (input.repositoryArns.length) {
    statements.push({
      Sid: 'EcrPull',
      Effect: 'Allow',
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      Resource: [...new Set(input.repositoryArns)].map((arn) => ({ 'Fn::Sub': arn })),
    });
  }
  statements.push({ Sid: 'SignalThisStack', Effect: 'Allow', Action: ['cloudformation:SignalResource'], Resource: { Ref: 'AWS::StackId' } });
  statements.push(...(input.bootStatements ?? []));
  if (input.readsTargetHealth) {
    // DescribeTargetHealth supports no resource-level permissions either.
    statements.push({ Sid: 'ReadTargetHealth', Effect: 'Allow', Action: ['elasticloadbalancing:DescribeTargetHealth'], Resource: '*' });
  }
  const ssmNames = unique(input.secrets.flatMap((s) => ('ssm' in s ? [s.ssm] : [])));
  if (ssmNames.length) {
    statements.push({
      Sid: 'ReadDeclaredParameters',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: ssmNames.map((name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${name.replace(/^\//, '')}` })),
    });
  }
  const secretArns = unique(input.secrets.flatMap((s) => ('secretsManager' in s ? [s.secretsManager] : [])));
  if (secretArns.length) {
    // A secret may be named by its full ARN or without the six characters Secrets Manager
    // appends; allow both spellings of each declared secret, and nothing else.
    statements.push({
      Sid: 'ReadDeclaredSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: secretArns.flatMap((arn) => [arn, `${arn}-??????`]),
    });
  }
  statements.push(...input.sidecarStatements);

  return {
    [LogicalIds.instanceRole]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `Instances of ${input.service.service}: pull its images, read its declared secrets, signal its stack`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{ PolicyName: 'shipper-instance', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      },
    },
    [LogicalIds.instanceProfile]: {
      Type: 'AWS::IAM::InstanceProfile',
      Properties: { Roles: [{ Ref: LogicalIds.instanceRole }] },
    },
  };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
