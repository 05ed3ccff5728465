import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const exampleDir = path.join(repoRoot, 'examples/hello');
export const exampleDescriptor = path.join(exampleDir, 'shipper.yml');
