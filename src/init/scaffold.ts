/** Answers to file contents: the descriptor, the fragment stub, the Buildkite pipeline and the schema. Pure. */
import { readFileSync } from 'node:fs';
import { descriptorJsonSchema } from '../descriptor/schema.js';
import { renderTemplate } from '../compose/sidecars/template.js';
import { PLACEHOLDER_PROD_ACCOUNT, PLACEHOLDER_SUBNETS, PLACEHOLDER_TEST_ACCOUNT, PLACEHOLDER_VPC_ID, type InitAnswers } from './answers.js';

export interface ScaffoldFile {
  /** Relative to the service's directory. */
  path: string;
  content: string;
}

/** Every path init writes; if any exists it writes none. */
export const INIT_FILES = ['shipper.yml', 'shipper.schema.json', 'cloudformation.yml', '.buildkite/pipeline.yml'] as const;

const TEMPLATES = new URL('../../templates/init/', import.meta.url);

function template(name: string): string {
  return readFileSync(new URL(name, TEMPLATES), 'utf8');
}

/** The files `shipper init` writes, in the order it lists them. */
export function scaffoldFiles(answers: InitAnswers): ScaffoldFile[] {
  const network = answers.vpcId && answers.subnets ? '' : '  # PLACEHOLDERS: replace with your VPC and its private subnets before the first deploy.\n';
  const descriptor = renderTemplate('init/shipper.yml', template('shipper.yml'), {
    service: answers.service,
    repository: JSON.stringify(answers.repository),
    port: String(answers.port),
    networkComment: network,
    vpcId: answers.vpcId ?? PLACEHOLDER_VPC_ID,
    subnets: `[${(answers.subnets ?? PLACEHOLDER_SUBNETS).join(', ')}]`,
    testAccount: `"${answers.testAccount}"`,
    testRegion: answers.testRegion,
    prodAccount: `"${answers.prodAccount}"`,
    prodRegion: answers.prodRegion,
  });
  const pipeline = renderTemplate('init/pipeline.yml', template('pipeline.yml'), { service: answers.service, pushCommands: pushCommands(answers) });
  return [
    { path: 'shipper.yml', content: descriptor },
    { path: 'shipper.schema.json', content: `${JSON.stringify(descriptorJsonSchema(), null, 2)}\n` },
    { path: 'cloudformation.yml', content: template('cloudformation.yml') },
    { path: '.buildkite/pipeline.yml', content: pipeline },
  ];
}

/** The descriptor values the user still has to replace, for the closing message. */
export function placeholdersLeft(answers: InitAnswers): string[] {
  const left: string[] = [];
  if (answers.testAccount === PLACEHOLDER_TEST_ACCOUNT) left.push(`environments.test.account (${PLACEHOLDER_TEST_ACCOUNT})`);
  if (answers.prodAccount === PLACEHOLDER_PROD_ACCOUNT) left.push(`environments.prod.account (${PLACEHOLDER_PROD_ACCOUNT})`);
  if (!answers.vpcId || !answers.subnets) left.push(`network.vpcId and network.subnets (${PLACEHOLDER_VPC_ID}, ${PLACEHOLDER_SUBNETS.join(', ')})`);
  return left;
}

/**
 * One build, pushed to the repository in every account and region that deploys it: shipper
 * resolves the tag in each environment's own ECR.
 */
function pushCommands(answers: InitAnswers): string {
  const registries = [...new Set([`${answers.testAccount}.dkr.ecr.${answers.testRegion}.amazonaws.com`, `${answers.prodAccount}.dkr.ecr.${answers.prodRegion}.amazonaws.com`])];
  const local = `${answers.service}:$BUILDKITE_COMMIT`;
  const lines = [`docker build --tag "${local}" .`];
  for (const registry of registries) {
    const region = registry.split('.')[3]!;
    const remote = `${registry}/${answers.repository}:$BUILDKITE_COMMIT`;
    lines.push(
      `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${registry}`,
      `docker tag "${local}" "${remote}"`,
      `docker push "${remote}"`,
    );
  }
  // Single-quoted YAML scalars: the commands hold `|` and double quotes, never a single quote.
  return lines.map((line) => `      - '${line.replaceAll("'", "''")}'`).join('\n');
}
