import { describe, expect, it } from '@jest/globals';
import { createReporter, colorAllowed, isCi, isInteractive } from '../../src/report/factory.js';
import { JsonReporter } from '../../src/report/json.js';
import { PlainReporter } from '../../src/report/plain.js';
import { TtyReporter } from '../../src/report/tty.js';
import { CapturingStream } from './scenarios.js';

const choose = (isTTY: boolean, env: Record<string, string | undefined>, json = false) =>
  createReporter({ json, stream: new CapturingStream({ isTTY }), isTTY, env });

async function phaseOutput(isTTY: boolean, env: Record<string, string | undefined>): Promise<string> {
  const stream = new CapturingStream({ isTTY });
  const reporter = await createReporter({ json: false, stream, isTTY, env });
  reporter.emit({ type: 'phase', phase: 'plan', title: 'Plan' });
  reporter.close();
  return stream.text;
}

describe('createReporter', () => {
  it('gives JSON when asked, whatever the terminal', async () => {
    expect(await choose(true, {}, true)).toBeInstanceOf(JsonReporter);
    expect(await choose(false, { BUILDKITE: 'true' }, true)).toBeInstanceOf(JsonReporter);
  });

  it('gives the interactive reporter on a terminal outside CI', async () => {
    expect(await choose(true, { TERM: 'xterm-256color' })).toBeInstanceOf(TtyReporter);
  });

  it('gives plain output when piped, in CI, on Buildkite or on a dumb terminal', async () => {
    expect(await choose(false, {})).toBeInstanceOf(PlainReporter);
    expect(await choose(true, { CI: 'true' })).toBeInstanceOf(PlainReporter);
    expect(await choose(true, { BUILDKITE: 'true' })).toBeInstanceOf(PlainReporter);
    expect(await choose(true, { TERM: 'dumb' })).toBeInstanceOf(PlainReporter);
  });

  it('uses Buildkite group headers only on Buildkite', async () => {
    expect(await phaseOutput(false, { BUILDKITE: 'true', CI: 'true' })).toContain('--- Plan');
    expect(await phaseOutput(false, { CI: 'true' })).not.toContain('--- Plan');
  });

  it('colours Buildkite logs but not pipes, and never with NO_COLOR', async () => {
    expect(await phaseOutput(false, { BUILDKITE: 'true' })).toBe('--- Plan\n');
    expect(await phaseOutput(false, {})).not.toContain('\u001b');
    expect(await phaseOutput(true, { CI: 'true' })).toContain('\u001b[1m');
    expect(await phaseOutput(true, { CI: 'true', NO_COLOR: '1' })).not.toContain('\u001b');
  });
});

describe('environment checks', () => {
  it('treats CI=false and empty values as not set', () => {
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ BUILDKITE: 'true' })).toBe(true);
  });

  it('follows no-color.org: an empty NO_COLOR does not disable colour', () => {
    expect(colorAllowed({ NO_COLOR: '' })).toBe(true);
    expect(colorAllowed({ NO_COLOR: '1' })).toBe(false);
    expect(colorAllowed({ TERM: 'dumb' })).toBe(false);
  });

  it('is interactive only on a terminal outside CI', () => {
    expect(isInteractive({ isTTY: true, env: {} })).toBe(true);
    expect(isInteractive({ isTTY: false, env: {} })).toBe(false);
    expect(isInteractive({ isTTY: true, env: { BUILDKITE: 'true' } })).toBe(false);
  });
});
