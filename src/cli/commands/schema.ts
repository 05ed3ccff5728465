import { descriptorJsonSchema } from '../../descriptor/schema.js';
import { ExitCode, type ExitCodeValue } from '../../errors.js';
import type { CliIo } from '../io.js';

export function schemaCommand(io: CliIo): ExitCodeValue {
  io.stdout.write(`${JSON.stringify(descriptorJsonSchema(), null, 2)}\n`);
  return ExitCode.ok;
}
