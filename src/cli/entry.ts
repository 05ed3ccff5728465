import { processIo } from './io.js';
import { runCli } from './program.js';
import { suppressSdkNodeVersionWarning } from './warnings.js';

suppressSdkNodeVersionWarning();
const code = await runCli(process.argv.slice(2), processIo());
// Let pending output flush; exitCode (not exit()) so nothing is cut off.
process.exitCode = code;
