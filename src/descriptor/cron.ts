/**
 * Validates the Unix cron expressions Auto Scaling scheduled actions accept
 * (minute hour day-of-month month day-of-week), so a typo fails at render time rather
 * than as a CloudFormation error halfway through a deploy.
 */

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

/** Returns a description of what is wrong, or undefined when the expression is valid. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return `has ${parts.length} field(s); Auto Scaling cron has 5: minute hour day-of-month month day-of-week`;
  for (let i = 0; i < 5; i++) {
    const field = FIELDS[i]!;
    for (const item of parts[i]!.split(',')) {
      const problem = itemProblem(item, field);
      if (problem) return `${field.name} "${parts[i]}": ${problem}`;
    }
  }
  return undefined;
}

function itemProblem(item: string, field: (typeof FIELDS)[number]): string | undefined {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined) return 'more than one "/"';
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "${step}" is not a positive number`;
  if (range === '*') return undefined;
  const bounds = range!.split('-');
  if (bounds.length > 2) return `"${range}" is not a value or a range`;
  const values = bounds.map((b) => value(b, field));
  if (values.some((v) => v === undefined)) return `"${range}" is outside ${field.min}-${field.max}`;
  if (values.length === 2 && values[0]! > values[1]!) return `range "${range}" runs backwards`;
  return undefined;
}

function value(text: string, field: (typeof FIELDS)[number]): number | undefined {
  if ('names' in field) {
    const index = (field.names as readonly string[]).indexOf(text.toUpperCase());
    if (index >= 0) return index + (field.name === 'month' ? 1 : 0);
  }
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}
