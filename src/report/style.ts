/**
 * Colour as a small injected interface, so the pure formatters (failure report, plan, stack
 * lines) stay free of terminal libraries: plain output passes `noStyle` or raw ANSI, the tty
 * reporter passes functions built on chalk.
 */

export interface Style {
  /** Finished well: *_COMPLETE, checks that passed, "live". */
  ok(text: string): string;
  /** Failed or rolling back. */
  bad(text: string): string;
  /** Still moving: *_IN_PROGRESS, warnings. */
  pending(text: string): string;
  /** Secondary detail: timestamps, elapsed, types. */
  dim(text: string): string;
  /** Headings. */
  bold(text: string): string;
}

const identity = (text: string): string => text;

/** No escape sequences at all: for logs, files and NO_COLOR. */
export const noStyle: Style = { ok: identity, bad: identity, pending: identity, dim: identity, bold: identity };

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`;

/** The 16-colour ANSI codes every CI log viewer (Buildkite included) renders; no dependency needed. */
export const ansiStyle: Style = {
  ok: sgr(32, 39),
  bad: sgr(31, 39),
  pending: sgr(33, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

export type StatusTone = 'ok' | 'bad' | 'pending' | 'neutral';

/**
 * How a CloudFormation status should look. Anything rolling back is bad news even when that
 * step "completes"; the stack reaching UPDATE_COMPLETE_CLEANUP_IN_PROGRESS is good news (the new
 * group is live), although it ends in IN_PROGRESS.
 */
export function statusTone(status: string): StatusTone {
  if (status.includes('ROLLBACK') || status.endsWith('_FAILED')) return 'bad';
  if (status.endsWith('_COMPLETE') || status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') return 'ok';
  if (status.endsWith('_IN_PROGRESS')) return 'pending';
  return 'neutral';
}

export function styleStatus(status: string, style: Style, text: string = status): string {
  const tone = statusTone(status);
  return tone === 'neutral' ? text : style[tone](text);
}
