/**
 * The selection flags as commander hands them over, read without loading anything: the CLI
 * decides from them whether a command runs for one service (exactly as before) or many.
 */

export interface SelectionFlags {
  /** Every `-f` in order; commander gives the default as a string when none was given. */
  file?: string | string[];
  all?: boolean;
  workspace?: string;
  /** The same short-lived instance (e.g. pr-123) of every selected service, instead of their main stacks. */
  instance?: string;
  ttl?: string;
}

/** More than one `-f`, or the workspace (`--all`, `--workspace`): the command runs over many services. */
export function selectsFleet(flags: SelectionFlags): boolean {
  return Boolean(flags.all || flags.workspace) || (Array.isArray(flags.file) && flags.file.length > 1);
}

/** The one descriptor of a single-service run: the `-f` given, or the default. */
export function singleFile(flags: SelectionFlags): string | undefined {
  return Array.isArray(flags.file) ? flags.file.at(-1) : flags.file;
}
