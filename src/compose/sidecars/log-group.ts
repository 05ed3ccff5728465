/**
 * A log group the stack creates, kept when the stack lets go of it. A failed first create rolls
 * back by deleting everything it made; with `DeletionPolicy: Retain` the log group (and what the
 * instances wrote to it before they were terminated) outlives that rollback and stays readable.
 * The `shipper:stack` tag marks it as this stack's, so the next create of the same stack can
 * recognise the retained group and remove it instead of failing on "already exists"
 * (src/deploy/retained-log-groups.ts).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 */
export const LOG_GROUP_STACK_TAG = 'shipper:stack';

export function retainedLogGroup(name: string, retentionInDays: number): Record<string, unknown> {
  return {
    Type: 'AWS::Logs::LogGroup',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      LogGroupName: name,
      RetentionInDays: retentionInDays,
      Tags: [{ Key: LOG_GROUP_STACK_TAG, Value: { Ref: 'AWS::StackName' } }],
    },
  };
}
