/** Markdown building blocks for the CI renderers: text from AWS or users is shown, never interpreted. */

/**
 * Escapes the characters Markdown (and the HTML it allows) would interpret, and a list marker at
 * the start. Parentheses stay: without a `[` there is no link, and a bare URL is still linked.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\n/g, ' ')
    .replace(/[\\`*_[\]<>#+|~]/g, '\\$&')
    .replace(/^(\s*)(-|\d+)(?=[.)]?\s)/, '$1\\$2');
}

/** Inline code that survives backticks inside it. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return text.startsWith('`') || text.endsWith('`') ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A fenced block that no line inside it can close. */
export function codeBlock(lines: string[]): string[] {
  const longest = Math.max(0, ...lines.flatMap((l) => l.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...lines, fence];
}
