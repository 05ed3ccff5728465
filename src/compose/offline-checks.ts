/**
 * Every check that needs no AWS call, in one place for `validate`, `deploy` and `rollback`:
 * the descriptor and fragment (already loaded), the composed template (fragment references,
 * shipper's own checks) and cfn-lint when it is installed. A deploy runs these before its
 * first AWS call, so a typo is reported as a typo, not after preflight or as an AWS error.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { BadInputError } from '../errors.js';
import type { LintFinding, TemplateLinter } from './cfn-lint.js';
import { templateProblems } from './checks.js';
import { lintProblems } from './lint-problems.js';
import type { ReleaseFacts } from './release-facts.js';
import { composeStack } from './stack.js';
import type { CfnTemplate } from './template.js';

/**
 * Release facts before preflight: the digest is not known yet. Composition does not depend on
 * their values beyond where they appear, so the template checked is the one deploy sends.
 */
export const PLACEHOLDER_RELEASE: ReleaseFacts = { imageTag: 'offline-check', imageDigest: `sha256:${'0'.repeat(64)}` };

export interface OfflineCheckReport {
  template: CfnTemplate;
  /** `not-installed` when cfn-lint is missing, `not-run` when no linter was given. */
  lint: 'not-installed' | 'not-run' | { warnings: LintFinding[] };
}

/** Throws BadInputError (exit 2) with every problem found; returns what passed. */
export async function checkOffline(target: ServiceEnvironment, lint?: TemplateLinter): Promise<OfflineCheckReport> {
  const template = composeStack(target, PLACEHOLDER_RELEASE);
  const problems = templateProblems(template);
  if (problems.length) throw new BadInputError(problems);
  if (!lint) return { template, lint: 'not-run' };
  const result = await lint(template, target.service.region);
  if (!result.available) return { template, lint: 'not-installed' };
  const errors = result.findings.filter((f) => f.level === 'Error');
  if (errors.length) throw new BadInputError(lintProblems(errors, target));
  return { template, lint: { warnings: result.findings.filter((f) => f.level !== 'Error') } };
}
