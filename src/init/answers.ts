/**
 * The questions `shipper init` asks, each with its flag, default and check. One list drives the
 * prompts in a terminal and the flags in CI, so both accept exactly the same answers.
 */

export interface InitAnswers {
  service: string;
  repository: string;
  port: number;
  testAccount: string;
  testRegion: string;
  prodAccount: string;
  prodRegion: string;
  /** Absent: the descriptor gets a placeholder the user must replace before a deploy. */
  vpcId?: string;
  subnets?: string[];
}

export type AnswerKey = keyof InitAnswers;

export interface Question {
  key: AnswerKey;
  /** Long flag without dashes, e.g. `test-account`. */
  flag: string;
  prompt: string;
  /** What a valid answer looks like, for messages. */
  expected: string;
  /** Default when not asked; undefined: required (a flag in CI, an answer in a terminal). */
  fallback?: (sofar: Partial<InitAnswers>) => string | undefined;
  /** Skipped in a terminal unless given as a flag (placeholders are fine to start with). */
  optional?: boolean;
  check: (text: string) => boolean;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
/** ECR repository names (Amazon ECR User Guide, "Creating a private repository": name constraints). */
const ECR_REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** Placeholders that pass `shipper validate` but no deploy: the account guard refuses them. */
export const PLACEHOLDER_TEST_ACCOUNT = '111111111111';
export const PLACEHOLDER_PROD_ACCOUNT = '222222222222';
export const PLACEHOLDER_VPC_ID = 'vpc-0123456789abcdef0';
export const PLACEHOLDER_SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];

export function initQuestions(defaultRegion: string): Question[] {
  return [
    { key: 'service', flag: 'service', prompt: 'Service name', expected: 'lowercase letters, digits and dashes, starting with a letter (at most 40)', check: (t) => /^[a-z][a-z0-9-]{0,39}$/.test(t) },
    { key: 'repository', flag: 'repository', prompt: 'ECR repository', expected: 'an ECR repository name such as my-team/my-service', fallback: (a) => a.service, check: (t) => ECR_REPOSITORY.test(t) && t.length <= 256 },
    { key: 'port', flag: 'port', prompt: 'Port the app listens on', expected: 'a port number from 1 to 65535', fallback: () => '8080', check: (t) => /^\d{1,5}$/.test(t) && Number(t) >= 1 && Number(t) <= 65535 },
    { key: 'testAccount', flag: 'test-account', prompt: 'AWS account of test', expected: 'a 12-digit AWS account id', fallback: () => PLACEHOLDER_TEST_ACCOUNT, check: (t) => ACCOUNT.test(t) },
    { key: 'testRegion', flag: 'test-region', prompt: 'AWS region of test', expected: 'an AWS region such as eu-west-1', fallback: () => defaultRegion, check: (t) => REGION.test(t) },
    { key: 'prodAccount', flag: 'prod-account', prompt: 'AWS account of prod', expected: 'a 12-digit AWS account id', fallback: () => PLACEHOLDER_PROD_ACCOUNT, check: (t) => ACCOUNT.test(t) },
    { key: 'prodRegion', flag: 'prod-region', prompt: 'AWS region of prod', expected: 'an AWS region such as eu-west-1', fallback: (a) => a.testRegion, check: (t) => REGION.test(t) },
    { key: 'vpcId', flag: 'vpc-id', prompt: 'VPC id (empty: a placeholder to replace)', expected: 'a VPC id such as vpc-0a1b2c3d', optional: true, fallback: () => undefined, check: (t) => /^vpc-[0-9a-f]{8,17}$/.test(t) },
    { key: 'subnets', flag: 'subnets', prompt: 'Subnet ids, comma-separated (empty: placeholders to replace)', expected: 'subnet ids separated by commas, such as subnet-0a1b2c3d,subnet-1a2b3c4d', optional: true, fallback: () => undefined, check: (t) => splitList(t).length > 0 && splitList(t).every((s) => /^subnet-[0-9a-f]{8,17}$/.test(s)) },
  ];
}

export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Stores one checked answer under its key, in its typed form. */
export function setAnswer(answers: Partial<InitAnswers>, key: AnswerKey, text: string): void {
  if (key === 'port') answers.port = Number(text);
  else if (key === 'subnets') answers.subnets = splitList(text);
  else answers[key] = text;
}
