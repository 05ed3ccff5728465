import { describe, expect, it } from '@jest/globals';
import { placeholdersOf, renderTemplate, TemplateError } from '../../src/compose/sidecars/template.js';

describe('sidecar template substitution', () => {
  it('fills every placeholder, spaces inside the braces allowed', () => {
    expect(renderTemplate('t', 'listen {{port}}; root {{ dir }}/{{port}};', { port: '80', dir: '/srv' })).toBe('listen 80; root /srv/80;');
  });

  it('does not rescan substituted values', () => {
    expect(renderTemplate('t', 'a={{a}} b={{b}}', { a: '{{b}}', b: 'x' })).toBe('a={{b}} b=x');
  });

  it('fails on a placeholder without a value, naming it', () => {
    expect(() => renderTemplate('proxy.tmpl', 'listen {{port}}; {{host}}', { port: '80' })).toThrow(/proxy\.tmpl: no value for \{\{host\}\}/);
  });

  it('fails on a value no placeholder uses', () => {
    expect(() => renderTemplate('t', 'listen {{port}};', { port: '80', prot: '81' })).toThrow(TemplateError);
  });

  it('fails on a malformed placeholder rather than leaving it in the output', () => {
    expect(() => renderTemplate('t', 'a {{ bad-name }} {{ok}}', { ok: '1' })).toThrow(/malformed placeholder/);
    expect(() => renderTemplate('t', '{{ok}} then {{', { ok: '1' })).toThrow(/malformed placeholder/);
  });

  it('lists placeholders once each, in order', () => {
    expect(placeholdersOf('{{b}} {{a}} {{b}}')).toEqual(['b', 'a']);
  });
});
