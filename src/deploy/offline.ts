/**
 * The offline checks as the first step of a deploy or rollback: a broken fragment or a value
 * cfn-lint rejects is bad input (exit 2) before any AWS call, whatever the credentials.
 */
import { checkOffline } from '../compose/offline-checks.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import type { DeployContext } from './context.js';

/** A rollback checks before reading its history, then deploys: one check (and one cfn-lint run) per loaded target. */
const checked = new WeakSet<ServiceEnvironment>();

/** Needs only the linter and a reporter: a command over many services checks them all before it makes any client. */
export async function checkBeforeAws(ctx: Pick<DeployContext, 'lint' | 'reporter'>, target: ServiceEnvironment): Promise<void> {
  if (checked.has(target)) return;
  const report = await checkOffline(target, ctx.lint);
  checked.add(target);
  if (report.lint === 'not-installed') {
    ctx.reporter.emit({ type: 'info', message: 'cfn-lint is not installed (pip install cfn-lint): the template was checked by shipper\'s own rules only' });
  } else if (typeof report.lint === 'object') {
    for (const w of report.lint.warnings) ctx.reporter.emit({ type: 'warning', message: `cfn-lint ${w.rule} ${w.path}: ${w.message}` });
  }
}
