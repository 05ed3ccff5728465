import { colorAllowed, isInteractive } from '../report/factory.js';
import { ansiStyle, noStyle, type Style } from '../report/style.js';
import type { CliIo } from './io.js';

/** Colour for a terminal (unless NO_COLOR), none for pipes, files and CI logs. */
export function outputStyle(io: CliIo): Style {
  return isInteractive({ isTTY: Boolean(io.stdout.isTTY), env: io.env }) && colorAllowed(io.env) ? ansiStyle : noStyle;
}
