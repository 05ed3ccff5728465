/**
 * The moto_server for a test file: the one in SHIPPER_MOTO_ENDPOINT when set (CI starts it),
 * otherwise one started on a free loopback port for this file and stopped afterwards.
 */
import { CloudFormationClient, CreateChangeSetCommand, DescribeStacksCommand, ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { resetMoto, startMotoServer, type MotoServer } from '../../examples/local/moto.mjs';

export { resetMoto, type MotoServer };

export async function startMoto(): Promise<MotoServer> {
  const given = process.env.SHIPPER_MOTO_ENDPOINT?.replace(/\/$/, '');
  if (!given) return startMotoServer();
  await assertChangeSetOutputs(given);
  return { endpoint: given, stop: async () => undefined };
}

/**
 * A plain moto_server leaves stacks created by change sets without Outputs, and every deploy
 * assertion would then fail far from the cause: say so up front.
 */
async function assertChangeSetOutputs(endpoint: string): Promise<void> {
  const cfn = new CloudFormationClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const StackName = 'shipper-moto-probe';
  try {
    await resetMoto(endpoint);
    const template = { Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: { Probe: { Value: 'ok' } } };
    const { Id } = await cfn.send(new CreateChangeSetCommand({ StackName, ChangeSetName: 'probe', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(template) }));
    await cfn.send(new ExecuteChangeSetCommand({ StackName, ChangeSetName: Id }));
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName }));
    if (!Stacks?.[0]?.Outputs?.length) {
      throw new Error(
        `SHIPPER_MOTO_ENDPOINT (${endpoint}) is a plain moto_server, whose change sets leave stacks without outputs; ` +
          'start it with: python3 examples/local/moto_server.py -H 127.0.0.1 -p PORT (or unset SHIPPER_MOTO_ENDPOINT)',
      );
    }
  } finally {
    cfn.destroy();
    await resetMoto(endpoint);
  }
}
