import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { shellQuote } from '../../src/compose/shell-quote.js';
import { BadInputError } from '../../src/errors.js';

/** What bash makes of `V=<quoted>`, printed back without interpretation. */
function throughBash(quoted: string): string {
  const result = spawnSync('bash', ['-c', `V=${quoted}\nprintf '%s' "$V"`], { encoding: 'utf8', timeout: 5000 });
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('shellQuote', () => {
  const values = [
    '',
    'plain',
    "it's",
    "''",
    "'",
    '"double" and \'single\'',
    '$(touch /tmp/shipper-quote-pwned) `id` ${HOME} $((1+1)) $0',
    'a; b && c || d | e > f < g & h',
    'back\\slash\\ and \\n and \\',
    'line one\nline two\n',
    'tab\there\r\n',
    '*?[a-z] ~ !history #comment',
    'grüße 👋',
  ];

  it.each(values)('bash reads %j back exactly', (value) => {
    expect(throughBash(shellQuote(value))).toBe(value);
  });

  it('quotes with single quotes only, escaping embedded ones', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
  });

  it('refuses NUL, which bash cannot hold', () => {
    expect(() => shellQuote('a\0b')).toThrow(BadInputError);
  });
});
