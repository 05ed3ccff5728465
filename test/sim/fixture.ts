/** Loads the real replacing update kept in test/fixtures (public data from a production deploy tool). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FixtureRow {
  elapsedSeconds: number;
  logicalId: string;
  status: string;
  reason?: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_PATH = path.resolve(repoRoot, 'test/fixtures/charge-central-deploy-test.events.tsv');

export function loadFixture(file = FIXTURE_PATH): FixtureRow[] {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'));
  const seconds = (hms: string) => {
    const [h, m, s] = hms.split(':').map(Number);
    return h! * 3600 + m! * 60 + s!;
  };
  const start = seconds(rows[0]![0]!);
  return rows.map(([time, logicalId, status, reason]) => ({
    elapsedSeconds: seconds(time!) - start,
    logicalId: logicalId!,
    status: status!,
    reason: reason === '-' ? undefined : reason,
  }));
}
