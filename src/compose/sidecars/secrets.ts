/**
 * IAM for secrets a sidecar receives by reference: the instance role may read exactly the
 * referenced parameter or secret, so the boot script can fetch the value at start.
 */
import type { SecretRef } from '../../descriptor/schema.js';
import type { IamStatement } from '../containers.js';

export function secretReadStatement(ref: SecretRef, sid: string): IamStatement {
  if ('ssm' in ref) {
    // Parameter ARNs carry the name without its leading slash.
    const name = ref.ssm.replace(/^\//, '');
    return {
      Sid: sid,
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${name}` },
    };
  }
  // A secret may be referenced by its full ARN or without the random six-character suffix
  // Secrets Manager appends; allow both spellings, and nothing else.
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: ['secretsmanager:GetSecretValue'],
    Resource: [ref.secretsManager, `${ref.secretsManager}-??????`],
  };
}
