/** Writes a descriptor (and optional fragment) to a temp directory for a test. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { BadInputError, type InputProblem } from '../../src/errors.js';

export const MINIMAL_DESCRIPTOR = `service: svc
image:
  repository: svc
network:
  vpcId: vpc-0a1b2c3d
  subnets: [subnet-0a1b2c3d]
environments:
  test:
    account: "123456789012"
    region: eu-west-1
`;

export function tempService(descriptor: string, files: Record<string, string> = {}): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipper-test-'));
  const file = path.join(dir, 'shipper.yml');
  writeFileSync(file, descriptor);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return { dir, file };
}

/** The bundled example (descriptor and fragment) in a temp directory, with `edit` applied to its descriptor. */
export function editedExample(exampleDir: string, edit: (text: string) => string): string {
  const descriptor = edit(readFileSync(path.join(exampleDir, 'shipper.yml'), 'utf8'));
  return tempService(descriptor, { 'cloudformation.yml': readFileSync(path.join(exampleDir, 'cloudformation.yml'), 'utf8') }).dir;
}

/** The problems the loader reports for this descriptor in `env`; fails the test when it is accepted. */
export function descriptorProblems(descriptor: string, env = 'test'): InputProblem[] {
  const { file } = tempService(descriptor);
  try {
    loadServiceEnvironment({ file, env });
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    return err.problems;
  }
  throw new Error('expected the descriptor to be rejected');
}
