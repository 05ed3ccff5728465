/**
 * `{{name}}` substitution for the sidecar config templates. Deliberately tiny and strict: a
 * placeholder without a value, or a value no placeholder asks for, is a mismatch between a
 * template and its code, and a config rendered past it would fail on the instance instead.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export class TemplateError extends Error {
  constructor(templateName: string, problem: string) {
    super(`sidecar template ${templateName}: ${problem}`);
    this.name = 'TemplateError';
  }
}

/** The placeholder names a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export function renderTemplate(templateName: string, template: string, values: Readonly<Record<string, string>>): string {
  const used = placeholdersOf(template);
  const missing = used.filter((name) => !Object.hasOwn(values, name));
  if (missing.length > 0) throw new TemplateError(templateName, `no value for ${missing.map((n) => `{{${n}}}`).join(', ')}`);
  const unknown = Object.keys(values).filter((name) => !used.includes(name));
  if (unknown.length > 0) throw new TemplateError(templateName, `values given for placeholders it does not have: ${unknown.join(', ')}`);

  // Substituted values are never rescanned, so a value may itself contain braces.
  const rendered: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const before = template.slice(last, match.index);
    if (before.includes('{{')) throw new TemplateError(templateName, `malformed placeholder near "${before.slice(before.lastIndexOf('{{'), before.lastIndexOf('{{') + 30)}"`);
    rendered.push(before, values[match[1]!]!);
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  if (tail.includes('{{')) throw new TemplateError(templateName, `malformed placeholder near "${tail.slice(tail.indexOf('{{'), tail.indexOf('{{') + 30)}"`);
  rendered.push(tail);
  return rendered.join('');
}
