/**
 * Runs cfn-lint (when installed) on a rendered template. shipper treats cfn-lint errors as
 * bad input and shows warnings; a missing cfn-lint is reported, never silently skipped.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface LintFinding {
  level: 'Error' | 'Warning' | 'Informational';
  rule: string;
  message: string;
  path: string;
}

export type LintResult = { available: false } | { available: true; findings: LintFinding[] };

/** Lints a template for a region; injected so commands run the real cfn-lint and tests may not. */
export type TemplateLinter = (template: unknown, region: string) => Promise<LintResult>;

export async function runCfnLint(template: unknown, region: string, env: NodeJS.ProcessEnv = process.env): Promise<LintResult> {
  const command = env.SHIPPER_CFN_LINT ?? 'cfn-lint';
  const dir = mkdtempSync(path.join(tmpdir(), 'shipper-lint-'));
  const file = path.join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(template, null, 2));
  try {
    const { code, stdout, stderr, missing } = await run(command, ['--format', 'json', '--regions', region, '--', file], env);
    if (missing) return { available: false };
    let raw: Array<{ Level: string; Rule: { Id: string }; Message: string; Location?: { Path?: Array<string | number> } }>;
    try {
      raw = JSON.parse(stdout || '[]');
    } catch {
      throw new Error(`cfn-lint exited ${code} without a report: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    return {
      available: true,
      findings: raw.map((f) => ({
        level: f.Level as LintFinding['level'],
        rule: f.Rule.Id,
        message: f.Message,
        path: (f.Location?.Path ?? []).join('.'),
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? resolve({ code: null, stdout, stderr, missing: true }) : reject(err)));
    child.on('close', (code) => resolve({ code, stdout, stderr, missing: false }));
  });
}
