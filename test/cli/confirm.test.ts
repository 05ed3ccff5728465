/**
 * Ctrl-C at a confirmation prompt is an interrupt like any other: exit 130, nothing changed.
 * The prompt is driven through a real readline terminal interface; Ctrl-C arrives as the
 * byte a terminal sends for it (0x03), which readline turns into its SIGINT event.
 */
import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { confirmOnTerminal } from '../../src/cli/confirm.js';
import { reportError } from '../../src/cli/errors-to-exit.js';
import type { CliIo } from '../../src/cli/io.js';
import { ExitCode, InterruptedError } from '../../src/errors.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';
import { world } from '../deploy/harness.js';

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  return { input, output, shown: () => shown };
}

function typeInto(input: PassThrough, text: string): void {
  setImmediate(() => input.write(text));
}

describe('confirmOnTerminal', () => {
  it('takes "y" as yes and anything else as no', async () => {
    const a = terminal();
    typeInto(a.input, 'y\r');
    await expect(confirmOnTerminal('Deploy v2 to prod?', { ...a, terminal: true })).resolves.toBe(true);
    expect(a.shown()).toContain('Deploy v2 to prod? [y/N] ');
    const b = terminal();
    typeInto(b.input, 'nope\r');
    await expect(confirmOnTerminal('Deploy v2 to prod?', { ...b, terminal: true })).resolves.toBe(false);
  });

  it('turns Ctrl-C into an interrupt that exits 130 and says nothing was changed', async () => {
    const t = terminal();
    typeInto(t.input, '\u0003');
    const error = await confirmOnTerminal('Deploy v2 to prod?', { ...t, terminal: true }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InterruptedError);
    let stderr = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: '/', stdinIsTTY: true };
    expect(reportError(error, io)).toBe(130);
    expect(stderr).toBe('error: interrupted (Ctrl-C) at the prompt: stopped before any change was made\n');
  });
});

describe('shipper deploy: Ctrl-C at the confirmation of a protected environment', () => {
  it('exits 130, removes the planned change set and changes nothing', async () => {
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR.replace('service: svc', 'service: hello').replace('repository: svc', 'repository: hello')}    protected: true\n`);
    const w = world();
    const t = terminal();
    typeInto(t.input, '\u0003');
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'], {
      cwd: dir,
      deps: { confirm: (question) => confirmOnTerminal(question, { ...t, terminal: true }) },
    });
    expect(run.code).toBe(ExitCode.detached);
    expect(run.code).toBe(130);
    expect(run.stderr).toBe('error: interrupted (Ctrl-C) at the prompt: stopped before any change was made\n');
    expect(t.shown()).toContain('Deploy v1 to test (hello-test)? [y/N] ');
    expect(w.cloud.calls.count('createChangeSet')).toBe(1);
    expect(w.cloud.calls.count('deleteChangeSet')).toBe(1);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
  });
});
